using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;
using Xunit;

namespace NeuralNet.Tests.Networks;

/// <summary>Plain .NET data goes in without conversion: jagged and rectangular arrays, sequences of rows, one sample as a span, an int seed.</summary>
public sealed class PlainInputTests
{
    private static Network<double> Net(int seed = 5) => new(seed, new DenseLayer<double>(3, 4, new Tanh<double>()), new DenseLayer<double>(4, 2, new Softmax<double>()));

    private static readonly double[][] Rows = [[0.1, 0.2, 0.3], [1, -1, 0.5], [2, 0, -2]];

    [Fact]
    public void IntSeed_GivesTheSameNetworkAsTheEqualUlongSeed()
    {
        var fromUlong = new Network<double>(5UL, new DenseLayer<double>(3, 4, new Tanh<double>()), new DenseLayer<double>(4, 2, new Softmax<double>()));

        Net(5).Parameters.Select(p => p.Values.ToArray()).Should().BeEquivalentTo(fromUlong.Parameters.Select(p => p.Values.ToArray()), o => o.WithStrictOrdering());
        new RandomSource(7).NextUInt64().Should().Be(new RandomSource(7UL).NextUInt64());
        Action negative = () => _ = new RandomSource(-1);
        negative.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*seed must be ≥ 0*-1*");
    }

    [Fact]
    public void Predict_JaggedRectangularAndSequence_MatchTheMatrixPath()
    {
        Network<double> network = Net();
        Matrix<double> expected = network.Predict(Matrix<double>.Build.DenseOfRowArrays(Rows));
        var rectangular = new double[3, 3];
        for (int r = 0; r < 3; r++)
        {
            for (int c = 0; c < 3; c++)
            {
                rectangular[r, c] = Rows[r][c];
            }
        }

        network.Predict(Rows).Should().BeEquivalentTo(expected.ToRowArrays(), o => o.WithStrictOrdering());
        network.Predict(rectangular).Should().BeEquivalentTo(expected.ToArray());
        network.Predict(Rows.Select(r => (IReadOnlyList<double>)r.ToList())).Should().BeEquivalentTo(expected.ToRowArrays(), o => o.WithStrictOrdering());
    }

    [Fact]
    public void Predict_RaggedRows_ThrowsNamingTheRow()
    {
        Action predict = () => Net().Predict(new[] { new[] { 1.0, 2, 3 }, new[] { 1.0 } });

        predict.Should().Throw<ArgumentException>().WithMessage("*rows of one length*3 as row 0*received 1 in row 1*");
    }

    [Fact]
    public void Predict_OneSampleIntoASpan_MatchesTheBatchAndAllocatesNothing()
    {
        Network<double> network = Net();
        double[][] expected = network.Predict(Rows);
        Span<double> output = stackalloc double[2];
        network.Predict(Rows[0], output);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 300; i++)
        {
            network.Predict(Rows[i % 3], output);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        allocated.Should().Be(0);
        for (int i = 0; i < 3; i++)
        {
            network.Predict(Rows[i], output);
            output.ToArray().Should().Equal(expected[i]);
        }
    }

    [Fact]
    public void Trainer_FitsFromJaggedArraysAndClassIndices()
    {
        Network<double> network = Net();
        var trainer = new Trainer<double>(network, new CategoricalCrossEntropy<double>(), new AdamOptimizer<double>(0.05), new TrainingOptions { Epochs = 50, BatchSize = 3 });

        TrainingHistory history = trainer.Fit(Rows, [0, 1, 1]);

        history.Epochs[^1].TrainingLoss.Should().BeLessThan(history.Epochs[0].TrainingLoss);
        network.PredictClasses(Matrix<double>.Build.DenseOfRowArrays(Rows)).Should().Equal(0, 1, 1);
    }

    [Fact]
    public void Trainer_Evaluate_FromJaggedRectangularAndClassIndices_MatchesTheMatrixPath()
    {
        Network<double> network = Net();
        var trainer = new Trainer<double>(network, new CategoricalCrossEntropy<double>(), new AdamOptimizer<double>(0.05));
        double[][] oneHot = [[1, 0], [0, 1], [0, 1]];
        Evaluation expected = trainer.Evaluate(Matrix<double>.Build.DenseOfRowArrays(Rows), Matrix<double>.Build.DenseOfRowArrays(oneHot));

        Evaluation jagged = trainer.Evaluate(Rows, oneHot);
        Evaluation indices = trainer.Evaluate(Rows, [0, 1, 1]);
        Evaluation rectangular = trainer.Evaluate(Rectangular(Rows), Rectangular(oneHot));

        foreach (Evaluation evaluation in new[] { jagged, indices, rectangular })
        {
            evaluation.Loss.Should().BeApproximately(expected.Loss, 1e-12);
            evaluation.Accuracy.Should().Be(expected.Accuracy);
        }

        Action ragged = () => trainer.Evaluate(new[] { new[] { 1.0, 2, 3 }, new[] { 1.0 } }, [0, 1]);
        ragged.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("inputs");
        Action badLabel = () => trainer.Evaluate(Rows, [0, 1, 2]);
        badLabel.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("targets");
    }

    [Fact]
    public void TrainStep_FromJaggedRectangularAndClassIndices_UpdatesAsTheMatrixStep()
    {
        double[][] oneHot = [[1, 0], [0, 1], [0, 1]];
        Network<double> expected = Net();
        double expectedLoss = expected.TrainStep(Matrix<double>.Build.DenseOfRowArrays(Rows), Matrix<double>.Build.DenseOfRowArrays(oneHot), new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1));

        var steps = new Func<Network<double>, double>[]
        {
            n => n.TrainStep(Rows, oneHot, new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1)),
            n => n.TrainStep(Rows, [0, 1, 1], new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1)),
            n => n.TrainStep(Rectangular(Rows), Rectangular(oneHot), new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1)),
        };
        foreach (Func<Network<double>, double> step in steps)
        {
            Network<double> network = Net();
            step(network).Should().BeApproximately(expectedLoss, 1e-12);
            for (int i = 0; i < network.Parameters.Count; i++)
            {
                network.Parameters[i].Values.ToArray().Should().BeEquivalentTo(expected.Parameters[i].Values.ToArray(), o => o.Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-12)).WhenTypeIs<double>());
            }
        }

        Action ragged = () => Net().TrainStep(new[] { new[] { 1.0, 2, 3 }, new[] { 1.0 } }, [0, 1], new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1));
        ragged.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("input");
        Action wrongWidth = () => Net().TrainStep(new double[2, 2], new double[2, 2], new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1));
        wrongWidth.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("input");
    }

    private static double[,] Rectangular(double[][] rows)
    {
        var result = new double[rows.Length, rows[0].Length];
        for (int r = 0; r < rows.Length; r++)
        {
            for (int c = 0; c < rows[0].Length; c++)
            {
                result[r, c] = rows[r][c];
            }
        }

        return result;
    }
}
