using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;

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

        _console.WriteLine("  Each neuron adds up its inputs times its weights (the weighted sum), adds its bias (giving z),", Style.Dim);
        _console.WriteLine("  and passes z through its activation, the sigmoid σ(z) = 1 / (1 + e^-z), which lies between 0 and 1.", Style.Dim);
        _console.WriteLine();
        WriteNeurons(_hidden, _input.Row(0), hidden.Row(0), "x", "h");
        _console.WriteLine();
        WriteNeurons(_output, hidden.Row(0), Vector<double>.Build.Dense(1, prediction), "h", "y");
        _console.WriteLine();
        _console.Write("  prediction ");
        _console.Write(F(prediction), Style.Emphasis);
        _console.WriteLine($"   (expected {Text(Expected)})");
        return prediction;
    }

    private void WriteNeurons(DenseLayer<double> layer, Vector<double> inputs, Vector<double> activations, string from, string to)
    {
        var table = new TextTable("neuron", "inputs × weights", ">weighted sum", ">+ bias", ">= z", ">σ(z)");
        for (int i = 0; i < layer.OutputSize; i++)
        {
            Vector<double> weights = layer.Weights.Row(i);
            string terms = string.Join(" + ", Enumerable.Range(0, inputs.Count).Select(j => $"{F(inputs[j])}×{Parenthesised(weights[j])}"));
            double sum = weights.DotProduct(inputs);
            table.AddRow(
                (NeuronName(layer, to, i), Style.Accent),
                (terms, Style.Dim),
                (F(sum), Style.Plain),
                (F(layer.Biases[i]), Style.Plain),
                (F(sum + layer.Biases[i]), Style.Plain),
                (F(activations[i]), Style.Emphasis));
        }

        table.Write(_console);
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

        _console.Write($"  loss = (prediction - expected)² = ({F(prediction)} - {Text(Expected)})² = ");
        _console.WriteLine(F(loss), Style.Emphasis);
        _console.WriteLine($"  ∂loss/∂prediction = 2 × (prediction - expected) = {Signed(lossGradient)}");
        _console.WriteLine($"  ∂loss/∂z of y = ∂loss/∂prediction × σ'(z) = {Signed(outputDelta)}   (σ'(z) = σ(z)(1 - σ(z)))");
        _console.WriteLine("  The chain rule carries this back: each weight's gradient is ∂loss/∂z of its neuron times the", Style.Dim);
        _console.WriteLine("  input it multiplies; each bias's gradient is ∂loss/∂z of its neuron.", Style.Dim);
        _console.WriteLine();
        _console.WriteLine($"  Stochastic gradient descent moves every parameter against its gradient: new = old - η × gradient (η = {Text(_options.LearningRate)}).", Style.Dim);
        _console.WriteLine("  A negative gradient means the loss falls as the parameter rises, so it moves up; a positive one, down.", Style.Dim);
        _console.WriteLine();

        double[] before = _values.Select(v => v.Value).ToArray();
        double[] gradients = _values.Select(v => v.Gradient).ToArray();
        _optimizer.Step(_network.Parameters);

        var table = new TextTable("parameter", ">old value", ">gradient", ">-η × gradient", ">new value", "moves");
        for (int i = 0; i < _values.Length; i++)
        {
            double after = _values[i].Value;
            bool up = after > before[i];
            table.AddRow(
                (_values[i].Name, Style.Accent),
                (F(before[i]), Style.Plain),
                (Signed(gradients[i]), Style.Plain),
                (Signed(after - before[i]), Style.Plain),
                (F(after), Style.Emphasis),
                (after == before[i] ? "stays" : up ? "↑ up" : "↓ down", up ? Style.Good : Style.Bad));
        }

        table.Write(_console);
        double next = _network.Predict(_input)[0, 0];
        _console.WriteLine();
        _console.Write($"  after this one step the network predicts ");
        _console.Write(F(next), Style.Emphasis);
        _console.WriteLine($" for the same row (it predicted {F(prediction)}): closer to {Text(Expected)}.");
        return loss;
    }

    private static string Parenthesised(double value) => value < 0 ? $"({F(value)})" : F(value);
}
