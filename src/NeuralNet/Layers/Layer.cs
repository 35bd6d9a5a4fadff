using System.Numerics;
using System.Text.Json.Nodes;
using NeuralNet.Activations;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Onnx;

namespace NeuralNet.Layers;

/// <summary>
/// One layer of a feedforward network: a forward pass from inputs to outputs, a backward pass from
/// <c>∂L/∂output</c> to the gradients of its parameters and <c>∂L/∂input</c>, and its trainable
/// parameters. Batches are matrices with one row per sample.
/// </summary>
/// <remarks>
/// A layer owns its parameters, their gradients and the buffers of its training passes; the matrices
/// <see cref="Forward"/> and <see cref="Backward"/> return are those buffers, valid until the next
/// call. <see cref="Predict"/> never touches them, so it may run on many threads at once. To write a
/// layer, derive from this class and check it with <see cref="GradientChecker"/>.
/// </remarks>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract class Layer<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private Regularization? _regularization;

    /// <summary>Features each input row has.</summary>
    public abstract int InputSize { get; }

    /// <summary>Features each output row has.</summary>
    public abstract int OutputSize { get; }

    /// <summary>The trainable parameters, each with its gradient; empty for a layer without any.</summary>
    public virtual IReadOnlyList<Parameter<T>> Parameters => [];

    /// <summary>
    /// Non-trainable tensors the layer keeps and that are saved with it (a batch normalisation's running
    /// mean and variance): never given to an optimizer, never given a gradient by the layer. Empty for
    /// most layers. The model file stores them after <see cref="Parameters"/>, in this order.
    /// </summary>
    public virtual IReadOnlyList<Parameter<T>> State => [];

    /// <summary>The layers inside this one (a residual block's), for the summary; empty for most layers.</summary>
    public virtual IReadOnlyList<Layer<T>> Sublayers => [];

    /// <summary>
    /// The L1/L2 penalty on this layer's weights (and biases if it says so), or null (the default) for none:
    /// the network's training step and backward phase add it to the loss and the gradients. A block's covers
    /// the parameters of the layers inside it too, except those of a layer that sets its own. Saved in the model file.
    /// </summary>
    public Regularization? Regularization
    {
        get => _regularization;
        set
        {
            _regularization = value;
            TrainingSettings.Changed();
        }
    }

    /// <summary>
    /// Whether every parameter of this layer is <see cref="Parameter{T}.Frozen"/> (a block's: its layers' too):
    /// setting it freezes or unfreezes them all, so that training leaves the layer as it is. False for a layer
    /// without parameters. A layer's running statistics (<see cref="State"/>) still move in training; freezing
    /// a batch normalisation keeps its scale and shift only.
    /// </summary>
    public bool Frozen
    {
        get => Parameters.Count > 0 && Parameters.All(p => p.Frozen);
        set
        {
            foreach (Parameter<T> parameter in Parameters)
            {
                parameter.Frozen = value;
            }
        }
    }

    /// <summary>
    /// The name of the layer's kind (<c>dense</c>, <c>batch_norm</c>, …): the model file's <c>kind</c>,
    /// the name a loader looks up in <c>Serialization.LayerRegistry</c>, and the summary's first column. A
    /// user-written layer that is saved must override it with a name registered through
    /// <c>LayerRegistry.Register(string, ILayerFactory)</c>; the default is the class name.
    /// </summary>
    public virtual string Kind => GetType().Name.Split('`')[0];

    /// <summary>
    /// The layer's settings (Keras's <c>get_config</c>): everything besides its parameters and state that
    /// rebuilds it, as JSON (sizes, rates, the activation as <c>LayerRegistry.Describe(activation)</c>
    /// gives it, nested layers as <c>LayerRegistry.Describe(layer)</c> gives them). The model file
    /// writes it beside <see cref="Kind"/>; the factory registered for <see cref="Kind"/> reads it back.
    /// </summary>
    /// <returns>A new JSON object; it must not use the keys <c>kind</c>, <c>parameters</c> and <c>state</c>.</returns>
    /// <exception cref="NotSupportedException">The layer does not describe itself (the default), so it cannot be saved.</exception>
    public virtual JsonObject GetConfig() =>
        throw new NotSupportedException($"The layer {GetType().Name} ({this}) does not describe itself, so it cannot be saved: override Kind and GetConfig and register a factory with LayerRegistry.Register.");

    /// <summary>
    /// Adds the ONNX nodes that compute the layer's inference output (as <see cref="Predict"/> does) from
    /// the tensor <paramref name="input"/>, and returns the name of the output tensor.
    /// </summary>
    /// <param name="graph">The graph under construction.</param>
    /// <param name="input">The name of the input tensor, <c>[batch, InputSize]</c>.</param>
    /// <param name="name">A prefix unique to this layer in the graph, for the names of its tensors.</param>
    /// <returns>The name of the output tensor, <c>[batch, OutputSize]</c> (may be <paramref name="input"/> for a layer that passes it through).</returns>
    /// <exception cref="NotSupportedException">The layer has no ONNX form (the default).</exception>
    public virtual string ExportOnnx(OnnxGraph<T> graph, string input, string name) =>
        throw new NotSupportedException($"The layer {GetType().Name} ({this}) cannot be exported to ONNX: it does not override ExportOnnx.");

    /// <summary>
    /// The training forward pass: computes the output of a batch and keeps what the backward pass
    /// needs (including a reference to <paramref name="input"/>, which must not change before it).
    /// </summary>
    /// <param name="input">The batch, <c>batch × <see cref="InputSize"/></c>.</param>
    /// <param name="training">True in training (dropout active); false for evaluation.</param>
    /// <returns>The output, <c>batch × <see cref="OutputSize"/></c>: the layer's own buffer.</returns>
    public abstract Matrix<T> Forward(Matrix<T> input, bool training);

    /// <summary>
    /// The backward pass for the batch of the last <see cref="Forward"/>: overwrites every parameter's
    /// gradient and returns <c>∂L/∂input</c>.
    /// </summary>
    /// <param name="outputGradient"><c>∂L/∂output</c>, <c>batch × <see cref="OutputSize"/></c>.</param>
    /// <param name="computeInputGradient">False to skip <c>∂L/∂input</c> (the first layer of a network needs none).</param>
    /// <returns><c>∂L/∂input</c> (the layer's own buffer), or null when not computed.</returns>
    public abstract Matrix<T>? Backward(Matrix<T> outputGradient, bool computeInputGradient = true);

    /// <summary>
    /// The inference pass: writes the output for <paramref name="input"/> into <paramref name="output"/>
    /// without touching any training buffer, so concurrent calls are safe.
    /// </summary>
    /// <param name="input">The batch, <c>batch × <see cref="InputSize"/></c>.</param>
    /// <param name="output">Receives the output, <c>batch × <see cref="OutputSize"/></c>, a dense matrix.</param>
    public abstract void Predict(Matrix<T> input, Matrix<T> output);

    /// <summary>
    /// The activation this layer applies last (<c>A = f(Z)</c>), when the layer takes part in the fused
    /// gradient: a loss that has a simpler, stabler joint gradient with it (softmax or sigmoid with
    /// cross-entropy) writes <c>∂L/∂Z</c> directly and the network calls
    /// <see cref="BackwardFromActivationInput"/> instead of <see cref="Backward"/>. Null (the default)
    /// when the layer does not take part; a layer that returns an activation here must override
    /// <see cref="BackwardFromActivationInput"/>.
    /// </summary>
    public virtual ActivationFunction<T>? OutputActivation => null;

    /// <summary>
    /// What this layer's outputs are, for the check that the loss fits the network's output: by default
    /// <see cref="OutputActivation"/>'s <see cref="ActivationFunction{T}.OutputKind"/>, else unspecified (no check).
    /// </summary>
    public virtual ActivationOutput OutputKind => OutputActivation?.OutputKind ?? ActivationOutput.Unspecified;

    /// <summary>
    /// The backward pass for the batch of the last <see cref="Forward"/>, from <c>∂L/∂Z</c>, the gradient
    /// with respect to the input of <see cref="OutputActivation"/> (written by a fused loss): overwrites
    /// every parameter's gradient and returns <c>∂L/∂input</c>, as <see cref="Backward"/> does.
    /// </summary>
    /// <param name="activationInputGradient"><c>∂L/∂Z</c>, <c>batch × <see cref="OutputSize"/></c>; valid during this call only.</param>
    /// <param name="computeInputGradient">False to skip <c>∂L/∂input</c>.</param>
    /// <returns><c>∂L/∂input</c> (the layer's own buffer), or null when not computed.</returns>
    /// <exception cref="NotSupportedException">The layer declares no <see cref="OutputActivation"/>.</exception>
    public virtual Matrix<T>? BackwardFromActivationInput(Matrix<T> activationInputGradient, bool computeInputGradient = true)
        => throw new NotSupportedException($"{this} declares no OutputActivation, so it takes no fused gradient; override both OutputActivation and BackwardFromActivationInput to take part.");

    /// <summary>
    /// <see cref="Backward"/> as the network runs it, knowing the layer whose backward pass comes next (<paramref name="below"/>,
    /// the layer before this one; null for none): a layer may hand it work on <c>∂L/∂input</c> while computing it (a dense
    /// layer below takes its activation's gradient and its bias gradient, column by column, as the product finishes them).
    /// The same results as <see cref="Backward"/>, which the base calls.
    /// </summary>
    internal virtual Matrix<T>? BackwardTo(Matrix<T> outputGradient, bool computeInputGradient, Layer<T>? below)
        => Backward(outputGradient, computeInputGradient);

    /// <summary><see cref="BackwardFromActivationInput"/> as the network runs it, knowing the layer below (<see cref="BackwardTo"/>).</summary>
    internal virtual Matrix<T>? BackwardFromActivationInputTo(Matrix<T> activationInputGradient, bool computeInputGradient, Layer<T>? below)
        => BackwardFromActivationInput(activationInputGradient, computeInputGradient);

    /// <summary>
    /// Called once by the network that takes this layer: draw initial parameters and keep whatever
    /// randomness the layer needs later (dropout masks) from <paramref name="random"/>.
    /// </summary>
    /// <param name="random">The network's random source.</param>
    protected virtual void Initialize(RandomSource random)
    {
    }

    /// <summary>
    /// What is impossible about the layer's loaded <see cref="State"/> (a negative running variance), or null when nothing is:
    /// a loader refuses such a file instead of letting the layer predict NaN. A block asks the layers inside it.
    /// </summary>
    internal virtual string? ImpossibleState()
    {
        foreach (Layer<T> layer in Sublayers)
        {
            if (layer.ImpossibleState() is string problem)
            {
                return problem;
            }
        }

        return null;
    }

    /// <summary>Lets the network that takes this layer initialise it.</summary>
    internal void InitializeFor(RandomSource random) => Initialize(random);

    /// <inheritdoc />
    public override string ToString() => $"{GetType().Name.Split('`')[0]}({InputSize} → {OutputSize})";
}
