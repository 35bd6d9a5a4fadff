using System.Globalization;

namespace NeuralNet.Samples.Backpropagation;

/// <summary>The end of the story: the rest of training in a table, the trained network, and the loss curves.</summary>
internal sealed partial class Walkthrough
{
    private void Summarise(TrainingLog log, double[] initial, double largestMove)
    {
        IReadOnlyList<double> predictions = log.Column("prediction");
        IReadOnlyList<double> losses = log.Column("loss");
        int epochs = log.Count;

        if (epochs > 3)
        {
            _console.Heading($"The rest of training, summarised ({Text(epochs)} epochs)");
            var table = new TextTable(">epoch", ">prediction", ">loss");
            for (int i = 0; i < epochs; i++)
            {
                if (EpochMilestones.IsMilestone(i + 1, epochs, firstEvery: 1))
                {
                    table.AddRow((Text(i + 1), Style.Plain), (F(predictions[i]), Style.Emphasis), (losses[i].ToString("0.000000", CultureInfo.InvariantCulture), Style.Plain));
                }
            }

            table.Write(_console);
        }

        double final = _network.Predict(_input)[0, 0];
        bool rising = Enumerable.Range(1, epochs - 1).All(i => predictions[i] > predictions[i - 1]) && final > predictions[^1];
        _console.WriteLine();
        _console.Write("  The prediction approaches 1: ");
        _console.Write($"{F(predictions[0])} → {F(final)}", Style.Emphasis);
        _console.WriteLine(rising ? ", rising in every epoch." : ".", rising ? Style.Good : Style.Plain);
        _console.Write("  The loss falls until it converges: ");
        _console.WriteLine($"{F(losses[0])} → {losses[^1].ToString("0.000000", CultureInfo.InvariantCulture)}", Style.Emphasis);
        _console.WriteLine($"  In the last epoch no weight or bias moved by more than {largestMove.ToString("0.0e+0", CultureInfo.InvariantCulture)}: the weights and biases have settled.");

        _console.Heading("The trained network");
        var trained = new TextTable("parameter", ">before training", ">after training", ">change");
        for (int i = 0; i < _values.Length; i++)
        {
            double change = _values[i].Value - initial[i];
            trained.AddRow((_values[i].Name, Style.Accent), (F(initial[i]), Style.Plain), (F(_values[i].Value), Style.Emphasis), (Signed(change), change > 0 ? Style.Good : Style.Bad));
        }

        trained.Write(_console);
        _console.WriteLine();
        _console.Write($"  For the inputs 9, 7, 8 the trained network predicts ");
        _console.Write(F(final), Style.Emphasis);
        _console.WriteLine($" (expected {Text(Expected)}).");

        _console.Heading("Loss per epoch");
        TerminalChart.Write(_console, losses, "epoch", logScale: true);

        string csv = _options.OutputPath("backpropagation-history.csv");
        log.WriteCsv(csv);
        string png = _options.OutputPath("backpropagation-loss.png");
        CurvePlot.Save(png, "Backpropagation on one row (9, 7, 8 → 1): loss per epoch", "loss (squared error)", log.Epochs, [("loss", losses)], logScale: true);
        _console.WriteLine();
        _console.WriteLine($"  loss curve (PNG):     {png}");
        _console.WriteLine($"  history (CSV):        {csv}");
    }
}
