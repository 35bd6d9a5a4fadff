using System.CommandLine;
using System.Globalization;

namespace NeuralNet.Samples;

/// <summary>The options every sample takes, after parsing: the training settings and where to write files.</summary>
public sealed class SampleOptions
{
    private readonly ParseResult _result;

    internal SampleOptions(ParseResult result, int epochs, double learningRate, int batchSize, ulong seed, string outputDirectory)
    {
        _result = result;
        Epochs = epochs;
        LearningRate = learningRate;
        BatchSize = batchSize;
        Seed = seed;
        OutputDirectory = outputDirectory;
    }

    /// <summary>Passes over the training data (≥ 1).</summary>
    public int Epochs { get; }

    /// <summary>The optimizer's learning rate (&gt; 0).</summary>
    public double LearningRate { get; }

    /// <summary>Samples per training step (≥ 1); 1 is per-sample stochastic gradient descent.</summary>
    public int BatchSize { get; }

    /// <summary>The seed of every random draw: initial weights, shuffling, splits.</summary>
    public ulong Seed { get; }

    /// <summary>The folder that receives the PNG plots and the CSV history (the current directory by default).</summary>
    public string OutputDirectory { get; }

    /// <summary>The value of a sample's own option (its default when not given).</summary>
    /// <typeparam name="T">The option's value type.</typeparam>
    /// <param name="option">The option, as returned by <see cref="SampleCommandLine.Add{T}"/>.</param>
    public T? Get<T>(Option<T> option) => _result.GetValue(option);

    /// <summary>The full path of <paramref name="fileName"/> in <see cref="OutputDirectory"/>, creating the folder if needed.</summary>
    /// <param name="fileName">A file name such as <c>xor-loss.png</c>.</param>
    /// <returns>The path to write to.</returns>
    public string OutputPath(string fileName)
    {
        Directory.CreateDirectory(OutputDirectory);
        return Path.Combine(OutputDirectory, fileName);
    }

    /// <summary>A one-line summary of the settings, for the top of a sample's output.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"epochs {Epochs}, learning rate {LearningRate}, batch size {BatchSize}, seed {Seed}");
}
