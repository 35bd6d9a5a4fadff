using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using Xunit;

namespace NeuralNet.Tests.Networks;

/// <summary>
/// The network's cache of regularised and trainable parameters is keyed on a process-wide count of settings changes
/// (<see cref="Layer{T}.Regularization"/>, <see cref="Parameter{T}.Frozen"/>). A network built when that count has any
/// value, 1 included (one change in the whole process before it), must still build its cache on its first step: only a
/// fresh process can have the count at exactly 1, so the scenario runs in one.
/// </summary>
public sealed class SettingsCounterTests
{
    /// <summary>The child process's command (see <see cref="TestProgram"/>).</summary>
    public const string Command = "one-setting-then-train";

    [Fact]
    public void ANetworkBuiltAfterTheProcesssOnlySettingsChange_TrainsEveryParameter_NewProcess()
    {
        (int exitCode, string output, string errors) = TestProgram.RunInNewProcess(null, Command);

        exitCode.Should().Be(0, $"the child says: {output} {errors}");
        output.Should().Contain("settings changes before the network: 1").And.Contain("parameters changed by the step: 2 of 2");
    }

    /// <summary>
    /// In the child process: one settings change (a layer outside any network gets a regularisation), then a network
    /// trained one step; prints the count of changes and how many of its parameters the step moved. Returns 0 when all.
    /// </summary>
    internal static int OneSettingThenTrain()
    {
        new DenseLayer<double>(2, 2).Regularization = new Regularization(l2: 0.1); // the process's only change
        int changes = TrainingSettings.Version;
        var layer = new DenseLayer<double>(3, 2);
        var network = new Network<double>(7, layer);
        double[] weights = layer.Weights.ToColumnMajorArray();
        Matrix<double> x = RandomMatrices.Uniform<double>(new RandomSource(8), 4, 3);
        Matrix<double> t = RandomMatrices.Uniform<double>(new RandomSource(9), 4, 2);

        network.TrainStep(x, t, new MeanSquaredError<double>(), new SgdOptimizer<double>(0.5));

        int moved = (layer.Weights.ToColumnMajorArray().SequenceEqual(weights) ? 0 : 1) + (layer.Biases.All(b => b == 0) ? 0 : 1);
        Console.WriteLine($"settings changes before the network: {changes}; parameters changed by the step: {moved} of 2");
        return changes == 1 && moved == 2 ? 0 : 1;
    }
}
