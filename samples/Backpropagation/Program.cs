// Backpropagation, told on one training row: inputs 9, 7, 8 (scaled to 0.9, 0.7, 0.8), expected
// output 1. Every number printed comes from NeuralNet itself: the forward phase (Network.Forward,
// Layer.Predict), the loss and its gradient (MeanSquaredError), the gradient of every weight and
// bias (Network.Backward fills Parameter.Gradients) and the update (SgdOptimizer.Step).
using NeuralNet.Samples;
using NeuralNet.Samples.Backpropagation;

var commandLine = new SampleCommandLine(
    "Backpropagation",
    "watch a small sigmoid network learn one row (inputs 9, 7, 8; expected output 1), step by step: forward phase, loss, gradients, and how gradient descent moves every weight and bias.",
    new SampleOptions(Epochs: 2000, LearningRate: 0.5, BatchSize: 1, Seed: 14));
var hidden = commandLine.Add(SampleCommandLine.WholeNumber("--hidden", "hidden neurons", 2, 1, 16));
return SampleApp.Run(commandLine, args, (options, console) => new Walkthrough(options, console, options.Get(hidden)).Run());
