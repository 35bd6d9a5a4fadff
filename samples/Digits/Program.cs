// Digits: handwritten digits 0-9 as 8×8 images of ink counts (0..16). Loads the CSV and its fixed
// train/test split, scales the pixels to [0, 1] (÷ 16), trains a 64-64-10 network (ReLU, softmax +
// cross-entropy, SGD with momentum) with the library's Trainer, and reports the test accuracy and
// the confusion matrix.
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

var commandLine = new SampleCommandLine(
    "Digits",
    "a 64-64-10 network learns to read handwritten digits from 8×8 images; reports test accuracy and a confusion matrix.",
    new SampleOptions(Epochs: 50, LearningRate: 0.05, BatchSize: 32, Seed: 42));
return SampleApp.Run(commandLine, args, (options, console) =>
{
    console.Write(new Text("Handwritten digits with NeuralNet\n", SampleConsole.Emphasis));

    // The data: 1797 images, the fixed split (1437 train, 360 test), pixels scaled from 0..16 to 0..1.
    // Validation rows are drawn from the training rows (stratified, seeded): the test rows are looked
    // at once, at the end.
    Dataset<double> all = CsvDataset.Load<double>(SampleData.PathOf("digits.csv"), "label");
    (int[] trainRows, int[] testRows) = SplitFile.Load(SampleData.PathOf("digits.split.csv"));
    Dataset<double> train = all.Rows(trainRows), test = all.Rows(testRows);
    (Dataset<double> fit, Dataset<double> validation) = SampleData.ValidationSplit(train, options.Seed, stratified: true);
    var pixels = new MinMaxScaler<double>(minimum: new double[64], maximum: Enumerable.Repeat(16.0, 64).ToArray()); // x/16
    Matrix<double> fitX = pixels.Transform(fit.Features), validationX = pixels.Transform(validation.Features);
    console.WriteLine($"data: {all.Count} images of 8×8 pixels; {fit.Count} train, {validation.Count} validation, {test.Count} test rows", SampleConsole.Dim);

    var network = new Network<double>(
        options.Seed,
        new DenseLayer<double>(64, 64, new ReLU<double>()),
        new DenseLayer<double>(64, 10, new Softmax<double>()));
    var display = new TrainingDisplay(console) { ShowEpoch = (epoch, epochs) => EpochMilestones.IsMilestone(epoch, epochs, firstEvery: 3) };
    var trainer = new Trainer<double>(
        network,
        new CategoricalCrossEntropy<double>(),
        new SgdOptimizer<double>(options.LearningRate, momentum: 0.9),
        new TrainingOptions { Epochs = options.Epochs, BatchSize = options.BatchSize, Progress = display });
    console.WriteLine($"network: {network}; softmax + cross-entropy; SGD momentum 0.9; {options}", SampleConsole.Dim);

    console.Heading("Training");
    TrainingHistory history = display.Run(trainer, () => trainer.Fit(new Dataset<double>(fitX, fit.Targets), new Dataset<double>(validationX, validation.Targets)));
    console.WriteLine();
    LossChart.Write(console, history.Epochs.Select(e => e.TrainingLoss).ToArray(), "training loss (cross-entropy)");

    // The deployable model: pixel scaling, network and digit names in one pipeline, fed raw test images.
    var pipeline = new ClassifierPipeline<double>(network, Enumerable.Range(0, 10).Select(d => d.ToString(CultureInfo.InvariantCulture)).ToArray(), pixels, all.FeatureNames);
    Matrix<double> testX = pipeline.Transform(test.Features);
    console.Heading("Test results");
    ClassifierTestReport.Write(console, network, testX, test.Targets, Enumerable.Range(0, 10).Select(d => d.ToString(CultureInfo.InvariantCulture)).ToArray(), "images");
    HistoryReport.Save(console, options, history, "digits", "Digits");
    return SampleApp.SuccessExitCode;
});
