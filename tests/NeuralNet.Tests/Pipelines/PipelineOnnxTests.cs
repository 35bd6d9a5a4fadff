using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Pipelines;
using Xunit;

namespace NeuralNet.Tests.Pipelines;

/// <summary>The whole pipeline in ONNX Runtime: raw rows in, probabilities and class names (or target units) out, as the pipeline predicts.</summary>
public sealed class PipelineOnnxTests
{
    [Fact]
    public void Classifier_WithCategoricalColumn_RunsInOnnxRuntimeOnRawRowsLikeThePipeline()
    {
        ClassifierPipeline<float> pipeline = PipelineTests.FruitClassifier<float>();
        (Table rows, _) = PipelineTests.Fruit(40, seed: 11);

        using var session = Session(pipeline);
        session.InputMetadata.Keys.Should().Equal("input", "colour");
        session.OutputMetadata.Keys.Should().Equal("probabilities", "label");
        var numeric = new DenseTensor<float>(new[] { rows.RowCount, 2 });
        for (int r = 0; r < rows.RowCount; r++)
        {
            numeric[r, 0] = (float)rows["weight"].Numbers[r];
            numeric[r, 1] = (float)rows["length"].Numbers[r];
        }

        var colour = new DenseTensor<string>(rows["colour"].ToText(), new[] { rows.RowCount, 1 });
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", numeric), NamedOnnxValue.CreateFromTensor("colour", colour)]);

        float[] probabilities = results.Single(r => r.Name == "probabilities").AsEnumerable<float>().ToArray();
        string[] labels = results.Single(r => r.Name == "label").AsEnumerable<string>().ToArray();
        probabilities.Should().Equal(pipeline.PredictProbabilities(rows).ToRowMajorArray(), (a, e) => Math.Abs(a - e) <= 1e-5);
        labels.Should().Equal(pipeline.Predict(rows));
    }

    [Fact]
    public void BinaryClassifier_WithOneSigmoidOutput_Double_RunsLikeThePipeline()
    {
        var network = new Network<double>(3, new DenseLayer<double>(2, 5, new Tanh<double>()), new DenseLayer<double>(5, 1, new Sigmoid<double>()));
        var pipeline = new ClassifierPipeline<double>(network, ["cat", "dog"], new StandardScaler<double>([10, -3], [4, 0.5]));
        double[][] rows = Enumerable.Range(0, 25).Select(i => new[] { i * 1.3, -3 + (i % 5 * 0.4) }).ToArray();

        using var session = Session(pipeline);
        var input = new DenseTensor<double>(rows.SelectMany(r => r).ToArray(), new[] { rows.Length, 2 });
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", input)]);

        results.Single(r => r.Name == "probabilities").AsEnumerable<double>().Should().Equal(pipeline.PredictProbabilities(rows).ToRowMajorArray(), (a, e) => Math.Abs(a - e) <= 1e-5);
        results.Single(r => r.Name == "label").AsEnumerable<string>().Should().Equal(pipeline.Predict(rows));
    }

    [Fact]
    public void Regressor_RunsInOnnxRuntimeInTargetUnits()
    {
        var network = new Network<float>(2, new DenseLayer<float>(3, 6, new ReLU<float>()), new DenseLayer<float>(6, 1));
        var pipeline = new RegressorPipeline<float>(network, new StandardScaler<float>([150], [40]), new MinMaxScaler<float>([0, 0, -1], [10, 5, 1]));
        float[][] rows = Enumerable.Range(0, 20).Select(i => new[] { i * 0.5f, i % 5, (i % 3) - 1f }).ToArray();

        using var session = Session(pipeline);
        var input = new DenseTensor<float>(rows.SelectMany(r => r).ToArray(), new[] { rows.Length, 3 });
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", input)]);

        results.Single().AsEnumerable<float>().Should().Equal(pipeline.Predict(rows), (a, e) => Math.Abs(a - e) <= 1e-5 * Math.Max(1, Math.Abs(e)));
    }

    private static InferenceSession Session<T>(ModelPipeline<T> pipeline)
        where T : struct, System.Numerics.IFloatingPointIeee754<T>
    {
        using var stream = new MemoryStream();
        pipeline.ExportOnnx(stream);
        return new InferenceSession(stream.ToArray());
    }
}
