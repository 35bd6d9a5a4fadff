using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Serialization;
using NeuralNet.Tests.Serialization;
using NeuralNet.Training;
using Xunit;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// The paths of issue 15's "done when" that <see cref="NormalizationLayerTests"/> does not walk: batch and layer
/// normalisation and residual blocks through <c>Trainer.Fit</c> and its checkpoints, and a loaded float network
/// predicting from many threads, by batch and by single row.
/// </summary>
[Collection(nameof(NeuralNet.Tests.Kernels.SecondCoreHeld))]
public sealed class NormalizationPathTests
{
    [Fact]
    public void Deep_FitCheckpointWithTrainerState_ResumesBitForBitLikeOneLongerFit()
    {
        Matrix<double> x = SampleNetworks.Batch<double>(30, 5, seed: 2);
        Matrix<double> t = NormalizationLayerTests.Targets<double>(30);
        TrainingOptions Options() => new()
        {
            Epochs = 3, BatchSize = 8, ValidationSplit = 0.2, Random = new RandomSource(4),
            EarlyStopping = new EarlyStopping { Patience = 100, RestoreBestWeights = true },
        };
        var loss = new CategoricalCrossEntropy<double>();
        Network<double> straight = NormalizationLayerTests.Deep<double>();
        var straightTrainer = new Trainer<double>(straight, loss, new AdamWOptimizer<double>(0.01), Options());
        straightTrainer.Fit(x, t);
        straightTrainer.Fit(x, t); // epochs 4-6 of the same run

        Network<double> first = NormalizationLayerTests.Deep<double>();
        var optimizer = new AdamWOptimizer<double>(0.01);
        var trainer = new Trainer<double>(first, loss, optimizer, Options());
        trainer.Fit(x, t);
        string path = Path.Combine(Path.GetTempPath(), $"neuralnet-deep-fit-{Guid.NewGuid():N}.nnet");
        try
        {
            NetworkSerializer.Save(first, path, optimizer, trainer.State!);
            TrainingCheckpoint<double> checkpoint = NetworkSerializer.LoadCheckpoint<double>(path);
            TrainingHistory more = new Trainer<double>(checkpoint.Network, loss, checkpoint.Optimizer, Options()) { State = checkpoint.State }.Fit(x, t);

            more.Epochs[0].Epoch.Should().Be(4);
            checkpoint.Network.WeightsAndState.Zip(straight.WeightsAndState)
                .Should().AllSatisfy(p => p.First.Values.ToArray().Should().Equal(p.Second.Values.ToArray(), $"{p.First} after the resumed Fit"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Deep_LoadedFloat_PredictFromManyThreadsByBatchAndByRow_EqualsSequentialBitForBit()
    {
        Network<float> loaded = NetworkSerializer.Load<float>(new MemoryStream(SampleNetworks.ToBytes(NormalizationLayerTests.Trained<float>())));
        Matrix<float>[] batches = Enumerable.Range(0, 16).Select(i => SampleNetworks.Batch<float>(1 + i % 6, 5, seed: (ulong)(40 + i))).ToArray();
        float[][] sequential = batches.Select(b => loaded.Predict(b).AsColumnMajorArray()).ToArray();
        float[][] sequentialRows = batches.Select(b => b.ToRowArrays().SelectMany(row =>
        {
            float[] output = new float[loaded.OutputSize];
            loaded.Predict(row, output);
            return output;
        }).ToArray()).ToArray();
        var byBatch = new float[batches.Length * 4][];
        var byRow = new float[batches.Length * 4][];

        Parallel.For(0, byBatch.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            Matrix<float> batch = batches[i % batches.Length];
            byBatch[i] = loaded.Predict(batch).AsColumnMajorArray();
            byRow[i] = batch.ToRowArrays().SelectMany(row =>
            {
                float[] output = new float[loaded.OutputSize];
                loaded.Predict(row, output);
                return output;
            }).ToArray();
        });

        for (int i = 0; i < byBatch.Length; i++)
        {
            byBatch[i].Should().Equal(sequential[i % batches.Length], $"batch call {i}");
            byRow[i].Should().Equal(sequentialRows[i % batches.Length], $"row calls {i}");
        }
    }
}
