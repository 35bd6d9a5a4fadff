using System.Globalization;
using Spectre.Console;

namespace NeuralNet.Samples.Backpropagation;

/// <summary>The end of the story: the rest of training in a table, the trained network, and the loss curves.</summary>
internal sealed partial class Walkthrough
{
    private void Summarise(List<double> predictions, List<double> losses, double[] initial, double largestMove)
    {
        int epochs = losses.Count;

        if (epochs > 3)
        {
            _console.Heading($"The rest of training, summarised ({Text(epochs)} epochs)");
            Table table = SampleConsole.Table(">epoch", ">prediction", ">loss");
            for (int i = 0; i < epochs; i++)
            {
                if (EpochMilestones.IsMilestone(i + 1, epochs, firstEvery: 1))
                {
                    table.Row((Text(i + 1), Style.Plain), (F(predictions[i]), SampleConsole.Emphasis), (losses[i].ToString("0.000000", CultureInfo.InvariantCulture), Style.Plain));
                }
            }

            _console.Indented(table);
        }

        double final = _network.Predict(_input)[0, 0];
        bool rising = Enumerable.Range(1, epochs - 1).All(i => predictions[i] > predictions[i - 1]) && final > predictions[^1];
        _console.Line(("The prediction approaches 1: ", Style.Plain), ($"{F(predictions[0])} → {F(final)}", SampleConsole.Emphasis), (rising ? ", rising in every epoch." : ".", rising ? SampleConsole.Good : Style.Plain));
        _console.Line(("The loss falls until it converges: ", Style.Plain), ($"{F(losses[0])} → {losses[^1].ToString("0.000000", CultureInfo.InvariantCulture)}", SampleConsole.Emphasis));
        _console.Line($"In the last epoch no weight or bias moved by more than {largestMove.ToString("0.0e+0", CultureInfo.InvariantCulture)}: the weights and biases have settled.");

        _console.Heading("The trained network");
        Table trained = SampleConsole.Table("parameter", ">before training", ">after training", ">change");
        for (int i = 0; i < _values.Length; i++)
        {
            double change = _values[i].Value - initial[i];
            trained.Row((_values[i].Name, SampleConsole.Accent), (F(initial[i]), Style.Plain), (F(_values[i].Value), SampleConsole.Emphasis), (Signed(change), change > 0 ? SampleConsole.Good : SampleConsole.Bad));
        }

        _console.Indented(trained);
        _console.Line(("For the inputs 9, 7, 8 the trained network predicts ", Style.Plain), (F(final), SampleConsole.Emphasis), ($" (expected {Text(Expected)}).", Style.Plain));

        _console.Heading("Loss per epoch");
        LossChart.Write(_console, losses, "loss (squared error)", "0.000000");

        string csv = _options.OutputPath("backpropagation-history.csv");
        File.WriteAllLines(csv, ["epoch,prediction,loss", .. losses.Select((loss, i) => string.Create(CultureInfo.InvariantCulture, $"{i + 1},{predictions[i]:R},{loss:R}"))]);
        string png = _options.OutputPath("backpropagation-loss.png");
        CurvePlot.Save(png, "Backpropagation on one row (9, 7, 8 → 1): loss per epoch", "loss (squared error)", [.. Enumerable.Range(1, epochs)], [("loss", losses)]);
        _console.WriteLine();
        _console.PathLine("loss curve (PNG): ", png);
        _console.PathLine("history (CSV):    ", csv);
    }
}
