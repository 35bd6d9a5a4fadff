using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using Xunit;

namespace NeuralNet.Tests;

/// <summary>The README's quick start, compiled here line for line, and a check that the two stay the same.</summary>
public sealed class QuickStartTests
{
    [Fact]
    public void QuickStart_Runs_AndLearnsXor()
    {
        // quick start begins
        // XOR: one row per sample.
        var x = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } });
        var y = Matrix<double>.Build.DenseOfArray(new double[,] { { 0 }, { 1 }, { 1 }, { 0 } });
        var network = new Network<double>(seed: 7,
            new DenseLayer<double>(2, 4, new Tanh<double>()),
            new DenseLayer<double>(4, 1, new Sigmoid<double>()));
        var loss = new BinaryCrossEntropy<double>();
        var optimizer = new SgdOptimizer<double>(learningRate: 0.5, momentum: 0.9);
        for (int epoch = 0; epoch < 500; epoch++)
        {
            network.TrainStep(x, y, loss, optimizer); // forward, loss, backward, SGD update
        }

        Console.WriteLine(network.Predict(x)); // close to 0, 1, 1, 0
        // quick start ends
        network.Predict(x).Column(0).Select(p => p > 0.5 ? 1.0 : 0.0).Should().Equal(0, 1, 1, 0);
    }

    [Fact]
    public void Readme_QuickStart_IsTheCodeThisTestRuns()
    {
        string root = RepositoryRoot();
        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        int start = readme.IndexOf("```csharp\nusing MathNet", StringComparison.Ordinal);
        start.Should().BeGreaterThan(0, "the README has a C# quick start");
        string block = readme[(start + "```csharp\n".Length)..readme.IndexOf("```", start + 10, StringComparison.Ordinal)];
        string[] readmeLines = Lines(block).Where(l => !l.StartsWith("using ", StringComparison.Ordinal)).ToArray();
        readmeLines.Length.Should().BeLessThanOrEqualTo(15, "the quick start is short");

        string source = File.ReadAllText(Path.Combine(root, "tests", "NeuralNet.Tests", "QuickStartTests.cs"));
        int from = source.IndexOf("// quick start begins", StringComparison.Ordinal) + "// quick start begins".Length;
        string[] testLines = Lines(source[from..source.IndexOf("// quick start ends", StringComparison.Ordinal)]).ToArray();
        readmeLines.Should().Equal(testLines);
        foreach (string usingLine in Lines(block).Where(l => l.StartsWith("using ", StringComparison.Ordinal)))
        {
            (source.Contains(usingLine, StringComparison.Ordinal) || usingLine == "using NeuralNet;").Should().BeTrue(usingLine);
        }
    }

    private static IEnumerable<string> Lines(string text)
        => text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0);

    internal static string RepositoryRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "NeuralNet.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException("NeuralNet.sln not found above " + AppContext.BaseDirectory);
    }
}
