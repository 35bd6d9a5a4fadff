using System.Numerics;

namespace NeuralNet.Training;

using MathNet.Numerics.LinearAlgebra;

/// <summary>
/// What <see cref="EpochLoop"/> trains on, whatever holds it: each epoch's batches in the order to
/// train them, the validation data in chunks, the run's metrics and random source. Rows in memory
/// (<see cref="TrainingSet{T}"/>) and streamed sources (<see cref="StreamingFit{T}"/>) are two kinds of it;
/// the loop is the same.
/// </summary>
internal abstract class EpochData<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>Batches per epoch as far as known (for progress reports): a streamed source knows it after its first epoch.</summary>
    public abstract int Batches { get; }

    /// <summary>Whether the run keeps <see cref="Trainer{T}.State"/>: continues from it and sets it (rows in memory), or always starts afresh (streamed).</summary>
    public abstract bool Resumable { get; }

    /// <summary>The rows held out for validation by a split, ascending; null without one.</summary>
    public virtual int[]? HeldOutRows => null;

    /// <summary>The source of the shuffling (and of the split), whose position a checkpoint keeps.</summary>
    public abstract RandomSource Random { get; }

    /// <summary>The run's metrics, measured on the training batches and then on the validation data.</summary>
    public abstract MetricSet<T> Metrics { get; }

    /// <summary>Whether there is validation data.</summary>
    public abstract bool HasValidation { get; }

    /// <summary>One epoch's batches, in the order to train them (a fresh shuffle per epoch); each batch's matrices may be reused by the next.</summary>
    public abstract IEnumerable<(Matrix<T> Inputs, Matrix<T> Targets, Vector<T>? Weights)> TrainingBatches();

    /// <summary>The validation data, in one or more chunks.</summary>
    public abstract IEnumerable<(Matrix<T> Inputs, Matrix<T> Targets)> ValidationChunks();
}
