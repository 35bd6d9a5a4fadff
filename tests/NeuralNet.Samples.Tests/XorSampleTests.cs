namespace NeuralNet.Samples.Tests;

public sealed class XorSampleTests
{
    [Fact]
    public void Xor_DefaultSettings_LearnsAllFourRowsAndWritesHistoryAndPlot()
    {
        using var folder = new TempFolder();

        SampleRun run = SampleProcess.Run("Xor", folder.Path, "--output", folder.Path);

        run.ShouldHaveSucceededInPlainText();
        run.ShouldFit(80, folder.Path);
        run.Output.Should().Contain("accuracy: 4/4 rows right");
        double first = run.Number(@"^  epoch +1/1000  loss (?<n>[0-9.]+)  acc \d+\.\d %$");
        double last = run.Number(@"^  epoch 1000/1000  loss (?<n>[0-9.]+)  acc 100\.0 %$");
        last.Should().BeLessThan(first / 10, "the loss falls epoch by epoch");
        File.Exists(folder.File("xor-history.csv")).Should().BeTrue();
        string[] csv = File.ReadAllLines(folder.File("xor-history.csv"));
        csv.Should().HaveCount(1001, "a header and one line per epoch");
        csv[0].Should().StartWith("epoch,learning_rate,loss,accuracy");
        new FileInfo(folder.File("xor-loss.png")).Length.Should().BeGreaterThan(1000);
        File.Exists(folder.File("xor-accuracy.png")).Should().BeTrue();
    }
}
