// XOR: the smallest problem a single neuron cannot solve and a hidden layer can.
// A 2-4-1 network (tanh hidden units, sigmoid output, binary cross-entropy) learns the four rows with
// the library's Trainer (SGD with momentum, all four rows in one batch); the loss falls epoch by
// epoch and the outputs move to 0 and 1.
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Samples;
using NeuralNet.Training;
using Spectre.Console;

var commandLine = new SampleCommandLine(
    "Xor",
    "a 2-4-1 network learns exclusive-or from its four rows.",
    new SampleOptions(Epochs: 1000, LearningRate: 0.5, BatchSize: 4, Seed: 7));
return SampleApp.Run(commandLine, args, (options, console) =>
{
    Matrix<double> inputs = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } });
    Matrix<double> targets = Matrix<double>.Build.DenseOfArray(new double[,] { { 0 }, { 1 }, { 1 }, { 0 } });
    var network = new Network<double>(
        options.Seed,
        new DenseLayer<double>(2, 4, new Tanh<double>()),
        new DenseLayer<double>(4, 1, new Sigmoid<double>()));
    var display = new TrainingDisplay(console) { ShowEpoch = (epoch, epochs) => EpochMilestones.IsMilestone(epoch, epochs) };
    var trainer = new Trainer<double>(
        network,
        new BinaryCrossEntropy<double>(),
        new SgdOptimizer<double>(options.LearningRate, momentum: 0.9),
        new TrainingOptions { Epochs = options.Epochs, BatchSize = options.BatchSize, Progress = display });

    console.Write(new Text("XOR with NeuralNet\n", SampleConsole.Emphasis));
    console.WriteLine($"network: {network}", SampleConsole.Dim);
    console.WriteLine($"loss: binary cross-entropy; optimizer: SGD with momentum 0.9; {options}", SampleConsole.Dim);

    console.Heading("Training: the loss falls epoch by epoch");
    TrainingHistory history = display.Run(trainer, () => trainer.Fit(inputs, targets));
    console.WriteLine();
    LossChart.Write(console, history.Epochs.Select(e => e.TrainingLoss).ToArray(), "training loss (binary cross-entropy)");

    console.Heading("What the network learned");
    Matrix<double> outputs = network.Predict(inputs);
    Table results = SampleConsole.Table(">x1", ">x2", ">expected", ">output", "result");
    int correct = 0;
    for (int r = 0; r < inputs.RowCount; r++)
    {
        bool right = Math.Round(outputs[r, 0]) == targets[r, 0];
        correct += right ? 1 : 0;
        results.Row(
            (inputs[r, 0].ToString(CultureInfo.InvariantCulture), Style.Plain),
            (inputs[r, 1].ToString(CultureInfo.InvariantCulture), Style.Plain),
            (targets[r, 0].ToString(CultureInfo.InvariantCulture), Style.Plain),
            (outputs[r, 0].ToString("F4", CultureInfo.InvariantCulture), SampleConsole.Emphasis),
            (right ? "right" : "wrong", right ? SampleConsole.Good : SampleConsole.Bad));
    }

    console.Indented(results);
    console.Line($"accuracy: {correct}/4 rows right", correct == 4 ? SampleConsole.Good : SampleConsole.Bad);
    console.WriteLine();
    HistoryReport.Save(console, options, history, "xor", "XOR");
    return SampleApp.SuccessExitCode;
});
