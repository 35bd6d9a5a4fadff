using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using Xunit;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// The settings of the built-in layers (ranges, defaults, descriptions) and the corners of their passes that
/// mutation testing (Stryker.NET) found unpinned: each test fails when a line is changed the way a surviving mutant changed it.
/// </summary>
public sealed class LayerSettingsTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(1.0000001)]
    [InlineData(double.NaN)]
    public void BatchNormalization_MomentumOutsideZeroToOne_IsRefused(double momentum)
    {
        FluentActions.Invoking(() => new BatchNormalization<double>(3, momentum)).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName(nameof(momentum)).WithMessage("*(0, 1]*");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1e-5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Normalizations_EpsilonThatIsNotAFinitePositiveNumber_IsRefused(double epsilon)
    {
        FluentActions.Invoking(() => new BatchNormalization<double>(3, 0.1, epsilon)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName(nameof(epsilon));
        FluentActions.Invoking(() => new LayerNormalization<double>(3, epsilon)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName(nameof(epsilon));
    }

    [Fact]
    public void Normalizations_RangeEndsAndDefaults_AreAccepted()
    {
        var batch = new BatchNormalization<double>(3, momentum: 1, epsilon: 1e-300);
        batch.Momentum.Should().Be(1);
        batch.Epsilon.Should().Be(1e-300);
        new BatchNormalization<double>(2).Momentum.Should().Be(0.1);
        new BatchNormalization<double>(2).Epsilon.Should().Be(1e-5);
        new LayerNormalization<double>(2).Epsilon.Should().Be(1e-5);
        new LayerNormalization<double>(1).InputSize.Should().Be(1);
        FluentActions.Invoking(() => new BatchNormalization<double>(0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("size");
        FluentActions.Invoking(() => new LayerNormalization<double>(0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("size");
        FluentActions.Invoking(() => new DropoutLayer<double>(0, 0.1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("size");
        FluentActions.Invoking(() => new DenseLayer<double>(2, 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("outputSize");
        new DropoutLayer<double>(1, 0.0).Rate.Should().Be(0);
    }

    [Fact]
    public void BatchNormalization_MomentumOne_TakesTheBatchStatistics()
    {
        var layer = new BatchNormalization<double>(2, momentum: 1);
        _ = new Network<double>(1, layer);
        Matrix<double> x = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 10 }, { 3, 10 }, { 5, 16 } });

        layer.Forward(x, training: true);

        layer.RunningMean.ToArray().Should().Equal(3, 12);
        layer.RunningVariance[0].Should().BeApproximately(4, 1e-12); // unbiased: (4 + 0 + 4)/2
        layer.RunningVariance[1].Should().BeApproximately(12, 1e-12); // (4 + 4 + 16)/2
    }

    [Fact]
    public void BatchNormalization_ImpossibleState_IsANegativeVarianceOnly_NamingWhere()
    {
        var layer = new BatchNormalization<double>(3);
        layer.ImpossibleState().Should().BeNull();
        layer.RunningVariance[1] = 0;
        layer.ImpossibleState().Should().BeNull("a zero variance is possible (a constant feature)");
        layer.RunningVariance[2] = -0.5;
        layer.ImpossibleState().Should().Contain("-0.5").And.Contain("index 2");

        var block = new ResidualBlock<double>(new DenseLayer<double>(3, 3), layer);
        block.ImpossibleState().Should().Contain("index 2", "a block asks the layers inside it");
        new ResidualBlock<double>(new DenseLayer<double>(3, 3), new BatchNormalization<double>(3)).ImpossibleState().Should().BeNull();
        new DenseLayer<double>(2, 2).ImpossibleState().Should().BeNull();
    }

    [Fact]
    public void ToString_DescribesEachLayerWithItsSettings()
    {
        new BatchNormalization<double>(3, 0.25, 0.5).ToString().Should().Be($"BatchNorm(3, momentum = {0.25}, ε = {0.5})");
        new LayerNormalization<double>(4, 0.5).ToString().Should().Be($"LayerNorm(4, ε = {0.5})");
        new DropoutLayer<double>(5, 0.25).ToString().Should().Be($"Dropout(5, p = {0.25})");
        new DenseLayer<double>(2, 3, new Tanh<double>()).ToString().Should().Be("Dense(2 → 3, tanh)");
        new ResidualBlock<double>(new DenseLayer<double>(2, 2)).ToString().Should().Be("Residual(2 → 2: Dense(2 → 2, identity))");
        new ResidualBlock<double>(new DenseLayer<double>(2, 3)).ToString().Should().Be("Residual(2 → 3: Dense(2 → 3, identity) + projection)");
    }

    [Fact]
    public void Kinds_AreTheModelFileNames()
    {
        new BatchNormalization<double>(1).Kind.Should().Be("batch_norm");
        new LayerNormalization<double>(1).Kind.Should().Be("layer_norm");
        new DropoutLayer<double>(1, 0).Kind.Should().Be("dropout");
        new DenseLayer<double>(1, 1).Kind.Should().Be("dense");
        new ResidualBlock<double>(new DenseLayer<double>(1, 1)).Kind.Should().Be("residual");
    }

    [Fact]
    public void ResidualBlock_ProjectionThatTakesTheWrongNumberOfInputs_IsRefused()
    {
        FluentActions.Invoking(() => new ResidualBlock<double>([new DenseLayer<double>(4, 5)], new DenseLayer<double>(3, 5)))
            .Should().Throw<ArgumentException>().WithParameterName("projection");
        FluentActions.Invoking(() => new ResidualBlock<double>([new DenseLayer<double>(4, 4), null!], null))
            .Should().Throw<ArgumentException>().WithParameterName("layers").WithMessage("*index 1*");
        FluentActions.Invoking(() => new ResidualBlock<double>([], null)).Should().Throw<ArgumentException>().WithParameterName("layers");
        var shared = new DenseLayer<double>(4, 4);
        FluentActions.Invoking(() => new ResidualBlock<double>([shared, shared], null)).Should().Throw<ArgumentException>().WithMessage("*only once*");
        FluentActions.Invoking(() => new ResidualBlock<double>([new DenseLayer<double>(4, 5)], shared)).Should().Throw<ArgumentException>().WithParameterName("projection");
        var projection = new DenseLayer<double>(4, 5);
        FluentActions.Invoking(() => new ResidualBlock<double>([projection], projection)).Should().Throw<ArgumentException>().WithMessage("*only once*");
    }

    [Fact]
    public void ResidualBlock_ListsItsLayersThenTheProjection()
    {
        var first = new DenseLayer<double>(2, 3);
        var second = new BatchNormalization<double>(3);
        var projection = new DenseLayer<double>(2, 3);
        var block = new ResidualBlock<double>([first, second], projection);

        block.Layers.Should().Equal(first, second);
        block.Sublayers.Should().Equal(first, second, projection);
        block.Parameters.Should().Equal(first.Parameters.Concat(second.Parameters).Concat(projection.Parameters));
        block.State.Should().Equal(second.State);
        block.InputSize.Should().Be(2);
        block.OutputSize.Should().Be(3);
    }

    [Fact]
    public void ResidualBlock_Predict_OnBatchesOfChangingSize_EqualsTheEvaluationForwardPass()
    {
        var block = new ResidualBlock<double>(new DenseLayer<double>(3, 4, new Tanh<double>()), new DenseLayer<double>(4, 2));
        _ = new Network<double>(5, block);
        var random = new RandomSource(6);
        foreach (int rows in new[] { 2, 5, 2, 1 })
        {
            Matrix<double> x = RandomMatrices.Uniform<double>(random, rows, 3);
            var output = Matrix<double>.Build.Dense(rows, 2);
            block.Predict(x, output);
            Matrix<double> forward = block.Forward(x, training: false);
            (output - forward).Enumerate().Max(Math.Abs).Should().BeLessThan(1e-12);
        }
    }

    [Fact]
    public void ResidualBlock_AsTheFirstLayer_TrainsEveryLayerInside()
    {
        // The first layer of a network is asked for no input gradient, yet the layers inside the block after its first need theirs.
        var block = new ResidualBlock<double>(new DenseLayer<double>(3, 4, new Tanh<double>()), new DenseLayer<double>(4, 3, new Tanh<double>()));
        var network = new Network<double>(7, block, new DenseLayer<double>(3, 1));
        Matrix<double> x = RandomMatrices.Uniform<double>(new RandomSource(8), 4, 3);
        Matrix<double> t = RandomMatrices.Uniform<double>(new RandomSource(9), 4, 1);

        GradientChecker.CheckNetwork(network, x, t, new NeuralNet.Losses.MeanSquaredError<double>()).MaxRelativeError.Should().BeLessThan(1e-6);
    }

    [Fact]
    public void DenseLayer_PredictIntoASparseMatrixOrItsWeights_IsRefused()
    {
        var layer = new DenseLayer<double>(2, 2);
        _ = new Network<double>(1, layer);
        Matrix<double> x = Matrix<double>.Build.Dense(2, 2, 0.5);

        FluentActions.Invoking(() => layer.Predict(x, Matrix<double>.Build.Sparse(2, 2))).Should().Throw<ArgumentException>().WithParameterName("output").WithMessage("*dense*");
        FluentActions.Invoking(() => layer.Predict(x, layer.Weights)).Should().Throw<ArgumentException>().WithParameterName("output").WithMessage("*weights*");
    }

    [Fact]
    public void DropoutLayer_RateZero_PassesTheInputThroughInTraining_WithoutAnyRandomSource()
    {
        // Outside a network a dropout layer has no random source: with p = 0 it needs none, even in training.
        var dropout = new DropoutLayer<double>(3, 0);
        Matrix<double> x = RandomMatrices.Uniform<double>(new RandomSource(1), 2, 3);

        dropout.Forward(x, training: true).Should().BeEquivalentTo(x);
        dropout.Backward(Matrix<double>.Build.Dense(2, 3, 2.0))!.Enumerate().Should().OnlyContain(v => v == 2.0);
        FluentActions.Invoking(() => new DropoutLayer<double>(3, 0.5).Forward(x, training: true))
            .Should().Throw<InvalidOperationException>().WithMessage("*belong to a Network*");
    }

    [Fact]
    public void DropoutLayer_TrainingBackward_AfterAnEvaluationForward_PassesTheGradientThrough()
    {
        var dropout = new DropoutLayer<double>(4, 0.5);
        _ = new Network<double>(2, dropout);
        Matrix<double> x = RandomMatrices.Uniform<double>(new RandomSource(3), 3, 4);
        dropout.Forward(x, training: true);
        dropout.Forward(x, training: false);

        dropout.Backward(Matrix<double>.Build.Dense(3, 4, 1.5))!.Enumerate().Should().OnlyContain(v => v == 1.5, "the last forward pass dropped nothing");
    }
}
