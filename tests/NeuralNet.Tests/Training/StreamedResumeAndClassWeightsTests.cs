using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Serialization;
using NeuralNet.Training;
using Xunit;

namespace NeuralNet.Tests.Training;

/// <summary>The streamed Fit weighs rows by class and resumes as the in-memory Fit does.</summary>
public sealed class StreamedResumeAndClassWeightsTests
{
    private static readonly (Matrix<double> X, Matrix<double> Y) Data = Make(97);

    private static (Matrix<double> X, Matrix<double> Y) Make(int rows)
    {
        var random = new RandomSource(21);
        var x = Matrix<double>.Build.Dense(rows, 3, (_, _) => random.NextGaussian());
        var y = Matrix<double>.Build.Dense(rows, 1, (r, _) => x[r, 0] + x[r, 1] > 0.8 ? 2 : x[r, 2] > 0 ? 1 : 0); // unbalanced classes
        return (x, y);
    }

    private static Network<double> Net() => new(4, new DenseLayer<double>(3, 6, new Tanh<double>()), new DenseLayer<double>(6, 3, new Softmax<double>()));

    private static BatchSource<double> Source() => BatchSources.FromChunks<double>(3, 1, () =>
    [
        new Dataset<double>(Data.X.SubMatrix(0, 40, 0, 3), Data.Y.SubMatrix(0, 40, 0, 1)),
        new Dataset<double>(Data.X.SubMatrix(40, 57, 0, 3), Data.Y.SubMatrix(40, 57, 0, 1)),
    ]);

    private static double[][] Weights(Network<double> network) => network.Parameters.Select(p => p.Values.ToArray()).ToArray();

    [Fact]
    public void Streamed_WithClassWeights_WithoutShuffling_GivesTheSameModelAsInMemory()
    {
        var options = new TrainingOptions { Epochs = 3, BatchSize = 8, Shuffle = false, ClassWeights = [1, 2.5, 4] };
        Network<double> inMemory = Net(), streamed = Net();
        TrainingHistory expected = new Trainer<double>(inMemory, new CategoricalCrossEntropy<double>(), new AdamOptimizer<double>(0.01), options).Fit(Data.X, Data.Y);

        TrainingHistory actual = new Trainer<double>(streamed, new CategoricalCrossEntropy<double>(), new AdamOptimizer<double>(0.01), options).Fit(Source());

        actual.Epochs.Select(e => e.TrainingLoss).Should().Equal(expected.Epochs.Select(e => e.TrainingLoss));
        Weights(streamed).Should().BeEquivalentTo(Weights(inMemory), o => o.WithStrictOrdering());
        var unweighted = Net();
        new Trainer<double>(unweighted, new CategoricalCrossEntropy<double>(), new AdamOptimizer<double>(0.01), new TrainingOptions { Epochs = 3, BatchSize = 8, Shuffle = false }).Fit(Source());
        Weights(unweighted)[0].Should().NotEqual(Weights(streamed)[0], "the class weights change the training");
        Action wrongCount = () => new Trainer<double>(Net(), new CategoricalCrossEntropy<double>(), new AdamOptimizer<double>(0.01), new TrainingOptions { ClassWeights = [1, 2] }).Fit(Source());
        wrongCount.Should().Throw<ArgumentException>().WithMessage("*one weight per class: 3 (received 2)*");
    }

    [Fact]
    public void Streamed_ShuffledThroughTheBuffer_ResumedFromACheckpoint_EndsAsOneLongerFit()
    {
        string path = Path.Combine(Path.GetTempPath(), $"neuralnet-streamed-resume-{Guid.NewGuid():N}.nnet");
        try
        {
            TrainingOptions Options() => new() { Epochs = 3, BatchSize = 8, Random = new RandomSource(99), Schedule = new StepDecaySchedule(2, 0.5) };
            Network<double> straight = Net();
            var longer = new TrainingOptions { Epochs = 6, BatchSize = 8, Random = new RandomSource(99), Schedule = new StepDecaySchedule(2, 0.5) };
            TrainingHistory expected = new Trainer<double>(straight, new CategoricalCrossEntropy<double>(), new AdamOptimizer<double>(0.01), longer).Fit(Source(), shuffleBufferRows: 30);

            var first = new Trainer<double>(Net(), new CategoricalCrossEntropy<double>(), new AdamOptimizer<double>(0.01), Options());
            first.Fit(Source(), shuffleBufferRows: 30);
            first.State!.EpochsDone.Should().Be(3);
            NetworkSerializer.Save(first.Network, path, first.Optimizer, first.State!);
            TrainingCheckpoint<double> checkpoint = NetworkSerializer.LoadCheckpoint<double>(path);
            var resumed = new Trainer<double>(checkpoint.Network, new CategoricalCrossEntropy<double>(), checkpoint.Optimizer, Options()) { State = checkpoint.State };
            TrainingHistory rest = resumed.Fit(Source(), shuffleBufferRows: 30);

            rest.Epochs.Select(e => e.Epoch).Should().Equal(4, 5, 6);
            rest.Epochs.Select(e => e.TrainingLoss).Should().Equal(expected.Epochs.Skip(3).Select(e => e.TrainingLoss));
            rest.Epochs.Select(e => e.LearningRate).Should().Equal(expected.Epochs.Skip(3).Select(e => e.LearningRate));
            Weights(checkpoint.Network).Should().BeEquivalentTo(Weights(straight), o => o.WithStrictOrdering());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
