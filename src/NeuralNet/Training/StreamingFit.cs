using System.Diagnostics;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Kernels;

namespace NeuralNet.Training;

/// <summary>
/// The data of <see cref="Trainer{T}.Fit(BatchSource{T}, BatchSource{T}?, int, CancellationToken)"/> for
/// <see cref="EpochLoop"/>, the one epoch loop: batches come from a <see cref="ShuffleBatcher{T}"/> over the
/// source's chunks instead of from rows in memory, each checked as it arrives; validation is read from its
/// source chunk by chunk. Callbacks, metrics, class weights and resuming (<see cref="Trainer{T}.State"/>) work as in memory.
/// </summary>
internal sealed class StreamingFit<T> : EpochData<T>
    where T : struct, IFloatingPointIeee754<T>
{
    // The arguments of Trainer.Fit (and its options) that errors name: this class checks them for it.
    private static readonly string TrainingName = "training", ValidationName = "validation", OptionsName = "options", LossName = "loss";

    private readonly Trainer<T> _trainer;
    private readonly BatchSource<T> _training;
    private readonly BatchSource<T>? _validation;
    private readonly ShuffleBatcher<T> _batcher;
    private readonly int[] _labels = [];
    private readonly MathNet.Numerics.LinearAlgebra.Vector<T>? _weights;
    private int _batches;

    public StreamingFit(Trainer<T> trainer, BatchSource<T> training, BatchSource<T>? validation, int bufferRows)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferRows, 1);
        Network<T> network = trainer.Network;
        ShapeCheck.Product(bufferRows, network.InputSize + training.TargetColumns, "the shuffle buffer (shuffleBufferRows × input and target columns)", "shuffleBufferRows");
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

        if (options.ValidationSplit > 0)
        {
            throw new ArgumentException("streamed training takes validation from another source: ValidationSplit is for in-memory data.", OptionsName);
        }

        if (options.ClassWeights is { } classWeights)
        {
            ClassWeighting<T>.Check(classWeights, trainer.Loss, trainer.IsClassifier, network.OutputSize, OptionsName);
            _labels = new int[options.BatchSize];
            _weights = MathNet.Numerics.LinearAlgebra.Vector<T>.Build.Dense(options.BatchSize);
        }

        TrainingChecks<T>.CheckResumable(trainer.State, network, options, false, 0, 0, TrainingName);

        network.CheckLossFits(trainer.Loss, LossName); // a loss that cannot fit the output is refused before training, as in memory
        Metrics = new MetricSet<T>(MetricSet<T>.Choose(options.Metrics, network.OutputSize, trainer.IsClassifier, OptionsName), trainer.IsClassifier, TrainingSet<T>.ThresholdFor(trainer.Loss));
        TrainingChecks<T>.CheckCallbacksAndMonitors(trainer, validation is not null, Metrics.Metrics, OptionsName);

        _trainer = trainer;
        _training = training;
        _validation = validation;
        Random = options.Random ?? network.Random;
        _batcher = new ShuffleBatcher<T>(network.InputSize, training.TargetColumns, options.BatchSize, bufferRows, options.Shuffle ? Random : null);
    }

    public override int Batches => _batches;

    public override bool Resumable => true;

    public override RandomSource Random { get; }

    public override MetricSet<T> Metrics { get; }

    public override bool HasValidation => _validation is not null;

    /// <summary>One pass over the training source, shuffled through the buffer; each batch checked (finite inputs, targets in the loss's shape).</summary>
    public override IEnumerable<(Matrix<T> Inputs, Matrix<T> Targets, MathNet.Numerics.LinearAlgebra.Vector<T>? Weights)> TrainingBatches()
    {
        Network<T> network = _trainer.Network;
        int batches = 0;
        foreach ((Matrix<T> x, Matrix<T> y) in _batcher.Batches(_training.ReadChunks(), TrainingName))
        {
            ShapeCheck.Finite(x, TrainingName);
            _trainer.Loss.ValidateTarget(DenseStorage.Of(y), y.RowCount, y.ColumnCount, x.RowCount, network.OutputSize, TrainingName);
            batches++;
            yield return (x, y, ClassWeightsOf(y));
        }

        if (batches == 0)
        {
            throw new ArgumentException("the training source gave no rows.", TrainingName);
        }

        _batches = batches;
    }

    /// <summary>Each row's class weight (<see cref="TrainingOptions.ClassWeights"/>), as the in-memory Fit weighs its rows; null without class weights.</summary>
    private MathNet.Numerics.LinearAlgebra.Vector<T>? ClassWeightsOf(Matrix<T> targets)
    {
        if (_weights is null)
        {
            return null;
        }

        int rows = targets.RowCount;
        MathNet.Numerics.LinearAlgebra.Vector<T> weights = rows == _weights.Count ? _weights : MathNet.Numerics.LinearAlgebra.Vector<T>.Build.Dense(rows); // the last, smaller batch
        ClassWeighting<T>.Weigh(_trainer.Options.ClassWeights!, DenseStorage.Of(targets), rows, targets.ColumnCount, _trainer.Network.OutputSize, _labels, DenseStorage.Of(weights));
        return weights;
    }

    /// <summary>The validation source's chunks, each checked for its columns and targets.</summary>
    public override IEnumerable<(Matrix<T> Inputs, Matrix<T> Targets)> ValidationChunks()
    {
        Network<T> network = _trainer.Network;
        long rows = 0;
        foreach (Dataset<T> chunk in _validation?.ReadChunks() ?? [])
        {
            if (chunk is null || chunk.Features.ColumnCount != network.InputSize || chunk.Targets.ColumnCount != _validation!.TargetColumns)
            {
                throw new ArgumentException($"every chunk of validation must have {network.InputSize} input and {_validation!.TargetColumns} target columns.", ValidationName);
            }

            _trainer.Loss.ValidateTarget(DenseStorage.Of(chunk.Targets), chunk.Count, chunk.Targets.ColumnCount, chunk.Count, network.OutputSize, ValidationName);
            rows += chunk.Count;
            yield return (chunk.Features, chunk.Targets);
        }

        if (rows == 0)
        {
            throw new ArgumentException("the validation source gave no rows.", ValidationName);
        }
    }
}
