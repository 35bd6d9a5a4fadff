using System.Numerics;

namespace NeuralNet.Training;

/// <summary>
/// A hook into <see cref="Trainer{T}.Fit(MathNet.Numerics.LinearAlgebra.Matrix{T}, MathNet.Numerics.LinearAlgebra.Matrix{T}, MathNet.Numerics.LinearAlgebra.Matrix{T}?, MathNet.Numerics.LinearAlgebra.Matrix{T}?, MathNet.Numerics.LinearAlgebra.Vector{T}?, CancellationToken)"/>
/// (Keras's model): override the moments you need. Each gets the run's <see cref="TrainingContext{T}"/>:
/// the epoch and batch, the metrics so far, the network, and <see cref="TrainingContext{T}.Stop()"/>.
/// Early stopping, checkpoints, progress reports and the CSV log are callbacks like a user's own.
/// </summary>
/// <remarks>
/// Order: <see cref="OnTrainBegin"/>; per epoch <see cref="OnEpochBegin"/>, per batch
/// <see cref="OnBatchBegin"/> and <see cref="OnBatchEnd"/>, then <see cref="OnEpochEnd"/> (with the
/// epoch's <see cref="TrainingContext{T}.Record"/>); <see cref="OnTrainEnd"/> once the loop ends (not
/// when a step throws). Callbacks run in the order the trainer lists them, the built-in ones (from
/// <see cref="TrainingOptions"/>) first. The network is being trained while they run: predicting and
/// saving it are fine, training it from a callback is refused. Batch hooks run on the hot path: keep them
/// free of allocation.
/// </remarks>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract class TrainingCallback<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>Before the first epoch of a <c>Fit</c>.</summary>
    /// <param name="context">The run.</param>
    public virtual void OnTrainBegin(TrainingContext<T> context)
    {
    }

    /// <summary>Before each epoch, after the learning rate for it is set.</summary>
    /// <param name="context">The run.</param>
    public virtual void OnEpochBegin(TrainingContext<T> context)
    {
    }

    /// <summary>Before each batch's training step.</summary>
    /// <param name="context">The run.</param>
    public virtual void OnBatchBegin(TrainingContext<T> context)
    {
    }

    /// <summary>After each batch's training step; <see cref="TrainingContext{T}.BatchLoss"/> holds its loss.</summary>
    /// <param name="context">The run.</param>
    public virtual void OnBatchEnd(TrainingContext<T> context)
    {
    }

    /// <summary>After each epoch, its validation included; <see cref="TrainingContext{T}.Record"/> holds its metrics.</summary>
    /// <param name="context">The run.</param>
    public virtual void OnEpochEnd(TrainingContext<T> context)
    {
    }

    /// <summary>After the last epoch, however the run ended (not when a step throws).</summary>
    /// <param name="context">The run.</param>
    public virtual void OnTrainEnd(TrainingContext<T> context)
    {
    }

    /// <summary>
    /// The callback's own state that a continued run needs (e.g. the best value so far), as numbers;
    /// null (the default) when it keeps none. The trainer's state holds it after every epoch, so a
    /// checkpoint carries it (FORMAT.md, <c>trainer.callbacks</c>) and <see cref="RestoreState"/> gets it
    /// back when the run continues. Numbers may be ±∞ or NaN.
    /// </summary>
    /// <returns>The state, at most 65,536 numbers, or null.</returns>
    public virtual double[]? SaveState() => null;

    /// <summary>
    /// Puts back what <see cref="SaveState"/> gave, before <see cref="OnTrainBegin"/> of a continued run,
    /// when the run being continued had a callback of this type at this place in <see cref="Trainer{T}.Callbacks"/>
    /// (a saved state with no callback of its type at its place is left unused). Throw
    /// <see cref="ArgumentException"/> for a state that does not fit.
    /// </summary>
    /// <param name="state">The saved numbers.</param>
    public virtual void RestoreState(double[] state)
    {
    }
}
