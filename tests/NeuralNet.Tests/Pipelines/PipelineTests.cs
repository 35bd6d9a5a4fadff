using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Pipelines;
using NeuralNet.Serialization;
using Xunit;

namespace NeuralNet.Tests.Pipelines;

/// <summary>Pipelines: fitted once, saved to one file, loaded, predicting from raw rows exactly as before; strict on damaged files.</summary>
public sealed class PipelineTests
{
    /// <summary>A small table: two numeric columns and a categorical one, string labels that depend on all three.</summary>
    internal static (Table Features, string[] Labels) Fruit(int rows, int seed)
    {
        var random = new RandomSource(seed);
        string[] colours = ["green", "red", "yellow"];
        var weight = new double[rows];
        var length = new double[rows];
        var colour = new string[rows];
        var labels = new string[rows];
        for (int i = 0; i < rows; i++)
        {
            colour[i] = colours[(int)(random.NextDouble() * 3)];
            weight[i] = 100 + (200 * random.NextDouble());
            length[i] = 5 + (15 * random.NextDouble());
            labels[i] = colour[i] == "yellow" && length[i] > 10 ? "banana" : weight[i] > 200 ? "apple" : "plum";
        }

        return (new Table([TableColumn.Numeric("weight", weight), TableColumn.Numeric("length", length), TableColumn.Text("colour", colour)]), labels);
    }

    internal static ClassifierPipeline<T> FruitClassifier<T>(int seed = 1)
        where T : struct, System.Numerics.IFloatingPointIeee754<T>
    {
        (Table features, string[] labels) = Fruit(200, seed);
        var model = new MlpClassifier<T>([8], seed: seed) { MaxEpochs = 30 };
        return model.Fit(features, labels);
    }

    [Fact]
    public void Classifier_SavedAndLoaded_PredictsBitForBitFromRawRows()
    {
        ClassifierPipeline<double> pipeline = FruitClassifier<double>();
        (Table rows, _) = Fruit(50, seed: 9);
        using var stream = new MemoryStream();
        pipeline.Save(stream);
        stream.Position = 0;

        var loaded = (ClassifierPipeline<double>)PipelineSerializer.Load<double>(stream);

        loaded.Classes.Should().Equal("apple", "banana", "plum");
        loaded.ColumnNames.Should().Equal("weight", "length", "colour");
        loaded.Categories[2]!.Categories.Should().Equal("green", "red", "yellow");
        loaded.PredictProbabilities(rows).ToColumnMajorArray().Should().Equal(pipeline.PredictProbabilities(rows).ToColumnMajorArray());
        loaded.Predict(rows).Should().Equal(pipeline.Predict(rows));
    }

    [Fact]
    public void Classifier_LearnsTheFruitRule()
    {
        ClassifierPipeline<double> pipeline = new MlpClassifier<double>([16], seed: 2).Fit(Fruit(400, 2).Features, Fruit(400, 2).Labels);
        (Table rows, string[] labels) = Fruit(200, seed: 5);

        pipeline.Score(rows, labels).Should().BeGreaterThan(0.9);
    }

    [Fact]
    public void Regressor_SavedAndLoaded_PredictsInTargetUnits()
    {
        var random = new RandomSource(3);
        double[][] x = Enumerable.Range(0, 200).Select(_ => new[] { random.NextDouble() * 10, random.NextDouble() }).ToArray();
        double[] y = x.Select(r => 1000 + (50 * r[0]) - (200 * r[1])).ToArray();
        var model = new MlpRegressor<float>([16], seed: 1) { MaxEpochs = 300, LearningRate = 0.01 };
        float[][] xf = x.Select(r => r.Select(v => (float)v).ToArray()).ToArray();
        RegressorPipeline<float> pipeline = model.Fit(xf, y.Select(v => (float)v).ToArray());
        string path = Path.Combine(Path.GetTempPath(), $"neuralnet-{Guid.NewGuid():N}.nnet");
        try
        {
            pipeline.Save(path);
            RegressorPipeline<float> loaded = PipelineSerializer.LoadRegressor<float>(path);

            loaded.Predict(xf).Should().Equal(pipeline.Predict(xf));
            loaded.TargetScaler!.Center[0].Should().BeApproximately(y.Average() is var m ? (float)m : 0, 1e-2f);
            model.Score(xf, y.Select(v => (float)v).ToArray()).Should().BeGreaterThan(0.95);
            NetworkSerializer.Load<float>(path).Predict(pipeline.Transform(xf)).ToColumnMajorArray().Should().Equal(pipeline.Network.Predict(pipeline.Transform(xf)).ToColumnMajorArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Predict_FromTableWithColumnsInAnotherOrder_ThrowsNamingTheExpectedOrder()
    {
        ClassifierPipeline<double> pipeline = FruitClassifier<double>();
        (Table rows, _) = Fruit(5, seed: 9);
        var swapped = new Table([rows["length"], rows["weight"], rows["colour"]]);

        Action predict = () => pipeline.Predict(swapped);

        predict.Should().Throw<ArgumentException>().WithMessage("*weight, length, colour*received length, weight, colour*");
    }

    [Fact]
    public void Predict_WithAnUnseenCategory_ThrowsNamingTheValueAndTheKnownCategories()
    {
        ClassifierPipeline<double> pipeline = FruitClassifier<double>();
        var rows = new Table([TableColumn.Numeric("weight", [150]), TableColumn.Numeric("length", [8]), TableColumn.Text("colour", ["purple"])]);

        Action predict = () => pipeline.Predict(rows);

        predict.Should().Throw<ArgumentException>().WithMessage("*colour*'purple'*not seen in training*green, red, yellow*");
    }

    [Fact]
    public void Predict_NumericArrayForAPipelineWithCategories_ThrowsPointingToTable()
    {
        ClassifierPipeline<double> pipeline = FruitClassifier<double>();

        Action predict = () => pipeline.Predict(new[] { new[] { 1.0, 2.0 } });

        predict.Should().Throw<ArgumentException>().WithMessage("*categorical columns (colour)*Table*");
    }

    [Fact]
    public void OneRow_PredictedIntoASpan_MatchesTheBatchAndAllocatesNothing()
    {
        var random = new RandomSource(4);
        double[][] x = Enumerable.Range(0, 60).Select(_ => new[] { random.NextDouble(), random.NextDouble() * 100, random.NextDouble() }).ToArray();
        string[] labels = x.Select(r => r[0] + (r[1] / 100) > 1 ? "high" : "low").ToArray();
        ClassifierPipeline<double> pipeline = new MlpClassifier<double>([8], seed: 1) { MaxEpochs = 5 }.Fit(x, labels);
        Matrix<double> batch = pipeline.PredictProbabilities(x);
        var probabilities = new double[2];

        pipeline.PredictProbabilities(x[0], probabilities);
        _ = pipeline.Predict(x[0]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < x.Length; i++)
        {
            pipeline.PredictProbabilities(x[i], probabilities);
            _ = pipeline.Predict(x[i]);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        allocated.Should().Be(0);
        for (int i = 0; i < x.Length; i++)
        {
            pipeline.PredictProbabilities(x[i], probabilities);
            probabilities.Should().Equal(batch.Row(i).ToArray(), (a, e) => Math.Abs(a - e) <= 1e-12);
            pipeline.Predict(x[i]).Should().Be(pipeline.Predict([x[i]])[0]);
        }
    }

    [Fact]
    public void Regressor_OneRowIntoASpan_AllocatesNothing()
    {
        var network = new Network<float>(1, new DenseLayer<float>(3, 4, new Tanh<float>()), new DenseLayer<float>(4, 1));
        var scaler = new StandardScaler<float>([1, 2, 3], [2, 2, 2]);
        var pipeline = new RegressorPipeline<float>(network, new StandardScaler<float>([10], [5]), scaler);
        float[] row = [1, 2, 3];
        var output = new float[1];
        pipeline.Predict(row, output);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            pipeline.Predict(row, output);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
        output[0].Should().Be(pipeline.Predict([row])[0]);
    }

    [Fact]
    public void Pipeline_DamagedAnywhere_RaisesOnlyInvalidData()
    {
        var network = new Network<double>(1, new DenseLayer<double>(4, 3, new Tanh<double>()), new DenseLayer<double>(3, 2, new Softmax<double>()));
        var pipeline = new ClassifierPipeline<double>(network, ["no", "yes"], new MinMaxScaler<double>([0, 1], [2, 3]), ["a", "b", "c"], [null, null, new OneHotEncoder(["x", "y"])]);
        using var stream = new MemoryStream();
        pipeline.Save(stream);
        byte[] bytes = stream.ToArray();

        for (int length = 0; length < bytes.Length; length++)
        {
            Action load = () => PipelineSerializer.Load<double>(new MemoryStream(bytes[..length]));
            load.Should().Throw<InvalidDataException>($"a file cut at {length} bytes is damaged");
        }

        for (int i = 0; i < bytes.Length; i++)
        {
            byte[] damaged = (byte[])bytes.Clone();
            damaged[i] ^= 0x5A;
            Action load = () => PipelineSerializer.Load<double>(new MemoryStream(damaged));
            load.Should().Throw<InvalidDataException>($"byte {i} changed");
        }
    }

    [Fact]
    public void Load_ANetworkSavedAlone_ThrowsInvalidDataSayingItHoldsNoPipeline()
    {
        var network = new Network<double>(1, new DenseLayer<double>(2, 1));
        using var stream = new MemoryStream();
        NetworkSerializer.Save(network, stream);
        stream.Position = 0;

        Action load = () => PipelineSerializer.Load<double>(stream);

        load.Should().Throw<InvalidDataException>().WithMessage("*network only*");
    }

    [Fact]
    public void Constructor_WithColumnsThatDoNotEncodeToTheNetworkInputs_Throws()
    {
        var network = new Network<double>(1, new DenseLayer<double>(4, 2, new Softmax<double>()));

        Action create = () => _ = new ClassifierPipeline<double>(network, ["a", "b"], null, ["p", "q"], [null, new OneHotEncoder(["x"])]);

        create.Should().Throw<ArgumentException>().WithMessage("*2 network inputs*takes 4*");
    }
}
