using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using NeuralNet.Activations;
using NeuralNet.Kernels;
using NeuralNet.Layers;

namespace NeuralNet.Losses;

using MathNet.Numerics.LinearAlgebra;

/// <summary>
/// A loss function: one number that says how far a batch of predictions is from its targets, and its
/// gradient with respect to the predictions. Batches are matrices with one row per sample.
/// </summary>
/// <remarks>
/// <para>Reduction: every built-in loss is the <b>mean over the batch</b> of the per-sample loss
/// (and, for element-wise losses, the mean over the outputs too), so the learning rate does not
/// depend on the batch size. With sample weights <c>w</c> the loss is <c>(1/N) Σ_n w_n ℓ_n</c>.</para>
/// <para>To write a new loss, override <see cref="Value(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, int, int)"/>
/// and <see cref="Gradient(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, int, int)"/>
/// (spans are column-major, rows = samples) and check it with <see cref="GradientChecker"/>.</para>
/// </remarks>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract class LossFunction<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>A short lower-case name, e.g. <c>mse</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The loss of a batch.</summary>
    /// <param name="prediction">The network's output, <c>batch × outputs</c>.</param>
    /// <param name="target">The targets: <c>batch × outputs</c> (or <c>batch × 1</c> class indices where the loss accepts them).</param>
    /// <param name="sampleWeights">Optional weight per sample (length <c>batch</c>, each ≥ 0); null weighs all samples 1.</param>
    public T Loss(Matrix<T> prediction, Matrix<T> target, Vector<T>? sampleWeights = null)
    {
        Validate(prediction, target, sampleWeights);
        return Value(DenseStorage.Of(prediction), DenseStorage.Of(target), Weights(sampleWeights), prediction.RowCount, prediction.ColumnCount);
    }

    /// <summary>The gradient <c>∂L/∂prediction</c> of the batch loss, as a new matrix shaped like <paramref name="prediction"/>.</summary>
    /// <param name="prediction">The network's output, <c>batch × outputs</c>.</param>
    /// <param name="target">The targets, as for <see cref="Loss"/>.</param>
    /// <param name="sampleWeights">Optional weight per sample; null weighs all samples 1.</param>
    public Matrix<T> Gradient(Matrix<T> prediction, Matrix<T> target, Vector<T>? sampleWeights = null)
    {
        Validate(prediction, target, sampleWeights);
        var result = Matrix<T>.Build.Dense(prediction.RowCount, prediction.ColumnCount);
        Gradient(DenseStorage.Of(prediction), DenseStorage.Of(target), Weights(sampleWeights), DenseStorage.Of(result), prediction.RowCount, prediction.ColumnCount);
        return result;
    }

    /// <summary>The mean loss of a batch (see the class remarks for the reduction).</summary>
    /// <param name="prediction">Predictions, column-major <c>rows × columns</c>.</param>
    /// <param name="target">Targets, column-major, <c>rows × the accepted target columns</c>.</param>
    /// <param name="sampleWeights">A weight per row, or empty for all ones.</param>
    /// <param name="rows">Samples in the batch.</param>
    /// <param name="columns">Outputs per sample.</param>
    protected internal abstract T Value(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, ReadOnlySpan<T> sampleWeights, int rows, int columns);

    /// <summary>Writes <c>∂L/∂prediction</c> of the mean loss into <paramref name="gradient"/> (same layout as the prediction).</summary>
    /// <param name="prediction">Predictions, column-major <c>rows × columns</c>.</param>
    /// <param name="target">Targets, as for <see cref="Value(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, int, int)"/>.</param>
    /// <param name="sampleWeights">A weight per row, or empty for all ones.</param>
    /// <param name="gradient">Receives the gradient.</param>
    /// <param name="rows">Samples in the batch.</param>
    /// <param name="columns">Outputs per sample.</param>
    protected internal abstract void Gradient(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, ReadOnlySpan<T> sampleWeights, Span<T> gradient, int rows, int columns);

    /// <summary>How many target columns this loss takes for <paramref name="outputs"/> predicted columns.</summary>
    /// <param name="outputs">Columns of the prediction.</param>
    /// <param name="targetColumns">Columns of the target given.</param>
    /// <returns>Whether the target's column count is accepted.</returns>
    protected internal virtual bool AcceptsTargetColumns(int outputs, int targetColumns) => targetColumns == outputs;

    /// <summary>Checks the target values (e.g. probabilities in [0, 1], class indices in range); throws <see cref="ArgumentException"/> naming <paramref name="parameterName"/>.</summary>
    /// <param name="target">Targets, column-major.</param>
    /// <param name="rows">Samples.</param>
    /// <param name="outputs">Columns of the prediction.</param>
    /// <param name="targetColumns">Columns of the target.</param>
    /// <param name="parameterName">The argument name to report.</param>
    protected internal virtual void ValidateTargetValues(ReadOnlySpan<T> target, int rows, int outputs, int targetColumns, string parameterName)
    {
    }

    /// <summary>
    /// Checks, before training, that the network's output layer gives what this loss expects: returns
    /// null when it does, else the problem, naming the layer, the loss and the fix (the network throws
    /// it as an <see cref="ArgumentException"/>). The built-in cross-entropy losses refuse an output that
    /// is not a probability (<see cref="Layer{T}.OutputKind"/>); the base refuses nothing. Override it for a
    /// loss of your own.
    /// </summary>
    /// <param name="outputLayer">The network's last layer.</param>
    /// <returns>Null, or what is wrong and how to fix it.</returns>
    protected internal virtual string? OutputMismatch(Layer<T> outputLayer) => null;

    /// <summary>
    /// Where the output activation and this loss have a simpler, stabler joint gradient (softmax with
    /// cross-entropy, sigmoid with binary cross-entropy), writes <c>∂L/∂z</c> directly and returns true.
    /// </summary>
    internal virtual bool TryFusedGradient(
        ActivationFunction<T> activation, ReadOnlySpan<T> output, ReadOnlySpan<T> target, ReadOnlySpan<T> sampleWeights,
        Span<T> preActivationGradient, int rows, int columns) => false;

    /// <summary>
    /// The loss and its gradient from one pass where the two share work (softmax cross-entropy from logits: the shifted
    /// exponentials): writes <c>∂L/∂prediction</c> into <paramref name="gradient"/>, returns true and gives the value, each
    /// the bits of <see cref="Value(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, int, int)"/> and
    /// <see cref="Gradient(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, int, int)"/> made separately.
    /// False, with nothing written, where there is no such path: the training step then makes the two calls. A loss that
    /// answers true never takes <see cref="TryFusedGradient"/>'s path (the step hands this gradient to the output layer).
    /// </summary>
    /// <param name="prediction">Predictions, column-major <c>rows × columns</c>.</param>
    /// <param name="target">Targets, as for <see cref="Value(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, int, int)"/>.</param>
    /// <param name="sampleWeights">A weight per row, or empty for all ones.</param>
    /// <param name="gradient">Receives the gradient (scratch until the caller has checked the value finite).</param>
    /// <param name="rows">Samples in the batch.</param>
    /// <param name="columns">Outputs per sample.</param>
    /// <param name="value">The mean loss, when the method returns true.</param>
    /// <returns>Whether the value and the gradient were computed.</returns>
    internal virtual bool TryValueAndGradient(
        ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, ReadOnlySpan<T> sampleWeights, Span<T> gradient, int rows, int columns, out T value)
    {
        value = T.Zero;
        return false;
    }

    /// <summary>Checks shapes and values at the public boundary, before anything is computed.</summary>
    internal void Validate(Matrix<T> prediction, Matrix<T> target, Vector<T>? sampleWeights)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        ShapeCheck.NotEmpty(prediction, nameof(prediction));
        ShapeCheck.Finite(prediction, nameof(prediction));
        ValidateTarget(DenseStorage.Of(target), target.RowCount, target.ColumnCount, prediction.RowCount, prediction.ColumnCount, nameof(target));
        if (sampleWeights is not null)
        {
            ValidateSampleWeights(DenseStorage.Of(sampleWeights), prediction.RowCount, nameof(sampleWeights));
        }
    }

    /// <summary>Checks a target against the prediction's shape (used by the network and the trainer too).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // into the training step (its message out of line)
    internal void ValidateTarget(ReadOnlySpan<T> target, int targetRows, int targetColumns, int rows, int outputs, string parameterName)
    {
        if (targetRows != rows || !AcceptsTargetColumns(outputs, targetColumns))
        {
            ThrowTargetShape(targetRows, targetColumns, rows, outputs, parameterName);
        }

        ShapeCheck.Finite(target, targetRows, parameterName);
        ValidateTargetValues(target, rows, outputs, targetColumns, parameterName);
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowTargetShape(int targetRows, int targetColumns, int rows, int outputs, string parameterName)
    {
        string expected = AcceptsTargetColumns(outputs, 1) && outputs != 1 ? $"{rows}×{outputs} or {rows}×1 (class indices)" : $"{rows}×{outputs}";
        throw new ArgumentException($"{Name} expects a target of shape {expected}, one row per sample (received {targetRows}×{targetColumns}).", parameterName);
    }

    internal static void ValidateSampleWeights(ReadOnlySpan<T> weights, int rows, string parameterName)
    {
        if (weights.Length != rows)
        {
            throw new ArgumentException($"sample weights must have one value per sample: {rows} (received {weights.Length}).", parameterName);
        }

        foreach (T w in weights)
        {
            if (!T.IsFinite(w) || w < T.Zero)
            {
                throw new ArgumentException($"sample weights must be finite and ≥ 0 (received {w}).", parameterName);
            }
        }
    }

    /// <summary>The weight of sample <paramref name="row"/>: 1 when no weights are given.</summary>
    protected static T WeightOf(ReadOnlySpan<T> sampleWeights, int row) => sampleWeights.IsEmpty ? T.One : sampleWeights[row];

    /// <summary>Converts a double constant to <typeparamref name="T"/>.</summary>
    protected static T Constant(double value) => T.CreateChecked(value);

    private static ReadOnlySpan<T> Weights(Vector<T>? sampleWeights) => sampleWeights is null ? default : DenseStorage.Of(sampleWeights);
}
