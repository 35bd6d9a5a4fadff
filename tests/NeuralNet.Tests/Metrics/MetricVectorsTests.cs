using System.Text.Json;
using FluentAssertions;
using NeuralNet.Metrics;
using Xunit;

namespace NeuralNet.Tests.Metrics;

/// <summary>
/// Every built-in metric against scikit-learn 1.2 (Data/metric_vectors.json, made by
/// Data/make_metric_vectors.py): multiclass with ties and a class never predicted, binary with tied
/// scores (one sigmoid output, two softmax outputs), regression with one and two outputs and a constant
/// target column. Rows are fed in batches of 7, so the running totals are merged across batches.
/// </summary>
public sealed class MetricVectorsTests
{
    private static readonly JsonDocument Vectors = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "metric_vectors.json")));

    public static TheoryData<string> Cases() => new(Vectors.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()!));

    [Theory]
    [MemberData(nameof(Cases))]
    public void BuiltInMetrics_MatchScikitLearn(string name)
    {
        JsonElement c = Vectors.RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        double[][] outputs = Rows(c.GetProperty("outputs")), targets = Rows(c.GetProperty("targets"));
        var expected = c.GetProperty("expected").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
        Metric[] metrics = expected.Keys.Select(Create).ToArray();

        var measured = MetricMeasure.Measure(metrics, outputs, targets, c.GetProperty("classifier").GetBoolean());

        foreach ((string metric, double value) in expected)
        {
            measured[metric].Should().BeApproximately(value, 1e-12, "{0} of case {1}", metric, name);
        }
    }

    private static Metric Create(string name) => name switch
    {
        "accuracy" => new Accuracy(),
        "top2_accuracy" => new TopKAccuracy(2),
        "top3_accuracy" => new TopKAccuracy(3),
        "precision" => new Precision(),
        "recall" => new Recall(),
        "f1" => new F1Score(),
        "auc" => new RocAuc(),
        "mae" => new MeanAbsoluteError(),
        "rmse" => new RootMeanSquaredError(),
        "r2" => new RSquared(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such metric"),
    };

    private static double[][] Rows(JsonElement rows) => rows.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
}
