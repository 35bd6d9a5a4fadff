namespace NeuralNet.Samples.Tests;

public sealed class RealDataSampleTests
{
    private const string FashionMnistFolder = "/usr/share/datasets/fashion-mnist";

    [Fact]
    public void Iris_ShortRun_ReportsTestAccuracyConfusionMatrixHistoryAndPlots()
    {
        using var folder = new TempFolder();

        SampleRun run = SampleProcess.Run("Iris", folder.Path, "--epochs", "40", "--output", folder.Path);

        run.ShouldHaveSucceededInPlainText();
        run.ShouldFit(80, folder.Path);
        run.Number(@"test accuracy: (?<n>[0-9.]+) %").Should().BeGreaterThanOrEqualTo(85);
        run.Output.Should().Contain("a row per actual class").And.Contain("versicolor");
        File.ReadAllLines(folder.File("iris-history.csv")).Should().HaveCount(41);
        File.Exists(folder.File("iris-loss.png")).Should().BeTrue();
        File.Exists(folder.File("iris-accuracy.png")).Should().BeTrue();
        run.Output.Should().Contain("predicts the 30 test flowers exactly as before: yes");
        File.Exists(folder.File("iris-model.nnet")).Should().BeTrue("the sample saves the trained model and loads it back");
    }

    [Fact]
    public void Digits_ShortRun_ReportsTestAccuracyAndConfusionMatrix()
    {
        using var folder = new TempFolder();

        SampleRun run = SampleProcess.RunWithColumns("Digits", folder.Path, 60, "--epochs", "5", "--output", folder.Path);

        run.ShouldHaveSucceededInPlainText();
        run.ShouldFit(60, folder.Path);
        run.Number(@"test accuracy: (?<n>[0-9.]+) %").Should().BeGreaterThanOrEqualTo(90);
        run.Output.Should().Contain("a row per actual class");
        File.Exists(folder.File("digits-history.csv")).Should().BeTrue();
        File.Exists(folder.File("digits-accuracy.png")).Should().BeTrue();
    }

    [Fact]
    public void Regression_ShortRun_ReportsRmseAndRSquaredInTheTargetsUnits()
    {
        using var folder = new TempFolder();

        SampleRun run = SampleProcess.RunWithColumns("Regression", folder.Path, 60, "--epochs", "40", "--output", folder.Path);

        run.ShouldHaveSucceededInPlainText();
        run.ShouldFit(60, folder.Path);
        run.Number(@"^\s+RMSE\s+(?<n>[0-9.]+)").Should().BeInRange(40, 70, "the target spans 25..346 and a mean guess has RMSE about 72");
        run.Number(@"^\s+R²\s+(?<n>-?[0-9.]+)").Should().BeGreaterThan(0.2);
        File.Exists(folder.File("diabetes-history.csv")).Should().BeTrue();
        File.Exists(folder.File("diabetes-r2.png")).Should().BeTrue();
    }

    [Fact]
    public void FashionMnist_MissingDataFolder_SaysHowToGetItOnOneLineAndExitsWithCode2()
    {
        using var folder = new TempFolder();

        SampleRun run = SampleProcess.Run("FashionMnist", folder.Path, "--data", folder.File("nowhere"));

        run.ExitCode.Should().Be(2, run.ToString());
        run.Error.TrimEnd().Should().NotContain("\n", "one clear line").And.Contain("sudo apt-get install dataset-fashion-mnist");
        run.Output.Should().BeEmpty();
    }

    [SkippableFact]
    public void FashionMnist_OneEpochOnTheFirstImages_ReportsTestAccuracy()
    {
        Skip.IfNot(File.Exists(Path.Combine(FashionMnistFolder, "t10k-labels-idx1-ubyte.gz")), $"Fashion-MNIST is not installed in {FashionMnistFolder} (apt-get install dataset-fashion-mnist)");
        using var folder = new TempFolder();
        string data = Directory.CreateDirectory(folder.File("data")).FullName;
        IdxSubset.Write(FashionMnistFolder, data, "train", 3000);
        IdxSubset.Write(FashionMnistFolder, data, "t10k", 1000);

        SampleRun run = SampleProcess.Run("FashionMnist", folder.Path, "--data", data, "--epochs", "1", "--output", folder.Path);

        run.ShouldHaveSucceededInPlainText();
        run.ShouldFit(80, folder.Path);
        run.Output.Should().Contain("data: 2550 train, 450 validation and 1000 test images", "15 % of the training images validate").And.Contain("epoch 1/1");
        run.Number(@"test accuracy: (?<n>[0-9.]+) %").Should().BeGreaterThan(60);
        File.Exists(folder.File("fashion-mnist-accuracy.png")).Should().BeTrue();
    }
}
