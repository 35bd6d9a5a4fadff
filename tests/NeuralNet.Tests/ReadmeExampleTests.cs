using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Metrics;
using NeuralNet.Optimizers;
using NeuralNet.Pipelines;
using NeuralNet.Serialization;
using NeuralNet.Training;
using Xunit;

namespace NeuralNet.Tests;

/// <summary>
/// The README's C# examples, compiled and run here line for line, and a check that each README block
/// (marked <c>&lt;!-- example: NAME --&gt;</c>) is exactly the code between this file's
/// <c>// example NAME begins</c> and <c>// example NAME ends</c>.
/// </summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public void QuickStart_Runs_FromANamedCsvToASavedPipelineAndOnnx()
    {
        string path = Path.Combine(RepositoryRoot(), "samples", "data", "iris_species.csv");
        string folder = Directory.CreateTempSubdirectory("neuralnet-readme-").FullName;
        string modelPath = Path.Combine(folder, "iris.nnet"), onnxPath = Path.Combine(folder, "iris.onnx");
        try
        {
            // example QuickStart begins
            Table flowers = Table.LoadCsv(path); // samples/data/iris_species.csv: 4 measurements and a species name
            Table features = flowers.Without("species");
            string[] species = flowers["species"].ToText();
            var model = new MlpClassifier<double>(seed: 1); // 100 tanh units, Adam, standardised inputs, early stopping
            model.Fit(features, species);
            Console.WriteLine(model.Score(features, species)); // accuracy, here on the training rows
            model.Save(modelPath); // scaling, network and class names in one file
            model.ExportOnnx(onnxPath); // the same pipeline for ONNX Runtime: raw rows in, probabilities and labels out
            ClassifierPipeline<double> loaded = PipelineSerializer.LoadClassifier<double>(modelPath);
            Console.WriteLine(loaded.Predict([5.1, 3.5, 1.4, 0.2])); // setosa
            // example QuickStart ends
            model.Score(features, species).Should().BeGreaterThan(0.9);
            loaded.Predict([5.1, 3.5, 1.4, 0.2]).Should().Be("setosa");
            loaded.Predict(features).Should().Equal(model.Predict(features));
            using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(onnxPath);
            session.OutputMetadata.Keys.Should().Equal("probabilities", "label");

            // ONNX Runtime on the file's raw rows (unscaled measurements): the pipeline's labels and probabilities
            double[] raw = Enumerable.Range(0, features.RowCount).SelectMany(r => features.Columns.Select(c => c.Numbers[r])).ToArray();
            var input = new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<double>(raw, [features.RowCount, features.Columns.Count]);
            using var results = session.Run([Microsoft.ML.OnnxRuntime.NamedOnnxValue.CreateFromTensor("input", input)]);
            results.Single(r => r.Name == "label").AsEnumerable<string>().Should().Equal(loaded.Predict(features));
            results.Single(r => r.Name == "probabilities").AsEnumerable<double>().Should().Equal(loaded.PredictProbabilities(features).ToRowMajorArray(), (a, e) => Math.Abs(a - e) <= 1e-5);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void LayerByLayer_Runs_AndLearnsXor()
    {
        // example LayerByLayer begins
        // XOR: one row per sample.
        var x = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } });
        var y = Matrix<double>.Build.DenseOfArray(new double[,] { { 0 }, { 1 }, { 1 }, { 0 } });
        var network = new Network<double>(seed: 7,
            new DenseLayer<double>(2, 4, new Tanh<double>()),
            new DenseLayer<double>(4, 1, new Sigmoid<double>()));
        var loss = new BinaryCrossEntropy<double>();
        var optimizer = new SgdOptimizer<double>(learningRate: 0.5, momentum: 0.9);
        for (int epoch = 0; epoch < 500; epoch++)
        {
            network.TrainStep(x, y, loss, optimizer); // forward, loss, backward, SGD update
        }

        Console.WriteLine(network.Predict(x)); // close to 0, 1, 1, 0
        double[][] rows = network.Predict(new[] { new[] { 0.0, 1.0 } }); // plain arrays in and out too
        // example LayerByLayer ends
        rows[0][0].Should().BeGreaterThan(0.5);
        network.Predict(x).Column(0).Select(p => p > 0.5 ? 1.0 : 0.0).Should().Equal(0, 1, 1, 0);
    }

    [Fact]
    public void TrainingExample_Runs_AndClassifiesIris()
    {
        string path = Path.Combine(RepositoryRoot(), "samples", "data", "iris.csv");
        // example Training begins
        Dataset<double> iris = CsvDataset.Load<double>(path, "label"); // samples/data/iris.csv
        (int[] trainRows, int[] testRows) = TrainTestSplit.Stratified(ClassLabels.FromIndices(iris.Targets), 0.2, new RandomSource(1));
        Dataset<double> train = iris.Rows(trainRows), test = iris.Rows(testRows);
        var scaler = new StandardScaler<double>(); // fitted on the training rows only
        var network = new Network<double>(seed: 1,
            new DenseLayer<double>(4, 16, new Tanh<double>()),
            new DenseLayer<double>(16, 3, new Softmax<double>()));
        var trainer = new Trainer<double>(network, new CategoricalCrossEntropy<double>(), new AdamOptimizer<double>(0.01),
            new TrainingOptions { Epochs = 100, BatchSize = 16, ValidationSplit = 0.1, EarlyStopping = new EarlyStopping { Patience = 20 } });
        TrainingHistory history = trainer.Fit(scaler.FitTransform(train.Features), train.Targets);
        Console.WriteLine(history); // one row per epoch; history.SaveCsv("history.csv") for a spreadsheet
        int[] predicted = network.PredictClasses(scaler.Transform(test.Features));
        Console.WriteLine(new ConfusionMatrix(ClassLabels.FromIndices(test.Targets), predicted, classes: 3));
        // example Training ends
        ClassificationMetrics.Accuracy(ClassLabels.FromIndices(test.Targets), predicted).Should().BeGreaterThanOrEqualTo(0.9);
        history.Epochs.Should().NotBeEmpty();
    }

    [Fact]
    public void StreamingExample_Runs_AndLearnsIrisFromTheFileInChunks()
    {
        string trainPath = Path.Combine(RepositoryRoot(), "samples", "data", "iris.csv"), validationPath = trainPath;
        var network = new Network<double>(seed: 1,
            new DenseLayer<double>(4, 16, new Tanh<double>()),
            new DenseLayer<double>(16, 3, new Softmax<double>()));
        // example Streaming begins
        BatchSource<double> rows = BatchSources.FromCsv<double>(trainPath, "label"); // 8192 rows at a time, read again every epoch
        var streamed = new Trainer<double>(network, new CategoricalCrossEntropy<double>(), new AdamOptimizer<double>(0.01), new TrainingOptions { Epochs = 20, BatchSize = 16 });
        TrainingHistory streamedHistory = streamed.Fit(rows, BatchSources.FromCsv<double>(validationPath, "label"), shuffleBufferRows: 10_000);
        // example Streaming ends
        streamedHistory.Epochs.Should().HaveCount(20);
        streamedHistory.Epochs[^1].ValidationAccuracy!.Value.Should().BeGreaterThan(0.8);
    }

    [Fact]
    public void SavingExample_Runs_AndRoundTrips()
    {
        string folder = Directory.CreateTempSubdirectory("neuralnet-readme-").FullName;
        try
        {
            var network = new Network<double>(3, new DenseLayer<double>(2, 3, new Tanh<double>()), new DenseLayer<double>(3, 1, new Sigmoid<double>()));
            var optimizer = new AdamOptimizer<double>();
            var x = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 1 }, { 1, 0 } });
            var y = Matrix<double>.Build.DenseOfArray(new double[,] { { 1 }, { 1 } });
            var loss = new BinaryCrossEntropy<double>();
            string modelPath = Path.Combine(folder, "model.nnet"), checkpointPath = Path.Combine(folder, "checkpoint.nnet"), onnxPath = Path.Combine(folder, "model.onnx");
            // example Saving begins
            NetworkSerializer.Save(network, modelPath); // a temporary file, then a rename: never half-written
            Network<double> loaded = NetworkSerializer.Load<double>(modelPath); // predicts bit for bit like network
            NetworkSerializer.Save(network, checkpointPath, optimizer); // with the optimizer's state, to resume training exactly
            TrainingCheckpoint<double> checkpoint = NetworkSerializer.LoadCheckpoint<double>(checkpointPath);
            checkpoint.Network.TrainStep(x, y, loss, checkpoint.Optimizer);
            OnnxExporter.Export(network, onnxPath); // ONNX opset 17: ONNX Runtime, Python, the browser
            // example Saving ends
            loaded.Predict(x).Should().BeEquivalentTo(network.Predict(x));
            File.Exists(onnxPath).Should().BeTrue();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void ResumingExample_Runs_AndEndsWhereOneLongerFitEnds()
    {
        string folder = Directory.CreateTempSubdirectory("neuralnet-readme-").FullName;
        try
        {
            (Matrix<double> x, Matrix<double> y) = Training.ToyProblems.Blobs(40, 3);
            Network<double> straight = Training.ToyProblems.Classifier(5), network = Training.ToyProblems.Classifier(5);
            var loss = new CategoricalCrossEntropy<double>();
            new Trainer<double>(straight, loss, new SgdOptimizer<double>(0.1, momentum: 0.9), new TrainingOptions { Epochs = 10, ValidationSplit = 0.2, Schedule = new StepDecaySchedule(2, 0.5) }).Fit(x, y);
            var optimizer = new SgdOptimizer<double>(0.1, momentum: 0.9);
            string checkpointPath = Path.Combine(folder, "checkpoint.nnet");
            // example Resuming begins
            var trainer = new Trainer<double>(network, loss, optimizer, new TrainingOptions { Epochs = 5, ValidationSplit = 0.2, Schedule = new StepDecaySchedule(2, 0.5) });
            trainer.Fit(x, y); // epochs 1-5
            NetworkSerializer.Save(network, checkpointPath, optimizer, trainer.State!); // the network, the optimizer and where the run stands
            TrainingCheckpoint<double> checkpoint = NetworkSerializer.LoadCheckpoint<double>(checkpointPath);
            var resumed = new Trainer<double>(checkpoint.Network, loss, checkpoint.Optimizer, trainer.Options) { State = checkpoint.State };
            TrainingHistory more = resumed.Fit(x, y); // epochs 6-10, exactly as one Fit of 10 epochs trains them
            // example Resuming ends
            more.Epochs[0].Epoch.Should().Be(6);
            checkpoint.Network.Parameters.SelectMany(p => p.Values.ToArray()).Should().Equal(straight.Parameters.SelectMany(p => p.Values.ToArray()));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void CallbacksExample_Runs_AndKeepsTheBestCheckpointAndTheLog()
    {
        string folder = Directory.CreateTempSubdirectory("neuralnet-readme-").FullName;
        try
        {
            (Matrix<double> x, Matrix<double> y) = Training.ToyProblems.Blobs(40, 3);
            Network<double> network = Training.ToyProblems.Classifier(5);
            var trainer = new Trainer<double>(network, new CategoricalCrossEntropy<double>(), new AdamOptimizer<double>(0.01), new TrainingOptions { Epochs = 5, ValidationSplit = 0.2 });
            string bestPath = Path.Combine(folder, "best.nnet"), logPath = Path.Combine(folder, "history.csv");
            // example Callbacks begins
            trainer.Callbacks.Add(new EarlyStoppingCallback<double>(new EarlyStopping { Patience = 3 })); // as TrainingOptions.EarlyStopping, in your order
            trainer.Callbacks.Add(new ModelCheckpoint<double>(bestPath, TrainingMetric.ValidationLoss)); // the best epoch so far, saved atomically
            trainer.Callbacks.Add(new ModelCheckpoint<double>(Path.Combine(folder, "epoch-{epoch}.nnet"), everyEpochs: 2));
            trainer.Callbacks.Add(new CsvLogger<double>(logPath)); // the history so far, after every epoch
            TrainingHistory history = trainer.Fit(x, y);
            // example Callbacks ends
            File.Exists(bestPath).Should().BeTrue();
            File.ReadAllText(logPath).Should().Be(history.ToCsv());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void MetricsExample_Runs_AndRecordsEachMetricForTrainingAndValidation()
    {
        (Matrix<double> x, Matrix<double> y) = Training.ToyProblems.Blobs(40, 3);
        Network<double> network = Training.ToyProblems.Classifier(5);
        // example Metrics begins
        var options = new TrainingOptions { Epochs = 20, ValidationSplit = 0.2, Metrics = [new Accuracy(), new TopKAccuracy(2), new F1Score(), new MeanTopProbability()],
            Schedule = new ReduceOnPlateauSchedule(factor: 0.5, patience: 3) { MonitorName = "val_f1" } }; // halve the rate after 3 epochs without a better validation F1
        var trainer = new Trainer<double>(network, new CategoricalCrossEntropy<double>(), new AdamOptimizer<double>(0.01), options);
        TrainingHistory history = trainer.Fit(x, y);
        Console.WriteLine(history); // loss, accuracy, top2_accuracy, f1, confidence, val_loss, val_accuracy, ... per epoch
        double validationF1 = history.Last!.Metrics["val_f1"];
        Evaluation evaluation = trainer.Evaluate(x, y); // the same metrics on any data: evaluation.Metrics["f1"]
        // example Metrics ends
        history.ToCsv().Split('\n')[0].Should().Be("epoch,learning_rate,loss,accuracy,top2_accuracy,f1,confidence,val_loss,val_accuracy,val_top2_accuracy,val_f1,val_confidence,seconds,elapsed_seconds");
        validationF1.Should().BeInRange(0, 1);
        double rate = 0.01, best = double.NegativeInfinity; // the plateau rule over val_f1, by hand (min delta 1e-4 by default)
        int bad = 0;
        foreach (EpochRecord epoch in history.Epochs)
        {
            epoch.LearningRate.Should().Be(rate, $"epoch {epoch.Epoch}");
            if (epoch.Metrics["val_f1"] > best + 1e-4)
            {
                (best, bad) = (epoch.Metrics["val_f1"], 0);
            }
            else if (++bad == 3)
            {
                (rate, bad) = (rate * 0.5, 0);
            }
        }

        evaluation.Metrics["top2_accuracy"].Should().BeGreaterThanOrEqualTo(evaluation.Metrics["accuracy"]);
        evaluation.Metrics["confidence"].Should().BeInRange(1 / 3.0, 1);
    }

    [Fact]
    public void RegularizationExample_Runs_LeavesTheFrozenLayerAloneAndSavesBoth()
    {
        string folder = Directory.CreateTempSubdirectory("neuralnet-readme-").FullName;
        try
        {
            (Matrix<double> x, Matrix<double> y) = Training.ToyProblems.Blobs(40, 3);
            string modelPath = Path.Combine(folder, "model.nnet");
            // example Regularization begins
            var hidden = new DenseLayer<double>(2, 16, new ReLU<double>()) { Regularization = new Regularization(l2: 1e-3) }; // + 0.001·Σw² (weights only)
            var output = new DenseLayer<double>(16, 3, new Softmax<double>()) { Regularization = new Regularization(l1: 1e-4, biases: true) };
            var model = new Network<double>(seed: 1, hidden, output);
            hidden.Frozen = true; // e.g. features trained before: not updated, no optimizer state
            output.Parameters[1].Frozen = true; // or one parameter: the output biases
            double batchLoss = model.TrainStep(x, y, new CategoricalCrossEntropy<double>(), new AdamOptimizer<double>(0.01)); // the data loss + the penalty
            Console.WriteLine(model.Summary()); // trainable 48, frozen 51 (48 + 3)
            NetworkSerializer.Save(model, modelPath); // the penalties and the frozen parameters are saved with the model
            // example Regularization ends
            model.ParameterCount.Should().Be(48);
            model.Summary().FrozenParameters.Should().Be(51);
            batchLoss.Should().BeGreaterThan(model.RegularizationPenalty());
            Network<double> loaded = NetworkSerializer.Load<double>(modelPath);
            loaded.Parameters.Select(p => p.Frozen).Should().Equal(true, true, false, true);
            loaded.Layers[0].Regularization.Should().Be(hidden.Regularization);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("Metrics")]
    [InlineData("OwnMetric")]
    [InlineData("Callbacks")]
    [InlineData("Regularization")]
    [InlineData("QuickStart")]
    [InlineData("LayerByLayer")]
    [InlineData("Training")]
    [InlineData("Resuming")]
    [InlineData("Saving")]
    public void ReadmeExample_IsTheCodeThisTestRuns(string name)
    {
        string root = RepositoryRoot();
        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        string marker = $"<!-- example: {name} -->";
        int start = readme.IndexOf(marker, StringComparison.Ordinal);
        start.Should().BeGreaterThan(0, $"the README marks the example {name}");
        int code = readme.IndexOf("```csharp\n", start, StringComparison.Ordinal) + "```csharp\n".Length;
        string block = readme[code..readme.IndexOf("```", code, StringComparison.Ordinal)];
        string[] readmeLines = Lines(block).Where(l => !l.StartsWith("using ", StringComparison.Ordinal)).ToArray();

        string source = File.ReadAllText(Path.Combine(root, "tests", "NeuralNet.Tests", "ReadmeExampleTests.cs"));
        string begin = $"// example {name} begins";
        int from = source.IndexOf(begin, StringComparison.Ordinal) + begin.Length;
        string[] testLines = Lines(source[from..source.IndexOf($"// example {name} ends", StringComparison.Ordinal)]).ToArray();
        readmeLines.Should().Equal(testLines);
        foreach (string usingLine in Lines(block).Where(l => l.StartsWith("using ", StringComparison.Ordinal)))
        {
            (source.Contains(usingLine, StringComparison.Ordinal) || usingLine == "using NeuralNet;").Should().BeTrue(usingLine);
        }
    }

    [Fact]
    public void QuickStart_IsShort()
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        int code = readme.IndexOf("```csharp\n", readme.IndexOf("<!-- example: QuickStart -->", StringComparison.Ordinal), StringComparison.Ordinal) + 10;
        Lines(readme[code..readme.IndexOf("```", code, StringComparison.Ordinal)]).Count(l => !l.StartsWith("using ", StringComparison.Ordinal))
            .Should().BeLessThanOrEqualTo(15);
    }

    private static IEnumerable<string> Lines(string text)
        => text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0);

    internal static string RepositoryRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "NeuralNet.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException("NeuralNet.sln not found above " + AppContext.BaseDirectory);
    }
}

// example OwnMetric begins
/// <summary>The mean probability of the predicted class: how sure the network is.</summary>
public sealed class MeanTopProbability : Metric
{
    private double _sum;
    private long _rows;

    public override string Name => "confidence";

    public override void Reset() => (_sum, _rows) = (0, 0);

    public override void Update(in MetricBatch batch)
    {
        for (int row = 0; row < batch.Rows; row++)
        {
            double top = 0;
            for (int c = 0; c < batch.Outputs; c++)
            {
                top = Math.Max(top, batch.OutputAt(row, c));
            }

            _sum += top;
        }

        _rows += batch.Rows;
    }

    public override double Result() => _sum / _rows;
}

// example OwnMetric ends
