using System.Numerics;
using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Serialization;
using NeuralNet.Tests.Serialization;
using Xunit;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// Batch normalisation, layer normalisation and the residual block in every path a dense layer takes:
/// gradients against finite differences (training and evaluation mode), training, saving and loading,
/// checkpoints that resume exactly, ONNX Runtime, prediction from many threads, no allocation once
/// warm, and the summary.
/// </summary>
[Collection(nameof(NeuralNet.Tests.Kernels.SecondCoreHeld))]
public sealed class NormalizationLayerTests
{
    /// <summary>Every new layer, nested: 5 → BN → residual(dense, LN, dense; projection 8 → 6) → residual(dense, BN, dense) → dropout → dense.</summary>
    internal static Network<T> Deep<T>(ulong seed = 3)
        where T : struct, IFloatingPointIeee754<T> =>
        new(seed,
            new BatchNormalization<T>(5),
            new DenseLayer<T>(5, 8, new ReLU<T>()),
            new ResidualBlock<T>(new DenseLayer<T>(8, 7, new Tanh<T>()), new LayerNormalization<T>(7), new DenseLayer<T>(7, 6)),
            new ResidualBlock<T>(new DenseLayer<T>(6, 6, new GELU<T>()), new BatchNormalization<T>(6, momentum: 0.2), new DenseLayer<T>(6, 6)),
            new DropoutLayer<T>(6, 0.2),
            new LayerNormalization<T>(6, epsilon: 1e-3),
            new DenseLayer<T>(6, 3, new Softmax<T>()));

    [Fact]
    public void NewLayers_EvaluationMode_MatchFiniteDifferences()
    {
        var random = new RandomSource(4);
        Matrix<double> x = SampleNetworks.Batch<double>(7, 5, seed: 2);
        foreach (Layer<double> layer in new Layer<double>[]
        {
            new BatchNormalization<double>(5), new LayerNormalization<double>(5),
            new ResidualBlock<double>(new DenseLayer<double>(5, 4, new Tanh<double>()), new LayerNormalization<double>(4), new DenseLayer<double>(4, 5)),
            new ResidualBlock<double>(new DenseLayer<double>(5, 3, new Sigmoid<double>()), new BatchNormalization<double>(3)),
        })
        {
            var network = new Network<double>(9, layer);
            if (layer is BatchNormalization<double>)
            {
                network.Forward(x, training: true); // running statistics other than 0 and 1
            }

            GradientChecker.CheckLayer(layer, x, random).MaxRelativeError.Should().BeLessThan(1e-6, layer.ToString());
        }
    }

    [Fact]
    public void NewLayers_TrainingMode_MatchFiniteDifferences()
    {
        // Batch statistics make every output depend on every sample: check Σ c ⊙ Forward(x, training) in training mode.
        Matrix<double> x = SampleNetworks.Batch<double>(6, 5, seed: 5);
        Matrix<double> c = SampleNetworks.Batch<double>(6, 5, seed: 6);
        foreach (Layer<double> layer in new Layer<double>[]
        {
            new BatchNormalization<double>(5),
            new ResidualBlock<double>(new DenseLayer<double>(5, 6, new Tanh<double>()), new BatchNormalization<double>(6), new DenseLayer<double>(6, 5)),
        })
        {
            _ = new Network<double>(9, layer);
            layer.Forward(x, training: true);
            double[] dx = layer.Backward(c)!.ToColumnMajorArray();
            double[][] dp = layer.Parameters.Select(p => p.Gradients.ToArray()).ToArray();
            double Objective() => layer.Forward(x, training: true).PointwiseMultiply(c).Enumerate().Sum();

            double[] xs = x.AsColumnMajorArray();
            for (int i = 0; i < xs.Length; i++)
            {
                Close(dx[i], Difference(xs, i, Objective), $"{layer} input {i}");
            }

            for (int p = 0; p < layer.Parameters.Count; p++)
            {
                double[] values = layer.Parameters[p].Value.AsColumnMajorArray();
                for (int i = 0; i < values.Length; i++)
                {
                    Close(dp[p][i], Difference(values, i, Objective), $"{layer} {layer.Parameters[p].Name}[{i}]");
                }
            }
        }
    }

    [Fact]
    public void BatchNormalization_RunningStatisticsMoveOnlyInTraining()
    {
        var layer = new BatchNormalization<double>(3);
        _ = new Network<double>(1, layer);
        Matrix<double> x = SampleNetworks.Batch<double>(4, 3, seed: 1);

        layer.Forward(x, training: false);
        var output = Matrix<double>.Build.Dense(4, 3);
        layer.Predict(x, output);
        layer.RunningMean.ToArray().Should().Equal(0, 0, 0);
        layer.RunningVariance.ToArray().Should().Equal(1, 1, 1);

        layer.Forward(x, training: true);
        for (int j = 0; j < 3; j++)
        {
            layer.RunningMean[j].Should().BeApproximately(0.1 * x.Column(j).Average(), 1e-12);
            double mean = x.Column(j).Average();
            double unbiased = x.Column(j).Select(v => (v - mean) * (v - mean)).Sum() / 3;
            layer.RunningVariance[j].Should().BeApproximately(0.9 + 0.1 * unbiased, 1e-12);
        }
    }

    [Fact]
    public void BatchNormalization_TrainingOnOneSample_IsRefused()
    {
        var layer = new BatchNormalization<float>(3);
        _ = new Network<float>(1, layer);

        Action train = () => layer.Forward(SampleNetworks.Batch<float>(1, 3, seed: 1), training: true);

        train.Should().Throw<ArgumentException>().WithMessage("*at least 2 samples*received 1*");
    }

    [Fact]
    public void ResidualBlock_ChecksSizes()
    {
        Action gap = () => _ = new ResidualBlock<double>(new DenseLayer<double>(4, 5), new DenseLayer<double>(6, 4));
        Action projection = () => _ = new ResidualBlock<double>([new DenseLayer<double>(4, 5)], new DenseLayer<double>(4, 6));

        gap.Should().Throw<ArgumentException>().WithMessage("*layer 1*takes 6 inputs*gives 5*");
        projection.Should().Throw<ArgumentException>().WithParameterName("projection");
        new ResidualBlock<double>(new DenseLayer<double>(4, 5)).Projection.Should().BeOfType<DenseLayer<double>>();
        new ResidualBlock<double>(new DenseLayer<double>(4, 4)).Projection.Should().BeNull();
    }

    [Fact]
    public void Deep_Float_SaveAndLoad_PredictsIdenticallyWithRunningStatistics() => SavesAndLoads<float>();

    [Fact]
    public void Deep_Double_SaveAndLoad_PredictsIdenticallyWithRunningStatistics() => SavesAndLoads<double>();

    [Fact]
    public void Deep_Float_CheckpointResumesBitForBit() => ResumesExactly<float>();

    [Fact]
    public void Deep_Double_CheckpointResumesBitForBit() => ResumesExactly<double>();

    [Fact]
    public void Deep_Float_OnnxRuntimeMatchesPredict() => MatchesOnnx<float>();

    [Fact]
    public void Deep_Double_OnnxRuntimeMatchesPredict() => MatchesOnnx<double>();

    [Fact]
    public void Deep_TrainStep_AllocatesNothingOnceWarm()
    {
        Network<float> network = Deep<float>();
        var loss = new CategoricalCrossEntropy<float>();
        var optimizer = new AdamWOptimizer<float>(0.01);
        Matrix<float> x8 = SampleNetworks.Batch<float>(8, 5, seed: 1), x3 = SampleNetworks.Batch<float>(3, 5, seed: 2);
        Matrix<float> t8 = Targets<float>(8), t3 = Targets<float>(3);
        var output = Matrix<float>.Build.Dense(8, 3);
        void Step()
        {
            network.TrainStep(x8, t8, loss, optimizer);
            network.TrainStep(x3, t3, loss, optimizer);
            network.Predict(x8, output);
        }

        for (int i = 0; i < 3; i++)
        {
            Step();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            Step();
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    [Fact]
    public void Deep_PredictFromManyThreads_EqualsSequentialResults()
    {
        Network<double> network = Trained<double>();
        Matrix<double>[] batches = Enumerable.Range(0, 24).Select(i => SampleNetworks.Batch<double>(1 + i % 5, 5, seed: (ulong)i)).ToArray();
        Matrix<double>[] sequential = batches.Select(network.Predict).ToArray();
        var concurrent = new Matrix<double>[batches.Length * 4];

        Parallel.For(0, concurrent.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => concurrent[i] = network.Predict(batches[i % batches.Length]));

        for (int i = 0; i < concurrent.Length; i++)
        {
            concurrent[i].Should().Be(sequential[i % batches.Length]);
        }
    }

    [Fact]
    public void Summary_ListsEveryLayerWithShapesAndParameterCounts()
    {
        Network<float> network = Deep<float>();

        ModelSummary summary = network.Summary();

        summary.TrainableParameters.Should().Be(network.ParameterCount);
        summary.NonTrainableValues.Should().Be(2 * 5 + 2 * 6); // the running mean and variance of both batch norms
        summary.Layers.Where(l => l.Depth == 0).Select(l => l.Kind).Should().Equal("batch_norm", "dense", "residual", "residual", "dropout", "layer_norm", "dense");
        summary.Layers.Single(l => l.Name == "2").TrainableParameters.Should().Be(8 * 7 + 7 + 2 * 7 + 7 * 6 + 6 + 8 * 6 + 6);
        summary.Layers.Single(l => l.Name == "2.4").Kind.Should().Be("dense"); // the projection 8 → 6
        summary.Layers.Single(l => l.Name == "3.2").NonTrainableValues.Should().Be(12);
        summary.Layers[^1].OutputShape.Should().Be("(batch, 3)");
        string table = summary.ToString();
        table.Should().Contain("batch_norm").And.Contain("└ layer_norm").And.Contain("trainable parameters: " + network.ParameterCount.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
    }

    private static void SavesAndLoads<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Network<T> network = Trained<T>();
        Matrix<T> x = SampleNetworks.Batch<T>(9, 5, seed: 8);

        Network<T> loaded = NetworkSerializer.Load<T>(new MemoryStream(SampleNetworks.ToBytes(network)));

        loaded.Predict(x).Should().Be(network.Predict(x));
        loaded.Layers.Select(l => l.ToString()).Should().Equal(network.Layers.Select(l => l.ToString()));
        var states = loaded.Layers.SelectMany(l => l.State).Zip(network.Layers.SelectMany(l => l.State)).ToArray();
        states.Should().HaveCount(4);
        states.Should().AllSatisfy(pair => pair.First.Values.ToArray().Should().Equal(pair.Second.Values.ToArray()));
    }

    private static void ResumesExactly<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T> x = SampleNetworks.Batch<T>(8, 5, seed: 1);
        Matrix<T> t = Targets<T>(8);
        var loss = new CategoricalCrossEntropy<T>();
        Network<T> straight = Deep<T>();
        var straightOptimizer = new AdamOptimizer<T>(0.01);
        for (int i = 0; i < 6; i++)
        {
            straight.TrainStep(x, t, loss, straightOptimizer);
        }

        Network<T> first = Deep<T>();
        var firstOptimizer = new AdamOptimizer<T>(0.01);
        for (int i = 0; i < 3; i++)
        {
            first.TrainStep(x, t, loss, firstOptimizer);
        }

        using var stream = new MemoryStream();
        NetworkSerializer.Save(first, stream, firstOptimizer);
        stream.Position = 0;
        TrainingCheckpoint<T> resumed = NetworkSerializer.LoadCheckpoint<T>(stream);
        for (int i = 0; i < 3; i++)
        {
            resumed.Network.TrainStep(x, t, loss, resumed.Optimizer);
        }

        resumed.Network.Parameters.Zip(straight.Parameters).Should().AllSatisfy(p => p.First.Values.ToArray().Should().Equal(p.Second.Values.ToArray()));
        resumed.Network.Layers.SelectMany(l => l.State).Zip(straight.Layers.SelectMany(l => l.State))
            .Should().AllSatisfy(p => p.First.Values.ToArray().Should().Equal(p.Second.Values.ToArray()));
    }

    private static void MatchesOnnx<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Network<T> network = Trained<T>();
        Matrix<T> x = SampleNetworks.Batch<T>(11, 5, seed: 4);

        T[] actual = OnnxExporterTests.RunOnnx(network, x);

        T[] expected = network.Predict(x).ToRowMajorArray();
        actual.Should().Equal(expected, (a, e) => T.Abs(a - e) <= T.CreateChecked(1e-5) * T.Max(T.One, T.Abs(e)));
    }

    /// <summary>The deep network after a few training steps, so that the running statistics and scales are not their initial values.</summary>
    internal static Network<T> Trained<T>()
        where T : struct, IFloatingPointIeee754<T>
    {
        Network<T> network = Deep<T>();
        var optimizer = new AdamOptimizer<T>(0.02);
        for (int i = 0; i < 5; i++)
        {
            network.TrainStep(SampleNetworks.Batch<T>(8, 5, seed: (ulong)(20 + i)), Targets<T>(8), new CategoricalCrossEntropy<T>(), optimizer);
        }

        return network;
    }

    internal static Matrix<T> Targets<T>(int rows)
        where T : struct, IFloatingPointIeee754<T> => Matrix<T>.Build.Dense(rows, 1, (r, _) => T.CreateChecked(r % 3));

    private static double Difference(double[] values, int i, Func<double> objective)
    {
        const double h = 1e-5;
        double saved = values[i];
        values[i] = saved + h;
        double plus = objective();
        values[i] = saved - h;
        double minus = objective();
        values[i] = saved;
        return (plus - minus) / (2 * h);
    }

    private static void Close(double analytic, double numeric, string what) =>
        Math.Abs(analytic - numeric).Should().BeLessThanOrEqualTo(1e-6 * Math.Max(1, Math.Abs(numeric)), what);
}
