namespace NeuralNet.Metrics;

/// <summary>
/// One batch as a <see cref="Metric"/> sees it: the network's outputs and the targets (as
/// <see cref="double"/>, column-major: element (row, column) at <c>row + column × Rows</c>), and for a
/// classifier each row's predicted and actual class.
/// </summary>
public readonly ref struct MetricBatch
{
    internal MetricBatch(ReadOnlySpan<double> output, ReadOnlySpan<double> target, ReadOnlySpan<int> predicted, ReadOnlySpan<int> actual, int rows, int outputs, int targetColumns)
    {
        Output = output;
        Target = target;
        PredictedClasses = predicted;
        ActualClasses = actual;
        Rows = rows;
        Outputs = outputs;
        TargetColumns = targetColumns;
    }

    /// <summary>The samples in the batch.</summary>
    public int Rows { get; }

    /// <summary>The network's outputs per sample.</summary>
    public int Outputs { get; }

    /// <summary>The target columns per sample (1 for class indices, else <see cref="Outputs"/>).</summary>
    public int TargetColumns { get; }

    /// <summary>The classes of a classifier: <see cref="Outputs"/>, or 2 for a single output.</summary>
    public int Classes => Outputs == 1 ? 2 : Outputs;

    /// <summary>The outputs, <c>Rows × Outputs</c>, column-major.</summary>
    public ReadOnlySpan<double> Output { get; }

    /// <summary>The targets, <c>Rows × TargetColumns</c>, column-major.</summary>
    public ReadOnlySpan<double> Target { get; }

    /// <summary>Each row's predicted class (the most probable; for one output, 1 at probability ≥ 0.5 or logit ≥ 0); empty for a regression loss.</summary>
    public ReadOnlySpan<int> PredictedClasses { get; }

    /// <summary>Each row's true class (from a class index or a one-hot / 0-1 target); empty for a regression loss.</summary>
    public ReadOnlySpan<int> ActualClasses { get; }

    /// <summary>The output of <paramref name="row"/> in <paramref name="column"/>.</summary>
    /// <param name="row">The row, in [0, Rows).</param>
    /// <param name="column">The output, in [0, Outputs).</param>
    public double OutputAt(int row, int column) => Output[row + (column * Rows)];

    /// <summary>The target of <paramref name="row"/> in <paramref name="column"/>.</summary>
    /// <param name="row">The row, in [0, Rows).</param>
    /// <param name="column">The target column, in [0, TargetColumns).</param>
    public double TargetAt(int row, int column) => Target[row + (column * Rows)];

    /// <summary>
    /// The target in the output's shape: <see cref="TargetAt"/> when there is a target column per output,
    /// else (class-index targets) 1 for the row's class and 0 for the others, as a one-hot target.
    /// </summary>
    /// <param name="row">The row, in [0, Rows).</param>
    /// <param name="column">The output, in [0, Outputs).</param>
    public double ExpectedOutput(int row, int column) => TargetColumns == Outputs ? TargetAt(row, column) : (ActualClasses[row] == column ? 1 : 0);
}
