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
/// <para>Each batch is one <see cref="Network{T}.TrainStep(Matrix{T}, Matrix{T}, LossFunction{T}, Optimizer{T}, Vector{T}?)"/> (the same step, run inside the trainer).
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
    /// <param name="loss">The loss to minimise; cross-entropy losses make the network a classifier (accuracy is recorded by default), others a regressor (RMSE and R²); see <see cref="TrainingOptions.Metrics"/>.</param>
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
    /// Callbacks of your own (<see cref="TrainingCallback{T}"/>: <see cref="ModelCheckpoint{T}"/>,
    /// <see cref="CsvLogger{T}"/>, ...), called in this order after the built-in ones that
    /// <see cref="Options"/> asks for (early stopping, target loss, progress) and the <see cref="EpochCompleted"/> event.
    /// </summary>
    public IList<TrainingCallback<T>> Callbacks { get; } = new List<TrainingCallback<T>>();

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
        return EpochLoop.Run(this, set, cancellationToken);
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
    /// <remarks>The same epoch loop as in memory: the metrics of <see cref="TrainingOptions.Metrics"/> on the
    /// training batches and, with <paramref name="validation"/>, the validation loss and metrics; the same
    /// callbacks (a validation metric may be monitored with a validation source).
    /// <see cref="TrainingOptions.ClassWeights"/> weigh each streamed row by its class, as in memory;
    /// <see cref="TrainingOptions.ValidationSplit"/> is refused (it needs all rows at once). Each batch is
    /// checked (finite inputs, targets in the loss's shape) as it arrives. Resuming as in memory: a second
    /// streamed <c>Fit</c> on this trainer, or one given a checkpoint's <see cref="State"/>, continues the
    /// run (epochs numbered on, the schedule, early stopping and callbacks' state, the shuffle source's
    /// position), so k epochs, a checkpoint and k more give the weights of 2k epochs in one <c>Fit</c>.</remarks>
    /// <param name="training">The training rows, e.g. <see cref="BatchSources.FromCsv{T}(string, string, int)"/>.</param>
    /// <param name="validation">Validation rows read the same way after every epoch; null for none.</param>
    /// <param name="shuffleBufferRows">Rows the shuffle buffer holds, ≥ 1; default 65,536. A larger buffer mixes the file's order better.</param>
    /// <param name="cancellationToken">Stops training between batches.</param>
    /// <returns>The history of the run.</returns>
    public TrainingHistory Fit(BatchSource<T> training, BatchSource<T>? validation = null, int shuffleBufferRows = 65536, CancellationToken cancellationToken = default)
    {
        var fit = new StreamingFit<T>(this, training, validation, shuffleBufferRows);
        using Network<T>.TrainingScope scope = Network.EnterTraining(); // the whole Fit: a second trainer is refused at once
        return EpochLoop.Run(this, fit, cancellationToken);
    }

    /// <summary>The loss and metrics of the network on <paramref name="inputs"/> (evaluation mode: no dropout, no change to the network).</summary>
    /// <remarks>The metrics are those of <see cref="TrainingOptions.Metrics"/> (by default accuracy for a classification loss, RMSE and R² for regression); their objects are reset and measure this data, so from a callback of a running <c>Fit</c> call it in <see cref="TrainingCallback{T}.OnEpochEnd"/> (after the epoch's record), not in a batch hook.</remarks>
    /// <param name="inputs">The inputs, <c>samples × <see cref="Network{T}.InputSize"/></c>, finite.</param>
    /// <param name="targets">The targets, one row per sample, in the shape the loss expects.</param>
    /// <returns>The loss and the metrics.</returns>
    public Evaluation Evaluate(Matrix<T> inputs, Matrix<T> targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        ShapeCheck.Columns(inputs, Network.InputSize, nameof(inputs));
        Loss.ValidateTarget(DenseStorage.Of(targets), targets.RowCount, targets.ColumnCount, inputs.RowCount, Network.OutputSize, nameof(targets));
        var metrics = new MetricSet<T>(MetricSet<T>.Choose(Options.Metrics, Network.OutputSize, IsClassifier, "options"), IsClassifier, TrainingSet<T>.ThresholdFor(Loss));
        Matrix<T> output = Network.Predict(inputs);
        int rows = output.RowCount;
        T[] target = DenseStorage.Of(targets);
        metrics.Reset();
        metrics.Add(DenseStorage.Of(output), target, rows, output.ColumnCount, targets.ColumnCount);
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        metrics.WriteResults(values);
        double loss = double.CreateChecked(Loss.Value(DenseStorage.Of(output), target, default, rows, output.ColumnCount));
        double? Get(string name) => values.TryGetValue(name, out double v) ? v : null;
        return new Evaluation(loss, Get("accuracy"), Get("rmse"), Get("r2")) { Metrics = values };
    }

    /// <summary>The loss and metrics on samples given as one array per sample (plain .NET data; see <see cref="Evaluate(Matrix{T}, Matrix{T})"/>).</summary>
    /// <param name="inputs">One array of <see cref="Network{T}.InputSize"/> finite features per sample.</param>
    /// <param name="targets">One array of targets per sample, in the shape the loss expects (a class index, a one-hot row, regression values).</param>
    /// <returns>The loss, and accuracy (classifiers) or RMSE and R² (regression).</returns>
    public Evaluation Evaluate(T[][] inputs, T[][] targets)
        => Evaluate(PlainInputs.Rows<T>(inputs, nameof(inputs)), PlainInputs.Rows<T>(targets, nameof(targets)));

    /// <summary>The loss and accuracy of a classifier on samples given as one array per sample and one class index per sample.</summary>
    /// <param name="inputs">One array of <see cref="Network{T}.InputSize"/> finite features per sample.</param>
    /// <param name="classIndices">The class of each sample, in [0, classes).</param>
    /// <returns>The loss and the accuracy.</returns>
    public Evaluation Evaluate(T[][] inputs, int[] classIndices)
    {
        ArgumentNullException.ThrowIfNull(classIndices);
        return Evaluate(PlainInputs.Rows<T>(inputs, nameof(inputs)), PlainInputs.Column(classIndices.Select(T.CreateChecked).ToArray(), nameof(classIndices)));
    }

    /// <summary>The loss and metrics on samples given as rectangular arrays <c>[sample, column]</c>.</summary>
    /// <param name="inputs">The inputs, <c>[samples, <see cref="Network{T}.InputSize"/>]</c>, finite.</param>
    /// <param name="targets">The targets, one row per sample, in the shape the loss expects.</param>
    /// <returns>The loss, and accuracy (classifiers) or RMSE and R² (regression).</returns>
    public Evaluation Evaluate(T[,] inputs, T[,] targets)
        => Evaluate(PlainInputs.Rows(inputs, nameof(inputs)), PlainInputs.Rows(targets, nameof(targets)));

    /// <summary>Raises <see cref="EpochCompleted"/>; returns whether a handler asked to stop.</summary>
    internal bool RaiseEpochCompleted(EpochRecord record)
    {
        var args = new EpochCompletedEventArgs(record);
        EpochCompleted?.Invoke(this, args);
        return args.Stop;
    }

    /// <summary>The state after <paramref name="done"/> epochs, as <see cref="State"/> holds it.</summary>
    internal TrainingState<T> CaptureState(int done, double initialLearningRate, int[]? heldOutRows, EarlyStoppingCallback<T>? early, T[][]? lastEpochWeights)
        => new(done, initialLearningRate, Options.Schedule?.SaveState() ?? [], early?.Record, heldOutRows, Options.Random?.State, early?.BestWeights, lastEpochWeights, CallbackStates());

    /// <summary>The states of the callbacks of <see cref="Callbacks"/> that keep one, by place and type.</summary>
    private TrainingState<T>.CallbackState[] CallbackStates()
    {
        var states = new List<TrainingState<T>.CallbackState>();
        for (int i = 0; i < Callbacks.Count; i++)
        {
            if (Callbacks[i].SaveState() is { } values)
            {
                states.Add(new(i, CallbackTypeName(Callbacks[i]), values));
            }
        }

        return [.. states];
    }

    /// <summary>A callback's type as a checkpoint names it: the class name without generic arity (<c>ModelCheckpoint</c>).</summary>
    internal static string CallbackTypeName(TrainingCallback<T> callback) => callback.GetType().Name.Split('`')[0];
}
