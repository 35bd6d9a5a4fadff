using System.Numerics;
using NeuralNet.Data;
using NeuralNet.Kernels;
using NeuralNet.Losses;

namespace NeuralNet.Training;

using MathNet.Numerics.LinearAlgebra;

/// <summary>
/// The checked inputs of one training run: the training rows, their per-sample weights (sample
/// weights × class weights), and the validation data (given, or split off the training rows).
/// <see cref="Prepare"/> throws on bad input before anything changes.
/// </summary>
internal sealed class TrainingSet<T> : EpochData<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private BatchGatherer<T>? _gatherer;
    private int[]? _order;
    private bool _shuffle;

    private TrainingSet(Matrix<T> inputs, Matrix<T> targets, int[] trainRows, T[]? weights, Matrix<T>? validationInputs, Matrix<T>? validationTargets, RandomSource random, bool classifier, T threshold, int[]? heldOutRows, MetricSet<T> metrics)
    {
        Metrics = metrics;
        HeldOutRows = heldOutRows;
        Inputs = inputs;
        Targets = targets;
        TrainRows = trainRows;
        Weights = weights;
        ValidationInputs = validationInputs;
        ValidationTargets = validationTargets;
        Random = random;
        Classifier = classifier;
        Threshold = threshold;
    }

    public Matrix<T> Inputs { get; }

    public Matrix<T> Targets { get; }

    public int[] TrainRows { get; }

    public T[]? Weights { get; }

    public Matrix<T>? ValidationInputs { get; }

    public Matrix<T>? ValidationTargets { get; }

    public override RandomSource Random { get; }

    /// <summary>The rows the validation split held out, ascending; null without a split.</summary>
    public override int[]? HeldOutRows { get; }

    public override int Batches => Gatherer.Batches;

    public override bool Resumable => true;

    public override bool HasValidation => ValidationInputs is not null;

    private BatchGatherer<T> Gatherer => _gatherer ?? throw new InvalidOperationException("the batches are made by Prepare.");

    public bool Classifier { get; }

    public T Threshold { get; }

    /// <summary>The run's metrics (the options' or the defaults), measured on the training batches and then on the validation data.</summary>
    public override MetricSet<T> Metrics { get; }

    /// <summary>Each epoch a fresh shuffle of the training rows (so the order depends only on the random source's state, and a resumed run visits the same batches), gathered batch by batch into reused matrices.</summary>
    public override IEnumerable<(Matrix<T> Inputs, Matrix<T> Targets, Vector<T>? Weights)> TrainingBatches()
    {
        int[] order = _order!;
        if (_shuffle)
        {
            TrainRows.CopyTo(order, 0);
            Random.Shuffle<int>(order);
        }

        for (int batch = 0; batch < Gatherer.Batches; batch++)
        {
            yield return Gatherer.Gather(order, batch);
        }
    }

    /// <summary>The validation data in one chunk.</summary>
    public override IEnumerable<(Matrix<T> Inputs, Matrix<T> Targets)> ValidationChunks()
    {
        if (ValidationInputs is not null)
        {
            yield return (ValidationInputs, ValidationTargets!);
        }
    }

    public static TrainingSet<T> Prepare(Trainer<T> trainer, Matrix<T> inputs, Matrix<T> targets, Matrix<T>? validationInputs, Matrix<T>? validationTargets, Vector<T>? sampleWeights, TrainingState<T>? resumed)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        Network<T> network = trainer.Network;
        LossFunction<T> loss = trainer.Loss;
        TrainingOptions options = trainer.Options;
        ShapeCheck.Columns(inputs, network.InputSize, nameof(inputs));
        ShapeCheck.Finite(inputs, nameof(inputs));
        network.CheckLossFits(loss, "loss");
        loss.ValidateTarget(DenseStorage.Of(targets), targets.RowCount, targets.ColumnCount, inputs.RowCount, network.OutputSize, nameof(targets));
        if (sampleWeights is not null)
        {
            LossFunction<T>.ValidateSampleWeights(DenseStorage.Of(sampleWeights), inputs.RowCount, nameof(sampleWeights));
        }

        if ((validationInputs is null) != (validationTargets is null))
        {
            throw new ArgumentException("validationInputs and validationTargets must be given together (received only one).", validationInputs is null ? nameof(validationInputs) : nameof(validationTargets));
        }

        if (validationInputs is not null)
        {
            ShapeCheck.Columns(validationInputs, network.InputSize, nameof(validationInputs));
            ShapeCheck.Finite(validationInputs, nameof(validationInputs));
            loss.ValidateTarget(DenseStorage.Of(validationTargets!), validationTargets!.RowCount, validationTargets.ColumnCount, validationInputs.RowCount, network.OutputSize, nameof(validationTargets));
            if (validationTargets.ColumnCount != targets.ColumnCount)
            {
                throw new ArgumentException($"validationTargets must have the {targets.ColumnCount} columns of targets (received {validationTargets.ColumnCount}).", nameof(validationTargets));
            }
        }

        bool classifier = trainer.IsClassifier;
        T threshold = ThresholdFor(loss);
        T[]? weights = CombinedWeights(loss, options, classifier, network.OutputSize, targets, sampleWeights);
        var metrics = new MetricSet<T>(MetricSet<T>.Choose(options.Metrics, network.OutputSize, classifier, nameof(options)), classifier, threshold);

        int[] trainRows = Enumerable.Range(0, inputs.RowCount).ToArray();
        RandomSource random = options.Random ?? network.Random;
        bool split = validationInputs is null && options.ValidationSplit > 0;
        int heldOut = split ? (int)Math.Ceiling(options.ValidationSplit * inputs.RowCount) : 0;
        if (split && heldOut >= inputs.RowCount)
        {
            throw new ArgumentException($"validationSplit {options.ValidationSplit} of {inputs.RowCount} samples leaves no training samples.", nameof(inputs));
        }

        TrainingChecks<T>.CheckResumable(resumed, network, options, split, heldOut, inputs.RowCount, nameof(inputs));
        TrainingChecks<T>.CheckCallbacksAndMonitors(trainer, validationInputs is not null || split, metrics.Metrics, nameof(options));

        // Everything is checked: from here on the random source may advance.
        int[]? held = null;
        if (split)
        {
            if (resumed?.ValidationRows is { } saved)
            {
                held = saved; // a continued run holds out the rows its start drew
                trainRows = trainRows.Except(held).ToArray();
            }
            else
            {
                random.Shuffle<int>(trainRows);
                held = trainRows[..heldOut];
                Array.Sort(held);
                trainRows = trainRows[heldOut..];
                Array.Sort(trainRows);
            }

            validationInputs = Rows(inputs, held);
            validationTargets = Rows(targets, held);
        }

        return new TrainingSet<T>(inputs, targets, trainRows, weights, validationInputs, validationTargets, random, classifier, threshold, held, metrics)
        {
            _gatherer = new BatchGatherer<T>(inputs, targets, weights, trainRows.Length, options.BatchSize),
            _order = (int[])trainRows.Clone(),
            _shuffle = options.Shuffle,
        };
    }

    /// <summary>The decision threshold of a single output: 0 for logits, 0.5 for probabilities.</summary>
    public static T ThresholdFor(LossFunction<T> loss) => T.CreateChecked(loss is BinaryCrossEntropy<T> { FromLogits: true } ? 0.0 : 0.5);

    private static T[]? CombinedWeights(LossFunction<T> loss, TrainingOptions options, bool classifier, int outputs, Matrix<T> targets, Vector<T>? sampleWeights)
    {
        IReadOnlyList<double>? classWeights = options.ClassWeights;
        if (classWeights is null)
        {
            return sampleWeights is null ? null : DenseStorage.Of(sampleWeights).ToArray();
        }

        ClassWeighting<T>.Check(classWeights, loss, classifier, outputs, nameof(options));
        var weights = new T[targets.RowCount];
        ClassWeighting<T>.Weigh(classWeights, DenseStorage.Of(targets), targets.RowCount, targets.ColumnCount, outputs, new int[targets.RowCount], weights);
        for (int i = 0; sampleWeights is not null && i < weights.Length; i++)
        {
            weights[i] *= sampleWeights[i]; // w_n = sampleWeight_n · classWeight[y_n]
        }

        return weights;
    }

    private static Matrix<T> Rows(Matrix<T> source, int[] rows) => Matrix<T>.Build.Dense(rows.Length, source.ColumnCount, (i, c) => source[rows[i], c]);
}
