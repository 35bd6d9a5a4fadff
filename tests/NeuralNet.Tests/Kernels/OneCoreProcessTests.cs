using System.Diagnostics;
using System.Globalization;
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
/// A process limited to one core (<c>DOTNET_PROCESSOR_COUNT=1</c>, as in a one-CPU container) runs everything on the
/// calling thread, starts no helper thread, and trains to the same bits as a process that shares the work between two
/// cores. Only a fresh process can have one core, so that side runs in one (see <see cref="TestProgram"/>).
/// </summary>
[Collection(nameof(SecondCoreHeld))]
public sealed class OneCoreProcessTests
{
    /// <summary>The child process's command.</summary>
    public const string Command = "one-core-train";

    [Fact]
    public void TrainingInAOneCoreProcess_HandsNothingOver_AndGivesTheBitsOfTwoCores_NewProcess()
    {
        long handOffs = SecondCore.HandOffs;
        string here = TrainAndDigest();
        if (SecondCore.Exists)
        {
            (SecondCore.HandOffs - handOffs).Should().BePositive("this process shares the products and updates with the second core");
        }

        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(typeof(OneCoreProcessTests).Assembly.Location);
        start.ArgumentList.Add(Command);
        start.Environment["DOTNET_PROCESSOR_COUNT"] = "1";
        using Process process = Process.Start(start)!;
        string errors = process.StandardError.ReadToEnd();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        process.ExitCode.Should().Be(0, $"the child says: {output} {errors}");
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
        string digest = TrainAndDigest();
        string helpers = OperatingSystem.IsLinux()
            ? Directory.GetDirectories("/proc/self/task").Count(task => File.Exists(Path.Combine(task, "comm")) && File.ReadAllText(Path.Combine(task, "comm")).StartsWith("NeuralNet secon", StringComparison.Ordinal)).ToString(CultureInfo.InvariantCulture)
            : "unknown";
        Console.WriteLine($"processors {Environment.ProcessorCount}; second core {SecondCore.Exists}; hand-offs {SecondCore.HandOffs}; helper threads {helpers}; digest {digest}");
        return 0;
    }

    /// <summary>
    /// Three momentum steps of a 1024-1024-10 network over a batch of 256: its hidden layer's products (2^28 multiply-adds)
    /// take the shared packed paths on two cores, and its 1,049,600 hidden parameters the two-core update. Returns the
    /// SHA-256 of every parameter's bits.
    /// </summary>
    private static string TrainAndDigest()
    {
        var network = new Network<float>(21, new DenseLayer<float>(1024, 1024, new ReLU<float>()), new DenseLayer<float>(1024, 10));
        var loss = new CategoricalCrossEntropy<float>(fromLogits: true);
        var optimizer = new SgdOptimizer<float>(0.01, momentum: 0.9);
        var random = new RandomSource(22);
        Matrix<float> x = Matrix<float>.Build.Dense(256, 1024, (_, _) => (float)random.NextGaussian());
        Matrix<float> t = Matrix<float>.Build.Dense(256, 1, (r, _) => (r * 7) % 10);
        for (int step = 0; step < 3; step++)
        {
            network.TrainStep(x, t, loss, optimizer);
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (Parameter<float> parameter in network.Parameters)
        {
            hash.AppendData(MemoryMarshal.AsBytes(parameter.Values));
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
