namespace NeuralNet.Samples;

/// <summary>The data files shipped with the samples (<c>samples/data/</c>, copied next to each sample's program at build).</summary>
public static class SampleData
{
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
}
