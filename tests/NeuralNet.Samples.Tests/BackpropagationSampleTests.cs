namespace NeuralNet.Samples.Tests;

public sealed class BackpropagationSampleTests
{
    [Fact]
    public void Backpropagation_ShortRun_TellsTheStoryWithThePredictionApproachingOne()
    {
        using var folder = new TempFolder();

        SampleRun run = SampleProcess.Run("Backpropagation", folder.Path, "--epochs", "300");

        run.ShouldHaveSucceededInPlainText();
        run.ShouldFit(80, folder.Path);
        run.Output.Should().Contain("raw              9    7    8                1")
            .And.Contain("scaled (÷ 10)  0.9  0.7  0.8                1");
        double firstPrediction = run.Number(@"^  prediction (?<n>[0-9.]+)");
        firstPrediction.Should().BeInRange(0.55, 0.65, "the seeded network starts at about 0.6");
        run.Output.Should().Contain("loss = (prediction - expected)²")
            .And.Contain("∂loss/∂prediction")
            .And.Contain("↑ up").And.Contain("↓ down")
            .And.Contain("w(x1→h1)").And.Contain("b(y)");
        run.Output.Should().Contain("rising in every epoch");
        double trained = run.Number(@"trained network predicts (?<n>[0-9.]+)");
        trained.Should().BeGreaterThan(0.95).And.BeLessThan(1);
        File.Exists(Path.Combine(folder.Path, "backpropagation-loss.png")).Should().BeTrue("the PNG goes into the current directory by default");
        run.Output.Should().Contain(Path.Combine(folder.Path, "backpropagation-loss.png"), "the sample prints where it wrote the plot");
        File.ReadAllLines(folder.File("backpropagation-history.csv")).Should().HaveCount(301).And.StartWith("epoch,prediction,loss");
    }

    [Fact]
    public void Backpropagation_SameSeed_PrintsTheSameNumbers()
    {
        using var folder = new TempFolder();

        SampleRun first = SampleProcess.Run("Backpropagation", folder.Path, "--epochs", "20", "--seed", "3");
        SampleRun second = SampleProcess.Run("Backpropagation", folder.Path, "--epochs", "20", "--seed", "3");

        first.ShouldHaveSucceededInPlainText();
        second.Output.Should().Be(first.Output);
    }

    [Fact]
    public void Backpropagation_HiddenOutOfRange_ExitsWithCode2()
    {
        using var folder = new TempFolder();

        SampleRun run = SampleProcess.Run("Backpropagation", folder.Path, "--hidden", "0");

        run.ExitCode.Should().Be(2, run.ToString());
        run.Error.Should().Contain("--hidden").And.Contain("'0'");
    }

    [Fact]
    public void Backpropagation_ReadmeExcerpt_IsWhatTheDefaultRunPrints()
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "samples", "README.md"));
        int start = readme.IndexOf("## The walkthrough, abridged", StringComparison.Ordinal);
        start.Should().BePositive("samples/README.md shows an excerpt of the walkthrough");
        int open = readme.IndexOf("```\n", start, StringComparison.Ordinal) + 4;
        string excerpt = readme[open..readme.IndexOf("\n```", open, StringComparison.Ordinal)];
        using var folder = new TempFolder();

        SampleRun run = SampleProcess.Run("Backpropagation", folder.Path);

        run.ShouldHaveSucceededInPlainText();
        string output = TrimLineEnds(run.Output);
        foreach (string part in excerpt.Split("[…]"))
        {
            output.Should().Contain(TrimLineEnds(part).Trim('\n'), "the README's excerpt must be what the sample prints (at 80 columns)");
        }
    }

    private static string TrimLineEnds(string text) => string.Join('\n', text.ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd()));
}
