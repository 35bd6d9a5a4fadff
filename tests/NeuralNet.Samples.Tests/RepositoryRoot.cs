namespace NeuralNet.Samples.Tests;

/// <summary>The repository's top folder (the one holding NeuralNet.sln), found above the test's output folder.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        DirectoryInfo? folder = new(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(System.IO.Path.Combine(folder.FullName, "NeuralNet.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException($"no NeuralNet.sln above {AppContext.BaseDirectory}");
    }
}
