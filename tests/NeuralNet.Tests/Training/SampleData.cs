using NeuralNet.Data;

namespace NeuralNet.Tests.Training;

/// <summary>The real data sets in samples/data with their fixed train/test splits.</summary>
internal static class SampleData
{
    public static string Directory { get; } = Path.Combine(RepositoryRoot(), "samples", "data");

    /// <summary>Loads NAME.csv and splits its rows as NAME.split.csv says (rows kept in file order).</summary>
    public static (Dataset<double> Train, Dataset<double> Test) Load(string name, string targetColumn)
    {
        Dataset<double> all = CsvDataset.Load<double>(Path.Combine(Directory, name + ".csv"), targetColumn);
        (int[] train, int[] test) = SplitFile.Load(Path.Combine(Directory, name + ".split.csv"));
        return (all.Rows(train), all.Rows(test));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NeuralNet.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"NeuralNet.sln not found above {AppContext.BaseDirectory}.");
    }
}
