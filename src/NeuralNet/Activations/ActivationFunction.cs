using System.Numerics;
using System.Text.Json.Nodes;
using NeuralNet.Initializers;
using NeuralNet.Onnx;

namespace NeuralNet.Activations;

/// <summary>
/// An activation function <c>a = f(z)</c> applied to a layer's weighted sums, with its backward pass
/// <c>∂L/∂z</c> from <c>∂L/∂a</c>. Batches are column-major spans of <c>rows × columns</c>
/// (rows = samples, columns = units), the layout of MathNet's dense matrices.
/// </summary>
/// <remarks>
/// To write a new element-wise function, derive from <see cref="ElementwiseActivationFunction{T}"/>
/// and give its value and derivative; derive from this class directly only for functions that mix the
/// units of a sample, like <see cref="Softmax{T}"/>. Check a new function with
/// <see cref="GradientChecker"/>.
/// </remarks>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract class ActivationFunction<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>A short lower-case name (e.g. <c>relu</c>), used in reports and saved models.</summary>
    public abstract string Name { get; }

    /// <summary>The initialiser that suits this function when the user names none (e.g. He for ReLU).</summary>
    public virtual WeightInitializer DefaultInitializer => WeightInitializer.GlorotUniform;

    /// <summary>
    /// What the outputs are: probabilities (sigmoid), a distribution per row (softmax), other real
    /// numbers, or <see cref="ActivationOutput.Unspecified"/> (the default: no check). A loss checks it
    /// before training, so an activation of your own that outputs probabilities says so here to be
    /// accepted by the probability losses.
    /// </summary>
    public virtual ActivationOutput OutputKind => ActivationOutput.Unspecified;

    /// <summary>Computes <c>a = f(z)</c> for a whole batch.</summary>
    /// <param name="z">Weighted sums, column-major, <c>rows × columns</c>.</param>
    /// <param name="a">Receives the activations, same layout. Either the very same span as <paramref name="z"/> (the
    /// library computes in place when it predicts) or not overlapping it at all; an implementation must give the same
    /// result in both cases, e.g. by reading each <c>z</c> value before it writes the <c>a</c> value at that index. The
    /// built-in functions refuse any other overlap with an <see cref="ArgumentException"/> naming <c>a</c>.</param>
    /// <param name="rows">Samples in the batch.</param>
    /// <param name="columns">Units of the layer.</param>
    public abstract void Forward(ReadOnlySpan<T> z, Span<T> a, int rows, int columns);

    /// <summary>Computes <c>∂L/∂z</c> from <c>∂L/∂a</c> (the chain rule through this function).</summary>
    /// <param name="z">The weighted sums of the forward pass.</param>
    /// <param name="a">The activations the forward pass computed from <paramref name="z"/>.</param>
    /// <param name="outputGradient"><c>∂L/∂a</c>, same layout.</param>
    /// <param name="inputGradient">Receives <c>∂L/∂z</c>. Either the very same span as <paramref name="outputGradient"/>
    /// or not overlapping any of the spans read; an implementation must give the same result in both cases. The built-in
    /// functions refuse any other overlap with an <see cref="ArgumentException"/> naming <c>inputGradient</c>
    /// (<see cref="InputGradientApart"/>).</param>
    /// <param name="rows">Samples in the batch.</param>
    /// <param name="columns">Units of the layer.</param>
    public abstract void Backward(
        ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int rows, int columns);

    /// <summary>
    /// The function's settings besides its name (leaky ReLU's and ELU's <c>alpha</c>), as JSON; empty for a
    /// function without any. The model file stores them beside <see cref="Name"/>; a loader hands them to the factory registered under that name (<c>Serialization.LayerRegistry</c>).
    /// </summary>
    /// <returns>A new JSON object; it must not use the key <c>name</c>.</returns>
    public virtual JsonObject GetConfig() => [];

    /// <summary>Adds the ONNX nodes computing <c>a = f(z)</c> from the tensor <paramref name="z"/> into the tensor <paramref name="a"/>.</summary>
    /// <param name="graph">The graph under construction.</param>
    /// <param name="z">The name of the input tensor.</param>
    /// <param name="a">The name the output tensor must have; intermediate tensors may use it as a prefix.</param>
    /// <exception cref="NotSupportedException">The function has no ONNX form (the default).</exception>
    public virtual void ExportOnnx(OnnxGraph<T> graph, string z, string a) =>
        throw new NotSupportedException($"The activation {GetType().Name} ('{Name}') cannot be exported to ONNX: it does not override ExportOnnx.");

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>
    /// <see cref="Forward"/> as a layer calls it on its own buffers: each holds exactly <c>rows × columns</c> values and
    /// they are separate arrays, which the layer guarantees by construction (its buffers are sized for the batch, and the
    /// gradient it receives is shape-checked). The built-in element-wise functions then skip <see cref="Forward"/>'s span
    /// and overlap checks (a one-sample training step would run them millions of times a second); any other function,
    /// a user's own included, runs <see cref="Forward"/> with its checks.
    /// </summary>
    internal virtual void ForwardOwnBuffers(ReadOnlySpan<T> z, Span<T> a, int rows, int columns) => Forward(z, a, rows, columns);

    /// <summary>
    /// Whether <see cref="ForwardOwnBuffers"/> and <see cref="BackwardOwnBuffers"/> may run on any range of whole columns
    /// (units) of a batch, on either core, with the same bits as on the whole batch: true for a function of each value
    /// alone whose vector and scalar forms agree exactly (ReLU). A dense layer then applies it to each group of columns
    /// as its product finishes them (<c>Kernels.ColumnFinisher</c>), while they are in that core's cache.
    /// </summary>
    internal virtual bool MapsColumnRanges => false;

    /// <summary>
    /// Whether <see cref="BackwardOwnBuffers"/> gives the same bits with the activations <c>a = f(z)</c> passed in place of
    /// <c>z</c>: f' can be told exactly from f's value (ReLU: f'(z) = 1 where a = max(0, z) &gt; 0, which holds exactly where
    /// z &gt; 0, NaN included). A layer's gradient made inside the layer above's product then reads its activations, which
    /// that product's weight gradient has just read, rather than bring its weighted sums into the cache too.
    /// </summary>
    internal virtual bool DerivativeFromActivation => false;

    /// <summary><see cref="Backward"/> as a layer calls it on its own buffers (see <see cref="ForwardOwnBuffers"/>).</summary>
    internal virtual void BackwardOwnBuffers(
        ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int rows, int columns)
        => Backward(z, a, outputGradient, inputGradient, rows, columns);

    /// <summary>
    /// Refuses an <paramref name="inputGradient"/> that overlaps what <see cref="Backward"/> reads other than as documented
    /// (the very span of <paramref name="outputGradient"/>), naming it: the built-in functions call it, and so may yours.
    /// </summary>
    /// <param name="z">The weighted sums read.</param>
    /// <param name="a">The activations read.</param>
    /// <param name="outputGradient">The gradient read, which <paramref name="inputGradient"/> may be exactly.</param>
    /// <param name="inputGradient">The span written.</param>
    /// <exception cref="ArgumentException"><paramref name="inputGradient"/> overlaps a span read other than exactly <paramref name="outputGradient"/>.</exception>
    protected static void InputGradientApart(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> outputGradient, Span<T> inputGradient)
    {
        ShapeCheck.Apart(outputGradient, inputGradient, sameAllowed: true, nameof(outputGradient), nameof(inputGradient));
        ShapeCheck.Apart(z, inputGradient, sameAllowed: false, nameof(z), nameof(inputGradient));
        ShapeCheck.Apart(a, inputGradient, sameAllowed: false, nameof(a), nameof(inputGradient));
    }

    /// <summary>Converts a double constant to <typeparamref name="T"/>.</summary>
    protected static T Constant(double value) => T.CreateChecked(value);
}
