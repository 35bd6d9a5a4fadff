// Iris: three species of iris told apart by four measurements of their flowers. Loads the CSV and
// its fixed train/test split, standardises the features with the training rows' statistics, trains
// a 4-16-3 network (tanh, softmax + cross-entropy, SGD with momentum) with the library's Trainer,
// reports the test accuracy and the confusion matrix, then saves the trained model and loads it back.
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Samples;
using NeuralNet.Serialization;
using NeuralNet.Training;

var commandLine = new SampleCommandLine(
    "Iris",
    "a 4-16-3 network learns to tell three iris species apart from four flower measurements; reports test accuracy and a confusion matrix.",
    new SampleDefaults(Epochs: 200, LearningRate: 0.05, BatchSize: 16, Seed: 42));
return SampleApp.Run(commandLine, args, (options, console) =>
{
    string[] species = ["setosa", "versicolor", "virginica"];
    console.WriteLine("Iris with NeuralNet", Style.Heading);

    // The data: 150 flowers, the fixed split (120 train, 30 test). Validation rows are drawn from the
    // training rows (stratified, seeded), so the test rows are looked at once, at the end. Features
    // are standardised with the statistics of the rows trained on.
    Dataset<double> all = CsvDataset.Load<double>(SampleData.PathOf("iris.csv"), "label");
    (int[] trainRows, int[] testRows) = SplitFile.Load(SampleData.PathOf("iris.split.csv"));
    Dataset<double> train = all.Rows(trainRows), test = all.Rows(testRows);
    (Dataset<double> fit, Dataset<double> validation) = SampleData.ValidationSplit(train, options.Seed, stratified: true);
    var scaler = new StandardScaler<double>();
    Matrix<double> fitX = scaler.FitTransform(fit.Features), validationX = scaler.Transform(validation.Features), testX = scaler.Transform(test.Features);
    console.WriteLine($"data: {all.Count} flowers, {all.Features.ColumnCount} features ({string.Join(", ", all.FeatureNames)}); {fit.Count} train, {validation.Count} validation, {test.Count} test rows", Style.Dim);

    var network = new Network<double>(
        options.Seed,
        new DenseLayer<double>(4, 16, new Tanh<double>()),
        new DenseLayer<double>(16, 3, new Softmax<double>()));
    var progress = new TrainingProgressBar(console, fit.Count, options.BatchSize);
    var trainer = new Trainer<double>(
        network,
        new CategoricalCrossEntropy<double>(),
        new SgdOptimizer<double>(options.LearningRate, momentum: 0.9),
        new TrainingOptions { Epochs = options.Epochs, BatchSize = options.BatchSize, Progress = progress });
    console.WriteLine($"network: {network}; softmax + cross-entropy; SGD momentum 0.9; {options}", Style.Dim);

    console.Heading("Training");
    EpochSummary.Follow(trainer, progress, (epoch, epochs) => EpochMilestones.IsMilestone(epoch, epochs, firstEvery: 3));
    TrainingHistory history = trainer.Fit(new Dataset<double>(fitX, fit.Targets), new Dataset<double>(validationX, validation.Targets));
    console.WriteLine();
    TerminalChart.Write(console, history.Epochs.Select(e => e.TrainingLoss).ToArray(), "epoch", height: 8);

    console.Heading("Test results");
    ClassifierTestReport.Write(console, network, testX, test.Targets, species, "flowers");
    HistoryReport.Save(console, options, history, "iris", "Iris");

    // Save the trained network, load it back, and use the loaded one on the test rows and a new flower.
    console.Heading("Saving the trained model and loading it back");
    string modelPath = options.OutputPath("iris-model.nnet");
    NetworkSerializer.Save(network, modelPath);
    Network<double> loaded = NetworkSerializer.Load<double>(modelPath);
    bool identical = loaded.Predict(testX).Equals(network.Predict(testX));
    console.WriteLine($"  saved to {modelPath} ({new FileInfo(modelPath).Length} bytes)");
    console.Write($"  loaded back: {loaded}; predicts the {test.Count} test flowers exactly as before: ");
    console.WriteLine(identical ? "yes" : "NO", identical ? Style.Good : Style.Bad);
    double[] flower = [5.9, 3.0, 5.1, 1.8];
    Matrix<double> probabilities = loaded.PredictProbabilities(scaler.Transform(Matrix<double>.Build.DenseOfRowArrays(flower)));
    int best = probabilities.Row(0).MaximumIndex();
    console.Write($"  a new flower ({string.Join(", ", flower.Select(v => v.ToString(CultureInfo.InvariantCulture)))} cm), scaled with the training rows' statistics: ");
    console.WriteLine($"{species[best]} ({probabilities[0, best].ToString("P1", CultureInfo.InvariantCulture)})", Style.Emphasis);
    return identical ? SampleApp.SuccessExitCode : SampleApp.ErrorExitCode;
});
