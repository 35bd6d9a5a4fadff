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

var commandLine = new SampleCommandLine(
    "Xor",
    "a 2-4-1 network learns exclusive-or from its four rows.",
    new SampleDefaults(Epochs: 1000, LearningRate: 0.5, BatchSize: 4, Seed: 7));
return SampleApp.Run(commandLine, args, (options, console) =>
{
    Matrix<double> inputs = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } });
    Matrix<double> targets = Matrix<double>.Build.DenseOfArray(new double[,] { { 0 }, { 1 }, { 1 }, { 0 } });
    var network = new Network<double>(
        options.Seed,
        new DenseLayer<double>(2, 4, new Tanh<double>()),
        new DenseLayer<double>(4, 1, new Sigmoid<double>()));
    var trainer = new Trainer<double>(
        network,
        new BinaryCrossEntropy<double>(),
        new SgdOptimizer<double>(options.LearningRate, momentum: 0.9),
        new TrainingOptions { Epochs = options.Epochs, BatchSize = options.BatchSize });

    console.WriteLine("XOR with NeuralNet", Style.Heading);
    console.WriteLine($"network: {network}", Style.Dim);
    console.WriteLine($"loss: binary cross-entropy; optimizer: SGD with momentum 0.9; {options}", Style.Dim);

    console.Heading("Training: the loss falls epoch by epoch");
    var table = new TextTable(">epoch", ">loss", ">accuracy");
    trainer.EpochCompleted += (_, e) =>
    {
        if (EpochMilestones.IsMilestone(e.Record.Epoch, options.Epochs))
        {
            table.AddRow(
                e.Record.Epoch.ToString(CultureInfo.InvariantCulture),
                e.Record.TrainingLoss.ToString("F6", CultureInfo.InvariantCulture),
                (e.Record.TrainingAccuracy ?? double.NaN).ToString("P0", CultureInfo.InvariantCulture));
        }
    };
    TrainingHistory history = trainer.Fit(inputs, targets);
    table.Write(console);
    console.WriteLine();
    TerminalChart.Write(console, history.Epochs.Select(e => e.TrainingLoss).ToArray(), "epoch", logScale: true, height: 8);

    console.Heading("What the network learned");
    Matrix<double> outputs = network.Predict(inputs);
    var results = new TextTable(">x1", ">x2", ">expected", ">output", "result");
    int correct = 0;
    for (int r = 0; r < inputs.RowCount; r++)
    {
        bool right = Math.Round(outputs[r, 0]) == targets[r, 0];
        correct += right ? 1 : 0;
        results.AddRow(
            (inputs[r, 0].ToString(CultureInfo.InvariantCulture), Style.Plain),
            (inputs[r, 1].ToString(CultureInfo.InvariantCulture), Style.Plain),
            (targets[r, 0].ToString(CultureInfo.InvariantCulture), Style.Plain),
            (outputs[r, 0].ToString("F4", CultureInfo.InvariantCulture), Style.Emphasis),
            (right ? "right" : "wrong", right ? Style.Good : Style.Bad));
    }

    results.Write(console);
    console.WriteLine();
    console.WriteLine($"accuracy: {correct}/4 rows right", correct == 4 ? Style.Good : Style.Bad);
    console.WriteLine();
    HistoryReport.Save(console, options, history, "xor", "XOR");
    return SampleApp.SuccessExitCode;
});
