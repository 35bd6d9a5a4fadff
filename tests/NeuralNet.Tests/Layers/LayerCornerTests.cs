using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Serialization;
using Xunit;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// Corners of the built-in layers (and of <see cref="Layer{T}"/>'s defaults) that no other test pinned, found by reading
/// <c>Layers/</c> as mutation testing (Stryker.NET, issue #12 item 6) changes it: each test fails when its line is
/// changed the way a mutant changes it (checked by hand, one mutant at a time).
/// </summary>
public sealed class LayerCornerTests
{
    [Fact]
    public void ALayerWithoutParameters_IsNeverFrozen()
    {
        // Layer.Frozen: Parameters.Count > 0 && all frozen (not >= 0: a layer with nothing to freeze is not frozen).
        var dropout = new DropoutLayer<double>(3, 0.5);
        dropout.Frozen.Should().BeFalse();
        dropout.Frozen = true;
        dropout.Frozen.Should().BeFalse();
        new Plain<double>(2).Frozen.Should().BeFalse();
    }

    [Fact]
    public void AUserLayer_DefaultsToItsClassNameWithoutTheGenericArity_AndRefusesToDescribeItself()
    {
        var layer = new Plain<double>(3);

        layer.Kind.Should().Be("Plain");
        layer.ToString().Should().Be("Plain(3 → 3)");
        FluentActions.Invoking(() => layer.GetConfig()).Should().Throw<NotSupportedException>().WithMessage("*Plain*does not describe itself*LayerRegistry.Register*");
        FluentActions.Invoking(() => layer.BackwardFromActivationInput(Matrix<double>.Build.Dense(1, 3)))
            .Should().Throw<NotSupportedException>().WithMessage("Plain(3 → 3) declares no OutputActivation*");
        layer.OutputKind.Should().Be(NeuralNet.Activations.ActivationOutput.Unspecified);
        layer.ImpossibleState().Should().BeNull();
    }

    [Fact]
    public void Regularization_SetAfterATrainingStep_CountsFromTheNextStep()
    {
        // The network caches which parameters are regularised; setting a layer's Regularization must invalidate that cache.
        var layer = new DenseLayer<double>(3, 2);
        var network = new Network<double>(4, layer);
        Matrix<double> x = RandomMatrices.Uniform<double>(new RandomSource(5), 4, 3);
        Matrix<double> t = RandomMatrices.Uniform<double>(new RandomSource(6), 4, 2);
        var loss = new MeanSquaredError<double>();
        var optimizer = new SgdOptimizer<double>(0.1);
        network.TrainStep(x, t, loss, optimizer);

        layer.Regularization = new Regularization(l2: 0.5);
        double penalty = 0.5 * layer.Weights.Enumerate().Sum(w => w * w); // by hand: RegularizationPenalty() reads the same cache
        double expected = loss.Loss(network.Predict(x), t) + penalty;

        network.TrainStep(x, t, loss, optimizer).Should().BeApproximately(expected, 1e-12);
        penalty.Should().BeGreaterThan(0.01, "large enough to tell the two apart");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Normalizations_Shift_IsABias_PenalisedOnlyWhenBiasesAreAsked(bool biases)
    {
        var batch = new BatchNormalization<double>(3);
        var norm = new LayerNormalization<double>(3);
        var network = new Network<double>(1, batch, norm);
        batch.Parameters[1].Values.Fill(2);
        norm.Parameters[1].Values.Fill(-1);
        batch.Regularization = new Regularization(l2: 1, biases: biases);
        norm.Regularization = new Regularization(l1: 1, biases: biases);

        // γ = 1 everywhere: l2·Σγ² = 3 and l1·Σ|γ| = 3; the shifts add l2·3·2² = 12 and l1·3·1 = 3 when biases count.
        network.RegularizationPenalty().Should().Be(biases ? 3 + 12 + 3 + 3 : 3 + 3);
        batch.Parameters[1].IsBias.Should().BeTrue();
        norm.Parameters[1].IsBias.Should().BeTrue();
        norm.Parameters[0].IsBias.Should().BeFalse();
    }

    [Fact]
    public void BatchNormalization_TrainsOnTwoSamples_AndEvaluatesOne()
    {
        var layer = new BatchNormalization<double>(2);
        _ = new Network<double>(1, layer);
        Matrix<double> two = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 4 }, { 3, 8 } });

        layer.Forward(two, training: true).ToRowMajorArray().Should().Equal(
            new[] { -1 / Math.Sqrt(1 + 1e-5), -2 / Math.Sqrt(4 + 1e-5), 1 / Math.Sqrt(1 + 1e-5), 2 / Math.Sqrt(4 + 1e-5) },
            (a, e) => Math.Abs(a - e) < 1e-12);
        Matrix<double> one = Matrix<double>.Build.DenseOfArray(new double[,] { { 5, 6 } });
        Matrix<double> evaluated = layer.Forward(one, training: false);
        var predicted = Matrix<double>.Build.Dense(1, 2);
        layer.Predict(one, predicted);
        evaluated.Should().Be(predicted);
    }

    [Fact]
    public void BatchNormalization_Epsilon_IsAddedToTheVariance_InTrainingEvaluationAndPredict()
    {
        const double epsilon = 0.5;
        var layer = new BatchNormalization<double>(1, momentum: 0.5, epsilon: epsilon);
        _ = new Network<double>(1, layer);
        layer.Parameters[0].Values[0] = 3; // γ
        layer.Parameters[1].Values[0] = 0.25; // β
        Matrix<double> x = Matrix<double>.Build.DenseOfArray(new double[,] { { 1 }, { 2 }, { 6 } }); // mean 3, biased variance 14/3

        double[] trained = layer.Forward(x, training: true).ToColumnMajorArray();
        double sigma = Math.Sqrt(14.0 / 3 + epsilon);
        trained.Should().Equal(new[] { 3 * -2 / sigma + 0.25, 3 * -1 / sigma + 0.25, 3 * 3 / sigma + 0.25 }, (a, e) => Math.Abs(a - e) < 1e-12);
        layer.RunningMean[0].Should().BeApproximately(1.5, 1e-12); // 0.5·0 + 0.5·3
        layer.RunningVariance[0].Should().BeApproximately(0.5 + 0.5 * 7, 1e-12); // 0.5·1 + 0.5·(14/2)

        double runningSigma = Math.Sqrt(4 + epsilon);
        double[] expected = [3 * (1 - 1.5) / runningSigma + 0.25, 3 * (2 - 1.5) / runningSigma + 0.25, 3 * (6 - 1.5) / runningSigma + 0.25];
        layer.Forward(x, training: false).ToColumnMajorArray().Should().Equal(expected, (a, e) => Math.Abs(a - e) < 1e-12);
        var predicted = Matrix<double>.Build.Dense(3, 1);
        layer.Predict(x, predicted);
        predicted.ToColumnMajorArray().Should().Equal(expected, (a, e) => Math.Abs(a - e) < 1e-12);
    }

    [Fact]
    public void LayerNormalization_Epsilon_IsAddedToTheVariance_InForwardAndPredict()
    {
        const double epsilon = 0.5;
        var layer = new LayerNormalization<double>(3, epsilon);
        _ = new Network<double>(1, layer);
        layer.Parameters[0].Values.Fill(2); // γ
        layer.Parameters[1].Values.Fill(-1); // β
        Matrix<double> x = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2, 6 }, { 0, 0, 3 } }); // means 3 and 1; variances 14/3 and 2

        double[] expected =
        [
            2 * -2 / Math.Sqrt(14.0 / 3 + epsilon) - 1, 2 * -1 / Math.Sqrt(14.0 / 3 + epsilon) - 1, 2 * 3 / Math.Sqrt(14.0 / 3 + epsilon) - 1,
            2 * -1 / Math.Sqrt(2 + epsilon) - 1, 2 * -1 / Math.Sqrt(2 + epsilon) - 1, 2 * 2 / Math.Sqrt(2 + epsilon) - 1,
        ];
        layer.Forward(x, training: true).ToRowMajorArray().Should().Equal(expected, (a, e) => Math.Abs(a - e) < 1e-12);
        var predicted = Matrix<double>.Build.Dense(2, 3);
        layer.Predict(x, predicted);
        predicted.ToRowMajorArray().Should().Equal(expected, (a, e) => Math.Abs(a - e) < 1e-12);
    }

    [Fact]
    public void BatchNormalization_ImpossibleState_FindsANegativeVarianceAtIndexZero()
    {
        var layer = new BatchNormalization<double>(2);
        layer.RunningVariance[0] = -1;

        layer.ImpossibleState().Should().Contain("index 0").And.Contain("-1");
    }

    [Fact]
    public void NormalizationsExportedToOnnx_CarryTheirEpsilon_AndBatchNormsMomentumAsOnnxDefinesIt()
    {
        // ONNX's momentum weighs the OLD running value (1 − ours); it does not change inference, so only the file shows it.
        var network = new Network<float>(1, new BatchNormalization<float>(2, momentum: 0.25, epsilon: 0.5), new LayerNormalization<float>(2, epsilon: 0.125));
        using var stream = new MemoryStream();
        OnnxExporter.Export(network, stream);
        byte[] model = stream.ToArray();

        Contains(model, FloatAttribute("momentum", 0.75f)).Should().BeTrue();
        Contains(model, FloatAttribute("epsilon", 0.5f)).Should().BeTrue();
        Contains(model, FloatAttribute("epsilon", 0.125f)).Should().BeTrue();
    }

    [Fact]
    public void DenseLayer_ForwardOfABatchWhoseOutputsWouldNotFitInAnArray_IsRefusedBeforeTheBuffers()
    {
        // 2¹⁹ rows × 1 input (2 MiB) through 1 → 4096 units: 2³¹ outputs. The layer says so itself, before its buffers do.
        var layer = new DenseLayer<float>(1, 4096);
        _ = new Network<float>(1, layer);
        Matrix<float> x = Matrix<float>.Build.Dense(1 << 19, 1);

        FluentActions.Invoking(() => layer.Forward(x, training: true)).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("input").WithMessage("the layer's output buffers hold rows × outputs: 524288 × 4096*");
    }

    [Fact]
    public void DenseLayer_ShapesFromConfig_AcceptsExactlyAsManyWeightsAsAnArrayHolds()
    {
        // Read before anything is allocated, so the limit itself can be tried: Array.MaxLength weights fit, one row more does not.
        static JsonElement Config(long inputs, long outputs) => JsonDocument.Parse($"{{\"inputs\":{inputs},\"outputs\":{outputs}}}").RootElement;

        DenseLayer<float>.ShapesFromConfig(Config(1, Array.MaxLength)).Parameters.Should().HaveCount(2);
        FluentActions.Invoking(() => DenseLayer<float>.ShapesFromConfig(Config(2, Array.MaxLength / 2 + 1)))
            .Should().Throw<InvalidDataException>().WithMessage($"*2 × {Array.MaxLength / 2 + 1}*more than an array can hold*");
    }

    [Fact]
    public void DenseLayer_LargeEnoughToSplitItsDepth_ComputesXWTransposePlusB()
    {
        // 32 × 256 × 128 = 2²⁰ multiply-adds over 32768 weights: the forward pass cuts the depth where the optimizer cuts W.
        var layer = new DenseLayer<double>(256, 128);
        _ = new Network<double>(3, layer);
        var random = new RandomSource(4);
        RandomMatrices.Uniform<double>(random, 128, 1).Column(0).CopyTo(layer.Biases);
        Matrix<double> x = RandomMatrices.Uniform<double>(random, 32, 256);
        NeuralNet.Kernels.WorkSplit.ForwardDepthSplit(32, 256, 128).Should().BeGreaterThan(0, "the test is about the split path");

        Matrix<double> expected = x * layer.Weights.Transpose() + Matrix<double>.Build.Dense(32, 128, (_, j) => layer.Biases[j]);

        (layer.Forward(x, training: false) - expected).Enumerate().Max(Math.Abs).Should().BeLessThan(1e-12);
        var predicted = Matrix<double>.Build.Dense(32, 128);
        layer.Predict(x, predicted);
        (predicted - expected).Enumerate().Max(Math.Abs).Should().BeLessThan(1e-12);
    }

    [Fact]
    public void Settings_AreRefusedWithMessagesThatSayWhatIsExpected()
    {
        FluentActions.Invoking(() => new Regularization(l2: double.PositiveInfinity)).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("l2").WithMessage("l2 must be a finite number ≥ 0 (received *");
        FluentActions.Invoking(() => new LayerNormalization<double>(2, -1)).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("epsilon").WithMessage("epsilon must be a finite number > 0 (received *");
        FluentActions.Invoking(() => new DenseLayer<double>(0, 2)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("inputSize");
        new Regularization(0.5, 0.25).ToString().Should().Be("Regularization(l1 = 0.5, l2 = 0.25)");
        new Regularization(l1: 0.5).Biases.Should().BeFalse();
    }

    [Fact]
    public void DenseLayer_WithoutActivation_IsTheIdentity_AndANewNetworkStartsItsBiasesAtZero()
    {
        var layer = new DenseLayer<double>(2, 3);
        layer.Activation.Should().BeOfType<NeuralNet.Activations.Identity<double>>();
        _ = new Network<double>(1, layer);
        layer.Biases.SetValues([1.0, 2.0, 3.0]); // as training leaves them

        _ = new Network<double>(2, layer); // a network that takes the layer draws it anew

        layer.Biases.Should().OnlyContain(b => b == 0);
    }

    [Theory]
    [InlineData("inputs")]
    [InlineData("outputs")]
    public void ResidualBlock_FromConfigWhoseSizesDisagreeWithItsLayers_IsInvalidData(string field)
    {
        JsonObject config = new ResidualBlock<double>(new DenseLayer<double>(3, 3), new LayerNormalization<double>(3)).GetConfig();
        config[field] = 4;

        FluentActions.Invoking(() => ResidualBlock<double>.FromConfig(JsonSerializer.SerializeToElement(config)))
            .Should().Throw<InvalidDataException>().WithMessage(field == "inputs" ? "*residual block of 4 → 3 features whose layers make 3 → 3*" : "*of 3 → 4 features*");
    }

    [Fact]
    public void ResidualBlock_ConfigWithoutAProjection_ExpectsTheDenseOneItWillMake_OnlyWhenTheSizesDiffer()
    {
        // A file may say "projection": null for a block that changes the number of features: loading makes the dense one.
        var block = new ResidualBlock<double>(new DenseLayer<double>(2, 3), new BatchNormalization<double>(3));
        JsonObject config = block.GetConfig();
        config["projection"] = null;
        JsonElement element = JsonSerializer.SerializeToElement(config);

        LayerShapes.Set shapes = ResidualBlock<double>.ShapesFromConfig(element)!.Value;

        shapes.Parameters.Should().Equal(block.Parameters.Select(p => new LayerShapes.TensorShape(p.Rows, p.Columns)));
        shapes.State.Should().Equal(block.State.Select(p => new LayerShapes.TensorShape(p.Rows, p.Columns)));
        ResidualBlock<double>.FromConfig(element).Projection.Should().BeOfType<DenseLayer<double>>();
        JsonObject same = new ResidualBlock<double>(new DenseLayer<double>(3, 3)).GetConfig();
        ResidualBlock<double>.ShapesFromConfig(JsonSerializer.SerializeToElement(same))!.Value.Parameters.Should().HaveCount(2, "no projection for equal sizes");
    }

    [Fact]
    public void LayersExportedToOnnx_NameEveryTensorAfterThemselves()
    {
        // ExportOnnx's name is the prefix of every tensor the layer adds: a block's layers are "{name}.{i}", its projection "{name}.projection".
        var network = new Network<float>(1,
            new ResidualBlock<float>(new DenseLayer<float>(2, 3), new LayerNormalization<float>(3)),
            new BatchNormalization<float>(3));
        using var stream = new MemoryStream();
        OnnxExporter.Export(network, stream);
        string model = Encoding.ASCII.GetString(stream.ToArray());

        model.Should().Contain("layer0.0.weight").And.Contain("layer0.0.bias").And.Contain("layer0.1.scale").And.Contain("layer0.1.shift")
            .And.Contain("layer0.projection.weight").And.Contain("layer0.projection.bias").And.Contain("layer0.y")
            .And.Contain("layer1.scale").And.Contain("layer1.mean").And.Contain("layer1.var");
    }

    [Fact]
    public void DenseLayer_FromConfigWithAnInitializerTheLibraryDoesNotKnow_TakesTheActivationsDefault()
    {
        // A user's initializer only mattered for the first draw; the weights are loaded after.
        JsonObject config = new DenseLayer<double>(2, 3, new NeuralNet.Activations.ReLU<double>(), NeuralNet.Initializers.WeightInitializer.LeCunNormal).GetConfig();
        DenseLayer<double>.FromConfig(JsonSerializer.SerializeToElement(config)).Initializer.Should().Be(NeuralNet.Initializers.WeightInitializer.LeCunNormal);
        config["initializer"] = "mine";

        DenseLayer<double>.FromConfig(JsonSerializer.SerializeToElement(config)).Initializer.Should().Be(NeuralNet.Initializers.WeightInitializer.HeUniform);
    }

    [Fact]
    public void DenseLayer_BackwardFromActivationInput_ChecksItsArgument_AndSkipsTheInputGradientWhenAsked()
    {
        var layer = new DenseLayer<double>(3, 2, new NeuralNet.Activations.Softmax<double>());
        _ = new Network<double>(1, layer);
        FluentActions.Invoking(() => layer.BackwardFromActivationInput(Matrix<double>.Build.Dense(4, 2)))
            .Should().Throw<InvalidOperationException>().WithMessage("*before Forward*");
        Matrix<double> x = RandomMatrices.Uniform<double>(new RandomSource(2), 4, 3);
        Matrix<double> dz = RandomMatrices.Uniform<double>(new RandomSource(3), 4, 2);
        layer.Forward(x, training: true);

        FluentActions.Invoking(() => layer.BackwardFromActivationInput(null!)).Should().Throw<ArgumentNullException>().WithParameterName("activationInputGradient");
        FluentActions.Invoking(() => layer.BackwardFromActivationInput(Matrix<double>.Build.Dense(3, 2)))
            .Should().Throw<ArgumentException>().WithParameterName("activationInputGradient");
        FluentActions.Invoking(() => layer.BackwardFromActivationInput(Matrix<double>.Build.Dense(4, 3)))
            .Should().Throw<ArgumentException>().WithParameterName("activationInputGradient");
        layer.BackwardFromActivationInput(dz, computeInputGradient: false).Should().BeNull();
        layer.Parameters[1].Gradients.ToArray().Should().Equal(dz.ColumnSums().ToArray(), (a, e) => Math.Abs(a - e) < 1e-12); // ∂L/∂b = Σ ∂L/∂Z
        (layer.BackwardFromActivationInput(dz)! - dz * layer.Weights).Enumerate().Max(Math.Abs).Should().BeLessThan(1e-12); // ∂L/∂X = ∂L/∂Z·W
    }

    [Fact]
    public void DenseLayer_TooManyWeights_IsRefusedSayingWhatTheyNumber()
    {
        // 65536 × 65537 weights overflow an int: the constructor's own check, with its message (not only its type).
        FluentActions.Invoking(() => new DenseLayer<float>(65536, 65537)).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("outputSize").WithMessage("a dense layer's weights number inputSize × outputSize: 65536 × 65537*");
    }

    [Fact]
    public void DenseLayer_BackwardWithAGradientOfTheTransposedShape_IsRefused()
    {
        // A 3 × 2 gradient for a 2 × 3 output holds as many values: only the shape check tells them apart.
        var layer = new DenseLayer<double>(4, 3);
        _ = new Network<double>(1, layer);
        layer.Forward(RandomMatrices.Uniform<double>(new RandomSource(2), 2, 4), training: true);

        FluentActions.Invoking(() => layer.Backward(Matrix<double>.Build.Dense(3, 2, 1.0))).Should().Throw<ArgumentException>()
            .WithParameterName("outputGradient").WithMessage("outputGradient must be 2×3 (received 3×2)*");
    }

    [Fact]
    public void DenseLayer_PredictIntoItsOwnInput_IsRefusedNamingTheInput()
    {
        // A 2-in, 2-out layer: the output matrix has the input's shape, so only the sharing check can refuse it.
        var layer = new DenseLayer<double>(2, 2);
        _ = new Network<double>(1, layer);
        Matrix<double> x = RandomMatrices.Uniform<double>(new RandomSource(3), 3, 2);

        FluentActions.Invoking(() => layer.Predict(x, x)).Should().Throw<ArgumentException>()
            .WithParameterName("output").WithMessage("output must not share its storage with input, *");
    }

    [Fact]
    public void DenseLayer_InitializedWithoutARandomSource_AndExportedWithoutAGraph_NamesTheArgument()
    {
        var layer = new DenseLayer<double>(2, 2);

        FluentActions.Invoking(() => layer.InitializeFor(null!)).Should().Throw<ArgumentNullException>().WithParameterName("random");
        FluentActions.Invoking(() => layer.ExportOnnx(null!, "x", "dense")).Should().Throw<ArgumentNullException>().WithParameterName("graph");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void LayerNormalization_BackwardOfASmallBatch_IsEachRowsOwnGradient(int rows)
    {
        // Layer normalisation works on each sample alone, so a batch's input gradient is every row's gradient computed
        // alone. Its per-row sums live in one buffer of four row-long spans: the spans must not overlap at any batch size.
        var layer = new LayerNormalization<double>(5);
        _ = new Network<double>(2, layer);
        var random = new RandomSource(31);
        Span<double> scale = layer.Parameters[0].Values; // γ ≠ 1, so the gradient goes through it
        for (int j = 0; j < 5; j++)
        {
            scale[j] = 0.5 + (0.3 * j);
        }

        Matrix<double> x = RandomMatrices.Uniform<double>(random, rows, 5);
        Matrix<double> g = RandomMatrices.Uniform<double>(random, rows, 5);

        layer.Forward(x, training: true);
        Matrix<double> batch = layer.Backward(g)!.Clone();
        for (int r = 0; r < rows; r++)
        {
            layer.Forward(x.SubMatrix(r, 1, 0, 5), training: true);
            Matrix<double> alone = layer.Backward(g.SubMatrix(r, 1, 0, 5))!;
            (batch.Row(r) - alone.Row(0)).AbsoluteMaximum().Should().BeLessThan(1e-12, $"row {r} of {rows}");
        }
    }

    [Fact]
    public void Normalizations_PredictIntoTheirOwnParametersOrStatistics_AreRefusedNamingThem()
    {
        // Size 1, so a parameter's 1 × 1 matrix has the output's shape and only the sharing check can refuse it.
        var batchNorm = new BatchNormalization<double>(1);
        var layerNorm = new LayerNormalization<double>(1);
        Matrix<double> x = Matrix<double>.Build.Dense(1, 1, 0.5);

        FluentActions.Invoking(() => batchNorm.Predict(x, batchNorm.State[0].Value)).Should().Throw<ArgumentException>()
            .WithParameterName("output").WithMessage("output must not share its storage with this layer's running statistic 0 *");
        FluentActions.Invoking(() => layerNorm.Predict(x, layerNorm.Parameters[0].Value)).Should().Throw<ArgumentException>()
            .WithParameterName("output").WithMessage("output must not share its storage with this layer's parameter 0 *");
    }

    [Fact]
    public void Normalizations_ExportedWithoutAnInputOrAName_NameTheArgument()
    {
        foreach (Layer<float> layer in new Layer<float>[] { new BatchNormalization<float>(2), new LayerNormalization<float>(2) })
        {
            FluentActions.Invoking(() => layer.ExportOnnx(new NeuralNet.Onnx.OnnxGraph<float>(), null!, "norm")).Should().Throw<ArgumentNullException>()
                .WithParameterName("input", layer.Kind);
            FluentActions.Invoking(() => layer.ExportOnnx(new NeuralNet.Onnx.OnnxGraph<float>(), "x", null!)).Should().Throw<ArgumentNullException>()
                .WithParameterName("name", layer.Kind);
        }
    }

    private static byte[] FloatAttribute(string name, float value)
    {
        // AttributeProto: name (field 1, length-delimited), then f (field 2, fixed32).
        byte[] bytes = new byte[2 + name.Length + 5];
        bytes[0] = 0x0A;
        bytes[1] = (byte)name.Length;
        Encoding.ASCII.GetBytes(name).CopyTo(bytes, 2);
        bytes[2 + name.Length] = 0x15;
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(3 + name.Length), value);
        return bytes;
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    /// <summary>A user's layer that keeps every default of <see cref="Layer{T}"/>: the identity, without parameters.</summary>
    private sealed class Plain<T>(int size) : Layer<T>
        where T : struct, System.Numerics.IFloatingPointIeee754<T>
    {
        public override int InputSize => size;

        public override int OutputSize => size;

        public override Matrix<T> Forward(Matrix<T> input, bool training) => input;

        public override Matrix<T>? Backward(Matrix<T> outputGradient, bool computeInputGradient = true) => computeInputGradient ? outputGradient : null;

        public override void Predict(Matrix<T> input, Matrix<T> output) => input.CopyTo(output);
    }
}
