using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Metrics;
using NeuralNet.Optimizers;
using NeuralNet.Training;
using Xunit;

namespace NeuralNet.Tests.Training;

/// <summary>Streamed training runs the one epoch loop: the same metrics, callbacks and history as rows in memory.</summary>
public sealed class StreamedEpochLoopTests
{
    [Fact]
    public void Streamed_WithoutShuffling_RecordsTheSameMetricsAndRunsTheSameCallbacksAsInMemory()
    {
        var random = new RandomSource(8);
        var x = Matrix<double>.Build.Dense(103, 3, (_, _) => random.NextGaussian());
        var y = Matrix<double>.Build.Dense(103, 1, (r, _) => x[r, 0] - x[r, 2] > 0 ? 1 : 0);
        Matrix<double> vx = x.SubMatrix(0, 30, 0, 3), vy = y.SubMatrix(0, 30, 0, 1);
        TrainingHistory Run(bool streamed, out CountingCallback counter, out EarlyStoppingCallback<double> early)
        {
            var options = new TrainingOptions { Epochs = 4, BatchSize = 10, Shuffle = false, Metrics = [new Accuracy(), new F1Score(), new RocAuc()] };
            var trainer = new Trainer<double>(new Network<double>(3, new DenseLayer<double>(3, 8, new Tanh<double>()), new DenseLayer<double>(8, 1, new Sigmoid<double>())), new BinaryCrossEntropy<double>(), new AdamOptimizer<double>(0.01), options);
            trainer.Callbacks.Add(counter = new CountingCallback());
            trainer.Callbacks.Add(early = new EarlyStoppingCallback<double>(new EarlyStopping { Patience = 100, Monitor = TrainingMetric.ValidationAccuracy }));
            return streamed
                ? trainer.Fit(
                    BatchSources.FromChunks<double>(3, 1, () => [new Dataset<double>(x.SubMatrix(0, 57, 0, 3), y.SubMatrix(0, 57, 0, 1)), new Dataset<double>(x.SubMatrix(57, 46, 0, 3), y.SubMatrix(57, 46, 0, 1))]),
                    BatchSources.FromChunks<double>(3, 1, () => [new Dataset<double>(vx, vy)]))
                : trainer.Fit(x, y, vx, vy);
        }

        TrainingHistory inMemory = Run(false, out CountingCallback memoryCounter, out EarlyStoppingCallback<double> memoryEarly);
        TrainingHistory streamed = Run(true, out CountingCallback streamCounter, out EarlyStoppingCallback<double> streamEarly);

        streamed.ToCsv().Split('\n')[0].Should().Be("epoch,learning_rate,loss,accuracy,f1,auc,val_loss,val_accuracy,val_f1,val_auc,seconds,elapsed_seconds");
        streamed.Epochs.Select(e => e.TrainingLoss).Should().Equal(inMemory.Epochs.Select(e => e.TrainingLoss));
        streamed.Epochs.Select(e => e.ValidationLoss).Should().Equal(inMemory.Epochs.Select(e => e.ValidationLoss));
        for (int i = 0; i < inMemory.Epochs.Count; i++)
        {
            streamed.Epochs[i].Metrics.Should().Equal(inMemory.Epochs[i].Metrics);
        }

        streamCounter.Batches.Should().Be(memoryCounter.Batches).And.Be(4 * 11);
        (streamed.BestEpoch, streamEarly.BestEpoch).Should().Be((inMemory.BestEpoch, memoryEarly.BestEpoch));
    }

    private sealed class CountingCallback : TrainingCallback<double>
    {
        public int Batches { get; private set; }

        public override void OnBatchEnd(TrainingContext<double> context) => Batches++;
    }
}
