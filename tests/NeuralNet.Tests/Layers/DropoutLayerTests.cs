using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Onnx;
using Xunit;

namespace NeuralNet.Tests.Layers;

public sealed class DropoutLayerTests
{
    [Fact]
    public void Evaluation_AndPredict_PassTheInputThrough()
    {
        var dropout = new DropoutLayer<double>(5, 0.5);
        _ = new Network<double>(1, dropout);
        Matrix<double> x = RandomMatrices.Uniform<double>(new RandomSource(2), 3, 5);
        dropout.Forward(x, training: false).Should().BeEquivalentTo(x);
        var y = Matrix<double>.Build.Dense(3, 5);
        dropout.Predict(x, y);
        y.Should().BeEquivalentTo(x);
        GradientChecker.CheckLayer(dropout, x, new RandomSource(3)).MaxRelativeError.Should().BeLessThan(1e-9);
    }

    [Fact]
    public void Training_DropsAboutRateOfTheInputs_AndScalesTheRestToKeepTheMean()
    {
        var dropout = new DropoutLayer<double>(100, 0.3);
        _ = new Network<double>(7, dropout);
        var x = Matrix<double>.Build.Dense(200, 100, 1.0);
        Matrix<double> y = dropout.Forward(x, training: true);
        double dropped = y.Enumerate().Count(v => v == 0) / 20000.0;
        dropped.Should().BeApproximately(0.3, 0.02);
        y.Enumerate().Where(v => v != 0).Should().OnlyContain(v => Math.Abs(v - 1 / 0.7) < 1e-12);
        y.Enumerate().Average().Should().BeApproximately(1.0, 0.03);
    }

    [Fact]
    public void Training_Backward_AppliesTheSameMaskAsForward()
    {
        var dropout = new DropoutLayer<double>(6, 0.5);
        _ = new Network<double>(3, dropout);
        Matrix<double> x = RandomMatrices.Uniform<double>(new RandomSource(4), 4, 6, 0.5, 1.5);
        Matrix<double> y = dropout.Forward(x, training: true).Clone();
        Matrix<double> g = Matrix<double>.Build.Dense(4, 6, 1.0);
        Matrix<double> dx = dropout.Backward(g)!;
        dx.PointwiseMultiply(x).Should().BeEquivalentTo(y, "∂y/∂x is the mask, so (∂L/∂x)·x = y for ∂L/∂y = 1");
    }

    [Fact]
    public void SameSeed_GivesTheSameMasks()
    {
        Matrix<double> Mask(ulong seed)
        {
            var d = new DropoutLayer<double>(10, 0.5);
            _ = new Network<double>(seed, d);
            return d.Forward(Matrix<double>.Build.Dense(5, 10, 1.0), true).Clone();
        }

        Mask(9).Should().BeEquivalentTo(Mask(9));
        Mask(9).Equals(Mask(10)).Should().BeFalse();
    }

    [Fact]
    public void RateOutsideZeroToOne_IsRejected()
    {
        FluentActions.Invoking(() => new DropoutLayer<double>(3, 1.0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("rate").WithMessage("*[0, 1)*");
        FluentActions.Invoking(() => new DropoutLayer<double>(3, -0.1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("rate");
    }

    [Fact]
    public void SizeBelowOne_OrARateThatIsNotANumber_IsRejected_AndRateZeroIsAccepted()
    {
        FluentActions.Invoking(() => new DropoutLayer<double>(0, 0.5)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("size");
        FluentActions.Invoking(() => new DropoutLayer<double>(3, double.NaN)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("rate");
        new DropoutLayer<double>(1, 0.0).Rate.Should().Be(0);
        FluentActions.Invoking(() => new DropoutLayer<double>(2, 0.5).InitializeFor(null!)).Should().Throw<ArgumentNullException>().WithParameterName("random");
    }

    [Fact]
    public void Config_HoldsSizeAndRate_AndTheMaskSourceOnceANetworkGaveItOne()
    {
        var dropout = new DropoutLayer<double>(4, 0.25);
        JsonObject lone = dropout.GetConfig();
        lone["size"]!.GetValue<int>().Should().Be(4);
        lone["rate"]!.GetValue<double>().Should().Be(0.25);
        lone.ContainsKey("random").Should().BeFalse("a layer outside a network has no mask source yet");

        _ = new Network<double>(3, dropout);

        dropout.GetConfig().ContainsKey("random").Should().BeTrue();
    }

    [Fact]
    public void FromConfig_ContinuesTheSavedMaskSequence_OnlyInTheFirstNetworkThatTakesIt()
    {
        var ones = Matrix<double>.Build.Dense(3, 6, 1.0);
        var saved = new DropoutLayer<double>(6, 0.5);
        _ = new Network<double>(3, saved);
        _ = saved.Forward(ones, training: true); // moves the mask source on
        JsonElement config = JsonDocument.Parse(saved.GetConfig().ToJsonString()).RootElement;
        Matrix<double> next = saved.Forward(ones, training: true).Clone();

        DropoutLayer<double> loaded = DropoutLayer<double>.FromConfig(config);
        loaded.Rate.Should().Be(0.5);
        loaded.InputSize.Should().Be(6);
        DropoutLayer<double>.ShapesFromConfig(config).Parameters.Should().BeEmpty();
        DropoutLayer<double>.ShapesFromConfig(config).State.Should().BeEmpty();
        _ = new Network<double>(77, loaded);
        loaded.Forward(ones, training: true).Should().BeEquivalentTo(next, "the loaded layer goes on where the saved one stopped");

        var fresh = new DropoutLayer<double>(6, 0.5);
        _ = new Network<double>(78, fresh);
        _ = new Network<double>(78, loaded); // a second network: the saved position is used once, then the network's own source
        loaded.Forward(ones, training: true).Should().BeEquivalentTo(fresh.Forward(ones, training: true));
    }

    [Fact]
    public void ExportOnnx_IsTheIdentity_AndChecksItsArguments()
    {
        var dropout = new DropoutLayer<double>(4, 0.25);
        var graph = new OnnxGraph<double>();

        dropout.ExportOnnx(graph, "x", "drop").Should().Be("x");
        FluentActions.Invoking(() => dropout.ExportOnnx(null!, "x", "drop")).Should().Throw<ArgumentNullException>().WithParameterName("graph");
        FluentActions.Invoking(() => dropout.ExportOnnx(graph, null!, "drop")).Should().Throw<ArgumentNullException>().WithParameterName("input");
        FluentActions.Invoking(() => dropout.ExportOnnx(graph, "x", null!)).Should().Throw<ArgumentNullException>().WithParameterName("name");
    }
}
