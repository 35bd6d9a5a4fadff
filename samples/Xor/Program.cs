// XOR: the smallest problem a single neuron cannot solve and a hidden layer can.
// A 2-4-1 network (tanh hidden units, sigmoid output, binary cross-entropy) learns the four rows by
// full-batch gradient descent; the loss falls epoch by epoch and the outputs move to 0 and 1.
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Samples;

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
    var loss = new BinaryCrossEntropy<double>();
    var optimizer = new SgdOptimizer<double>(options.LearningRate, momentum: 0.9);

    console.WriteLine("XOR with NeuralNet", Style.Heading);
    console.WriteLine($"network: {network}", Style.Dim);
    console.WriteLine($"loss: binary cross-entropy; optimizer: SGD with momentum 0.9; {options}", Style.Dim);

    console.Heading("Training: the loss falls epoch by epoch");
    var log = new TrainingLog("loss");
    var table = new TextTable(">epoch", ">loss");
    int batch = Math.Min(options.BatchSize, inputs.RowCount);
    for (int epoch = 1; epoch <= options.Epochs; epoch++)
    {
        double sum = 0;
        int batches = 0;
        for (int start = 0; start < inputs.RowCount; start += batch)
        {
            int rows = Math.Min(batch, inputs.RowCount - start);
            sum += network.TrainStep(inputs.SubMatrix(start, rows, 0, 2), targets.SubMatrix(start, rows, 0, 1), loss, optimizer);
            batches++;
        }

        log.Add(epoch, sum / batches);
        if (EpochMilestones.IsMilestone(epoch, options.Epochs))
        {
            table.AddRow(epoch.ToString(CultureInfo.InvariantCulture), (sum / batches).ToString("F6", CultureInfo.InvariantCulture));
        }
    }

    table.Write(console);
    console.WriteLine();
    TerminalChart.Write(console, log.Column("loss"), "epoch", logScale: true, height: 8);

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

    string csv = options.OutputPath("xor-history.csv");
    log.WriteCsv(csv);
    string png = options.OutputPath("xor-loss.png");
    CurvePlot.Save(png, "XOR: training loss", "loss (binary cross-entropy)", log.Epochs, [("training loss", log.Column("loss"))], logScale: true);
    console.WriteLine($"wrote {csv}", Style.Dim);
    console.WriteLine($"wrote {png}", Style.Dim);
    return SampleApp.SuccessExitCode;
});
