using System.Diagnostics;
using System.Numerics;
using NeuralNet.Kernels;

namespace NeuralNet.Training;

using MathNet.Numerics.LinearAlgebra;

/// <summary>
/// The epoch loop of <see cref="Trainer{T}"/>, top to bottom: per epoch set the learning rate, shuffle,
/// run the one training step on each batch, record the epoch; the callbacks do the rest (early
/// stopping, target loss, progress, the epoch event, checkpoints, logs, the user's own).
/// </summary>
internal static class EpochLoop
{
    public static TrainingHistory Run<T>(Trainer<T> trainer, TrainingSet<T> set, CancellationToken cancellationToken)
        where T : struct, IFloatingPointIeee754<T>
    {
        TrainingOptions options = trainer.Options;
        Network<T> network = trainer.Network;
        TrainingState<T>? resumed = trainer.State;
        var gatherer = new BatchGatherer<T>(set.Inputs, set.Targets, set.Weights, set.TrainRows.Length, options.BatchSize);
        MetricSet<T> metrics = set.Metrics;
        var validation = new ValidationPass<T>(trainer, set);
        int done = resumed?.EpochsDone ?? 0;
        double initialLearningRate = resumed?.InitialLearningRate ?? trainer.Optimizer.LearningRate;
        TrainingCallback<T>[] callbacks = Callbacks(trainer, out EarlyStoppingCallback<T>? early);
        Resume(resumed, options, network, set.Random, trainer.Callbacks);
        var records = new List<EpochRecord>(options.Epochs);
        var context = new TrainingContext<T>(network, trainer.Optimizer, records, () => trainer.CaptureState(done, initialLearningRate, set, early, null))
        {
            LastEpoch = done + options.Epochs,
            Batches = gatherer.Batches,
            HasValidation = set.ValidationInputs is not null,
            Resumed = resumed,
        };
        int[] order = (int[])set.TrainRows.Clone();
        var clock = Stopwatch.StartNew();
        Array.ForEach(callbacks, c => c.OnTrainBegin(context));
        for (int epoch = done + 1; epoch <= context.LastEpoch && context.StopReason is null; epoch++)
        {
            TimeSpan epochStart = clock.Elapsed;
            context.Epoch = epoch;
            double learningRate = trainer.Optimizer.LearningRate = options.Schedule?.LearningRate(epoch - 1, initialLearningRate) ?? trainer.Optimizer.LearningRate;
            Array.ForEach(callbacks, c => c.OnEpochBegin(context));
            if (options.Shuffle)
            {
                // Each epoch's order is a fresh shuffle of the training rows, so it depends only on the
                // random source's state: training resumed from a checkpoint visits the same batches.
                set.TrainRows.CopyTo(order, 0);
                set.Random.Shuffle<int>(order);
            }

            metrics.Reset();
            double lossSum = 0;
            for (int batch = 0; batch < gatherer.Batches; batch++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    context.Stop(StopReason.Cancelled);
                    break;
                }

                context.Batch = batch + 1;
                for (int c = 0; c < callbacks.Length; c++)
                {
                    callbacks[c].OnBatchBegin(context);
                }

                (Matrix<T> x, Matrix<T> y, Vector<T>? w) = gatherer.Gather(order, batch);
                context.BatchLoss = double.CreateChecked(network.Step(x, y, trainer.Loss, trainer.Optimizer, w is null ? default : DenseStorage.Of(w), metrics, epoch, batch + 1));
                lossSum += context.BatchLoss * x.RowCount;
                for (int c = 0; c < callbacks.Length; c++)
                {
                    callbacks[c].OnBatchEnd(context);
                }
            }

            context.Batch = 0;
            if (context.StopReason == StopReason.Cancelled)
            {
                break;
            }

            records.Add(validation.Record(epoch, learningRate, lossSum / order.Length, metrics, clock, epochStart));
            done = epoch;
            options.Schedule?.EpochCompleted(records[^1]);
            Array.ForEach(callbacks, c => c.OnEpochEnd(context));
        }

        Array.ForEach(callbacks, c => c.OnTrainEnd(context));
        trainer.State = trainer.CaptureState(done, initialLearningRate, set, early, early?.LastEpochWeights);
        return new TrainingHistory(records, context.StopReason ?? StopReason.MaxEpochs, early?.BestEpoch);
    }

    /// <summary>
    /// The built-in callbacks the options ask for (early stopping, target loss, progress, the epoch event),
    /// then the trainer's own list; <paramref name="early"/> is the run's one early stopping, from either.
    /// </summary>
    private static TrainingCallback<T>[] Callbacks<T>(Trainer<T> trainer, out EarlyStoppingCallback<T>? early)
        where T : struct, IFloatingPointIeee754<T>
    {
        TrainingOptions options = trainer.Options;
        var list = new List<TrainingCallback<T>>();
        early = options.EarlyStopping is { } settings ? new EarlyStoppingCallback<T>(settings) : null;
        if (early is not null)
        {
            list.Add(early);
        }

        early ??= trainer.Callbacks.OfType<EarlyStoppingCallback<T>>().FirstOrDefault();

        if (options.TargetLoss is double target)
        {
            list.Add(new TargetLossCallback<T>(target));
        }

        if (options.Progress is { } progress)
        {
            list.Add(new ProgressCallback<T>(progress));
        }

        list.Add(new EpochEventCallback<T>(trainer));
        list.AddRange(trainer.Callbacks);
        return [.. list];
    }

    /// <summary>A new run resets the schedule; a continued one restores it, the callbacks' states, the last epoch's weights and the shuffle source's position.</summary>
    private static void Resume<T>(TrainingState<T>? resumed, TrainingOptions options, Network<T> network, RandomSource random, IList<TrainingCallback<T>> callbacks)
        where T : struct, IFloatingPointIeee754<T>
    {
        if (resumed is null)
        {
            options.Schedule?.Reset();
            return;
        }

        foreach (TrainingState<T>.CallbackState saved in resumed.Callbacks)
        {
            if (saved.Index < callbacks.Count && Trainer<T>.CallbackTypeName(callbacks[saved.Index]) == saved.Type)
            {
                callbacks[saved.Index].RestoreState((double[])saved.Values.Clone()); // a callback of the same type at the same place; else a new one starts afresh
            }
        }

        options.Schedule?.RestoreState(resumed.ScheduleState);
        if (resumed.LastEpochWeights is { } last)
        {
            var weights = new ParameterSnapshot<T>(network.Parameters);
            weights.Load(last);
            weights.Restore(); // the run ended on the best epoch's weights; it goes on from where its epochs left off
        }

        if (resumed.ShuffleRandom is { } position)
        {
            random.State = position;
        }
    }
}
