using System.Numerics;
using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML.OnnxRuntime;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Serialization;
using Xunit;

namespace NeuralNet.Tests.Serialization;

/// <summary>Runs exported models in ONNX Runtime and holds their outputs against <see cref="Network{T}.Predict(Matrix{T})"/>.</summary>
public sealed class OnnxExporterTests
{
    public static TheoryData<string> ActivationNames => new(SampleNetworks.AllActivations<float>().Select(a => a.Name));

    [Theory]
    [MemberData(nameof(ActivationNames))]
    public void Export_Float_RunsInOnnxRuntimeLikePredict(string activation) => MatchesPredict<float>(activation);

    [Theory]
    [MemberData(nameof(ActivationNames))]
    public void Export_Double_RunsInOnnxRuntimeLikePredict(string activation) => MatchesPredict<double>(activation);

    [Fact]
    public void Export_OfEveryKindNetwork_RunsInOnnxRuntimeLikePredict()
    {
        Network<float> network = SampleNetworks.EveryKind<float>();
        Matrix<float> x = SampleNetworks.Batch<float>(13, network.InputSize, seed: 9);

        float[] actual = RunOnnx(network, x);

        actual.Should().Equal(network.Predict(x).ToRowMajorArray(), (a, e) => Math.Abs(a - e) <= 1e-5 * Math.Max(1, Math.Abs(e)));
    }

    [Fact]
    public void Export_ToFile_WritesAModelOnnxRuntimeLoads()
    {
        string path = Path.Combine(Path.GetTempPath(), $"neuralnet-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxExporter.Export(SampleNetworks.Small<float>(), path);

            using var session = new InferenceSession(path);
            session.InputMetadata.Keys.Should().Equal("input");
            session.OutputMetadata.Keys.Should().Equal("output");
            session.InputMetadata["input"].Dimensions.Should().Equal(-1, 4);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Export_WithCustomActivation_ThrowsNotSupportedNamingIt()
    {
        var network = new Network<double>(1, new DenseLayer<double>(2, 2, new Square()));

        Action export = () => OnnxExporter.Export(network, new MemoryStream());

        export.Should().Throw<NotSupportedException>().WithMessage("*Square*");
    }

    [Fact]
    public void Export_WithCustomLayer_ThrowsNotSupportedNamingIt()
    {
        var network = new Network<double>(1, new DenseLayer<double>(2, 2), new Doubling(2));

        Action export = () => OnnxExporter.Export(network, new MemoryStream());

        export.Should().Throw<NotSupportedException>().WithMessage("*Doubling*");
    }

    private static void MatchesPredict<T>(string activationName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ActivationFunction<T> First() => SampleNetworks.AllActivations<T>().Single(a => a.Name == activationName);
        var network = new Network<T>(3, new DenseLayer<T>(5, 7, First()), new DropoutLayer<T>(7, 0.5), new DenseLayer<T>(7, 4, First()));
        Matrix<T> x = SampleNetworks.Batch<T>(11, 5, seed: 4);

        T[] actual = RunOnnx(network, x);

        T[] expected = network.Predict(x).ToRowMajorArray();
        actual.Should().Equal(expected, (a, e) => T.Abs(a - e) <= T.CreateChecked(1e-5) * T.Max(T.One, T.Abs(e)));
    }

    /// <summary>Exports to memory, runs the model in ONNX Runtime on <paramref name="x"/> and returns the output, row-major.</summary>
    internal static T[] RunOnnx<T>(Network<T> network, Matrix<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var stream = new MemoryStream();
        OnnxExporter.Export(network, stream);
        using var session = new InferenceSession(stream.ToArray());
        using var input = OrtValue.CreateTensorValueFromMemory(x.ToRowMajorArray(), [x.RowCount, x.ColumnCount]);
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(runOptions, ["input"], [input], ["output"]);
        outputs[0].GetTensorTypeAndShape().Shape.Should().Equal(x.RowCount, network.OutputSize);
        return outputs[0].GetTensorDataAsSpan<T>().ToArray();
    }

    private sealed class Square : ElementwiseActivationFunction<double>
    {
        public override string Name => "square";

        public override double Value(double z) => z * z;

        public override double Derivative(double z, double a) => 2 * z;
    }

    private sealed class Doubling(int size) : Layer<double>
    {
        public override int InputSize => size;

        public override int OutputSize => size;

        public override Matrix<double> Forward(Matrix<double> input, bool training) => input * 2;

        public override Matrix<double>? Backward(Matrix<double> outputGradient, bool computeInputGradient = true) => outputGradient * 2;

        public override void Predict(Matrix<double> input, Matrix<double> output) => input.Multiply(2, output);
    }
}
