namespace NeuralNet.Metrics;

/// <summary>
/// Macro-averaged F1: the mean over classes of <c>2PR/(P + R)</c> (scikit-learn's <c>f1_score</c> with
/// <c>average="macro"</c> and <c>zero_division=0</c>: over the classes that occur among the true or predicted
/// classes, a class with a zero denominator counting 0). A binary classifier's two classes are both averaged.
/// </summary>
public sealed class F1Score : Metric
{
    private readonly ClassCounts _counts = new();

    /// <inheritdoc />
    public override string Name => "f1";

    /// <inheritdoc />
    public override bool NeedsClasses => true;

    /// <inheritdoc />
    public override void Reset() => _counts.Reset();

    /// <inheritdoc />
    public override void Update(in MetricBatch batch) => _counts.Update(batch);

    /// <inheritdoc />
    public override double Result() => _counts.Macro(_counts.F1);
}
