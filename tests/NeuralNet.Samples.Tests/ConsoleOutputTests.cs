using NeuralNet.Training;

namespace NeuralNet.Samples.Tests;

public sealed class ConsoleOutputTests
{
    [Theory]
    [InlineData(true, null, true)]
    [InlineData(true, "", true)]
    [InlineData(true, "1", false)]
    [InlineData(false, null, false)]
    [InlineData(false, "1", false)]
    public void ShouldColour_OnlyOnATerminalWithoutNoColor(bool terminal, string? noColor, bool expected)
    {
        SampleConsole.ShouldColour(terminal, noColor).Should().Be(expected);
    }

    [Fact]
    public void Paint_WithoutColour_LeavesTextAsIs_WithColourWrapsItInEscapes()
    {
        var plain = new SampleConsole(new StringWriter(), isTerminal: false, useColour: false);
        var coloured = new SampleConsole(new StringWriter(), isTerminal: true, useColour: true);

        plain.Paint("loss", Style.Good).Should().Be("loss");
        coloured.Paint("loss", Style.Good).Should().Be("\u001b[32mloss\u001b[0m");
    }

    [Fact]
    public void TextTable_ColouredCells_StayAlignedOnTheirVisibleText()
    {
        var writer = new StringWriter();
        var console = new SampleConsole(writer, isTerminal: true, useColour: true);
        var table = new TextTable("name", ">value");
        table.AddRow(("a", Style.Accent), ("1.5", Style.Good));
        table.AddRow(("longer", Style.Plain), ("-12.25", Style.Bad));

        table.Write(console);

        string[] lines = System.Text.RegularExpressions.Regex.Replace(writer.ToString(), "\u001b\\[[0-9;]*m", string.Empty)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        lines.Should().Equal("  name     value", "  ──────  ──────", "  a          1.5", "  longer  -12.25");
    }

    [Fact]
    public void TerminalChart_FallingValues_DrawsTheFirstPointTopLeftAndTheLastBottomRight()
    {
        var writer = new StringWriter();
        var console = new SampleConsole(writer, isTerminal: false, useColour: false);
        double[] values = Enumerable.Range(0, 100).Select(i => Math.Exp(-i / 10.0)).ToArray();

        TerminalChart.Write(console, values, "epoch", logScale: true, width: 20, height: 5);

        string[] lines = writer.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        lines[0].Should().Contain("1 ┤•", "the first, highest value is top left");
        lines[4].Should().EndWith("•").And.Contain("5.0");
        lines[5].Should().Contain("└" + new string('─', 20));
        lines[6].Should().Contain("epoch").And.EndWith("100");
    }

    [Fact]
    public void ProgressBar_OnATerminal_RedrawsOneLineAndClearsItForTheEpochSummary()
    {
        var writer = new StringWriter();
        var bar = new TrainingProgressBar(new SampleConsole(writer, isTerminal: true, useColour: false), samplesPerEpoch: 100, batchSize: 10);

        for (int batch = 1; batch <= 10; batch++)
        {
            bar.Report(new TrainingProgress(1, 2, batch, 10, 0.5));
        }

        bar.CompleteEpoch("epoch 1/2 done");

        string text = writer.ToString();
        text.Should().StartWith("\r  epoch 1/2 ").And.Contain("batch 10/10").And.Contain("loss 0.5000").And.Contain("samples/s").And.Contain("left");
        text.Should().EndWith("\repoch 1/2 done" + Environment.NewLine);
    }

    [Fact]
    public void ProgressBar_Redirected_WritesOnlyTheEpochSummary()
    {
        var writer = new StringWriter();
        var bar = new TrainingProgressBar(new SampleConsole(writer, isTerminal: false, useColour: false), samplesPerEpoch: 100, batchSize: 10);

        bar.Report(new TrainingProgress(1, 2, 10, 10, 0.5));
        bar.CompleteEpoch("epoch 1/2 done");

        writer.ToString().Should().Be("epoch 1/2 done" + Environment.NewLine);
    }

    [Fact]
    public void EpochMilestones_PrintTheFirstEpochsOneTwoFiveStepsAndTheLast()
    {
        Enumerable.Range(1, 1200).Where(e => EpochMilestones.IsMilestone(e, 1200, firstEvery: 3))
            .Should().Equal(1, 2, 3, 10, 20, 50, 100, 200, 500, 1000, 1200);
    }
}
