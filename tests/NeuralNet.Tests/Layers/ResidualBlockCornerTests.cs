using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Initializers;
using NeuralNet.Layers;
using NeuralNet.Onnx;
using NeuralNet.Serialization;
using Xunit;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// Corners of <see cref="ResidualBlock{T}"/> that the mutation run of <c>Layers/</c> (Stryker.NET, issue #12 item 6, part B2b)
/// showed no test pinned: each test fails when its line is changed the way a surviving mutant changed it (checked by hand).
/// </summary>
public sealed class ResidualBlockCornerTests
{
    [Fact]
    public void Constructor_OfANullLayerList_ThrowsArgumentNullNamingIt()
    {
        // Line 48: the block's own null check (without it, layers.Count throws NullReferenceException).
        FluentActions.Invoking(() => new ResidualBlock<double>((IReadOnlyList<Layer<double>>)null!, null))
            .Should().Throw<ArgumentNullException>().WithParameterName("layers");
    }

    [Fact]
    public void Constructor_OfNoLayers_SaysABlockNeedsOne()
    {
        // Line 51: the message of an empty layer list.
        FluentActions.Invoking(() => new ResidualBlock<double>([], null))
            .Should().Throw<ArgumentException>().WithParameterName("layers")
            .WithMessage("a residual block needs at least one layer (received none).*");
    }

    [Fact]
    public void Constructor_OfLayersWhoseSizesDisagree_NamesTheLayerAndTheOneBeforeIt()
    {
        // Line 63: "layer {i - 1}" in the message is the previous layer (not the next one).
        FluentActions.Invoking(() => new ResidualBlock<double>(new DenseLayer<double>(4, 5), new DenseLayer<double>(6, 4), new DenseLayer<double>(4, 4)))
            .Should().Throw<ArgumentException>().WithParameterName("layers")
            .WithMessage("layer 1 (Dense(6 → 4, identity)) takes 6 inputs but layer 0 (Dense(4 → 5, identity)) gives 5 outputs.*");
    }

    [Fact]
    public void Constructor_OfAProjectionOfTheWrongSizes_SaysWhatItMustMap()
    {
        // Line 71: the message of a projection that does not map the block's inputs to its outputs.
        FluentActions.Invoking(() => new ResidualBlock<double>([new DenseLayer<double>(4, 5)], new DenseLayer<double>(4, 6)))
            .Should().Throw<ArgumentException>().WithParameterName("projection")
            .WithMessage("the projection must map the block's 4 inputs to its 5 outputs (received Dense(4 → 6, identity)).*");
    }

    [Fact]
    public void ForwardBackwardAndPredict_CheckShapesThemselves_NotOnlyThroughTheirLayers()
    {
        // Lines 118, 137, 160, 161: a user's layer inside checks nothing, so every refusal below is the block's own.
        var block = new ResidualBlock<double>(new Unchecked(3));
        Matrix<double> x = Matrix<double>.Build.Dense(2, 3, 1.0);

        FluentActions.Invoking(() => block.Forward(Matrix<double>.Build.Dense(2, 4), training: true))
            .Should().Throw<ArgumentException>().WithParameterName("input").WithMessage("input must have 3 columns*");
        FluentActions.Invoking(() => block.Predict(Matrix<double>.Build.Dense(2, 4), Matrix<double>.Build.Dense(2, 3)))
            .Should().Throw<ArgumentException>().WithParameterName("input").WithMessage("input must have 3 columns*");
        FluentActions.Invoking(() => block.Predict(x, Matrix<double>.Build.Dense(2, 4)))
            .Should().Throw<ArgumentException>().WithParameterName("output").WithMessage("output must be 2×3*");
        block.Forward(x, training: true);
        FluentActions.Invoking(() => block.Backward(Matrix<double>.Build.Dense(1, 3)))
            .Should().Throw<ArgumentException>().WithParameterName("outputGradient").WithMessage("outputGradient must be 2×3*");
    }

    [Fact]
    public void Backward_WithoutAnInputGradient_TellsItsFirstLayerSo_AndTheOthersToComputeTheirs()
    {
        // Line 141: only the block's first layer may skip its input gradient, and only when the block's caller asked for none
        // (as a network does for its first layer).
        Unchecked first = new(3), second = new(3);
        var block = new ResidualBlock<double>(first, second);
        block.Forward(Matrix<double>.Build.Dense(2, 3, 1.0), training: true);

        block.Backward(Matrix<double>.Build.Dense(2, 3, 1.0), computeInputGradient: false).Should().BeNull();

        first.Flags.Should().Equal(false);
        second.Flags.Should().Equal(true);
        block.Backward(Matrix<double>.Build.Dense(2, 3, 1.0), computeInputGradient: true).Should().NotBeNull();
        first.Flags.Should().Equal(false, true);
    }

    [Fact]
    public void ABlockWithAProjectionOfItsOwn_SavesAndLoads_WithTheSameProjection()
    {
        // Lines 202 (the "projection" key and its value) and 229 (ShapesFromConfig reading it): a projection that is not the
        // default one (here: a Tanh activation, LeCun initialisation, on a block that keeps its size) must survive the file.
        var projection = new DenseLayer<double>(3, 3, new Tanh<double>(), WeightInitializer.LeCunNormal);
        var block = new ResidualBlock<double>([new DenseLayer<double>(3, 3, new Tanh<double>())], projection);
        var network = new Network<double>(7, block, new DenseLayer<double>(3, 2));
        Matrix<double> x = RandomMatrices.Uniform<double>(new RandomSource(8), 5, 3);

        block.GetConfig()["projection"].Should().NotBeNull();
        block.GetConfig()["projection"]!["activation"]!["name"]!.GetValue<string>().Should().Be("tanh");
        ResidualBlock<double>.ShapesFromConfig(JsonSerializer.SerializeToElement(block.GetConfig()))!.Value.Parameters
            .Should().Equal(block.Parameters.Select(p => new LayerShapes.TensorShape(p.Rows, p.Columns)));
        using var stream = new MemoryStream();
        NetworkSerializer.Save(network, stream);
        stream.Position = 0;
        Network<double> loaded = NetworkSerializer.Load<double>(stream);

        var loadedBlock = (ResidualBlock<double>)loaded.Layers[0];
        loadedBlock.Projection.Should().NotBeNull();
        JsonNode.DeepEquals(loadedBlock.GetConfig(), block.GetConfig()).Should().BeTrue();
        loaded.Predict(x).ToColumnMajorArray().Should().Equal(network.Predict(x).ToColumnMajorArray());
    }

    [Fact]
    public void ExportOnnx_OfANullName_ThrowsArgumentNullNamingIt()
    {
        // Line 208: the block's own argument checks; its layers would get "{name}.0", never null, and export under ".0".
        var block = new ResidualBlock<double>(new DenseLayer<double>(2, 2));

        FluentActions.Invoking(() => block.ExportOnnx(new OnnxGraph<double>(), "x", null!)).Should().Throw<ArgumentNullException>().WithParameterName("name");
        FluentActions.Invoking(() => block.ExportOnnx(null!, "x", "b")).Should().Throw<ArgumentNullException>().WithParameterName("graph");
        FluentActions.Invoking(() => block.ExportOnnx(new OnnxGraph<double>(), null!, "b")).Should().Throw<ArgumentNullException>().WithParameterName("input");
    }

    [Fact]
    public void ShapesFromConfig_OfABlockHoldingAUsersLayer_IsUnknown()
    {
        // Line 238: one layer the library cannot size (a user's kind) makes the whole block's shapes unknown (null), not an error.
        JsonObject config = new ResidualBlock<double>(new DenseLayer<double>(3, 3), new DenseLayer<double>(3, 3)).GetConfig();
        config["layers"]!.AsArray()[1] = new JsonObject { ["kind"] = "my_scaler", ["size"] = 3 };

        ResidualBlock<double>.ShapesFromConfig(JsonSerializer.SerializeToElement(config)).Should().BeNull();
    }

    [Fact]
    public void ToString_SeparatesItsLayersWithACommaAndNamesTheProjection()
    {
        // Line 267: the ", " between the layers.
        new ResidualBlock<double>(new DenseLayer<double>(2, 3), new DenseLayer<double>(3, 4)).ToString()
            .Should().Be("Residual(2 → 4: Dense(2 → 3, identity), Dense(3 → 4, identity) + projection)");
    }

    /// <summary>A user's layer that passes data through without checking anything, and records each backward pass's flag.</summary>
    private sealed class Unchecked(int size) : Layer<double>
    {
        public List<bool> Flags { get; } = [];

        public override int InputSize => size;

        public override int OutputSize => size;

        public override Matrix<double> Forward(Matrix<double> input, bool training) => Matrix<double>.Build.Dense(input.RowCount, size);

        public override Matrix<double>? Backward(Matrix<double> outputGradient, bool computeInputGradient = true)
        {
            Flags.Add(computeInputGradient);
            return computeInputGradient ? outputGradient : null;
        }

        public override void Predict(Matrix<double> input, Matrix<double> output)
        {
        }
    }
}
