// Fashion-MNIST: 70,000 photos of clothes (28×28 grey pixels, 10 kinds). Reads the four IDX files
// that Debian's dataset-fashion-mnist installs (or a --data folder), trains a 784-128-10 network
// (ReLU, softmax + cross-entropy, SGD with momentum, in float) with the library's Trainer behind a live
// progress bar, validating on 15 % of the training images after every epoch, and reports the test
// accuracy and a confusion matrix once, at the end. The pixel scaling (÷ 255), the network and the
// class names form one pipeline, which classifies the raw test images.
using System.CommandLine;
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Pipelines;
using NeuralNet.Samples;
using NeuralNet.Training;
using Spectre.Console;
using Table = Spectre.Console.Table;

const string DefaultFolder = "/usr/share/datasets/fashion-mnist";
string[] files = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];
var commandLine = new SampleCommandLine(
        "FashionMnist",
        "a 784-128-10 network learns to recognise 10 kinds of clothes from 28×28 photos (60,000 train, 15 % of them held out for validation, 10,000 test); reports validation accuracy per epoch and the test accuracy at the end. An epoch costs about 0.7 s of CPU time (less wall time on two idle cores, more on a busy machine); --epochs 10 reaches 86.7 % test accuracy with the default seed.",
        new SampleOptions(Epochs: 3, LearningRate: 0.05, BatchSize: 64, Seed: 42))
;
Option<string> dataOption = commandLine.Add(new Option<string>("--data") { Description = "folder with the four IDX files", HelpName = "DIR", DefaultValueFactory = _ => DefaultFolder });
Option<int> limitOption = commandLine.Add(SampleCommandLine.WholeNumber("--train-limit", "train on the first N training images only, N ≥ 100 (default: all 60,000)", 60_000, 100));
return SampleApp.Run(commandLine, args, (options, console) =>
{
    string folder = options.Get(dataOption) ?? DefaultFolder;
    string? missing = files.FirstOrDefault(f => !File.Exists(Path.Combine(folder, f)));
    if (missing is not null)
    {
        throw new UsageException($"Fashion-MNIST not found ({Path.Combine(folder, missing)} is missing): install it with 'sudo apt-get install dataset-fashion-mnist', or pass --data DIR with the four IDX .gz files.");
    }

    int limit = options.Get(limitOption);
    string[] kinds = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];
    console.Write(new Text("Fashion-MNIST with NeuralNet\n", SampleConsole.Emphasis));
    console.WriteLine($"reading {folder} ...", SampleConsole.Dim);
    Matrix<float> trainX = IdxFile.ReadMatrix<float>(Path.Combine(folder, files[0]));
    Matrix<float> trainY = IdxFile.ReadMatrix<float>(Path.Combine(folder, files[1]));
    Matrix<float> testX = IdxFile.ReadMatrix<float>(Path.Combine(folder, files[2]));
    Matrix<float> testY = IdxFile.ReadMatrix<float>(Path.Combine(folder, files[3]));
    if (limit < trainX.RowCount)
    {
        trainX = trainX.SubMatrix(0, limit, 0, trainX.ColumnCount);
        trainY = trainY.SubMatrix(0, limit, 0, 1);
    }

    // Validation images are drawn from the training images (stratified, seeded): the test images are
    // looked at once, at the end. The pipeline scales the raw pixels (0..255) to 0..1: x ÷ 255.
    (Dataset<float> fit, Dataset<float> validation) = SampleData.ValidationSplit(new Dataset<float>(trainX, trainY), options.Seed, stratified: true);
    var network = new Network<float>(
        options.Seed,
        new DenseLayer<float>(784, 128, new ReLU<float>()),
        new DenseLayer<float>(128, 10, new Softmax<float>()));
    var pixels = new MinMaxScaler<float>(minimum: new float[784], maximum: Enumerable.Repeat(255f, 784).ToArray());
    var pipeline = new ClassifierPipeline<float>(network, kinds, pixels);
    console.WriteLine($"data: {fit.Count} train, {validation.Count} validation and {testX.RowCount} test images (28×28, ÷ 255)", SampleConsole.Dim);
    var display = new TrainingDisplay(console);
    var trainer = new Trainer<float>(
        network,
        new CategoricalCrossEntropy<float>(),
        new SgdOptimizer<float>(options.LearningRate, momentum: 0.9),
        new TrainingOptions { Epochs = options.Epochs, BatchSize = options.BatchSize, Progress = display });
    console.WriteLine($"network: {network}, float; softmax + cross-entropy; SGD momentum 0.9; {options}", SampleConsole.Dim);

    console.Heading("Training (validation accuracy after every epoch)");
    TrainingHistory history = display.Run(trainer, () => trainer.Fit(pipeline.Transform(fit.Features), fit.Targets, pipeline.Transform(validation.Features), validation.Targets));

    console.Heading("Test results");
    ClassifierTestReport.Write(console, network, pipeline.Transform(testX), testY, kinds, "images");
    HistoryReport.Save(console, options, history, "fashion-mnist", "Fashion-MNIST");
    return SampleApp.SuccessExitCode;
});
