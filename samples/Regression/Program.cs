// Regression: disease progression one year after baseline, predicted from ten measurements of 442
// diabetes patients. Loads the CSV and its fixed train/test split, standardises the features and the
// target with the training rows' statistics, trains a 10-32-1 network (ReLU, identity output, mean
// squared error, SGD with momentum) with the library's Trainer, and reports RMSE and R² on the test
// rows in the target's own units.
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

var commandLine = new SampleCommandLine(
    "Regression",
    "a 10-32-1 network predicts diabetes progression from ten measurements; reports test RMSE and R².",
    new SampleDefaults(Epochs: 200, LearningRate: 0.01, BatchSize: 32, Seed: 42));
return SampleApp.Run(commandLine, args, (options, console) =>
{
    console.WriteLine("Diabetes regression with NeuralNet", Style.Heading);

    // The data: 442 patients, the fixed split (353 train, 89 test). Validation rows are drawn from the
    // training rows (seeded), so the test rows are looked at once, at the end; features and target are
    // standardised with the statistics of the rows trained on.
    Dataset<double> all = CsvDataset.Load<double>(SampleData.PathOf("diabetes.csv"), "target");
    (int[] trainRows, int[] testRows) = SplitFile.Load(SampleData.PathOf("diabetes.split.csv"));
    Dataset<double> train = all.Rows(trainRows), test = all.Rows(testRows);
    (Dataset<double> fit, Dataset<double> validation) = SampleData.ValidationSplit(train, options.Seed, stratified: false);
    var features = new StandardScaler<double>();
    var target = new StandardScaler<double>();
    Matrix<double> fitX = features.FitTransform(fit.Features), validationX = features.Transform(validation.Features), testX = features.Transform(test.Features);
    Matrix<double> fitY = target.FitTransform(fit.Targets), validationY = target.Transform(validation.Targets);
    console.WriteLine($"data: {all.Count} patients, {all.Features.ColumnCount} features ({string.Join(", ", all.FeatureNames)}); {fit.Count} train, {validation.Count} validation, {test.Count} test rows", Style.Dim);

    var network = new Network<double>(
        options.Seed,
        new DenseLayer<double>(10, 32, new ReLU<double>()),
        new DenseLayer<double>(32, 1));
    var progress = new TrainingProgressBar(console, fit.Count, options.BatchSize);
    var trainer = new Trainer<double>(
        network,
        new MeanSquaredError<double>(),
        new SgdOptimizer<double>(options.LearningRate, momentum: 0.9),
        new TrainingOptions { Epochs = options.Epochs, BatchSize = options.BatchSize, Progress = progress });
    console.WriteLine($"network: {network}; mean squared error on the standardised target; SGD momentum 0.9; {options}", Style.Dim);

    console.Heading("Training");
    EpochSummary.Follow(trainer, progress, (epoch, epochs) => EpochMilestones.IsMilestone(epoch, epochs, firstEvery: 3));
    TrainingHistory history = trainer.Fit(new Dataset<double>(fitX, fitY), new Dataset<double>(validationX, validationY));
    console.WriteLine();
    TerminalChart.Write(console, history.Epochs.Select(e => e.TrainingLoss).ToArray(), "epoch", height: 8);

    // The deployable model: feature scaling, network and the target's inverse scaling in one pipeline,
    // predicting from raw rows in the target's own units.
    var pipeline = new RegressorPipeline<double>(network, target, features, all.FeatureNames);
    Matrix<double> predicted = pipeline.PredictOutputs(test.Features);
    double rmse = RegressionMetrics.RootMeanSquaredError(test.Targets, predicted);
    double r2 = RegressionMetrics.RSquared(test.Targets, predicted);
    console.Heading("Test results");
    var metrics = new TextTable("metric", ">value", "meaning");
    metrics.AddRow(("RMSE", Style.Accent), (rmse.ToString("F1", CultureInfo.InvariantCulture), Style.Emphasis), ("typical error, in the target's units (it ranges 25..346)", Style.Dim));
    metrics.AddRow(("R²", Style.Accent), (r2.ToString("F3", CultureInfo.InvariantCulture), Style.Emphasis), ("share of the target's variance explained (1 = all, 0 = the mean's guess)", Style.Dim));
    metrics.Write(console);
    console.WriteLine();
    var examples = new TextTable(">patient", ">actual", ">predicted", ">error");
    for (int i = 0; i < Math.Min(5, test.Count); i++)
    {
        double error = predicted[i, 0] - test.Targets[i, 0];
        examples.AddRow(
            (testRows[i].ToString(CultureInfo.InvariantCulture), Style.Plain),
            (test.Targets[i, 0].ToString("F0", CultureInfo.InvariantCulture), Style.Plain),
            (predicted[i, 0].ToString("F1", CultureInfo.InvariantCulture), Style.Emphasis),
            (error.ToString("+0.0;-0.0", CultureInfo.InvariantCulture), Style.Dim));
    }

    examples.Write(console);
    console.WriteLine();
    HistoryReport.Save(console, options, history, "diabetes", "Diabetes regression");
    return SampleApp.SuccessExitCode;
});
