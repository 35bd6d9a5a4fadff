using System.Numerics;
using NeuralNet.Data;
using NeuralNet.Metrics;

namespace NeuralNet.Training;

/// <summary>
/// The metrics of a run, fed batch by batch: turns each batch's outputs and targets into the
/// <see cref="MetricBatch"/> the <see cref="Metric"/> objects read (as doubles, with the predicted and
/// actual classes of a classifier), into buffers that grow to the largest batch once and are reused.
/// </summary>
internal sealed class MetricSet<T> : IBatchObserver<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly Metric[] _metrics;
    private readonly bool _classifier;
    private readonly T _threshold;
    private double[] _output = [], _target = [];
    private int[] _predicted = [], _actual = [];

    public MetricSet(IReadOnlyList<Metric> metrics, bool classifier, T threshold)
    {
        _metrics = [.. metrics];
        _classifier = classifier;
        _threshold = threshold;
    }

    public IReadOnlyList<Metric> Metrics => _metrics;

    /// <summary>The metrics recorded when the options choose none: accuracy for a classifier, RMSE and R² for regression.</summary>
    public static Metric[] Defaults(bool classifier) => classifier ? [new Accuracy()] : [new RootMeanSquaredError(), new RSquared()];

    /// <summary>The options' metrics, or the defaults; each checked against the network and loss, names unique.</summary>
    public static Metric[] Choose(IReadOnlyList<Metric>? chosen, int outputs, bool classifier, string paramName)
    {
        Metric[] metrics = chosen is null ? Defaults(classifier) : [.. chosen];
        var names = new HashSet<string>(StringComparer.Ordinal) { "loss", "learning_rate", "epoch", "seconds", "elapsed_seconds" };
        foreach (Metric metric in metrics)
        {
            if (metric.Mismatch(outputs, classifier) is { } reason)
            {
                throw new ArgumentException($"{reason} (received {metric.GetType().Name} for a network with {outputs} outputs and a {(classifier ? "classification" : "regression")} loss).", paramName);
            }

            if (string.IsNullOrWhiteSpace(metric.Name) || metric.Name.StartsWith("val_", StringComparison.Ordinal) || !names.Add(metric.Name))
            {
                throw new ArgumentException($"every metric needs a name of its own, not empty, not starting with 'val_', and not a history column (received '{metric.Name}' from {metric.GetType().Name} twice or reserved).", paramName);
            }
        }

        return metrics;
    }

    public void Reset()
    {
        foreach (Metric metric in _metrics)
        {
            metric.Reset();
        }
    }

    void IBatchObserver<T>.Observe(ReadOnlySpan<T> output, ReadOnlySpan<T> target, int rows, int outputs, int targetColumns) => Add(output, target, rows, outputs, targetColumns);

    /// <summary>Adds a batch (column-major output and target) to every metric.</summary>
    public void Add(ReadOnlySpan<T> output, ReadOnlySpan<T> target, int rows, int outputs, int targetColumns)
    {
        if (_metrics.Length == 0)
        {
            return;
        }

        Span<double> y = Buffer(ref _output, rows * outputs), t = Buffer(ref _target, rows * targetColumns);
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = double.CreateChecked(output[i]);
        }

        for (int i = 0; i < t.Length; i++)
        {
            t[i] = double.CreateChecked(target[i]);
        }

        Span<int> predicted = [], actual = [];
        if (_classifier)
        {
            predicted = Buffer(ref _predicted, rows);
            actual = Buffer(ref _actual, rows);
            ClassLabels.FromScores(output, rows, outputs, _threshold, predicted);
            if (targetColumns == 1 && outputs > 1)
            {
                for (int i = 0; i < rows; i++)
                {
                    actual[i] = int.CreateTruncating(target[i]); // class-index targets
                }
            }
            else
            {
                ClassLabels.FromScores(target, rows, targetColumns, T.CreateChecked(0.5), actual);
            }
        }

        var batch = new MetricBatch(y, t, predicted, actual, rows, outputs, targetColumns);
        foreach (Metric metric in _metrics)
        {
            metric.Update(batch);
        }
    }

    /// <summary>Each metric's value, under its name with <paramref name="prefix"/>.</summary>
    public void WriteResults(IDictionary<string, double> into, string prefix = "")
    {
        foreach (Metric metric in _metrics)
        {
            into[prefix + metric.Name] = metric.Result();
        }
    }

    private static Span<TElement> Buffer<TElement>(ref TElement[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new TElement[length]; // the largest batch so far: once per run
        }

        return buffer.AsSpan(0, length);
    }
}
