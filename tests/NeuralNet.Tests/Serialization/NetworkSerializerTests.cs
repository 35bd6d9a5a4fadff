using System.Numerics;
using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Optimizers;
using NeuralNet.Serialization;
using Xunit;

namespace NeuralNet.Tests.Serialization;

public sealed class NetworkSerializerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("neuralnet-serializer-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void SaveAndLoad_Float_PredictsBitIdentically() => RoundTripPredictsBitIdentically<float>();

    [Fact]
    public void SaveAndLoad_Double_PredictsBitIdentically() => RoundTripPredictsBitIdentically<double>();

    [Fact]
    public void SaveAndLoad_KeepsArchitectureActivationParametersAndSeed()
    {
        Network<double> network = SampleNetworks.EveryKind<double>(seed: 123);
        string path = Path.Combine(_folder, "model.nnet");
        NetworkSerializer.Save(network, path);

        Network<double> loaded = NetworkSerializer.Load<double>(path);

        loaded.Layers.Select(l => l.ToString()).Should().Equal(network.Layers.Select(l => l.ToString()));
        loaded.Random.Seed.Should().Be(123);
        loaded.Layers.OfType<DenseLayer<double>>().Select(d => d.Initializer.Name)
            .Should().Equal(network.Layers.OfType<DenseLayer<double>>().Select(d => d.Initializer.Name));
        loaded.Layers.OfType<DenseLayer<double>>().Select(d => d.Activation).OfType<LeakyReLU<double>>().Single().Alpha.Should().Be(0.2);
        loaded.Layers.OfType<DenseLayer<double>>().Select(d => d.Activation).OfType<ELU<double>>().Single().Alpha.Should().Be(0.7);
        loaded.Layers.OfType<DropoutLayer<double>>().Should().AllSatisfy(d => d.Rate.Should().Be(0.25));
    }

    [Fact]
    public void Save_OverwritesAnExistingFileAndLeavesNoTemporaryFile()
    {
        string path = Path.Combine(_folder, "model.nnet");
        File.WriteAllText(path, "an older file");

        NetworkSerializer.Save(SampleNetworks.Small<float>(), path);

        Directory.GetFiles(_folder).Should().Equal(path);
        NetworkSerializer.Load<float>(path).ParameterCount.Should().Be(SampleNetworks.Small<float>().ParameterCount);
    }

    [Fact]
    public void Save_WithCustomActivation_ThrowsNotSupportedAndWritesNothing()
    {
        var network = new Network<double>(1, new DenseLayer<double>(2, 2, new Cube()));
        string path = Path.Combine(_folder, "model.nnet");

        Action save = () => NetworkSerializer.Save(network, path);

        save.Should().Throw<NotSupportedException>().WithMessage("*Cube*");
        Directory.GetFiles(_folder).Should().BeEmpty();
    }

    [Fact]
    public void Save_WithNonFiniteWeights_ThrowsArgumentExceptionAndWritesNothing()
    {
        Network<float> network = SampleNetworks.Small<float>();
        network.Parameters[2].Values[3] = float.NaN;
        using var stream = new MemoryStream();

        Action save = () => NetworkSerializer.Save(network, stream);

        save.Should().Throw<ArgumentException>().WithParameterName("network").WithMessage("*non-finite*parameter 2*");
        stream.Length.Should().Be(0);
    }

    [Fact]
    public void Load_WithOtherElementType_ThrowsInvalidDataNamingBoth()
    {
        byte[] bytes = SampleNetworks.ToBytes(SampleNetworks.Small<double>());

        Action load = () => NetworkSerializer.Load<float>(new MemoryStream(bytes));

        load.Should().Throw<InvalidDataException>().WithMessage("*float64*float32*");
    }

    [Fact]
    public void Load_WithNewerFormatVersion_ThrowsInvalidData()
    {
        byte[] bytes = SampleNetworks.ToBytes(SampleNetworks.Small<double>());
        bytes[8] = 3; // one past the version this library writes

        Action load = () => NetworkSerializer.Load<double>(new MemoryStream(bytes));

        load.Should().Throw<InvalidDataException>().WithMessage("*format version 3*");
    }

    [Fact]
    public void Load_WithAChangedWeight_FailsTheChecksum()
    {
        byte[] bytes = SampleNetworks.ToBytes(SampleNetworks.Small<double>());
        bytes[^40] ^= 0x01; // a bit of the last bias

        Action load = () => NetworkSerializer.Load<double>(new MemoryStream(bytes));

        load.Should().Throw<InvalidDataException>().WithMessage("*checksum*");
    }

    [Fact]
    public void Load_FromNonSeekableStream_Works()
    {
        Network<float> network = SampleNetworks.Small<float>();
        byte[] bytes = SampleNetworks.ToBytes(network);

        Network<float> loaded = NetworkSerializer.Load<float>(new ForwardOnlyStream(bytes));

        Matrix<float> x = SampleNetworks.Batch<float>(5, 4, 3);
        loaded.Predict(x).Should().BeEquivalentTo(network.Predict(x));
    }

    [Fact]
    public void Load_WithOptimizer_WhenSavedWithout_ThrowsInvalidData()
    {
        byte[] bytes = SampleNetworks.ToBytes(SampleNetworks.Small<double>());

        Action load = () => NetworkSerializer.LoadCheckpoint<double>(new MemoryStream(bytes));

        load.Should().Throw<InvalidDataException>().WithMessage("*no optimizer state*");
    }

    [Fact]
    public void Load_IntoOptimizerOfAnotherKind_ThrowsArgumentException()
    {
        Network<double> network = SampleNetworks.Small<double>();
        var saved = new SgdOptimizer<double>(0.1, momentum: 0.9);
        byte[] bytes = SampleNetworks.ToBytes(network, saved);

        Action load = () => NetworkSerializer.Load(new MemoryStream(bytes), new SgdOptimizer<double>(0.1, momentum: 0.5));

        load.Should().Throw<ArgumentException>().WithParameterName("optimizer").WithMessage("*momentum = 0.9*received 0.5*");
    }

    private void RoundTripPredictsBitIdentically<T>()
        where T : struct, IFloatingPointIeee754<T>
    {
        Network<T> network = SampleNetworks.EveryKind<T>();
        TrainABit(network);
        string path = Path.Combine(_folder, $"model-{typeof(T).Name}.nnet");
        NetworkSerializer.Save(network, path);

        Network<T> fromFile = NetworkSerializer.Load<T>(path);
        Network<T> fromStream = NetworkSerializer.Load<T>(new MemoryStream(File.ReadAllBytes(path)));

        Matrix<T> x = SampleNetworks.Batch<T>(17, network.InputSize, seed: 5);
        T[] expected = network.Predict(x).AsColumnMajorArray();
        fromFile.Predict(x).AsColumnMajorArray().Should().Equal(expected);
        fromStream.Predict(x).AsColumnMajorArray().Should().Equal(expected);
        for (int i = 0; i < network.Parameters.Count; i++)
        {
            fromFile.Parameters[i].Values.ToArray().Should().Equal(network.Parameters[i].Values.ToArray());
        }
    }

    private static void TrainABit<T>(Network<T> network)
        where T : struct, IFloatingPointIeee754<T>
    {
        var optimizer = new SgdOptimizer<T>(0.05, momentum: 0.9);
        Matrix<T> x = SampleNetworks.Batch<T>(8, network.InputSize, seed: 1);
        Matrix<T> y = Matrix<T>.Build.Dense(8, network.OutputSize, (r, c) => r % network.OutputSize == c ? T.One : T.Zero);
        for (int i = 0; i < 3; i++)
        {
            network.TrainStep(x, y, new NeuralNet.Losses.CategoricalCrossEntropy<T>(), optimizer);
        }
    }

    private sealed class Cube : ElementwiseActivationFunction<double>
    {
        public override string Name => "cube";

        public override double Value(double z) => z * z * z;

        public override double Derivative(double z, double a) => 3 * z * z;
    }

    /// <summary>A stream that can only be read forward, like a network stream.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }
    }
}
