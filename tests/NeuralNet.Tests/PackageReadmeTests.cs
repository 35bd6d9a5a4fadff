using System.Text.RegularExpressions;
using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Pipelines;
using NeuralNet.Serialization;
using NeuralNet.Training;
using Xunit;

namespace NeuralNet.Tests;

/// <summary>
/// The package's own README (<c>src/NeuralNet/PACKAGE.md</c>, the page a NuGet user reads): its C#
/// examples compiled and run here line for line (its n-th <c>csharp</c> block is the code between
/// <c>// package example NAME begins</c> and <c>ends</c>, in the order of <see cref="Examples"/>), its
/// links absolute, no file named that only the repository holds, and the repository URL taken from the
/// one place that states it (<c>Directory.Build.props</c>).
/// </summary>
public sealed partial class PackageReadmeTests
{
    private static readonly string[] Examples = ["QuickStart", "LayerByLayer", "Training", "Saving"];

    [Fact]
    public void QuickStart_Runs_FromANamedCsvToASavedPipelineAndOnnx()
    {
        string path = Path.Combine(ReadmeExampleTests.RepositoryRoot(), "samples", "data", "iris_species.csv");
        string folder = Directory.CreateTempSubdirectory("neuralnet-package-").FullName;
        string modelPath = Path.Combine(folder, "iris.nnet"), onnxPath = Path.Combine(folder, "iris.onnx");
        try
        {
            // package example QuickStart begins
            Table flowers = Table.LoadCsv(path); // a CSV file: a header of column names, then one row per flower
            Table features = flowers.Without("species");
            string[] species = flowers["species"].ToText();
            var model = new MlpClassifier<double>(seed: 1); // 100 ReLU units, Adam, standardised inputs, early stopping
            model.Fit(features, species);
            Console.WriteLine(model.Score(features, species)); // accuracy, here on the training rows
            model.Save(modelPath); // scaling, network and class names in one file
            model.ExportOnnx(onnxPath); // the same pipeline for ONNX Runtime: raw rows in, probabilities and labels out
            ClassifierPipeline<double> loaded = PipelineSerializer.LoadClassifier<double>(modelPath);
            Console.WriteLine(loaded.Predict([5.1, 3.5, 1.4, 0.2])); // setosa
            // package example QuickStart ends
            loaded.Predict([5.1, 3.5, 1.4, 0.2]).Should().Be("setosa");
            File.Exists(onnxPath).Should().BeTrue();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void LayerByLayer_Runs_AndLearnsXor()
    {
        // package example LayerByLayer begins
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
        // package example LayerByLayer ends
        network.Predict(x).Column(0).Select(p => p > 0.5 ? 1.0 : 0.0).Should().Equal(0, 1, 1, 0);
    }

    [Fact]
    public void Training_Runs_AndLearnsIris()
    {
        string path = Path.Combine(ReadmeExampleTests.RepositoryRoot(), "samples", "data", "iris.csv");
        // package example Training begins
        Dataset<double> data = CsvDataset.Load<double>(path, "label"); // numeric columns, "label" holds class indices 0, 1, 2
        var scaler = new StandardScaler<double>();
        var classifier = new Network<double>(seed: 1,
            new DenseLayer<double>(4, 16, new Tanh<double>()),
            new DenseLayer<double>(16, 3, new Softmax<double>()));
        var trainer = new Trainer<double>(classifier, new CategoricalCrossEntropy<double>(), new AdamOptimizer<double>(0.01),
            new TrainingOptions { Epochs = 100, BatchSize = 16, ValidationSplit = 0.1, EarlyStopping = new EarlyStopping { Patience = 20 } });
        TrainingHistory history = trainer.Fit(scaler.FitTransform(data.Features), data.Targets);
        Console.WriteLine(history); // one row per epoch
        // package example Training ends
        history.Epochs.Should().NotBeEmpty();
        ClassificationMetrics.Accuracy(ClassLabels.FromIndices(data.Targets), classifier.PredictClasses(scaler.Transform(data.Features))).Should().BeGreaterThan(0.9);
    }

    [Fact]
    public void Saving_Runs_AndRoundTrips()
    {
        string folder = Directory.CreateTempSubdirectory("neuralnet-package-").FullName;
        string modelPath = Path.Combine(folder, "model.nnet"), onnxPath = Path.Combine(folder, "model.onnx");
        var network = new Network<double>(3, new DenseLayer<double>(2, 3, new Tanh<double>()), new DenseLayer<double>(3, 1, new Sigmoid<double>()));
        try
        {
            // package example Saving begins
            NetworkSerializer.Save(network, modelPath); // written to a temporary file, then renamed
            Network<double> reloaded = NetworkSerializer.Load<double>(modelPath);
            OnnxExporter.Export(network, onnxPath); // ONNX opset 17
            // package example Saving ends
            var x = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 1 }, { 1, 0 } });
            reloaded.Predict(x).Should().BeEquivalentTo(network.Predict(x));
            File.Exists(onnxPath).Should().BeTrue();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void PackageReadme_EveryCSharpBlock_IsTheCodeATestRuns()
    {
        string root = ReadmeExampleTests.RepositoryRoot();
        string readme = File.ReadAllText(Path.Combine(root, "src", "NeuralNet", "PACKAGE.md"));
        string source = File.ReadAllText(Path.Combine(root, "tests", "NeuralNet.Tests", "PackageReadmeTests.cs"));
        string[] blocks = CSharpBlock().Matches(readme).Select(m => m.Groups["code"].Value).ToArray();

        blocks.Should().HaveCount(Examples.Length, "every C# block of the package README is run by a test here");
        for (int i = 0; i < Examples.Length; i++)
        {
            string begin = $"// package example {Examples[i]} begins";
            int from = source.IndexOf(begin, StringComparison.Ordinal) + begin.Length;
            string[] tested = Lines(source[from..source.IndexOf($"// package example {Examples[i]} ends", StringComparison.Ordinal)]).ToArray();
            Lines(blocks[i]).Where(l => !l.StartsWith("using ", StringComparison.Ordinal)).Should().Equal(tested, $"block {i + 1} is example {Examples[i]}");
            foreach (string usingLine in Lines(blocks[i]).Where(l => l.StartsWith("using ", StringComparison.Ordinal)))
            {
                (source.Contains(usingLine, StringComparison.Ordinal) || usingLine == "using NeuralNet;").Should().BeTrue(usingLine);
            }
        }
    }

    [Fact]
    public void PackageReadme_LinksAreAbsolute_AndNameNoRepositoryFile()
    {
        string root = ReadmeExampleTests.RepositoryRoot();
        string readme = File.ReadAllText(Path.Combine(root, "src", "NeuralNet", "PACKAGE.md"));
        string page = readme.Replace("{repository}", RepositoryUrl(root), StringComparison.Ordinal);

        MarkdownLink().Matches(page).Select(m => m.Groups["target"].Value)
            .Should().NotBeEmpty().And.OnlyContain(t => t.StartsWith("https://", StringComparison.Ordinal), "a relative link breaks on the package page");
        page.Should().NotContain("![", "an image from the repository does not travel with the package");
        string prose = MarkdownLink().Replace(CSharpBlock().Replace(page, string.Empty), "${text}");
        prose.Should().NotMatchRegex(@"[\w/.-]+\.(md|cs|csv|fsx|png|props|csproj)\b", "the package holds none of the repository's files (link to them by their absolute address)")
            .And.NotContain("samples/").And.NotContain("tests/");
    }

    [Fact]
    public void RepositoryUrl_IsStatedOnceInDirectoryBuildProps_AndEveryOtherMentionMatchesIt()
    {
        string root = ReadmeExampleTests.RepositoryRoot();
        string url = RepositoryUrl(root);
        url.Should().MatchRegex(@"^https://github\.com/[\w.-]+/[\w.-]+$");
        string owner = url["https://github.com/".Length..url.LastIndexOf('/')];
        string props = File.ReadAllText(Path.Combine(root, "Directory.Build.props"));
        Regex.Matches(props, Regex.Escape(url)).Should().HaveCount(1, "Directory.Build.props states the URL once; the rest derive from $(RepositoryUrl)");

        // The package README derives its links from it ({repository}, replaced at pack time) and never spells it out.
        File.ReadAllText(Path.Combine(root, "src", "NeuralNet", "PACKAGE.md")).Should().Contain("{repository}").And.NotContain("github.com/" + owner);

        // The API reference site's configuration links to the repository at exactly that URL.
        string docfx = File.ReadAllText(Path.Combine(root, ".docfx", "docfx.json"));
        docfx.Should().Contain(url);

        // Nothing else names another address for the project (a stale or misspelt copy).
        string[] mentions = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}.git{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}_site{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.EndsWith("PackageReadmeTests.cs", StringComparison.Ordinal)
                && Path.GetExtension(f) is ".md" or ".json" or ".yml" or ".props" or ".csproj" or ".cs" or ".fsx" or ".targets")
            .SelectMany(f => ProjectAddress().Matches(File.ReadAllText(f)).Select(m => $"{Path.GetRelativePath(root, f)}: {m.Value}"))
            .Where(m => m.Contains("/" + owner + "/", StringComparison.OrdinalIgnoreCase) || m.EndsWith("/NeuralNet", StringComparison.OrdinalIgnoreCase))
            .ToArray();
        mentions.Should().OnlyContain(m => m.EndsWith(": " + url, StringComparison.Ordinal) && (m.StartsWith("Directory.Build.props:", StringComparison.Ordinal) || m.StartsWith(".docfx", StringComparison.Ordinal)), "every mention of the project's address is Directory.Build.props' or the docfx site's copy of it");
    }

    internal static string RepositoryUrl(string root)
    {
        Match match = Regex.Match(File.ReadAllText(Path.Combine(root, "Directory.Build.props")), "<RepositoryUrl>(?<url>[^<]+)</RepositoryUrl>");
        match.Success.Should().BeTrue("Directory.Build.props states RepositoryUrl");
        return match.Groups["url"].Value;
    }

    private static IEnumerable<string> Lines(string text)
        => text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0);

    [GeneratedRegex(@"```csharp\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"\[(?<text>[^\]]*)\]\((?<target>[^)\s]*)\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"https?://(www\.)?github\.com/[\w.-]+/[\w.-]+")]
    private static partial Regex ProjectAddress();
}
