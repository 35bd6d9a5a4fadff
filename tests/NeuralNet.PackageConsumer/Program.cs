// Trains XOR through the packed NeuralNet package, saves and reloads the network, and exits non-zero
// unless both the trained and the reloaded network give every answer within 0.1.
using MathNet.Numerics.LinearAlgebra;
using NeuralNet;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Serialization;

var x = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } });
var y = Matrix<double>.Build.DenseOfArray(new double[,] { { 0 }, { 1 }, { 1 }, { 0 } });
var network = new Network<double>(42, new DenseLayer<double>(2, 8, new Tanh<double>()), new DenseLayer<double>(8, 1, new Sigmoid<double>()));
var optimizer = new SgdOptimizer<double>(learningRate: 0.5, momentum: 0.9);
var loss = new BinaryCrossEntropy<double>();
double last = double.NaN;
for (int epoch = 0; epoch < 2000; epoch++)
{
    last = network.TrainStep(x, y, loss, optimizer);
}

using var saved = new MemoryStream();
NetworkSerializer.Save(network, saved);
saved.Position = 0;
Network<double> reloaded = NetworkSerializer.Load<double>(saved);

int failures = 0;
foreach ((string name, Network<double> net) in new[] { ("trained", network), ("reloaded", reloaded) })
{
    Matrix<double> prediction = net.Predict(x);
    for (int i = 0; i < x.RowCount; i++)
    {
        bool ok = Math.Abs(prediction[i, 0] - y[i, 0]) < 0.1;
        failures += ok ? 0 : 1;
        Console.WriteLine($"{name}: XOR({x[i, 0]}, {x[i, 1]}) = {prediction[i, 0]:F4} (expected {y[i, 0]}){(ok ? "" : "  <-- wrong")}");
    }
}

Console.WriteLine(failures == 0
    ? $"package consumer: NeuralNet {typeof(Network<>).Assembly.GetName().Version} from the package learned XOR (final loss {last:G4})"
    : $"package consumer: {failures} wrong answers");
return failures == 0 ? 0 : 1;
