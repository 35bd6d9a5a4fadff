using System.Diagnostics;
using System.Numerics;
using NeuralNet.Kernels;

namespace NeuralNet.Training;

using MathNet.Numerics.LinearAlgebra;

/// <summary>
/// THE epoch loop of <see cref="Trainer{T}"/>, for rows in memory and streamed sources alike, top to
/// bottom: per epoch set the learning rate, run the one training step on each batch the data gives,
/// record the epoch (validation included); the callbacks do the rest (early stopping, target loss,
/// progress, the epoch event, checkpoints, logs, the user's own).
/// </summary>
internal static class EpochLoop
{
    public static TrainingHistory Run<T>(Trainer<T> trainer, EpochData<T> data, CancellationToken cancellationToken)
        where T : struct, IFloatingPointIeee754<T>
    {
        TrainingOptions options = trainer.Options;
        Network<T> network = trainer.Network;
        TrainingState<T>? resumed = data.Resumable ? trainer.State : null;
        MetricSet<T> metrics = data.Metrics;
        var validation = new ValidationPass<T>(trainer, data);
        int done = resumed?.EpochsDone ?? 0;
        double initialLearningRate = resumed?.InitialLearningRate ?? trainer.Optimizer.LearningRate;
        TrainingCallback<T>[] callbacks = Callbacks(trainer, out EarlyStoppingCallback<T>? early);
        options.Schedule?.Begin(metrics.Metrics, data.HasValidation);
        Resume(resumed, options, network, data.Random, trainer.Callbacks);

        var records = new List<EpochRecord>(Math.Min(options.Epochs, 1024));
        var context = new TrainingContext<T>(network, trainer.Optimizer, records, () => trainer.CaptureState(done, initialLearningRate, data.HeldOutRows, early, null))
        {
            LastEpoch = done + options.Epochs,
            HasValidation = data.HasValidation,
            Metrics = metrics.Metrics,
            Resumed = resumed,
        };
        var clock = Stopwatch.StartNew();
        Array.ForEach(callbacks, c => c.OnTrainBegin(context));
        for (int epoch = done + 1; epoch <= context.LastEpoch && context.StopReason is null; epoch++)
        {
            TimeSpan epochStart = clock.Elapsed;
            (context.Epoch, context.Batches) = (epoch, data.Batches);
            double learningRate = trainer.Optimizer.LearningRate = options.Schedule?.LearningRate(epoch - 1, initialLearningRate) ?? trainer.Optimizer.LearningRate;
            Array.ForEach(callbacks, c => c.OnEpochBegin(context));

            metrics.Reset();
            double lossSum = 0;
            long rows = 0;
            int batch = 0;
            foreach ((Matrix<T> x, Matrix<T> y, Vector<T>? w) in data.TrainingBatches())
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    context.Stop(StopReason.Cancelled);
                    break;
                }

                context.Batch = ++batch;
                for (int c = 0; c < callbacks.Length; c++)
                {
                    callbacks[c].OnBatchBegin(context);
                }

                // The batches were checked when the data was prepared; a first layer cut between the cores checks each again
                // in its product anyway, for the measure that comes with the check (the bound on its weights' update).
                bool measured = network.ChecksInputInProduct(x.RowCount);
                context.BatchLoss = double.CreateChecked(network.Step(x, y, trainer.Loss, trainer.Optimizer, w is null ? default : DenseStorage.Of(w), metrics, epoch, batch, measured));
                (lossSum, rows) = (lossSum + (context.BatchLoss * x.RowCount), rows + x.RowCount);
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

            records.Add(validation.Record(epoch, learningRate, lossSum / rows, metrics, clock, epochStart));
            done = epoch;
            options.Schedule?.EpochCompleted(records[^1]);
            Array.ForEach(callbacks, c => c.OnEpochEnd(context));
        }

        Array.ForEach(callbacks, c => c.OnTrainEnd(context));
        if (data.Resumable)
        {
            trainer.State = trainer.CaptureState(done, initialLearningRate, data.HeldOutRows, early, early?.LastEpochWeights);
        }

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
            var weights = new ParameterSnapshot<T>(network.WeightsAndState);
            weights.Load(last);
            weights.Restore(); // the run ended on the best epoch's weights; it goes on from where its epochs left off
        }

        if (resumed.ShuffleRandom is { } position)
        {
            random.State = position;
        }
    }
}
