using System.Diagnostics;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Kernels;

namespace NeuralNet.Training;

/// <summary>
/// The epoch loop of <see cref="Trainer{T}.Fit(BatchSource{T}, BatchSource{T}?, int, CancellationToken)"/>:
/// batches come from a <see cref="ShuffleBatcher{T}"/> over the source's chunks instead of from rows in
/// memory; each batch goes through the network's one training step (<c>Network.Step</c>, as the
/// in-memory loop). Records the training loss and, with
/// a validation source, the validation loss (and accuracy for a classifier), streamed too.
/// </summary>
internal sealed class StreamingFit<T>
    where T : struct, IFloatingPointIeee754<T>
{
    // The arguments of Trainer.Fit (and its options) that errors name: this class checks them for it.
    private static readonly string TrainingName = "training", ValidationName = "validation", OptionsName = "options", LossName = "loss";

    private readonly Trainer<T> _trainer;
    private readonly BatchSource<T> _training;
    private readonly BatchSource<T>? _validation;
    private readonly int _bufferRows;

    public StreamingFit(Trainer<T> trainer, BatchSource<T> training, BatchSource<T>? validation, int bufferRows)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferRows, 1);
        Network<T> network = trainer.Network;
        TrainingOptions options = trainer.Options;
        foreach ((BatchSource<T>? source, string name) in new[] { (training, nameof(training)), (validation, nameof(validation)) })
        {
            if (source is not null && source.InputColumns != network.InputSize)
            {
                throw new ArgumentException($"{name} must give {network.InputSize} input columns, one per network input (received {source.InputColumns}).", name);
            }
        }

        if (validation is not null && validation.TargetColumns != training.TargetColumns)
        {
            throw new ArgumentException($"validation must give the {training.TargetColumns} target columns of training (received {validation.TargetColumns}).", nameof(validation));
        }

        if (options.ValidationSplit > 0 || options.ClassWeights is not null)
        {
            throw new ArgumentException("streamed training takes validation from another source and weighs every sample 1: ValidationSplit and ClassWeights are for in-memory data.", OptionsName);
        }

        network.CheckLossFits(trainer.Loss, LossName); // a loss that cannot fit the output is refused before training, as in memory
        TrainingMetric? monitor = options.EarlyStopping?.Monitor;
        if (monitor is not (null or TrainingMetric.TrainingLoss or TrainingMetric.ValidationLoss) || (monitor == TrainingMetric.ValidationLoss && validation is null))
        {
            throw new ArgumentException($"streamed training monitors the training loss, or the validation loss with a validation source (received {monitor}{(validation is null ? ", no validation source" : string.Empty)}).", OptionsName);
        }

        _trainer = trainer;
        _training = training;
        _validation = validation;
        _bufferRows = bufferRows;
    }

    public TrainingHistory Run(CancellationToken cancellationToken)
    {
        Network<T> network = _trainer.Network;
        TrainingOptions options = _trainer.Options;
        RandomSource random = options.Random ?? network.Random;
        var batcher = new ShuffleBatcher<T>(network.InputSize, _training.TargetColumns, options.BatchSize, _bufferRows, options.Shuffle ? random : null);
        EarlyStopping? early = options.EarlyStopping;
        TrainingMetric monitor = early?.Monitor ?? (_validation is null ? TrainingMetric.TrainingLoss : TrainingMetric.ValidationLoss);
        ParameterSnapshot<T>? best = early is { RestoreBestWeights: true } ? new ParameterSnapshot<T>(network.Parameters) : null;
        double bestValue = double.PositiveInfinity;
        int bestEpoch = 0, epochsWithoutImprovement = 0, batchesPerEpoch = 0;
        double initialLearningRate = _trainer.Optimizer.LearningRate;
        options.Schedule?.Reset();
        var records = new List<EpochRecord>(Math.Min(options.Epochs, 1024));
        StopReason reason = StopReason.MaxEpochs;
        var clock = Stopwatch.StartNew();
        for (int epoch = 1; epoch <= options.Epochs && reason == StopReason.MaxEpochs; epoch++)
        {
            TimeSpan epochStart = clock.Elapsed;
            double learningRate = options.Schedule?.LearningRate(epoch - 1, initialLearningRate) ?? _trainer.Optimizer.LearningRate;
            _trainer.Optimizer.LearningRate = learningRate;
            double lossSum = 0;
            long rows = 0;
            int batch = 0;
            foreach ((Matrix<T> x, Matrix<T> y) in batcher.Batches(_training.ReadChunks(), TrainingName))
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    reason = StopReason.Cancelled;
                    break;
                }

                ShapeCheck.Finite(x, TrainingName);
                _trainer.Loss.ValidateTarget(DenseStorage.Of(y), y.RowCount, y.ColumnCount, x.RowCount, network.OutputSize, TrainingName);
                double loss = double.CreateChecked(network.Step(x, y, _trainer.Loss, _trainer.Optimizer, default, null, epoch, ++batch)); // the one training step
                lossSum += loss * x.RowCount;
                rows += x.RowCount;
                options.Progress?.Report(new TrainingProgress(epoch, options.Epochs, batch, Math.Max(batch, batchesPerEpoch), loss));
            }

            if (reason == StopReason.Cancelled)
            {
                break;
            }

            if (rows == 0)
            {
                throw new ArgumentException("the training source gave no rows.", TrainingName);
            }

            batchesPerEpoch = batch;
            (double? validationLoss, double? validationAccuracy) = Validate();
            var record = new EpochRecord
            {
                Epoch = epoch,
                LearningRate = learningRate,
                TrainingLoss = lossSum / rows,
                ValidationLoss = validationLoss,
                ValidationAccuracy = validationAccuracy,
                Duration = clock.Elapsed - epochStart,
                Elapsed = clock.Elapsed,
            };
            records.Add(record);
            options.Schedule?.EpochCompleted(record);
            if (early is not null)
            {
                double value = record.Value(monitor)!.Value;
                if (!double.IsNaN(value) && (bestEpoch == 0 || value < bestValue - early.MinDelta))
                {
                    bestValue = value;
                    bestEpoch = epoch;
                    epochsWithoutImprovement = 0;
                    best?.Capture();
                }
                else if (++epochsWithoutImprovement >= early.Patience)
                {
                    reason = StopReason.EarlyStopping;
                }
            }

            if (reason == StopReason.MaxEpochs && options.TargetLoss is double target && record.TrainingLoss <= target)
            {
                reason = StopReason.TargetLossReached;
            }

            var args = new EpochCompletedEventArgs(record);
            _trainer.RaiseEpochCompleted(args);
            if (reason == StopReason.MaxEpochs && args.Stop)
            {
                reason = StopReason.StoppedByCallback;
            }
        }

        if (best is not null && bestEpoch > 0 && bestEpoch != records.Count)
        {
            best.Restore();
        }

        return new TrainingHistory(records, reason, early is null ? null : bestEpoch);
    }

    /// <summary>The mean loss over the validation source's rows, and for a classifier its accuracy; nulls without a source.</summary>
    private (double? Loss, double? Accuracy) Validate()
    {
        if (_validation is null)
        {
            return (null, null);
        }

        Network<T> network = _trainer.Network;
        double lossSum = 0;
        long rows = 0, correct = 0;
        T threshold = TrainingSet<T>.ThresholdFor(_trainer.Loss);
        foreach (Dataset<T> chunk in _validation.ReadChunks())
        {
            if (chunk is null || chunk.Features.ColumnCount != network.InputSize || chunk.Targets.ColumnCount != _validation.TargetColumns)
            {
                throw new ArgumentException($"every chunk of validation must have {network.InputSize} input and {_validation.TargetColumns} target columns.", ValidationName);
            }

            _trainer.Loss.ValidateTarget(DenseStorage.Of(chunk.Targets), chunk.Count, chunk.Targets.ColumnCount, chunk.Count, network.OutputSize, ValidationName);
            Matrix<T> output = network.Predict(chunk.Features);
            lossSum += double.CreateChecked(_trainer.Loss.Value(DenseStorage.Of(output), DenseStorage.Of(chunk.Targets), default, chunk.Count, output.ColumnCount)) * chunk.Count;
            rows += chunk.Count;
            if (_trainer.IsClassifier)
            {
                int[] predicted = new int[chunk.Count];
                ClassLabels.FromScores<T>(DenseStorage.Of(output), chunk.Count, output.ColumnCount, threshold, predicted);
                int[] actual = chunk.Targets.ColumnCount == 1 && output.ColumnCount > 1 ? ClassLabels.FromIndices(chunk.Targets) : ClassLabels.FromScores(chunk.Targets, 0.5);
                correct += predicted.Where((p, i) => p == actual[i]).Count();
            }
        }

        if (rows == 0)
        {
            throw new ArgumentException("the validation source gave no rows.", ValidationName);
        }

        return (lossSum / rows, _trainer.IsClassifier ? (double)correct / rows : null);
    }
}
