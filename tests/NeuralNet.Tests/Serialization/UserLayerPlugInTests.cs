using System.Numerics;
using System.Text.Json.Nodes;
using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Onnx;
using NeuralNet.Optimizers;
using NeuralNet.Serialization;
using Xunit;

namespace NeuralNet.Tests.Serialization;

/// <summary>
/// A user's own layer and activation plug into saving, loading, ONNX export and the summary through
/// their self-description and a registered factory, without any change to the library.
/// </summary>
public sealed class UserLayerPlugInTests
{
    static UserLayerPlugInTests()
    {
        LayerRegistry.Register("test_feature_scale", new FeatureScaleFactory());
        LayerRegistry.Register("test_cube", new CubeFactory());
    }

    [Fact]
    public void UserLayerAndActivation_SaveLoadAndExport_LikeBuiltIns()
    {
        var network = new Network<double>(5, new DenseLayer<double>(3, 4, new Cube<double>(0.5)), new FeatureScale<double>(4), new DenseLayer<double>(4, 2));
        Matrix<double> x = SampleNetworks.Batch<double>(6, 3, seed: 1);
        network.TrainStep(x, SampleNetworks.Batch<double>(6, 2, seed: 2), new MeanSquaredError<double>(), new SgdOptimizer<double>(0.1));

        Network<double> loaded = NetworkSerializer.Load<double>(new MemoryStream(SampleNetworks.ToBytes(network)));

        loaded.Layers[1].Should().BeOfType<FeatureScale<double>>();
        ((DenseLayer<double>)loaded.Layers[0]).Activation.Should().BeOfType<Cube<double>>().Which.Scale.Should().Be(0.5);
        loaded.Predict(x).Should().Be(network.Predict(x));
        double[] onnx = OnnxExporterTests.RunOnnx(network, x);
        onnx.Should().Equal(network.Predict(x).ToRowMajorArray(), (a, e) => Math.Abs(a - e) <= 1e-9 * Math.Max(1, Math.Abs(e)));
        network.Summary().ToString().Should().Contain("test_feature_scale");
    }

    [Fact]
    public void UserLayer_Float_SavesAndLoads()
    {
        var network = new Network<float>(5, new FeatureScale<float>(3), new DenseLayer<float>(3, 2, new Cube<float>(2)));
        Matrix<float> x = SampleNetworks.Batch<float>(4, 3, seed: 1);

        Network<float> loaded = NetworkSerializer.Load<float>(new MemoryStream(SampleNetworks.ToBytes(network)));

        loaded.Predict(x).Should().Be(network.Predict(x));
    }

    [Fact]
    public void Register_ABuiltInName_IsRefused()
    {
        Action layer = () => LayerRegistry.Register("dense", new FeatureScaleFactory());
        Action activation = () => LayerRegistry.Register("relu", new CubeFactory());

        layer.Should().Throw<ArgumentException>().WithMessage("*built-in*");
        activation.Should().Throw<ArgumentException>().WithMessage("*built-in*");
    }

    [Fact]
    public void Load_UserFactoryRefusingItsSettings_ThrowsInvalidData()
    {
        var network = new Network<double>(5, new FeatureScale<double>(3));
        string header = System.Text.Encoding.UTF8.GetString(SampleNetworks.ToBytes(network));
        header.Should().Contain("\"size\": 3");

        JsonObject description = LayerRegistry.Describe(network.Layers[0]);
        description["size"] = -1;
        Action create = () => LayerRegistry.Create<double>(description);

        create.Should().Throw<InvalidDataException>().WithMessage("*test_feature_scale*");
    }

    /// <summary>y = x ⊙ s with a learnable scale per feature (starting at 1).</summary>
    private sealed class FeatureScale<T> : Layer<T>
        where T : struct, IFloatingPointIeee754<T>
    {
        private readonly Parameter<T> _scale;
        private Matrix<T>? _input;

        public FeatureScale(int size)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
            InputSize = size;
            _scale = new Parameter<T>("scale", size, 1);
            _scale.Values.Fill(T.One);
            Parameters = [_scale];
        }

        public override int InputSize { get; }

        public override int OutputSize => InputSize;

        public override IReadOnlyList<Parameter<T>> Parameters { get; }

        public override string Kind => "test_feature_scale";

        public override JsonObject GetConfig() => new() { ["size"] = InputSize };

        public override string ExportOnnx(OnnxGraph<T> graph, string input, string name)
        {
            graph.Initializer($"{name}.scale", [InputSize], _scale.Values.ToArray());
            graph.Node("Mul", [input, $"{name}.scale"], $"{name}.y");
            return $"{name}.y";
        }

        public override Matrix<T> Forward(Matrix<T> input, bool training)
        {
            _input = input;
            return input * Matrix<T>.Build.DenseOfDiagonalArray(_scale.Values.ToArray());
        }

        public override Matrix<T>? Backward(Matrix<T> outputGradient, bool computeInputGradient = true)
        {
            Matrix<T> product = outputGradient.PointwiseMultiply(_input!);
            for (int j = 0; j < InputSize; j++)
            {
                _scale.Gradients[j] = product.Column(j).Sum();
            }

            return outputGradient * Matrix<T>.Build.DenseOfDiagonalArray(_scale.Values.ToArray());
        }

        public override void Predict(Matrix<T> input, Matrix<T> output) =>
            input.Multiply(Matrix<T>.Build.DenseOfDiagonalArray(_scale.Values.ToArray()), output);
    }

    private sealed class FeatureScaleFactory : ILayerFactory
    {
        public Layer<T> Create<T>(JsonObject config)
            where T : struct, IFloatingPointIeee754<T> => new FeatureScale<T>((int)config["size"]!);
    }

    /// <summary>f(z) = c·z³.</summary>
    private sealed class Cube<T>(double scale) : ElementwiseActivationFunction<T>
        where T : struct, IFloatingPointIeee754<T>
    {
        public double Scale => scale;

        public override string Name => "test_cube";

        public override JsonObject GetConfig() => new() { ["scale"] = scale };

        public override T Value(T z) => T.CreateChecked(scale) * z * z * z;

        public override T Derivative(T z, T a) => T.CreateChecked(3 * scale) * z * z;

        public override void ExportOnnx(OnnxGraph<T> graph, string z, string a)
        {
            graph.Node("Mul", [z, z], $"{a}.square");
            graph.Node("Mul", [$"{a}.square", z], $"{a}.cube");
            graph.Node("Mul", [$"{a}.cube", graph.Constant(scale)], a);
        }
    }

    private sealed class CubeFactory : IActivationFactory
    {
        public ActivationFunction<T> Create<T>(JsonObject config)
            where T : struct, IFloatingPointIeee754<T> => new Cube<T>((double)config["scale"]!);
    }
}
