using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Kernels;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using Xunit;

namespace NeuralNet.Tests.Kernels;

/// <summary>
/// The library runs on at most two cores: the calling thread and one helper thread per process
/// (<see cref="SecondCore"/>), however many networks train at once and however many cores the machine has.
/// </summary>
[Collection(nameof(SecondCoreHeld))]
public sealed class SecondCoreThreadTests
{
    /// <summary>What Linux keeps of the helper's name: a thread's name is cut to 15 bytes.</summary>
    private const string HelperName = "NeuralNet secon";

    [SkippableFact]
    public void TwoNetworksTrainingAtOnce_ShareOneHelperThread()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "thread names are read from /proc/self/task");

        // Two networks whose 1024 × 1024 layers make every product large enough for both cores, each trained
        // on a thread of its own: both hand work over, to the one helper, or do it themselves while it is busy.
        Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, seed =>
        {
            var network = new Network<float>(seed + 1, new DenseLayer<float>(1024, 1024, new ReLU<float>()), new DenseLayer<float>(1024, 10, new Identity<float>()));
            var loss = new CategoricalCrossEntropy<float>(fromLogits: true);
            var optimizer = new SgdOptimizer<float>(0.01);
            var random = new RandomSource(seed + 5);
            var x = Matrix<float>.Build.Dense(256, 1024, (_, _) => (float)random.NextGaussian());
            var t = Matrix<float>.Build.Dense(256, 1, (r, _) => r % 10);
            for (int step = 0; step < 3; step++)
            {
                float.IsFinite(network.TrainStep(x, t, loss, optimizer)).Should().BeTrue();
            }
        });

        string[] names = Directory.GetDirectories("/proc/self/task")
            .Select(task => Path.Combine(task, "comm"))
            .Where(File.Exists)
            .Select(comm => File.ReadAllText(comm).TrimEnd('\n'))
            .ToArray();
        int helpers = names.Count(name => name == HelperName);
        helpers.Should().BeLessThanOrEqualTo(1, $"one helper thread serves every network in the process (threads: {string.Join(", ", names)})");
        if (SecondCore.Exists)
        {
            helpers.Should().Be(1, "products this large are handed over when the process may use two cores");
        }
    }
}
