using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using Spectre.Console;

namespace NeuralNet.Samples.Backpropagation;

/// <summary>The first epoch in full: the forward phase neuron by neuron, then the backward phase parameter by parameter.</summary>
internal sealed partial class Walkthrough
{
    private double ForwardInDetail()
    {
        // Network.Forward runs the training forward phase and keeps what Backward needs; the hidden
        // activations are read with Layer.Predict, the library's own evaluation of that layer.
        double prediction = _network.Forward(_input, training: true)[0, 0];
        Matrix<double> hidden = Matrix<double>.Build.Dense(1, _hidden.OutputSize);
        _hidden.Predict(_input, hidden);

        _console.Line("Each neuron adds up its inputs times its weights (the weighted sum), adds its bias (giving z), and passes z through its activation, the sigmoid σ(z) = 1 / (1 + e^-z), which lies between 0 and 1.", SampleConsole.Dim);
        WriteNeurons(_hidden, _input.Row(0), hidden.Row(0), "x", "h");
        WriteNeurons(_output, hidden.Row(0), Vector<double>.Build.Dense(1, prediction), "h", "y");
        _console.Line(("prediction ", Style.Plain), (F(prediction), SampleConsole.Emphasis), ($"   (expected {Text(Expected)})", Style.Plain));
        return prediction;
    }

    private void WriteNeurons(DenseLayer<double> layer, Vector<double> inputs, Vector<double> activations, string from, string to)
    {
        Table table = SampleConsole.Table("neuron", "inputs × weights", ">weighted sum", ">+ bias", ">= z", ">σ(z)");
        for (int i = 0; i < layer.OutputSize; i++)
        {
            Vector<double> weights = layer.Weights.Row(i);
            string terms = string.Join(" + ", Enumerable.Range(0, inputs.Count).Select(j => $"{F(inputs[j])}×{Parenthesised(weights[j])}"));
            double sum = weights.DotProduct(inputs);
            table.Row(
                (NeuronName(layer, to, i), SampleConsole.Accent),
                (terms, SampleConsole.Dim),
                (F(sum), Style.Plain),
                (F(layer.Biases[i]), Style.Plain),
                (F(sum + layer.Biases[i]), Style.Plain),
                (F(activations[i]), SampleConsole.Emphasis));
        }

        _console.Indented(table);
        _ = from;
    }

    private double BackwardInDetail(double prediction)
    {
        // Network.Backward: the loss gradient flows back through both layers and fills every
        // parameter's gradient (Parameter.Gradient); no weight changes yet.
        Matrix<double> output = Matrix<double>.Build.Dense(1, 1, prediction);
        double loss = _loss.Loss(output, _target);
        double lossGradient = _loss.Gradient(output, _target)[0, 0];
        _network.Backward(_target, _loss);
        double outputDelta = _values.Single(v => v.Name == "b(y)").Gradient;

        _console.Line(($"loss = (prediction - expected)² = ({F(prediction)} - {Text(Expected)})² = ", Style.Plain), (F(loss), SampleConsole.Emphasis));
        _console.Line($"∂loss/∂prediction = 2 × (prediction - expected) = {Signed(lossGradient)}");
        _console.Line($"∂loss/∂z of y = ∂loss/∂prediction × σ'(z) = {Signed(outputDelta)}   (σ'(z) = σ(z)(1 - σ(z)))");
        _console.Line("The chain rule carries this back: each weight's gradient is ∂loss/∂z of its neuron times the input it multiplies; each bias's gradient is ∂loss/∂z of its neuron.", SampleConsole.Dim);
        _console.WriteLine();
        _console.Line($"Stochastic gradient descent moves every parameter against its gradient: new = old - η × gradient (η = {Text(_options.LearningRate)}). A negative gradient means the loss falls as the parameter rises, so it moves up; a positive one, down.", SampleConsole.Dim);

        double[] before = _values.Select(v => v.Value).ToArray();
        double[] gradients = _values.Select(v => v.Gradient).ToArray();
        _optimizer.Step(_network.Parameters);

        Table table = SampleConsole.Table("parameter", ">old value", ">gradient", ">-η × gradient", ">new value", "moves");
        for (int i = 0; i < _values.Length; i++)
        {
            double after = _values[i].Value;
            bool up = after > before[i];
            table.Row(
                (_values[i].Name, SampleConsole.Accent),
                (F(before[i]), Style.Plain),
                (Signed(gradients[i]), Style.Plain),
                (Signed(after - before[i]), Style.Plain),
                (F(after), SampleConsole.Emphasis),
                (after == before[i] ? "stays" : up ? "↑ up" : "↓ down", up ? SampleConsole.Good : SampleConsole.Bad));
        }

        _console.Indented(table);
        double next = _network.Predict(_input)[0, 0];
        _console.Line(("after this one step the network predicts ", Style.Plain), (F(next), SampleConsole.Emphasis), ($" for the same row (it predicted {F(prediction)}): closer to {Text(Expected)}.", Style.Plain));
        return loss;
    }

    private static string Parenthesised(double value) => value < 0 ? $"({F(value)})" : F(value);
}
