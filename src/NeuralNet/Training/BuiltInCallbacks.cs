using System.Numerics;

namespace NeuralNet.Training;

/// <summary><see cref="TrainingOptions.TargetLoss"/>: stops once an epoch's training loss is at or below the target.</summary>
internal sealed class TargetLossCallback<T>(double target) : TrainingCallback<T>
    where T : struct, IFloatingPointIeee754<T>
{
    public override void OnEpochEnd(TrainingContext<T> context)
    {
        if (context.Record!.TrainingLoss <= target)
        {
            context.Stop(StopReason.TargetLossReached);
        }
    }
}

/// <summary>The bridge to <see cref="TrainingOptions.Progress"/>: a <see cref="TrainingProgress"/> after every batch.</summary>
internal sealed class ProgressCallback<T>(IProgress<TrainingProgress> progress) : TrainingCallback<T>
    where T : struct, IFloatingPointIeee754<T>
{
    public override void OnBatchEnd(TrainingContext<T> context)
        => progress.Report(new TrainingProgress(context.Epoch, context.LastEpoch, context.Batch, Math.Max(context.Batch, context.Batches), context.BatchLoss)); // a streamed source counts its batches in its first epoch
}

/// <summary>The bridge to the trainer's <see cref="Trainer{T}.EpochCompleted"/> event, which may stop the run.</summary>
internal sealed class EpochEventCallback<T>(Trainer<T> trainer) : TrainingCallback<T>
    where T : struct, IFloatingPointIeee754<T>
{
    public override void OnEpochEnd(TrainingContext<T> context)
    {
        if (trainer.RaiseEpochCompleted(context.Record!))
        {
            context.Stop();
        }
    }
}
