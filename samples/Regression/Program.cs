// Regression: disease progression one year after baseline, predicted from ten measurements of 442
// diabetes patients. Loads the CSV and its fixed train/test split, standardises the features and the
// target with the training rows' statistics, trains a 10-32-1 network (ReLU, identity output, mean
// squared error, SGD with momentum) with the library's Trainer, stopping early when the validation loss
// stops improving (442 patients are few: the network soon fits the training rows' noise) and keeping
// the best epoch's weights, and reports RMSE and R² on the test rows in the target's own units.
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
    "Regression",
    "a 10-32-1 network predicts diabetes progression from ten measurements, stopping early when its validation loss stops improving; reports test RMSE and R².",
    new SampleOptions(Epochs: 200, LearningRate: 0.01, BatchSize: 32, Seed: 42));
return SampleApp.Run(commandLine, args, (options, console) =>
{
    console.Write(new Text("Diabetes regression with NeuralNet\n", SampleConsole.Emphasis));

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
    console.WriteLine($"data: {all.Count} patients, {all.Features.ColumnCount} features ({string.Join(", ", all.FeatureNames)}); {fit.Count} train, {validation.Count} validation, {test.Count} test rows", SampleConsole.Dim);

    var network = new Network<double>(
        options.Seed,
        new DenseLayer<double>(10, 32, new ReLU<double>()),
        new DenseLayer<double>(32, 1));
    var display = new TrainingDisplay(console) { ShowEpoch = (epoch, epochs) => EpochMilestones.IsMilestone(epoch, epochs, firstEvery: 3) };
    var trainer = new Trainer<double>(
        network,
        new MeanSquaredError<double>(),
        new SgdOptimizer<double>(options.LearningRate, momentum: 0.9),
        new TrainingOptions { Epochs = options.Epochs, BatchSize = options.BatchSize, Progress = display, EarlyStopping = new EarlyStopping { Patience = 20 } });
    console.WriteLine($"network: {network}; mean squared error on the standardised target; SGD momentum 0.9; {options}", SampleConsole.Dim);

    console.Heading("Training");
    TrainingHistory history = display.Run(trainer, () => trainer.Fit(new Dataset<double>(fitX, fitY), new Dataset<double>(validationX, validationY)));
    console.WriteLine();
    LossChart.Write(console, history.Epochs.Select(e => e.TrainingLoss).ToArray(), "training loss (MSE, standardised target)");

    // The deployable model: feature scaling, network and the target's inverse scaling in one pipeline,
    // predicting from raw rows in the target's own units.
    var pipeline = new RegressorPipeline<double>(network, target, features, all.FeatureNames);
    Matrix<double> predicted = pipeline.PredictOutputs(test.Features);
    double rmse = RegressionMetrics.RootMeanSquaredError(test.Targets, predicted);
    double r2 = RegressionMetrics.RSquared(test.Targets, predicted);
    console.Heading("Test results");
    Table metrics = SampleConsole.Table("metric", ">value", "meaning");
    metrics.Row(("RMSE", SampleConsole.Accent), (rmse.ToString("F1", CultureInfo.InvariantCulture), SampleConsole.Emphasis), ("typical error, in the target's units (it ranges 25..346)", SampleConsole.Dim));
    metrics.Row(("R²", SampleConsole.Accent), (r2.ToString("F3", CultureInfo.InvariantCulture), SampleConsole.Emphasis), ("share of the target's variance explained (1 = all, 0 = the mean's guess)", SampleConsole.Dim));
    console.Indented(metrics);
    console.WriteLine();
    Table examples = SampleConsole.Table(">patient", ">actual", ">predicted", ">error");
    for (int i = 0; i < Math.Min(5, test.Count); i++)
    {
        double error = predicted[i, 0] - test.Targets[i, 0];
        examples.Row(
            (testRows[i].ToString(CultureInfo.InvariantCulture), Style.Plain),
            (test.Targets[i, 0].ToString("F0", CultureInfo.InvariantCulture), Style.Plain),
            (predicted[i, 0].ToString("F1", CultureInfo.InvariantCulture), SampleConsole.Emphasis),
            (error.ToString("+0.0;-0.0", CultureInfo.InvariantCulture), SampleConsole.Dim));
    }

    console.Indented(examples);
    console.WriteLine();
    HistoryReport.Save(console, options, history, "diabetes", "Diabetes regression");
    return SampleApp.SuccessExitCode;
});
