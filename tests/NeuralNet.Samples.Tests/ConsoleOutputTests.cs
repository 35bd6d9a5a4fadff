using System.Text.RegularExpressions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;
using Spectre.Console;
using Table = Spectre.Console.Table;

namespace NeuralNet.Samples.Tests;

public sealed class ConsoleOutputTests
{
    private static readonly string[] FashionClasses = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

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

    [Theory]
    [InlineData(null, 80)]
    [InlineData("60", 60)]
    [InlineData("132", 132)]
    [InlineData("wide", 80)]
    public void Redirected_IsPlainAndAsWideAsColumnsOr80(string? columns, int width)
    {
        IAnsiConsole console = SampleConsole.Create(new StringWriter(), isTerminal: false, noColor: null, columns);

        console.Profile.Width.Should().Be(width);
        console.Profile.Capabilities.Ansi.Should().BeFalse();
        console.Profile.Capabilities.Interactive.Should().BeFalse();
    }

    [Fact]
    public void Table_WiderThanTheConsole_WrapsItsWidestCellToFit()
    {
        var writer = new StringWriter();
        IAnsiConsole console = SampleConsole.Create(writer, isTerminal: false, noColor: null, "60");
        Table table = SampleConsole.Table("neuron", "inputs × weights", ">weighted sum", ">σ(z)");
        table.Row("h1", "0.9000×0.4860 + 0.7000×0.9328 + 0.8000×(-0.4457) + 0.5000×0.1234", "0.7338", "0.6801");

        console.Indented(table);

        writer.ToString().ShouldFit(60);
        writer.ToString().Should().Contain("0.7338").And.Contain("0.6801").And.NotContain("\u001b");
    }

    [Fact]
    public void ConfusionMatrix_OfTenFashionClasses_FitsEightyColumnsWithoutWrappingANameOrACount()
    {
        int[] actual = Enumerable.Range(0, 10_000).Select(i => i % 10).ToArray();
        int[] predicted = actual.Select((a, i) => i % 7 == 0 ? (a + 1) % 10 : a).ToArray();
        var writer = new StringWriter();
        IAnsiConsole console = SampleConsole.Create(writer, isTerminal: false, noColor: null, "80");

        console.Indented(ClassifierTestReport.ConfusionTable(new ConfusionMatrix(actual, predicted, 10), FashionClasses));

        string text = writer.ToString();
        text.ShouldFit(80);
        foreach (string name in FashionClasses)
        {
            text.Should().Contain(name, "each row keeps its class name on one line");
        }

        text.Should().MatchRegex(@"0 T-shirt/top\s+857\s+143\s+(0\s+){8}85\.7 %");
    }

    [Theory]
    [InlineData(60)]
    [InlineData(80)]
    [InlineData(120)]
    public void LiveProgress_OnATerminal_DrawsLinesThatFitTheWidth(int width)
    {
        var writer = new StringWriter();
        IAnsiConsole console = SampleConsole.Create(writer, isTerminal: true, noColor: null, width.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var display = new TrainingDisplay(console);
        Trainer<double> trainer = XorTrainer(display, epochs: 30);

        display.IsLive.Should().BeTrue();
        display.Run(trainer, () => trainer.Fit(Xor.Inputs, Xor.Targets));

        string visible = Regex.Replace(writer.ToString(), @"\u001b\[[0-9;?]*[A-Za-z]", string.Empty);
        visible.Should().Contain("epoch 30/30  loss");
        visible.Split('\n', '\r').Where(l => l.TrimEnd().Length > width).Should().BeEmpty($"every line of the bar fits {width} columns\n{visible}");
    }

    [Fact]
    public void Progress_Redirected_WritesOnlyThePlainEpochLines()
    {
        var writer = new StringWriter();
        IAnsiConsole console = SampleConsole.Create(writer, isTerminal: false, noColor: null, "60");
        var display = new TrainingDisplay(console) { ShowEpoch = (epoch, epochs) => EpochMilestones.IsMilestone(epoch, epochs) };
        Trainer<double> trainer = XorTrainer(display, epochs: 30);

        display.IsLive.Should().BeFalse();
        display.Run(trainer, () => trainer.Fit(Xor.Inputs, Xor.Targets));

        string[] lines = writer.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        lines.Should().HaveCount(8, "epochs 1-5, 10, 20 and 30").And.OnlyContain(l => Regex.IsMatch(l, @"^  epoch +\d+/30  loss \d\.\d{4}  acc \d+\.\d %$"));
    }

    [Fact]
    public void EpochLine_WithValidation_FitsSixtyColumnsForFourDigitEpochs()
    {
        var record = new EpochRecord
        {
            Epoch = 1000,
            LearningRate = 0.1,
            TrainingLoss = 0.12345,
            ValidationLoss = 0.23456,
            TrainingAccuracy = 0.9,
            ValidationAccuracy = 0.875,
            Duration = TimeSpan.FromSeconds(1),
            Elapsed = TimeSpan.FromSeconds(1),
        };

        string line = "  " + TrainingDisplay.Format(record, 2000);

        line.Should().Be("  epoch 1000/2000  loss 0.1235  val 0.2346  val acc 87.5 %");
        line.Length.Should().BeLessThanOrEqualTo(60);
    }

    [Fact]
    public void EpochMilestones_PrintTheFirstEpochsOneTwoFiveStepsAndTheLast()
    {
        Enumerable.Range(1, 1200).Where(e => EpochMilestones.IsMilestone(e, 1200, firstEvery: 3))
            .Should().Equal(1, 2, 3, 10, 20, 50, 100, 200, 500, 1000, 1200);
    }

    private static Trainer<double> XorTrainer(TrainingDisplay display, int epochs)
    {
        var network = new Network<double>(7, new DenseLayer<double>(2, 4, new Tanh<double>()), new DenseLayer<double>(4, 1, new Sigmoid<double>()));
        return new Trainer<double>(network, new BinaryCrossEntropy<double>(), new SgdOptimizer<double>(0.5, momentum: 0.9), new TrainingOptions { Epochs = epochs, BatchSize = 4, Progress = display });
    }

    private static class Xor
    {
        public static readonly Matrix<double> Inputs = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } });
        public static readonly Matrix<double> Targets = Matrix<double>.Build.DenseOfArray(new double[,] { { 0 }, { 1 }, { 1 }, { 0 } });
    }
}
