using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

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
    /// <summary>Features each input row has.</summary>
    public abstract int InputSize { get; }

    /// <summary>Features each output row has.</summary>
    public abstract int OutputSize { get; }

    /// <summary>The trainable parameters, each with its gradient; empty for a layer without any.</summary>
    public virtual IReadOnlyList<Parameter<T>> Parameters => [];

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
    /// Called once by the network that takes this layer: draw initial parameters and keep whatever
    /// randomness the layer needs later (dropout masks) from <paramref name="random"/>.
    /// </summary>
    /// <param name="random">The network's random source.</param>
    protected virtual void Initialize(RandomSource random)
    {
    }

    /// <summary>Lets the network that takes this layer initialise it.</summary>
    internal void InitializeFor(RandomSource random) => Initialize(random);

    /// <inheritdoc />
    public override string ToString() => $"{GetType().Name.Split('`')[0]}({InputSize} → {OutputSize})";
}
