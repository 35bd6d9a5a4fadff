// Iris: three species of iris told apart by four measurements of their flowers. Loads the CSV and
// its fixed train/test split, standardises the features with the training rows' statistics, trains
// a 4-16-3 network (tanh, softmax + cross-entropy, SGD with momentum) with the library's Trainer,
// reports the test accuracy and the confusion matrix, then saves scaler, network and species names as
// one pipeline, loads it back and classifies a new flower from its raw measurements.
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
    "Iris",
    "a 4-16-3 network learns to tell three iris species apart from four flower measurements; reports test accuracy and a confusion matrix.",
    new SampleOptions(Epochs: 200, LearningRate: 0.05, BatchSize: 16, Seed: 42));
return SampleApp.Run(commandLine, args, (options, console) =>
{
    string[] species = ["setosa", "versicolor", "virginica"];
    console.Write(new Text("Iris with NeuralNet\n", SampleConsole.Emphasis));

    // The data: 150 flowers, the fixed split (120 train, 30 test). Validation rows are drawn from the
    // training rows (stratified, seeded), so the test rows are looked at once, at the end. Features
    // are standardised with the statistics of the rows trained on.
    Dataset<double> all = CsvDataset.Load<double>(SampleData.PathOf("iris.csv"), "label");
    (int[] trainRows, int[] testRows) = SplitFile.Load(SampleData.PathOf("iris.split.csv"));
    Dataset<double> train = all.Rows(trainRows), test = all.Rows(testRows);
    (Dataset<double> fit, Dataset<double> validation) = SampleData.ValidationSplit(train, options.Seed, stratified: true);
    var scaler = new StandardScaler<double>();
    Matrix<double> fitX = scaler.FitTransform(fit.Features), validationX = scaler.Transform(validation.Features), testX = scaler.Transform(test.Features);
    console.WriteLine($"data: {all.Count} flowers, {all.Features.ColumnCount} features ({string.Join(", ", all.FeatureNames)}); {fit.Count} train, {validation.Count} validation, {test.Count} test rows", SampleConsole.Dim);

    var network = new Network<double>(
        options.Seed,
        new DenseLayer<double>(4, 16, new Tanh<double>()),
        new DenseLayer<double>(16, 3, new Softmax<double>()));
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

    console.Heading("Test results");
    ClassifierTestReport.Write(console, network, testX, test.Targets, species, "flowers");
    HistoryReport.Save(console, options, history, "iris", "Iris");

    // The deployable model: the scaler, the network and the species names in one pipeline, saved to one
    // file, loaded back, and used on raw measurements (the pipeline scales them itself).
    console.Heading("Saving the trained model and loading it back");
    var pipeline = new ClassifierPipeline<double>(network, species, scaler, all.FeatureNames);
    string modelPath = options.OutputPath("iris-model.nnet");
    pipeline.Save(modelPath);
    ClassifierPipeline<double> loaded = PipelineSerializer.LoadClassifier<double>(modelPath);
    bool identical = loaded.PredictProbabilities(test.Features).Equals(pipeline.PredictProbabilities(test.Features));
    console.PathLine("saved to ", modelPath);
    console.Line($"({new FileInfo(modelPath).Length} bytes: scaler, network and species names)");
    console.Line($"loaded back: {loaded.Network}");
    console.Line(($"predicts the {test.Count} test flowers exactly as before: ", Style.Plain), (identical ? "yes" : "NO", identical ? SampleConsole.Good : SampleConsole.Bad));
    double[] flower = [5.9, 3.0, 5.1, 1.8];
    var probabilities = new double[species.Length];
    loaded.PredictProbabilities(flower, probabilities);
    string name = loaded.Predict(flower);
    console.Line(
        ($"a new flower ({string.Join(", ", flower.Select(v => v.ToString(CultureInfo.InvariantCulture)))} cm), as measured: ", Style.Plain),
        ($"{name} ({probabilities.Max().ToString("P1", CultureInfo.InvariantCulture)})", SampleConsole.Emphasis));
    return identical ? SampleApp.SuccessExitCode : SampleApp.ErrorExitCode;
});
