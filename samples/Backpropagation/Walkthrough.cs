using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using Spectre.Console;

namespace NeuralNet.Samples.Backpropagation;

/// <summary>
/// The story of one training row through a 3-N-1 sigmoid network: the first epoch in full (forward
/// phase, loss, gradients, the SGD update of every weight and bias), the next two briefly, then the
/// rest summarised, with a loss curve in the terminal and as a PNG.
/// </summary>
internal sealed partial class Walkthrough
{
    private static readonly double[] RawInputs = [9, 7, 8];
    private const double InputScale = 10;
    private const double Expected = 1;

    private readonly SampleOptions _options;
    private readonly IAnsiConsole _console;
    private readonly Network<double> _network;
    private readonly DenseLayer<double> _hidden;
    private readonly DenseLayer<double> _output;
    private readonly MeanSquaredError<double> _loss = new();
    private readonly SgdOptimizer<double> _optimizer;
    private readonly Matrix<double> _input;
    private readonly Matrix<double> _target;
    private readonly NamedValue[] _values;

    public Walkthrough(SampleOptions options, IAnsiConsole console, int hidden)
    {
        _options = options;
        _console = console;
        if (options.BatchSize != 1)
        {
            throw new UsageException($"the walkthrough trains on one row, so --batch-size must be 1 (received {options.BatchSize}).");
        }

        _hidden = new DenseLayer<double>(RawInputs.Length, hidden, new Sigmoid<double>());
        _output = new DenseLayer<double>(hidden, 1, new Sigmoid<double>());
        _network = new Network<double>(options.Seed, _hidden, _output);

        // The library starts biases at 0; for the story they start at random too, drawn from the
        // network's own seeded source so the same seed tells the same story.
        foreach (DenseLayer<double> layer in new[] { _hidden, _output })
        {
            for (int i = 0; i < layer.OutputSize; i++)
            {
                layer.Biases[i] = _network.Random.NextDouble() - 0.5;
            }
        }

        _optimizer = new SgdOptimizer<double>(options.LearningRate);
        _input = Matrix<double>.Build.Dense(1, RawInputs.Length, (_, j) => RawInputs[j] / InputScale);
        _target = Matrix<double>.Build.Dense(1, 1, Expected);
        _values = [.. Name(_hidden, "x", "h"), .. Name(_output, "h", "y")];
    }

    public int Run()
    {
        Introduce();
        double[] initial = _values.Select(v => v.Value).ToArray();
        List<double> predictions = [], losses = [];

        _console.Heading("Epoch 1, forward phase: from the inputs to a prediction");
        double prediction = ForwardInDetail();
        _console.Heading("Epoch 1, backward phase: the loss, its gradients, and gradient descent");
        double loss = BackwardInDetail(prediction);
        predictions.Add(prediction);
        losses.Add(loss);
        double largestMove = 0;

        if (_options.Epochs > 1)
        {
            _console.Heading("Epochs 2 and 3, the same way, briefly");
            Table table = SampleConsole.Table(">epoch", ">prediction", ">loss", ">moved up", ">moved down", "largest move");
            for (int epoch = 2; epoch <= _options.Epochs; epoch++)
            {
                double[] before = _values.Select(v => v.Value).ToArray();
                prediction = _network.Predict(_input)[0, 0];
                loss = _network.TrainStep(_input, _target, _loss, _optimizer); // forward, loss, backward, SGD
                predictions.Add(prediction);
                losses.Add(loss);
                double[] moves = _values.Select((v, i) => v.Value - before[i]).ToArray();
                largestMove = moves.Max(Math.Abs);
                if (epoch <= 3)
                {
                    int biggest = Array.IndexOf(moves, moves.MaxBy(Math.Abs));
                    table.Row(
                        (Text(epoch), Style.Plain),
                        (F(prediction), SampleConsole.Emphasis),
                        (F(loss), Style.Plain),
                        (Text(moves.Count(m => m > 0)), SampleConsole.Good),
                        (Text(moves.Count(m => m < 0)), SampleConsole.Bad),
                        ($"{_values[biggest].Name} {Signed(moves[biggest])}", Style.Plain));
                }

                if (epoch == Math.Min(3, _options.Epochs))
                {
                    _console.Indented(table);
                    _console.Line("(each epoch: Network.TrainStep = forward phase, loss, backward phase, SGD step)", SampleConsole.Dim);
                }
            }
        }

        Summarise(predictions, losses, initial, largestMove);
        return SampleApp.SuccessExitCode;
    }

    private void Introduce()
    {
        _console.Write(new Text("Backpropagation, step by step\n", SampleConsole.Emphasis));
        _console.WriteLine("One training row, a small network of sigmoid neurons, the mean squared error and stochastic gradient descent. Every number below is computed by NeuralNet itself.");
        _console.WriteLine($"network: {_network}; loss: mean squared error; SGD, learning rate η = {Text(_options.LearningRate)}, one row per step; seed {_options.Seed}", SampleConsole.Dim);

        _console.Heading("The training row");
        Table row = SampleConsole.Table(["", .. RawInputs.Select((_, j) => $">x{j + 1}"), ">expected output"]);
        row.Row(["raw", .. RawInputs.Select(Text), Text(Expected)]);
        row.Row([$"scaled (÷ {Text(InputScale)})", .. RawInputs.Select((_, j) => Text(_input[0, j])), Text(Expected)]);
        _console.Indented(row);
        _console.Line("Inputs are scaled to about 0..1 so the sigmoid neurons start in their responsive range.", SampleConsole.Dim);

        _console.Heading("The network before training: weights and biases set at random");
        _console.Line($"weights: {_hidden.Initializer} (the library's default for sigmoid); biases: uniform in [-0.5, 0.5); seed {_options.Seed}", SampleConsole.Dim);
        WriteParameters(_hidden, "x", "h", "hidden");
        WriteParameters(_output, "h", "y", "output");
    }

    private void WriteParameters(DenseLayer<double> layer, string from, string to, string title)
    {
        Table table = SampleConsole.Table([$"{title} neuron", .. Enumerable.Range(1, layer.InputSize).Select(j => $">weight from {from}{j}"), ">bias"]);
        for (int i = 0; i < layer.OutputSize; i++)
        {
            table.Row([NeuronName(layer, to, i), .. Enumerable.Range(0, layer.InputSize).Select(j => F(layer.Weights[i, j])), F(layer.Biases[i])]);
        }

        _console.Indented(table);
    }

    private static IEnumerable<NamedValue> Name(DenseLayer<double> layer, string from, string to)
    {
        Parameter<double> weights = layer.Parameters[0], biases = layer.Parameters[1];
        for (int i = 0; i < layer.OutputSize; i++)
        {
            for (int j = 0; j < layer.InputSize; j++)
            {
                yield return new NamedValue($"w({from}{j + 1}→{NeuronName(layer, to, i)})", weights, i, j);
            }
        }

        for (int i = 0; i < layer.OutputSize; i++)
        {
            yield return new NamedValue($"b({NeuronName(layer, to, i)})", biases, i, 0);
        }
    }

    private static string NeuronName(DenseLayer<double> layer, string prefix, int i) => layer.OutputSize == 1 && prefix == "y" ? "y" : $"{prefix}{i + 1}";

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string Signed(double value) => value.ToString("+0.00000;-0.00000;0", CultureInfo.InvariantCulture);
}
