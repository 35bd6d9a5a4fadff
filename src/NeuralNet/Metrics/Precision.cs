namespace NeuralNet.Metrics;

/// <summary>
/// Macro-averaged precision: the mean over classes of <c>TP/(TP + FP)</c> (scikit-learn's <c>precision_score</c> with
/// <c>average="macro"</c> and <c>zero_division=0</c>: over the classes that occur among the true or predicted
/// classes, a class with a zero denominator counting 0). A binary classifier's two classes are both averaged.
/// </summary>
public sealed class Precision : Metric
{
    private readonly ClassCounts _counts = new();

    /// <inheritdoc />
    public override string Name => "precision";

    /// <inheritdoc />
    public override bool NeedsClasses => true;

    /// <inheritdoc />
    public override void Reset() => _counts.Reset();

    /// <inheritdoc />
    public override void Update(in MetricBatch batch) => _counts.Update(batch);

    /// <inheritdoc />
    public override double Result() => _counts.Macro(_counts.Precision);
}
