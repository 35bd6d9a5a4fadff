using System.Numerics;
using System.Text.Json;
using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using Xunit;

namespace NeuralNet.Tests.Networks;

/// <summary>
/// Reproduces ../shared/data/gradcheck_vectors.json (copied to Data/): exact values for tiny networks
/// computed in float64 by PyTorch 1.13 autograd and cross-checked with numpy and finite differences.
/// Double must agree to 1e-12 relative, float to 1e-5.
/// </summary>
public sealed class GradcheckVectorsTests
{
    public static TheoryData<string> Cases => new(GradcheckCase.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Double_ReproducesForwardLossBackwardAndSgdStep(string name) => Reproduce<double>(GradcheckCase.Named(name), 1e-12, fused: false);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float_ReproducesForwardLossBackwardAndSgdStep(string name) => Reproduce<float>(GradcheckCase.Named(name), 1e-5, fused: false);

    [Fact]
    public void SoftmaxOutputWithCrossEntropy_FusedGradient_MatchesLogitsFormulation()
    {
        // The same case with a softmax output layer and cross-entropy on probabilities: the fused
        // gradient (softmax − onehot)/N must give the values PyTorch computed from logits.
        Reproduce<double>(GradcheckCase.Named("tanh_4_5_3_softmax_ce_batch2"), 1e-12, fused: true);
    }

    private static void Reproduce<T>(GradcheckCase c, double tolerance, bool fused)
        where T : struct, IFloatingPointIeee754<T>
    {
        var layers = new DenseLayer<T>[c.LayerSizes.Length - 1];
        for (int l = 0; l < layers.Length; l++)
        {
            string activation = fused && l == layers.Length - 1 ? "softmax" : c.Activations[l];
            layers[l] = new DenseLayer<T>(c.LayerSizes[l], c.LayerSizes[l + 1], ActivationNamed<T>(activation));
        }

        var network = new Network<T>(1, layers);
        for (int l = 0; l < layers.Length; l++)
        {
            Of<T>(GradcheckCase.Matrix($"W{l + 1}", c.Params)).CopyTo(layers[l].Weights);
            double[] biases = GradcheckCase.Vector($"b{l + 1}", c.Params);
            for (int i = 0; i < biases.Length; i++)
            {
                layers[l].Biases[i] = T.CreateChecked(biases[i]);
            }
        }

        LossFunction<T> loss = c.Loss switch
        {
            "mse" => new MeanSquaredError<T>(),
            "softmax_cross_entropy" => new CategoricalCrossEntropy<T>(fromLogits: !fused),
            _ => throw new InvalidOperationException(c.Loss),
        };
        Matrix<T> input = Of<T>(c.Input);
        Matrix<T> target = Of<T>(c.Target);

        // Forward phase
        Matrix<T> output = network.Forward(input, training: true);
        for (int l = 0; l < layers.Length; l++)
        {
            Close(layers[l].LastWeightedSum, c.Forward[$"z{l + 1}"], tolerance, $"z{l + 1}");
            // In the softmax case the file's last "a" is the softmax of the logits, checked below.
            if (!(c.Forward.ContainsKey("softmax") && l == layers.Length - 1))
            {
                Close(layers[l].LastOutput, c.Forward[$"a{l + 1}"], tolerance, $"a{l + 1}");
            }
        }

        if (c.Forward.TryGetValue("softmax", out double[,]? softmax))
        {
            Matrix<T> probabilities = output.Clone();
            if (!fused)
            {
                T[] values = probabilities.AsColumnMajorArray();
                new Softmax<T>().Forward(values, values, probabilities.RowCount, probabilities.ColumnCount);
            }

            Close(probabilities, softmax, tolerance, "softmax");
        }

        double lossValue = double.CreateChecked(loss.Loss(output, target));
        lossValue.Should().BeApproximately(c.LossValue, tolerance * Math.Abs(c.LossValue), "the loss");

        // Backward phase through the network: every parameter gradient and every ∂L/∂z
        network.Backward(target, loss);
        for (int l = 0; l < layers.Length; l++)
        {
            Close(layers[l].Parameters[0].Gradient, c.Backward[$"dL_dW{l + 1}"], tolerance, $"dL_dW{l + 1}");
            Close(layers[l].Parameters[1].Gradient, c.Backward[$"dL_db{l + 1}"], tolerance, $"dL_db{l + 1}");
            Close(Matrix<T>.Build.Dense(input.RowCount, c.LayerSizes[l + 1], layers[l].PreActivationGradient.ToArray()), c.Backward[$"dL_dz{l + 1}"], tolerance, $"dL_dz{l + 1}");
        }

        // ∂L/∂a of the hidden layer, layer by layer through the public Layer API
        if (!fused)
        {
            Matrix<T> dLda2 = loss.Gradient(output, target);
            if (c.Backward.TryGetValue("dL_da2", out double[,]? expected))
            {
                Close(dLda2, expected, tolerance, "dL_da2");
            }

            Matrix<T> dLda1 = layers[1].Backward(dLda2)!;
            Close(dLda1, c.Backward["dL_da1"], tolerance, "dL_da1");
        }

        // One plain SGD step, lr from the file
        var sgd = new SgdOptimizer<T>(learningRate: c.SgdLearningRate);
        double stepLoss = double.CreateChecked(network.TrainStep(input, target, loss, sgd));
        stepLoss.Should().BeApproximately(c.LossValue, tolerance * Math.Abs(c.LossValue));
        for (int l = 0; l < layers.Length; l++)
        {
            Close(layers[l].Weights, GradcheckCase.Matrix($"W{l + 1}", c.ParamsAfter), tolerance, $"W{l + 1} after the step");
            Close(layers[l].Biases.ToColumnMatrix(), Column(GradcheckCase.Vector($"b{l + 1}", c.ParamsAfter)), tolerance, $"b{l + 1} after the step");
        }

        double lossAfter = double.CreateChecked(loss.Loss(network.Predict(input), target));
        lossAfter.Should().BeApproximately(c.LossAfter, tolerance * Math.Abs(c.LossAfter), "the loss after one step");
    }

    private static ActivationFunction<T> ActivationNamed<T>(string name)
        where T : struct, IFloatingPointIeee754<T> => name switch
        {
            "sigmoid" => new Sigmoid<T>(),
            "tanh" => new Tanh<T>(),
            "relu" => new ReLU<T>(),
            "identity" => new Identity<T>(),
            "softmax" => new Softmax<T>(),
            _ => throw new InvalidOperationException(name),
        };

    private static Matrix<T> Of<T>(double[,] values)
        where T : struct, IFloatingPointIeee754<T>
        => Matrix<double>.Build.DenseOfArray(values).Map(v => T.CreateChecked(v));

    private static double[,] Column(double[] values)
    {
        var result = new double[values.Length, 1];
        for (int i = 0; i < values.Length; i++)
        {
            result[i, 0] = values[i];
        }

        return result;
    }

    private static void Close<T>(Matrix<T> actual, double[,] expected, double tolerance, string what)
        where T : struct, IFloatingPointIeee754<T>
    {
        actual.RowCount.Should().Be(expected.GetLength(0), what);
        actual.ColumnCount.Should().Be(expected.GetLength(1), what);

        // Relative to each value, but never finer than relative to the largest value of the same
        // matrix: a small entry that is the difference of larger terms (dL_dz1 in float) cannot be
        // more exact than those terms' rounding.
        double scale = expected.Cast<double>().Max(Math.Abs);
        for (int r = 0; r < actual.RowCount; r++)
        {
            for (int col = 0; col < actual.ColumnCount; col++)
            {
                double a = double.CreateChecked(actual[r, col]), e = expected[r, col];
                Math.Abs(a - e).Should().BeLessThanOrEqualTo(tolerance * Math.Max(Math.Abs(e), Math.Max(scale, 1e-3)), $"{what}[{r},{col}] = {a:R} should be {e:R}");
            }
        }
    }

    /// <summary>One case of gradcheck_vectors.json.</summary>
    private sealed class GradcheckCase
    {
        private static readonly Lazy<GradcheckCase[]> Loaded = new(Load);

        public static GradcheckCase[] All => Loaded.Value;

        public required string Name { get; init; }

        public required int[] LayerSizes { get; init; }

        public required string[] Activations { get; init; }

        public required string Loss { get; init; }

        public required JsonElement Params { get; init; }

        public required JsonElement ParamsAfter { get; init; }

        public required double[,] Input { get; init; }

        public required double[,] Target { get; init; }

        public required Dictionary<string, double[,]> Forward { get; init; }

        public required Dictionary<string, double[,]> Backward { get; init; }

        public required double LossValue { get; init; }

        public required double LossAfter { get; init; }

        public required double SgdLearningRate { get; init; }

        public static GradcheckCase Named(string name) => All.Single(c => c.Name == name);

        public static double[,] Matrix(string key, JsonElement source) => ToMatrix(source.GetProperty(key));

        public static double[] Vector(string key, JsonElement source) => source.GetProperty(key).EnumerateArray().Select(e => e.GetDouble()).ToArray();

        private static GradcheckCase[] Load()
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "gradcheck_vectors.json")));
            return doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => new GradcheckCase
            {
                Name = c.GetProperty("name").GetString()!,
                LayerSizes = c.GetProperty("layer_sizes").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                Activations = c.GetProperty("activations").EnumerateArray().Select(e => e.GetString()!).ToArray(),
                Loss = c.GetProperty("loss").GetString()!,
                Params = c.GetProperty("params").Clone(),
                ParamsAfter = c.GetProperty("sgd_step").GetProperty("params_after").Clone(),
                Input = ToMatrix(c.GetProperty("input")),
                Target = ToMatrix(c.GetProperty("target")),
                Forward = Matrices(c.GetProperty("forward")),
                Backward = Matrices(c.GetProperty("backward")),
                LossValue = c.GetProperty("loss_value").GetDouble(),
                LossAfter = c.GetProperty("sgd_step").GetProperty("loss_after").GetDouble(),
                SgdLearningRate = c.GetProperty("sgd_step").GetProperty("lr").GetDouble(),
            }).ToArray();
        }

        private static Dictionary<string, double[,]> Matrices(JsonElement obj)
            => obj.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Array).ToDictionary(p => p.Name, p => ToMatrix(p.Value));

        /// <summary>A JSON array of arrays as a matrix; a flat array (a bias vector, class-index targets) as one column.</summary>
        private static double[,] ToMatrix(JsonElement e)
        {
            JsonElement[] rows = e.EnumerateArray().ToArray();
            if (rows.Length > 0 && rows[0].ValueKind != JsonValueKind.Array)
            {
                var column = new double[rows.Length, 1]; // a flat list: class-index targets (one per sample) or a bias vector
                for (int i = 0; i < rows.Length; i++)
                {
                    column[i, 0] = rows[i].GetDouble();
                }

                return column;
            }

            int cols = rows.Length == 0 ? 0 : rows[0].GetArrayLength();
            var result = new double[rows.Length, cols];
            for (int r = 0; r < rows.Length; r++)
            {
                int col = 0;
                foreach (JsonElement v in rows[r].EnumerateArray())
                {
                    result[r, col++] = v.GetDouble();
                }
            }

            return result;
        }
    }
}
