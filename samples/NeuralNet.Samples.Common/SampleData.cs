using System.Numerics;
using NeuralNet.Data;

namespace NeuralNet.Samples;

/// <summary>The data files shipped with the samples (<c>samples/data/</c>, copied next to each sample's program at build).</summary>
public static class SampleData
{
    /// <summary>The share of the training rows held out for validation (early stopping, the curves' validation line).</summary>
    public const double ValidationFraction = 0.15;

    /// <summary>The path of a shipped data file.</summary>
    /// <param name="fileName">E.g. <c>iris.csv</c>.</param>
    /// <returns>The full path.</returns>
    /// <exception cref="UsageException">The file is not there (a build that did not copy it).</exception>
    public static string PathOf(string fileName)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "data", fileName);
        return File.Exists(path)
            ? path
            : throw new UsageException($"data file {fileName} not found at {path}; it ships in samples/data/ and is copied there by the build.");
    }

    /// <summary>
    /// Splits the training rows into the rows trained on and the validation rows (<see cref="ValidationFraction"/>),
    /// seeded, so that a sample validates on training data and looks at its test rows once, at the end.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="train">The training rows.</param>
    /// <param name="seed">The sample's seed.</param>
    /// <param name="stratified">True for a classifier (targets are class indices): each class keeps its share.</param>
    /// <returns>The rows to train on and the validation rows.</returns>
    public static (Dataset<T> Fit, Dataset<T> Validation) ValidationSplit<T>(Dataset<T> train, ulong seed, bool stratified)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(train);
        var random = new RandomSource(seed);
        (int[] fit, int[] validation) = stratified
            ? TrainTestSplit.Stratified(ClassLabels.FromIndices(train.Targets), ValidationFraction, random)
            : TrainTestSplit.Split(train.Count, ValidationFraction, random);
        return (train.Rows(fit), train.Rows(validation));
    }
}
