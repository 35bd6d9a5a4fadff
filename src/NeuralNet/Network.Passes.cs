using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using NeuralNet.Kernels;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet;

using MathNet.Numerics.LinearAlgebra;

// The forward and backward phases of a hand-written training loop, each under the one-trainer guard.
public sealed partial class Network<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>
    /// The forward phase of a hand-written training loop: every layer computes its output and keeps
    /// what <see cref="Backward"/> needs. Say whether it trains: <c>true</c> turns dropout on,
    /// <c>false</c> evaluates as <see cref="Predict(Matrix{T})"/> does (a gradient check, say).
    /// </summary>
    /// <param name="input">The batch, <c>batch × <see cref="InputSize"/></c>; it must not change before <see cref="Backward"/>.</param>
    /// <param name="training">True to train (dropout active); false to evaluate.</param>
    /// <returns>The network's output in a new matrix that the caller owns: later calls never change it.</returns>
    public Matrix<T> Forward(Matrix<T> input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        ShapeCheck.Columns(input, InputSize, nameof(input));
        ShapeCheck.BatchFits(input.RowCount, _layers, _widestLayer, nameof(input));
        var output = Matrix<T>.Build.Dense(input.RowCount, OutputSize);
        Forward(input, training, output);
        return output;
    }

    /// <summary>
    /// <see cref="Forward(Matrix{T}, bool)"/> into a caller-supplied matrix: once the layers' buffers
    /// exist for this batch size, it allocates nothing.
    /// </summary>
    /// <param name="input">The batch, <c>batch × <see cref="InputSize"/></c>; it must not change before <see cref="Backward"/>.</param>
    /// <param name="training">True to train (dropout active); false to evaluate.</param>
    /// <param name="output">Receives the outputs: a <c>batch × <see cref="OutputSize"/></c> matrix of its own (sharing storage
    /// with <paramref name="input"/>, a parameter or a running statistic is refused with <see cref="ArgumentException"/>).</param>
    public void Forward(Matrix<T> input, bool training, Matrix<T> output)
    {
        CheckForward(input, output);
        using TrainingScope scope = EnterTraining();
        ForwardCore(input, training).CopyTo(output);
    }

    /// <summary>
    /// The backward phase for the batch of the last <see cref="Forward(Matrix{T}, bool)"/>: the loss gradient flows back
    /// through every layer, overwriting every parameter's gradient, and each layer's <see cref="Layer{T}.Regularization"/>
    /// adds its penalty's gradient. No parameter changes.
    /// </summary>
    /// <param name="target">The batch's targets, in the shape <paramref name="loss"/> expects.</param>
    /// <param name="loss">The loss function.</param>
    /// <param name="sampleWeights">Optional weight per sample; null weighs all samples 1.</param>
    public void Backward(Matrix<T> target, LossFunction<T> loss, Vector<T>? sampleWeights = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(loss);
        using TrainingScope scope = EnterTraining(); // first: the last forward pass, which the target must fit, is another thread's while it trains
        BackwardHeld(target, loss, sampleWeights);
    }

    /// <summary>
    /// <see cref="Forward(Matrix{T}, bool)"/> for a caller that holds the training scope already: the gradient checker,
    /// which holds it for its whole check so that no other training runs between its perturbed passes.
    /// </summary>
    internal Matrix<T> ForwardHeld(Matrix<T> input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        ShapeCheck.Columns(input, InputSize, nameof(input));
        ShapeCheck.BatchFits(input.RowCount, _layers, _widestLayer, nameof(input)); // before the output is allocated
        var output = Matrix<T>.Build.Dense(input.RowCount, OutputSize);
        CheckForward(input, output);
        ForwardCore(input, training).CopyTo(output);
        return output;
    }

    /// <summary><see cref="Backward"/> for a caller that holds the training scope already (<see cref="ForwardHeld"/>).</summary>
    internal void BackwardHeld(Matrix<T> target, LossFunction<T> loss, Vector<T>? sampleWeights)
    {
        Matrix<T> output = _lastOutput ?? throw new InvalidOperationException("Backward was called before Forward: run a forward pass on a batch first.");
        ValidateTarget(target, loss, sampleWeights, output.RowCount);
        Refresh(); // the regularised list, if a Regularization setting changed
        BackwardCore(output, target, loss, sampleWeights is null ? default : DenseStorage.Of(sampleWeights));
    }

    /// <summary>The checks of a forward pass's arguments, made before it takes the training scope.</summary>
    private void CheckForward(Matrix<T> input, Matrix<T> output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ShapeCheck.Columns(input, InputSize, nameof(input));
        ShapeCheck.Finite(input, nameof(input));
        ShapeCheck.BatchFits(input.RowCount, _layers, _widestLayer, nameof(input));
        ShapeCheck.Shape(output, input.RowCount, OutputSize, nameof(output));
        ShapeCheck.NotShared(DenseStorage.Of(output), DenseStorage.Of(input), "input", nameof(output));
        ShapeCheck.NotSharedWithAny(DenseStorage.Of(output), WeightsAndState, "the network", nameof(output), _parameters.Length); // the output is written after the pass: it would overwrite a weight
    }
}
