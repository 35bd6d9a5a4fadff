using System.Numerics;
using NeuralNet.Initializers;

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

    /// <summary>Computes <c>a = f(z)</c> for a whole batch.</summary>
    /// <param name="z">Weighted sums, column-major, <c>rows × columns</c>.</param>
    /// <param name="a">Receives the activations; same layout; may not overlap <paramref name="z"/>.</param>
    /// <param name="rows">Samples in the batch.</param>
    /// <param name="columns">Units of the layer.</param>
    public abstract void Forward(ReadOnlySpan<T> z, Span<T> a, int rows, int columns);

    /// <summary>Computes <c>∂L/∂z</c> from <c>∂L/∂a</c> (the chain rule through this function).</summary>
    /// <param name="z">The weighted sums of the forward pass.</param>
    /// <param name="a">The activations the forward pass computed from <paramref name="z"/>.</param>
    /// <param name="outputGradient"><c>∂L/∂a</c>, same layout.</param>
    /// <param name="inputGradient">Receives <c>∂L/∂z</c>; may be the same span as <paramref name="outputGradient"/>.</param>
    /// <param name="rows">Samples in the batch.</param>
    /// <param name="columns">Units of the layer.</param>
    public abstract void Backward(
        ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int rows, int columns);

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>Converts a double constant to <typeparamref name="T"/>.</summary>
    protected static T Constant(double value) => T.CreateChecked(value);
}
