using System.Globalization;
using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;
using Xunit;

namespace NeuralNet.Tests.Training;

/// <summary>Training from data read in chunks: the same model as in memory where the order is the same; a bounded shuffle buffer; validation from another source.</summary>
public sealed class StreamingFitTests
{
    private static (Matrix<double> X, Matrix<double> Y) Data(int rows, int seed)
    {
        var random = new RandomSource(seed);
        var x = Matrix<double>.Build.Dense(rows, 3, (_, _) => random.NextGaussian());
        var y = Matrix<double>.Build.Dense(rows, 1, (r, _) => x[r, 0] + (0.5 * x[r, 1]) - x[r, 2] > 0 ? 1 : 0);
        return (x, y);
    }

    private static Network<double> Net() => new(3, new DenseLayer<double>(3, 8, new Tanh<double>()), new DenseLayer<double>(8, 1, new Sigmoid<double>()));

    private static string WriteCsv(Matrix<double> x, Matrix<double> y)
    {
        string path = Path.Combine(Path.GetTempPath(), $"neuralnet-stream-{Guid.NewGuid():N}.csv");
        using var writer = new StreamWriter(path);
        writer.WriteLine("a,b,c,label");
        for (int r = 0; r < x.RowCount; r++)
        {
            writer.WriteLine(string.Join(",", x.Row(r).Append(y[r, 0]).Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        }

        return path;
    }

    [Fact]
    public void StreamedFromCsvInChunks_WithoutShuffling_GivesTheSameModelAsInMemory()
    {
        (Matrix<double> x, Matrix<double> y) = Data(103, seed: 1);
        string path = WriteCsv(x, y);
        try
        {
            var options = new TrainingOptions { Epochs = 3, BatchSize = 10, Shuffle = false };
            Network<double> inMemory = Net(), streamed = Net();
            Dataset<double> loaded = CsvDataset.Load<double>(path, "label");
            TrainingHistory expected = new Trainer<double>(inMemory, new BinaryCrossEntropy<double>(), new AdamOptimizer<double>(0.01), options).Fit(loaded.Features, loaded.Targets);

            TrainingHistory actual = new Trainer<double>(streamed, new BinaryCrossEntropy<double>(), new AdamOptimizer<double>(0.01), options)
                .Fit(BatchSources.FromCsv<double>(path, "label", chunkRows: 7));

            actual.Epochs.Select(e => e.TrainingLoss).Should().Equal(expected.Epochs.Select(e => e.TrainingLoss));
            for (int i = 0; i < inMemory.Parameters.Count; i++)
            {
                streamed.Parameters[i].Values.ToArray().Should().Equal(inMemory.Parameters[i].Values.ToArray());
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ShuffleBuffer_GivesEveryRowOncePerPass_InAnOrderOtherThanTheFiles()
    {
        var ids = Matrix<double>.Build.Dense(50, 1, (r, _) => r);
        IEnumerable<Dataset<double>> Chunks()
        {
            for (int start = 0; start < 50; start += 7)
            {
                int n = Math.Min(7, 50 - start);
                yield return new Dataset<double>(ids.SubMatrix(start, n, 0, 1), ids.SubMatrix(start, n, 0, 1));
            }
        }

        var batcher = new ShuffleBatcher<double>(1, 1, batchSize: 5, bufferRows: 16, new RandomSource(4));
        var seen = new List<double>();
        foreach ((Matrix<double> inputs, Matrix<double> targets) in batcher.Batches(Chunks(), "training"))
        {
            inputs.Column(0).ToArray().Should().Equal(targets.Column(0).ToArray(), "inputs and targets of a row stay together");
            seen.AddRange(inputs.Column(0));
        }

        seen.Order().Should().Equal(Enumerable.Range(0, 50).Select(i => (double)i));
        seen.Should().NotEqual(Enumerable.Range(0, 50).Select(i => (double)i));
    }

    [Fact]
    public void ValidationFromAnotherSource_IsRecordedEveryEpochAsEvaluateWouldGive()
    {
        (Matrix<double> x, Matrix<double> y) = Data(200, seed: 2);
        (Matrix<double> vx, Matrix<double> vy) = Data(60, seed: 3);
        BatchSource<double> training = BatchSources.FromChunks<double>(3, 1, () => [new Dataset<double>(x.SubMatrix(0, 120, 0, 3), y.SubMatrix(0, 120, 0, 1)), new Dataset<double>(x.SubMatrix(120, 80, 0, 3), y.SubMatrix(120, 80, 0, 1))]);
        BatchSource<double> validation = BatchSources.FromChunks<double>(3, 1, () => [new Dataset<double>(vx, vy)]);
        Network<double> network = Net();
        var trainer = new Trainer<double>(network, new BinaryCrossEntropy<double>(), new AdamOptimizer<double>(0.02), new TrainingOptions { Epochs = 15, BatchSize = 16 });

        TrainingHistory history = trainer.Fit(training, validation, shuffleBufferRows: 64);

        history.Epochs.Should().HaveCount(15);
        Evaluation evaluation = trainer.Evaluate(vx, vy);
        history.Epochs[^1].ValidationLoss!.Value.Should().BeApproximately(evaluation.Loss, 1e-12);
        history.Epochs[^1].ValidationAccuracy.Should().Be(evaluation.Accuracy);
        history.Epochs[^1].TrainingLoss.Should().BeLessThan(history.Epochs[0].TrainingLoss);
    }

    [Fact]
    public void FromCsv_MalformedFieldOrRow_ThrowsInvalidDataNamingTheLine()
    {
        string path = Path.Combine(Path.GetTempPath(), $"neuralnet-stream-{Guid.NewGuid():N}.csv");
        try
        {
            File.WriteAllText(path, "a,b,c,label\n1,2,3,0\n\n4,x,6,1\n");
            var trainer = new Trainer<double>(Net(), new BinaryCrossEntropy<double>(), new AdamOptimizer<double>(), new TrainingOptions { Epochs = 1 });
            Action fit = () => trainer.Fit(BatchSources.FromCsv<double>(path, "label"));
            fit.Should().Throw<InvalidDataException>().WithMessage("*line 4, column 2 ('b'): expected a finite number (received 'x')*");

            File.WriteAllText(path, "a,b,c,label\n1,2,3,0\n4,5\n");
            fit.Should().Throw<InvalidDataException>().WithMessage("*line 3: expected 4 fields*received 2*");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Fit_FromASourceWithOtherColumns_ThrowsNamingThem()
    {
        var trainer = new Trainer<double>(Net(), new BinaryCrossEntropy<double>(), new AdamOptimizer<double>());

        Action fit = () => trainer.Fit(BatchSources.FromChunks<double>(5, 1, () => []));

        fit.Should().Throw<ArgumentException>().WithMessage("*3 input columns*received 5*");
    }
}
