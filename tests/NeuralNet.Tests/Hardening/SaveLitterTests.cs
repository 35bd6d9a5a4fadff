using FluentAssertions;
using NeuralNet.Serialization;
using NeuralNet.Tests.Serialization;
using Xunit;

namespace NeuralNet.Tests.Hardening;

/// <summary>
/// A save killed half-way leaves a temporary file beside the model; the next save to the same path deletes it
/// (unless a running save holds it), a load ignores it, and file-system errors name the user's path.
/// </summary>
public sealed class SaveLitterTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("save-litter").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void NextSave_DeletesTheTemporaryFilesOfKilledSaves_AndLoadIgnoresThem()
    {
        string path = Path.Combine(_directory, "model.nnet");
        Network<double> network = SampleNetworks.Small<double>();
        NetworkSerializer.Save(network, path);

        // What a save killed mid-write leaves: a hidden, partly written temporary file nobody holds open.
        string killed = Path.Combine(_directory, ".model.nnet.k1ll3d.tmp");
        File.WriteAllBytes(killed, File.ReadAllBytes(path)[..100]);
        string otherModel = Path.Combine(_directory, ".other.nnet.abcdefgh.tmp");
        File.WriteAllBytes(otherModel, [1, 2, 3]);

        NetworkSerializer.Load<double>(path).ParameterCount.Should().Be(network.ParameterCount, "a load ignores temporary files");
        NetworkSerializer.Save(network, path);

        File.Exists(killed).Should().BeFalse("the next save to the same path deletes what a killed save left");
        File.Exists(otherModel).Should().BeTrue("temporary files of other models are not this save's to delete");
        Directory.GetFiles(_directory).Select(Path.GetFileName).Should().BeEquivalentTo(["model.nnet", ".other.nnet.abcdefgh.tmp"]);
    }

    [Fact]
    public void Save_LeavesTheTemporaryFileOfASaveStillRunning()
    {
        string path = Path.Combine(_directory, "model.nnet");
        string running = Path.Combine(_directory, ".model.nnet.running0.tmp");
        using (var held = new FileStream(running, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            NetworkSerializer.Save(SampleNetworks.Small<double>(), path);
            File.Exists(running).Should().BeTrue("a save in progress holds its temporary file, which must not be pulled away");
        }

        NetworkSerializer.Save(SampleNetworks.Small<double>(), path);
        File.Exists(running).Should().BeFalse("once released it is litter like any other");
    }

    [Fact]
    public void Save_IntoAMissingFolder_NamesTheUsersPathNotTheTemporaryFile()
    {
        string path = Path.Combine(_directory, "missing", "model.nnet");

        FluentActions.Invoking(() => NetworkSerializer.Save(SampleNetworks.Small<double>(), path))
            .Should().Throw<DirectoryNotFoundException>()
            .Where(e => e.Message.Contains(path, StringComparison.Ordinal) && !e.Message.Contains(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public void Save_ThatFailsHalfWay_LeavesNothingBehind()
    {
        string path = Path.Combine(_directory, "model.nnet");
        var custom = new Network<double>(1, new NeuralNet.Layers.DenseLayer<double>(2, 2, new NotBuiltIn()));

        FluentActions.Invoking(() => NetworkSerializer.Save(custom, path)).Should().Throw<NotSupportedException>();

        Directory.GetFiles(_directory).Should().BeEmpty();
    }

    private sealed class NotBuiltIn : NeuralNet.Activations.ElementwiseActivationFunction<double>
    {
        public override string Name => "mine";

        public override double Value(double z) => z;

        public override double Derivative(double z, double a) => 1;
    }
}
