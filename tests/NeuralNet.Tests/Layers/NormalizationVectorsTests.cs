using System.Numerics;
using System.Text.Json;
using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using Xunit;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// Batch normalisation, layer normalisation and residual blocks against values PyTorch 1.13 computed in
/// float64 (Data/normalization_vectors.json, made by Data/make_normalization_vectors.py): outputs, ∂L/∂x
/// and parameter gradients for <c>L = Σ c ⊙ y</c>, batch norm's running statistics after one training
/// step and its evaluation-mode output. Double must agree to 1e-10 relative, float to 1e-4.
/// </summary>
public sealed class NormalizationVectorsTests
{
    private static readonly JsonDocument Vectors = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "normalization_vectors.json")));

    [Fact]
    public void BatchNormalization_Double_MatchesPyTorch() => BatchNorm<double>(1e-10);

    [Fact]
    public void BatchNormalization_Float_MatchesPyTorch() => BatchNorm<float>(1e-4);

    [Fact]
    public void LayerNormalization_Double_MatchesPyTorch() => LayerNorm<double>(1e-10);

    [Fact]
    public void LayerNormalization_Float_MatchesPyTorch() => LayerNorm<float>(1e-4);

    [Theory]
    [InlineData("residual_projection")]
    [InlineData("residual_identity")]
    public void ResidualBlock_Double_MatchesPyTorch(string name) => Residual<double>(name, 1e-10);

    [Theory]
    [InlineData("residual_projection")]
    [InlineData("residual_identity")]
    public void ResidualBlock_Float_MatchesPyTorch(string name) => Residual<float>(name, 1e-4);

    private static void BatchNorm<T>(double tolerance)
        where T : struct, IFloatingPointIeee754<T>
    {
        JsonElement v = Case("batch_norm");
        var layer = new BatchNormalization<T>(v.GetProperty("size").GetInt32(), v.GetProperty("momentum").GetDouble(), v.GetProperty("epsilon").GetDouble());
        _ = new Network<T>(1, layer);
        Fill(layer.Parameters[0].Values, Vector(v, "scale"));
        Fill(layer.Parameters[1].Values, Vector(v, "shift"));
        Fill(layer.RunningMean, Vector(v, "runningMean"));
        Fill(layer.RunningVariance, Vector(v, "runningVariance"));

        Matrix<T> y = layer.Forward(Rows<T>(v, "x"), training: true);
        Matrix<T> dx = layer.Backward(Rows<T>(v, "c"))!;

        Close(y, Rows<double>(v, "y"), tolerance);
        Close(dx, Rows<double>(v, "dx"), tolerance);
        Close(layer.Parameters[0].Gradients.ToArray(), Vector(v, "dScale"), tolerance);
        Close(layer.Parameters[1].Gradients.ToArray(), Vector(v, "dShift"), tolerance);
        Close(layer.RunningMean.ToArray(), Vector(v, "runningMeanAfter"), tolerance);
        Close(layer.RunningVariance.ToArray(), Vector(v, "runningVarianceAfter"), tolerance);

        Matrix<T> xEval = Rows<T>(v, "xEval");
        Close(layer.Forward(xEval, training: false), Rows<double>(v, "yEval"), tolerance);
        var predicted = Matrix<T>.Build.Dense(xEval.RowCount, layer.OutputSize);
        layer.Predict(xEval, predicted);
        Close(predicted, Rows<double>(v, "yEval"), tolerance);
    }

    private static void LayerNorm<T>(double tolerance)
        where T : struct, IFloatingPointIeee754<T>
    {
        JsonElement v = Case("layer_norm");
        var layer = new LayerNormalization<T>(v.GetProperty("size").GetInt32(), v.GetProperty("epsilon").GetDouble());
        _ = new Network<T>(1, layer);
        Fill(layer.Parameters[0].Values, Vector(v, "scale"));
        Fill(layer.Parameters[1].Values, Vector(v, "shift"));
        Matrix<T> x = Rows<T>(v, "x");

        Matrix<T> y = layer.Forward(x, training: true);
        Matrix<T> dx = layer.Backward(Rows<T>(v, "c"))!;

        Close(y, Rows<double>(v, "y"), tolerance);
        Close(dx, Rows<double>(v, "dx"), tolerance);
        Close(layer.Parameters[0].Gradients.ToArray(), Vector(v, "dScale"), tolerance);
        Close(layer.Parameters[1].Gradients.ToArray(), Vector(v, "dShift"), tolerance);
        var predicted = Matrix<T>.Build.Dense(x.RowCount, layer.OutputSize);
        layer.Predict(x, predicted);
        Close(predicted, Rows<double>(v, "y"), tolerance);
    }

    private static void Residual<T>(string name, double tolerance)
        where T : struct, IFloatingPointIeee754<T>
    {
        JsonElement v = Case(name);
        Matrix<T>[] weights = v.GetProperty("weights").EnumerateArray().Select(w => RowsOf<T>(w)).ToArray();
        bool projection = weights.Length == 3;
        var first = new DenseLayer<T>(weights[0].ColumnCount, weights[0].RowCount, projection ? new Tanh<T>() : new ReLU<T>());
        var second = new DenseLayer<T>(weights[1].ColumnCount, weights[1].RowCount);
        ResidualBlock<T> block = projection
            ? new ResidualBlock<T>([first, second], new DenseLayer<T>(weights[2].ColumnCount, weights[2].RowCount))
            : new ResidualBlock<T>(first, second);
        _ = new Network<T>(1, block);
        DenseLayer<T>[] dense = block.Sublayers.Cast<DenseLayer<T>>().ToArray();
        double[][] biases = v.GetProperty("biases").EnumerateArray().Select(b => b.EnumerateArray().Select(e => e.GetDouble()).ToArray()).ToArray();
        for (int i = 0; i < dense.Length; i++)
        {
            weights[i].CopyTo(dense[i].Weights);
            Fill(dense[i].Parameters[1].Values, biases[i]);
        }

        Matrix<T> x = Rows<T>(v, "x");
        Matrix<T> y = block.Forward(x, training: true);
        Matrix<T> dx = block.Backward(Rows<T>(v, "c"))!;

        Close(y, Rows<double>(v, "y"), tolerance);
        Close(dx, Rows<double>(v, "dx"), tolerance);
        JsonElement[] dWeights = v.GetProperty("dWeights").EnumerateArray().ToArray();
        double[][] dBiases = v.GetProperty("dBiases").EnumerateArray().Select(b => b.EnumerateArray().Select(e => e.GetDouble()).ToArray()).ToArray();
        for (int i = 0; i < dense.Length; i++)
        {
            Close(dense[i].Parameters[0].Gradient, RowsOf<double>(dWeights[i]), tolerance);
            Close(dense[i].Parameters[1].Gradients.ToArray(), dBiases[i], tolerance);
        }

        var predicted = Matrix<T>.Build.Dense(x.RowCount, block.OutputSize);
        block.Predict(x, predicted);
        Close(predicted, Rows<double>(v, "y"), tolerance);
    }

    private static JsonElement Case(string name) => Vectors.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static double[] Vector(JsonElement v, string name) => v.GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).ToArray();

    private static Matrix<T> Rows<T>(JsonElement v, string name)
        where T : struct, IFloatingPointIeee754<T> => RowsOf<T>(v.GetProperty(name));

    private static Matrix<T> RowsOf<T>(JsonElement rows)
        where T : struct, IFloatingPointIeee754<T>
    {
        double[][] values = rows.EnumerateArray().Select(r => r.EnumerateArray().Select(e => e.GetDouble()).ToArray()).ToArray();
        return Matrix<T>.Build.Dense(values.Length, values[0].Length, (r, c) => T.CreateChecked(values[r][c]));
    }

    private static void Fill<T>(Span<T> target, double[] values)
        where T : struct, IFloatingPointIeee754<T>
    {
        target.Length.Should().Be(values.Length);
        for (int i = 0; i < values.Length; i++)
        {
            target[i] = T.CreateChecked(values[i]);
        }
    }

    private static void Close<T>(Matrix<T> actual, Matrix<double> expected, double tolerance)
        where T : struct, IFloatingPointIeee754<T>
    {
        actual.RowCount.Should().Be(expected.RowCount);
        actual.ColumnCount.Should().Be(expected.ColumnCount);
        Close(actual.ToColumnMajorArray(), expected.ToColumnMajorArray(), tolerance);
    }

    private static void Close<T>(T[] values, double[] expected, double tolerance)
        where T : struct, IFloatingPointIeee754<T>
    {
        values.Length.Should().Be(expected.Length);
        double scale = Math.Max(1, expected.Max(Math.Abs));
        for (int i = 0; i < expected.Length; i++)
        {
            Math.Abs(double.CreateChecked(values[i]) - expected[i]).Should().BeLessThanOrEqualTo(tolerance * scale, $"element {i} (expected {expected[i]})");
        }
    }
}
