using ScottPlot;

namespace NeuralNet.Samples.Tests;

/// <summary>The plots read at a glance: whole-number epoch ticks within the run, percent ticks that differ, decades on a log axis.</summary>
public sealed class CurvePlotTests
{
    [Fact]
    public void Accuracy_OverThreeEpochs_HasEpochTicksOneTwoThreeAndDistinctPercentLabels()
    {
        using Plot plot = CurvePlot.Create("t", "accuracy", [1, 2, 3], [("training", [0.815, 0.854, 0.867]), ("validation", [0.833, 0.856, 0.861])], percent: true);

        plot.RenderInMemory(900, 500);

        MajorTicks(plot.Axes.Bottom).Select(t => t.Position).Should().Equal(1, 2, 3);
        string[] labels = MajorTicks(plot.Axes.Left).Select(t => t.Label).ToArray();
        labels.Should().HaveCountGreaterThan(2).And.OnlyHaveUniqueItems("two ticks with the same label read as a broken axis")
            .And.OnlyContain(l => l.EndsWith(" %", StringComparison.Ordinal));
    }

    [Fact]
    public void Loss_SpanningDecades_IsOnALogAxisLabelledInWholeDecades()
    {
        double[] losses = Enumerable.Range(1, 2000).Select(e => 0.16 / e).ToArray();

        using Plot plot = CurvePlot.Create("t", "loss", Enumerable.Range(1, 2000).ToArray(), [("loss", losses)]);
        plot.RenderInMemory(900, 500);

        plot.Axes.Left.Label.Text.Should().EndWith(", log scale");
        MajorTicks(plot.Axes.Left).Select(t => t.Label).Should().Contain(["0.1", "0.01", "0.001"]);
        MajorTicks(plot.Axes.Bottom).Should().OnlyContain(t => t.Position == Math.Round(t.Position) && t.Position >= 0 && t.Position <= 2000);
    }

    [Fact]
    public void Loss_WithinOneDecade_StaysLinear()
    {
        using Plot plot = CurvePlot.Create("t", "loss", [1, 2, 3, 4], [("training loss", [0.53, 0.40, 0.37, 0.36])]);

        plot.Axes.Left.Label.Text.Should().Be("loss");
    }

    [Fact]
    public void EarlyStopping_MarksTheEpochWhoseWeightsAreKept_InTheLegend()
    {
        using Plot plot = CurvePlot.Create("t", "loss", [1, 2, 3, 4], [("training loss", [0.9, 0.5, 0.4, 0.3]), ("validation loss", [0.8, 0.6, 0.7, 0.75])], bestEpoch: 2);

        ScottPlot.Plottables.VerticalLine best = plot.GetPlottables().OfType<ScottPlot.Plottables.VerticalLine>().Single();
        best.X.Should().Be(2);
        best.LegendText.Should().Contain("epoch 2");
    }

    private static IEnumerable<Tick> MajorTicks(IAxis axis) => axis.TickGenerator.Ticks.Where(t => t.IsMajor);
}
