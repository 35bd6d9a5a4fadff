using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Serialization;
using Xunit;

namespace NeuralNet.Tests.Serialization;

public sealed class ConcurrentPredictionTests
{
    [Fact]
    public void Predict_OnALoadedNetworkFromManyThreads_EqualsSequentialResults()
    {
        Network<double> loaded = NetworkSerializer.Load<double>(new MemoryStream(SampleNetworks.ToBytes(SampleNetworks.EveryKind<double>())));
        const int Batches = 64;
        Matrix<double>[] inputs = Enumerable.Range(0, Batches)
            .Select(i => SampleNetworks.Batch<double>(1 + (i % 7) * 5, loaded.InputSize, (ulong)i)).ToArray();
        double[][] sequential = inputs.Select(x => loaded.Predict(x).AsColumnMajorArray()).ToArray();

        var concurrent = new double[16 * Batches][];
        Parallel.For(0, concurrent.Length, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i =>
        {
            concurrent[i] = loaded.Predict(inputs[i % Batches]).AsColumnMajorArray();
        });

        for (int i = 0; i < concurrent.Length; i++)
        {
            concurrent[i].Should().Equal(sequential[i % Batches], $"call {i} must equal the sequential prediction of batch {i % Batches}");
        }
    }
}
