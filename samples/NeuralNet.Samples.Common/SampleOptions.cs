using System.CommandLine;
using System.Globalization;

namespace NeuralNet.Samples;

/// <summary>
/// The options every sample takes: a sample's defaults (<c>new SampleOptions(Epochs: 50, …)</c>), or,
/// from <see cref="SampleCommandLine.Parse"/>, what the command line gave.
/// </summary>
/// <param name="Epochs">Passes over the training data (≥ 1).</param>
/// <param name="LearningRate">The optimizer's learning rate (&gt; 0).</param>
/// <param name="BatchSize">Samples per training step (≥ 1); 1 is per-sample stochastic gradient descent.</param>
/// <param name="Seed">The seed of every random draw: initial weights, shuffling, splits.</param>
/// <param name="OutputDirectory">The folder for the PNG plots and the CSV history (empty: the current directory).</param>
public sealed record SampleOptions(int Epochs, double LearningRate, int BatchSize, ulong Seed = 42, string OutputDirectory = "")
{
    internal ParseResult? Parsed { get; init; }

    /// <summary>The value of a sample's own option (its default when not given).</summary>
    /// <typeparam name="T">The option's value type.</typeparam>
    /// <param name="option">The option, as returned by <see cref="SampleCommandLine.Add{T}"/>.</param>
    public T? Get<T>(Option<T> option) => Parsed is null ? default : Parsed.GetValue(option);

    /// <summary>The full path of <paramref name="fileName"/> in <see cref="OutputDirectory"/>, creating the folder if needed.</summary>
    /// <param name="fileName">A file name such as <c>xor-loss.png</c>.</param>
    /// <returns>The path to write to.</returns>
    public string OutputPath(string fileName) =>
        Path.Combine(Directory.CreateDirectory(OutputDirectory.Length > 0 ? OutputDirectory : Directory.GetCurrentDirectory()).FullName, fileName);

    /// <summary>A one-line summary of the settings, for the top of a sample's output.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"epochs {Epochs}, learning rate {LearningRate}, batch size {BatchSize}, seed {Seed}");
}
