using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Metrics;
using NeuralNet.Training;

namespace NeuralNet.Tests.Metrics;

/// <summary>Measures metrics as the trainer does (through its metric set), feeding the rows in batches.</summary>
internal static class MetricMeasure
{
    public static Dictionary<string, double> Measure(IReadOnlyList<Metric> metrics, double[][] outputs, double[][] targets, bool classifier, int batch = 7, double threshold = 0.5)
    {
        var set = new MetricSet<double>(metrics, classifier, threshold);
        set.Reset();
        for (int start = 0; start < outputs.Length; start += batch)
        {
            int rows = Math.Min(batch, outputs.Length - start);
            var o = Matrix<double>.Build.DenseOfRowArrays(outputs[start..(start + rows)]);
            var t = Matrix<double>.Build.DenseOfRowArrays(targets[start..(start + rows)]);
            set.Add(o.AsColumnMajorArray(), t.AsColumnMajorArray(), rows, o.ColumnCount, t.ColumnCount);
        }

        var values = new Dictionary<string, double>();
        set.WriteResults(values);
        return values;
    }

    public static double Measure(Metric metric, double[][] outputs, double[][] targets, bool classifier, int batch = 7, double threshold = 0.5)
        => Measure([metric], outputs, targets, classifier, batch, threshold)[metric.Name];
}
