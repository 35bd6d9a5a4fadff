using System.Diagnostics;
using System.Numerics;
using NeuralNet.Data;
using NeuralNet.Kernels;
using NeuralNet.Losses;
using NeuralNet.Optimizers;

namespace NeuralNet.Training;

using MathNet.Numerics.LinearAlgebra;

/// <summary>
/// Trains a network over epochs: each epoch visits the training samples in a new seeded order, in
/// mini-batches (the last, smaller batch is kept), running forward phase, loss, backward phase and
/// optimizer step per batch; then evaluates the validation data and records a <see cref="EpochRecord"/>.
/// </summary>
/// <remarks>
/// <para>Control: <see cref="TrainingOptions"/> (epochs, batch size, schedule, early stopping, target
/// loss, class weights, progress), the <see cref="EpochCompleted"/> event (which may stop training),
/// and a <see cref="CancellationToken"/> checked between batches; cancelling ends training with
/// <see cref="StopReason.Cancelled"/> and the weights of the last completed batch.</para>
/// <para>Memory: while it runs, <c>Fit</c> keeps a row-major copy of the training inputs (as large as
/// the inputs), so that gathering a shuffled mini-batch reads each sample contiguously.</para>
/// <para>Each batch is one <see cref="Network{T}.TrainStep"/> (the same step, run inside the trainer).
/// Divergence: a NaN or infinite batch loss, or a step that makes a weight non-finite, throws
/// <see cref="TrainingDivergedException"/> naming the epoch and batch; the network keeps the weights
/// it had before that step.</para>
/// <para>Threads: <c>Fit</c> holds the network's one-trainer flag from its first check to its return,
/// so another <c>Fit</c>, <c>TrainStep</c>, <c>Forward</c> or <c>Backward</c> on the same network (from
/// another thread, or from an event handler during the run) is refused at once with
/// <see cref="InvalidOperationException"/>. Predicting and saving are allowed.</para>
/// <para>Every argument is checked before anything changes. Once the batch buffers exist, a batch
/// allocates nothing.</para>
/// </remarks>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Trainer<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>Creates a trainer.</summary>
    /// <param name="network">The network to train.</param>
    /// <param name="loss">The loss to minimise; cross-entropy losses make the network a classifier (accuracy is recorded), others a regressor (RMSE and R²).</param>
    /// <param name="optimizer">The optimizer; its learning rate at the start of <c>Fit</c> is η₀ of the schedule.</param>
    /// <param name="options">The settings; null for the defaults.</param>
    public Trainer(Network<T> network, LossFunction<T> loss, Optimizer<T> optimizer, TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(optimizer);
        Network = network;
        Loss = loss;
        Optimizer = optimizer;
        Options = options ?? new TrainingOptions();
    }

    /// <summary>Raised after every epoch with its record; set <see cref="EpochCompletedEventArgs.Stop"/> to end training.</summary>
    public event EventHandler<EpochCompletedEventArgs>? EpochCompleted;

    /// <summary>The network being trained.</summary>
    public Network<T> Network { get; }

    /// <summary>The loss minimised.</summary>
    public LossFunction<T> Loss { get; }

    /// <summary>The optimizer that updates the weights.</summary>
    public Optimizer<T> Optimizer { get; }

    /// <summary>The settings of every run.</summary>
    public TrainingOptions Options { get; }

    /// <summary>
    /// Where training stands: null before the first <c>Fit</c> (the next one starts a new run), else the
    /// state after the last completed epoch, from which the next <c>Fit</c> continues. Set it from a
    /// checkpoint (<c>NetworkSerializer.LoadCheckpoint</c>) to resume a saved run; set it to null to
    /// start a new run.
    /// </summary>
    /// <remarks>
    /// <para>A new run: epochs count from 1, and η₀ (the rate the schedule starts from) is the
    /// optimizer's <see cref="Optimizer{T}.LearningRate"/> at the start of <c>Fit</c>; a
    /// <see cref="TrainingOptions.ValidationSplit"/> is drawn; the schedule and early stopping start afresh.</para>
    /// <para>A continued run (a second <c>Fit</c> on this trainer, or one after setting a checkpoint's state):
    /// up to <see cref="TrainingOptions.Epochs"/> more epochs, numbered on from <see cref="TrainingState{T}.EpochsDone"/>;
    /// the schedule goes on from the saved η₀ and its own state; the same rows are held out for
    /// validation (so the training data must have as many rows as before); early stopping keeps its
    /// record; when the last run ended by putting back the best epoch's weights, training goes on from
    /// the weights of its last epoch. Training 2k epochs in one <c>Fit</c> and k epochs, a checkpoint,
    /// and k more end with the same weights bit for bit.</para>
    /// <para>After <c>Fit</c> the optimizer keeps the learning rate of the last epoch trained (with a
    /// schedule; without one its rate is never changed).</para>
    /// </remarks>
    public TrainingState<T>? State { get; set; }

    /// <summary>Whether the loss is a classification loss (categorical or binary cross-entropy).</summary>
    internal bool IsClassifier => Loss is CategoricalCrossEntropy<T> or BinaryCrossEntropy<T>;

    /// <summary>Trains on a data set, validating on another if given.</summary>
    /// <param name="training">The training samples.</param>
    /// <param name="validation">Validation samples, or null (then <see cref="TrainingOptions.ValidationSplit"/> applies).</param>
    /// <param name="cancellationToken">Stops training between batches.</param>
    /// <returns>The history of the run.</returns>
    public TrainingHistory Fit(Dataset<T> training, Dataset<T>? validation = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(training);
        return Fit(training.Features, training.Targets, validation?.Features, validation?.Targets, null, cancellationToken);
    }

    /// <summary>Trains on <paramref name="inputs"/> and <paramref name="targets"/> for up to <see cref="TrainingOptions.Epochs"/> epochs.</summary>
    /// <param name="inputs">The training inputs, <c>samples × <see cref="Network{T}.InputSize"/></c>, finite.</param>
    /// <param name="targets">The training targets, one row per sample, in the shape the loss expects (e.g. class indices <c>N × 1</c> or one-hot).</param>
    /// <param name="validationInputs">Validation inputs, or null (then <see cref="TrainingOptions.ValidationSplit"/> applies).</param>
    /// <param name="validationTargets">Validation targets; given exactly when <paramref name="validationInputs"/> is.</param>
    /// <param name="sampleWeights">A weight ≥ 0 per training sample, multiplying its loss; null for all 1.</param>
    /// <param name="cancellationToken">Stops training between batches.</param>
    /// <returns>The history of the run.</returns>
    public TrainingHistory Fit(
        Matrix<T> inputs, Matrix<T> targets, Matrix<T>? validationInputs = null, Matrix<T>? validationTargets = null,
        Vector<T>? sampleWeights = null, CancellationToken cancellationToken = default)
    {
        using Network<T>.TrainingScope scope = Network.EnterTraining(); // the whole Fit: a second trainer is refused at once
        TrainingSet<T> set = TrainingSet<T>.Prepare(this, inputs, targets, validationInputs, validationTargets, sampleWeights, State);
        return Run(set, cancellationToken);
    }

    /// <summary>Trains on samples given as one array per sample (plain .NET data; see <see cref="Fit(Matrix{T}, Matrix{T}, Matrix{T}?, Matrix{T}?, Vector{T}?, CancellationToken)"/>).</summary>
    /// <param name="inputs">One array of <see cref="Network{T}.InputSize"/> finite features per sample.</param>
    /// <param name="targets">One array of targets per sample, in the shape the loss expects (a class index, a one-hot row, regression values).</param>
    /// <param name="cancellationToken">Stops training between batches.</param>
    /// <returns>The history of the run.</returns>
    public TrainingHistory Fit(T[][] inputs, T[][] targets, CancellationToken cancellationToken = default)
        => Fit(PlainInputs.Rows<T>(inputs, nameof(inputs)), PlainInputs.Rows<T>(targets, nameof(targets)), cancellationToken: cancellationToken);

    /// <summary>Trains a classifier on samples given as one array per sample and one class index per sample.</summary>
    /// <param name="inputs">One array of <see cref="Network{T}.InputSize"/> finite features per sample.</param>
    /// <param name="classIndices">The class of each sample, in [0, classes).</param>
    /// <param name="cancellationToken">Stops training between batches.</param>
    /// <returns>The history of the run.</returns>
    public TrainingHistory Fit(T[][] inputs, int[] classIndices, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(classIndices);
        return Fit(PlainInputs.Rows<T>(inputs, nameof(inputs)), PlainInputs.Column(classIndices.Select(T.CreateChecked).ToArray(), nameof(classIndices)), cancellationToken: cancellationToken);
    }

    /// <summary>Trains on samples given as rectangular arrays <c>[sample, column]</c>.</summary>
    /// <param name="inputs">The inputs, <c>[samples, <see cref="Network{T}.InputSize"/>]</c>, finite.</param>
    /// <param name="targets">The targets, one row per sample, in the shape the loss expects.</param>
    /// <param name="cancellationToken">Stops training between batches.</param>
    /// <returns>The history of the run.</returns>
    public TrainingHistory Fit(T[,] inputs, T[,] targets, CancellationToken cancellationToken = default)
        => Fit(PlainInputs.Rows(inputs, nameof(inputs)), PlainInputs.Rows(targets, nameof(targets)), cancellationToken: cancellationToken);

    /// <summary>
    /// Trains from data read in chunks, one pass per epoch, for data larger than memory: each epoch
    /// reads <paramref name="training"/> again and shuffles its rows through a buffer of
    /// <paramref name="shuffleBufferRows"/> rows (each new row takes the place of a buffered row drawn at
    /// random, which goes into the batch), so memory holds the buffer, a batch and the source's chunk,
    /// never the data. Without <see cref="TrainingOptions.Shuffle"/> the rows go into batches in the
    /// source's order and training gives the same weights, bit for bit, as the in-memory <c>Fit</c> on
    /// the same rows.
    /// </summary>
    /// <remarks>Records the training loss and, with <paramref name="validation"/>, the validation loss (and
    /// accuracy for a classifier). Early stopping may monitor the training or validation loss.
    /// <see cref="TrainingOptions.ValidationSplit"/> and <see cref="TrainingOptions.ClassWeights"/> are
    /// refused: they need all rows at once. Each batch is checked (finite inputs, targets in the loss's
    /// shape) as it arrives. A streamed run starts afresh: it neither continues nor sets <see cref="State"/>.</remarks>
    /// <param name="training">The training rows, e.g. <see cref="BatchSources.FromCsv{T}(string, string, int)"/>.</param>
    /// <param name="validation">Validation rows read the same way after every epoch; null for none.</param>
    /// <param name="shuffleBufferRows">Rows the shuffle buffer holds, ≥ 1; default 65,536. A larger buffer mixes the file's order better.</param>
    /// <param name="cancellationToken">Stops training between batches.</param>
    /// <returns>The history of the run.</returns>
    public TrainingHistory Fit(BatchSource<T> training, BatchSource<T>? validation = null, int shuffleBufferRows = 65536, CancellationToken cancellationToken = default)
    {
        var fit = new StreamingFit<T>(this, training, validation, shuffleBufferRows);
        using Network<T>.TrainingScope scope = Network.EnterTraining(); // the whole Fit: a second trainer is refused at once
        return fit.Run(cancellationToken);
    }

    /// <summary>Raises <see cref="EpochCompleted"/> (for the streamed loop).</summary>
    internal void RaiseEpochCompleted(EpochCompletedEventArgs args) => EpochCompleted?.Invoke(this, args);

    /// <summary>The loss and metrics of the network on <paramref name="inputs"/> (evaluation mode: no dropout, no change to anything).</summary>
    /// <param name="inputs">The inputs, <c>samples × <see cref="Network{T}.InputSize"/></c>, finite.</param>
    /// <param name="targets">The targets, one row per sample, in the shape the loss expects.</param>
    /// <returns>The loss, and accuracy (classifiers) or RMSE and R² (regression).</returns>
    public Evaluation Evaluate(Matrix<T> inputs, Matrix<T> targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        ShapeCheck.Columns(inputs, Network.InputSize, nameof(inputs));
        Loss.ValidateTarget(DenseStorage.Of(targets), targets.RowCount, targets.ColumnCount, inputs.RowCount, Network.OutputSize, nameof(targets));
        Matrix<T> output = Network.Predict(inputs);
        int rows = output.RowCount;
        T[] target = DenseStorage.Of(targets);
        var metrics = new MetricAccumulator<T>(IsClassifier, TrainingSet<T>.ThresholdFor(Loss), target, rows, targets.ColumnCount, Enumerable.Range(0, rows).ToArray(), rows);
        metrics.Add(DenseStorage.Of(output), target, rows, output.ColumnCount, targets.ColumnCount);
        double loss = double.CreateChecked(Loss.Value(DenseStorage.Of(output), target, default, rows, output.ColumnCount));
        return new Evaluation(loss, metrics.Accuracy, metrics.Rmse, metrics.RSquared);
    }

    private TrainingHistory Run(TrainingSet<T> set, CancellationToken cancellationToken)
    {
        TrainingOptions options = Options;
        TrainingState<T>? resumed = State;
        RandomSource random = set.Random;
        var gatherer = new BatchGatherer<T>(set.Inputs, set.Targets, set.Weights, set.TrainRows.Length, options.BatchSize);
        var metrics = set.TrainingMetrics(gatherer.BatchSize);
        var validationMetrics = set.ValidationMetrics();
        Matrix<T>? validationOutput = set.ValidationInputs is null ? null : Matrix<T>.Build.Dense(set.ValidationInputs.RowCount, Network.OutputSize);
        EarlyStopping? early = options.EarlyStopping;
        TrainingMetric monitor = early?.Monitor ?? (set.ValidationInputs is null ? TrainingMetric.TrainingLoss : TrainingMetric.ValidationLoss);
        ParameterSnapshot<T>? best = early is { RestoreBestWeights: true } ? new ParameterSnapshot<T>(Network.Parameters) : null;
        var record0 = resumed?.EarlyStopping ?? new TrainingState<T>.EarlyStoppingRecord(double.PositiveInfinity, 0, 0);
        (double bestValue, int bestEpoch, int epochsWithoutImprovement) = (record0.BestValue, record0.BestEpoch, record0.EpochsWithoutImprovement);
        if (resumed?.BestWeights is { } bestWeights)
        {
            best?.Load(bestWeights);
        }

        int done = resumed?.EpochsDone ?? 0;
        double initialLearningRate = resumed?.InitialLearningRate ?? Optimizer.LearningRate;
        if (resumed is null)
        {
            options.Schedule?.Reset();
        }
        else
        {
            options.Schedule?.RestoreState(resumed.ScheduleState);
            if (resumed.LastEpochWeights is { } last)
            {
                var weights = new ParameterSnapshot<T>(Network.Parameters);
                weights.Load(last);
                weights.Restore(); // the run ended on the best epoch's weights; it goes on from where its epochs left off
            }

            if (resumed.ShuffleRandom is { } position)
            {
                random.State = position;
            }
        }

        int[] order = (int[])set.TrainRows.Clone();
        var records = new List<EpochRecord>(options.Epochs);
        StopReason reason = StopReason.MaxEpochs;
        var clock = Stopwatch.StartNew();
        int epoch = done + 1, lastEpoch = done + options.Epochs;
        for (; epoch <= lastEpoch && reason == StopReason.MaxEpochs; epoch++)
        {
            TimeSpan epochStart = clock.Elapsed;
            double learningRate = options.Schedule?.LearningRate(epoch - 1, initialLearningRate) ?? Optimizer.LearningRate;
            Optimizer.LearningRate = learningRate;
            if (options.Shuffle)
            {
                // Each epoch's order is a fresh shuffle of the training rows, so it depends only on the
                // random source's state: training resumed from a checkpoint visits the same batches.
                set.TrainRows.CopyTo(order, 0);
                random.Shuffle<int>(order);
            }

            metrics.Reset();
            double lossSum = 0;
            for (int batch = 0; batch < gatherer.Batches; batch++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    reason = StopReason.Cancelled;
                    break;
                }

                (Matrix<T> x, Matrix<T> y, Vector<T>? w) = gatherer.Gather(order, batch);
                double loss = double.CreateChecked(Network.Step(x, y, Loss, Optimizer, w is null ? default : DenseStorage.Of(w), metrics, epoch, batch + 1));
                lossSum += loss * x.RowCount;
                options.Progress?.Report(new TrainingProgress(epoch, lastEpoch, batch + 1, gatherer.Batches, loss));
            }

            if (reason == StopReason.Cancelled)
            {
                break;
            }

            EpochRecord record = Record(epoch, learningRate, lossSum / order.Length, metrics, set, validationOutput, validationMetrics, clock, epochStart);
            records.Add(record);
            done = epoch;
            options.Schedule?.EpochCompleted(record);

            if (early is not null)
            {
                double value = (EpochRecord.HigherIsBetter(monitor) ? -1 : 1) * record.Value(monitor)!.Value; // compared as "lower is better"
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
            EpochCompleted?.Invoke(this, args);
            if (reason == StopReason.MaxEpochs && args.Stop)
            {
                reason = StopReason.StoppedByCallback;
            }
        }

        T[][]? lastEpochWeights = null;
        if (best is not null && bestEpoch > 0 && bestEpoch != done)
        {
            var current = new ParameterSnapshot<T>(Network.Parameters);
            current.Capture();
            lastEpochWeights = current.Copies;
            best.Restore();
        }

        State = new TrainingState<T>(
            done, initialLearningRate, options.Schedule?.SaveState() ?? [],
            early is null ? null : new TrainingState<T>.EarlyStoppingRecord(bestValue, bestEpoch, epochsWithoutImprovement),
            set.HeldOutRows, options.Random is null ? null : options.Random.State, best?.Clone(), lastEpochWeights);
        return new TrainingHistory(records, reason, early is null ? null : bestEpoch);
    }

    private EpochRecord Record(
        int epoch, double learningRate, double trainingLoss, MetricAccumulator<T> metrics, TrainingSet<T> set,
        Matrix<T>? validationOutput, MetricAccumulator<T>? validationMetrics, Stopwatch clock, TimeSpan epochStart)
    {
        double? validationLoss = null;
        if (set.ValidationInputs is not null && validationOutput is not null && validationMetrics is not null)
        {
            Network.Predict(set.ValidationInputs, validationOutput);
            ReadOnlySpan<T> output = DenseStorage.Of(validationOutput), target = DenseStorage.Of(set.ValidationTargets!);
            int rows = validationOutput.RowCount;
            validationLoss = double.CreateChecked(Loss.Value(output, target, default, rows, validationOutput.ColumnCount));
            validationMetrics.Reset();
            validationMetrics.Add(output, target, rows, validationOutput.ColumnCount, set.ValidationTargets!.ColumnCount);
        }

        return new EpochRecord
        {
            Epoch = epoch,
            LearningRate = learningRate,
            TrainingLoss = trainingLoss,
            TrainingAccuracy = metrics.Accuracy,
            TrainingRmse = metrics.Rmse,
            TrainingRSquared = metrics.RSquared,
            ValidationLoss = validationLoss,
            ValidationAccuracy = validationMetrics?.Accuracy,
            ValidationRmse = validationMetrics?.Rmse,
            ValidationRSquared = validationMetrics?.RSquared,
            Duration = clock.Elapsed - epochStart,
            Elapsed = clock.Elapsed,
        };
    }
}
