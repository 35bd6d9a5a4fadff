using System.Runtime.InteropServices;
using System.Security.Cryptography;
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
/// (<see cref="SecondCore"/>), however many networks train at once. A process limited to one core
/// (<c>DOTNET_PROCESSOR_COUNT=1</c>, as in a one-CPU container) runs everything on the calling thread, starts no helper,
/// and trains to the same bits as a process that shares the work between two cores; only a fresh process can have one
/// core, so that side runs in one (see <see cref="TestProgram"/>).
/// </summary>
[Collection(nameof(SecondCoreHeld))]
public sealed class CoresUsedTests
{
    /// <summary>The child process's command.</summary>
    public const string Command = "one-core-train";

    /// <summary>What Linux keeps of the helper's name: a thread's name is cut to 15 bytes.</summary>
    private const string HelperName = "NeuralNet secon";

    [SkippableFact]
    public void TwoNetworksTrainingAtOnce_ShareOneHelperThread()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "thread names are read from /proc/self/task");

        // Two networks, each trained on a thread of its own: both hand work over, to the one helper, or do it
        // themselves while it is busy.
        Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, index => Train(index + 1));

        string[] names = ThreadNames();
        int helpers = names.Count(name => name == HelperName);
        helpers.Should().BeLessThanOrEqualTo(1, $"one helper thread serves every network in the process (threads: {string.Join(", ", names)})");
        if (SecondCore.Exists)
        {
            helpers.Should().Be(1, "products this large are handed over when the process may use two cores");
        }
    }

    [Fact]
    public void TrainingInAOneCoreProcess_HandsNothingOver_AndGivesTheBitsOfTwoCores_NewProcess()
    {
        long handOffs = SecondCore.HandOffs;
        string here = Digest(Train(21));
        if (SecondCore.Exists)
        {
            (SecondCore.HandOffs - handOffs).Should().BePositive("this process shares the products and updates with the second core");
        }

        (int exitCode, string output, string errors) = TestProgram.RunInNewProcess(new Dictionary<string, string> { ["DOTNET_PROCESSOR_COUNT"] = "1" }, Command);

        exitCode.Should().Be(0, $"the child says: {output} {errors}");
        output.Should().Contain("processors 1; second core False; hand-offs 0;");
        if (OperatingSystem.IsLinux())
        {
            output.Should().Contain("helper threads 0;", "a process with one core never starts the helper");
        }

        output.Should().Contain($"digest {here}", "one core and two give the same bits");
    }

    /// <summary>In the child process: trains as the test does and prints what it used and the digest of the parameters.</summary>
    internal static int OneCoreTrain()
    {
        string digest = Digest(Train(21));
        string helpers = OperatingSystem.IsLinux() ? $"{ThreadNames().Count(name => name == HelperName)}" : "unknown";
        Console.WriteLine($"processors {Environment.ProcessorCount}; second core {SecondCore.Exists}; hand-offs {SecondCore.HandOffs}; helper threads {helpers}; digest {digest}");
        return 0;
    }

    /// <summary>
    /// Three momentum steps of a 1024-1024-10 network over a batch of 256: its hidden layer's products (2^28
    /// multiply-adds) take the shared packed paths on two cores, and its 1,049,600 hidden parameters the two-core update.
    /// </summary>
    private static Network<float> Train(int seed)
    {
        var network = new Network<float>(seed, new DenseLayer<float>(1024, 1024, new ReLU<float>()), new DenseLayer<float>(1024, 10));
        var loss = new CategoricalCrossEntropy<float>(fromLogits: true);
        var optimizer = new SgdOptimizer<float>(0.01, momentum: 0.9);
        var random = new RandomSource(seed + 1);
        Matrix<float> x = Matrix<float>.Build.Dense(256, 1024, (_, _) => (float)random.NextGaussian());
        Matrix<float> t = Matrix<float>.Build.Dense(256, 1, (r, _) => (r * 7) % 10);
        for (int step = 0; step < 3; step++)
        {
            float.IsFinite(network.TrainStep(x, t, loss, optimizer)).Should().BeTrue();
        }

        return network;
    }

    /// <summary>The SHA-256 of every parameter's bits.</summary>
    private static string Digest(Network<float> network)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (Parameter<float> parameter in network.Parameters)
        {
            hash.AppendData(MemoryMarshal.AsBytes(parameter.Values));
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>The names of this process's threads (Linux: <c>/proc/self/task/*/comm</c>).</summary>
    private static string[] ThreadNames()
        => Directory.GetDirectories("/proc/self/task")
            .Select(task => Path.Combine(task, "comm"))
            .Where(File.Exists)
            .Select(comm => File.ReadAllText(comm).TrimEnd('\n'))
            .ToArray();
}
