using System.CommandLine;

namespace NeuralNet.Samples.Tests;

public sealed class CommandLineTests
{
    public static TheoryData<string> Samples => new() { "Xor", "Backpropagation", "Iris", "Digits", "Regression", "FashionMnist" };

    [Theory]
    [MemberData(nameof(Samples))]
    public void EverySample_Help_PrintsTheSharedOptionsAndExitsWithCode0(string sample)
    {
        using var folder = new TempFolder();

        SampleRun run = SampleProcess.RunWithColumns(sample, folder.Path, 60, "--help");

        run.ShouldHaveSucceededInPlainText();
        run.Output.Should().Contain($"dotnet run --project samples/{sample}")
            .And.Contain("--epochs").And.Contain("--learning-rate").And.Contain("--batch-size")
            .And.Contain("--seed").And.Contain("--output").And.Contain("--help");
        run.ShouldFit(60);
        Directory.EnumerateFileSystemEntries(folder.Path).Should().BeEmpty("--help writes no files");
        string readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "samples", "README.md"));
        foreach (string option in System.Text.RegularExpressions.Regex.Matches(run.Output, @"--[a-z-]+").Select(m => m.Value).Distinct())
        {
            readme.Should().Contain($"{option} ", $"samples/README.md lists every option {sample} takes ({option})");
        }
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void EverySample_BadOption_PrintsAClearErrorAndExitsWithCode2(string sample)
    {
        using var folder = new TempFolder();

        SampleRun unknown = SampleProcess.Run(sample, folder.Path, "--epoch", "3");
        SampleRun outOfRange = SampleProcess.Run(sample, folder.Path, "--learning-rate", "-0.1");

        unknown.ExitCode.Should().Be(2, unknown.ToString());
        unknown.Error.Should().Contain("'--epoch'").And.Contain("try --help");
        unknown.Error.TrimEnd().Should().NotContain("\n", "one line");
        outOfRange.ExitCode.Should().Be(2, outOfRange.ToString());
        outOfRange.Error.Should().Contain("--learning-rate needs a number > 0 (received '-0.1')");
    }

    [Fact]
    public void Parse_NoArguments_GivesTheDefaultsAndTheCurrentDirectory()
    {
        var commandLine = new SampleCommandLine("Test", "a test.", new SampleOptions(7, 0.25, 4, 9));

        SampleOptions options = commandLine.Parse([])!;

        options.Epochs.Should().Be(7);
        options.LearningRate.Should().Be(0.25);
        options.BatchSize.Should().Be(4);
        options.Seed.Should().Be(9UL);
        options.OutputDirectory.Should().Be(Directory.GetCurrentDirectory());
    }

    [Fact]
    public void Parse_BothOptionForms_AreRead()
    {
        var commandLine = new SampleCommandLine("Test", "a test.", new SampleOptions(7, 0.25, 4));
        Option<string> data = commandLine.Add(new Option<string>("--data") { Description = "data folder" });
        Option<int> hidden = commandLine.Add(SampleCommandLine.WholeNumber("--hidden", "hidden units", 2, 1, 16));

        SampleOptions options = commandLine.Parse(["--epochs=12", "--learning-rate", "0.5", "--batch-size=1", "--seed", "18446744073709551615", "--data", "/x"])!;

        options.Epochs.Should().Be(12);
        options.LearningRate.Should().Be(0.5);
        options.BatchSize.Should().Be(1);
        options.Seed.Should().Be(ulong.MaxValue);
        options.Get(data).Should().Be("/x");
        options.Get(hidden).Should().Be(2, "an option not given takes its default");
    }

    [Theory]
    [InlineData("--epochs", "0", "--epochs needs a whole number ≥ 1 (received '0')")]
    [InlineData("--batch-size", "two", "--batch-size needs a whole number ≥ 1 (received 'two')")]
    [InlineData("--learning-rate", "NaN", "--learning-rate needs a number > 0 (received 'NaN')")]
    [InlineData("--seed", "-1", "--seed needs a whole number ≥ 0 (received '-1')")]
    public void Parse_BadValue_ThrowsUsageExceptionNamingOptionAndValue(string option, string value, string message)
    {
        var commandLine = new SampleCommandLine("Test", "a test.", new SampleOptions(7, 0.25, 4));

        Action parse = () => commandLine.Parse([option, value]);

        parse.Should().Throw<UsageException>().WithMessage($"*{message}*");
    }

    [Fact]
    public void Parse_Version_IsAnUnknownOption_NotARunThatIgnoresIt()
    {
        var commandLine = new SampleCommandLine("Test", "a test.", new SampleOptions(7, 0.25, 4));

        Action parse = () => commandLine.Parse(["--version"]);

        parse.Should().Throw<UsageException>().WithMessage("*--version*");
        commandLine.HelpText().Should().NotContain("--version");
    }

    [Fact]
    public void Parse_MissingValue_ThrowsUsageExceptionNamingTheOption()
    {
        var commandLine = new SampleCommandLine("Test", "a test.", new SampleOptions(7, 0.25, 4));

        Action parse = () => commandLine.Parse(["--epochs"]);

        parse.Should().Throw<UsageException>().WithMessage("*--epochs*");
    }

    [Fact]
    public void Parse_Help_ReturnsNullEvenAfterOtherOptions_AndTheHelpStatesTheDefaults()
    {
        var commandLine = new SampleCommandLine("Test", "a test.", new SampleOptions(7, 0.25, 4));

        commandLine.Parse(["--epochs", "3", "--help"]).Should().BeNull();
        commandLine.HelpText().Should().Contain("default: 7").And.Contain("default: 0.25").And.Contain("default: 4");
    }
}
