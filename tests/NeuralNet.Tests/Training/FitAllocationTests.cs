using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Losses;
using NeuralNet.Metrics;
using NeuralNet.Optimizers;
using NeuralNet.Training;
using Xunit;

namespace NeuralNet.Tests.Training;

/// <summary>
/// What <c>Fit</c> allocates per batch once the layers' buffers exist: 20 more epochs of a Fit may allocate their records
/// and results, and nothing per batch.
/// </summary>
/// <remarks>
/// The bytes are the test thread's own count, so these run alone, after the other tests (<see cref="AllocationsCounted"/>):
/// with other threads allocating at the same time the same Fit counted more (2-13 KB more with another thread allocating
/// beside it here, 96 KB more once in CI). That was the concurrent GC: while a background collection runs, the count takes
/// in the unused ends of the space this thread was handed to allocate in, and the test project now runs the
/// non-concurrent GC (<see cref="AllocationCountTests"/>). Each figure is still the fewest of five runs, for what else the
/// runtime does meanwhile; an allocation the loop makes is in every run.
/// </remarks>
[Collection(nameof(AllocationsCounted))]
public sealed class FitAllocationTests
{
    private const int Rows = 301, BatchSize = 4, BatchesPerEpoch = 76; // 75 of 4 rows and one of 1

    [Fact]
    public void Fit_AfterBuffersExist_AllocatesNothingPerBatch()
    {
        double perBatch = PerBatch(epochs => new TrainingOptions { Epochs = epochs, BatchSize = BatchSize, Shuffle = true }, out long extraEpochs);
        perBatch.Should().BeLessThan(16, "only the per-epoch record may allocate; 20 more epochs of {0} batches allocated {1} bytes", BatchesPerEpoch, extraEpochs);
    }

    [Fact]
    public void Fit_WithEveryBuiltInMetric_AllocatesNothingPerBatch()
    {
        Metric[] metrics = [new Accuracy(), new TopKAccuracy(2), new Precision(), new Recall(), new F1Score(), new MeanAbsoluteError(), new RootMeanSquaredError(), new RSquared()];
        double perBatch = PerBatch(epochs => new TrainingOptions { Epochs = epochs, BatchSize = BatchSize, Metrics = metrics }, out long extraEpochs);
        perBatch.Should().BeLessThan(32, "only the per-epoch record and results may allocate; 20 more epochs of {0} batches allocated {1} bytes", BatchesPerEpoch, extraEpochs);
    }

    /// <summary>
    /// The bytes a Fit of 22 epochs allocates beyond one of 2 (<paramref name="extraEpochs"/>), per batch of the 20 more
    /// epochs: one network on the blobs, each Fit a new trainer with <paramref name="options"/>, each count the fewest of five.
    /// </summary>
    private static double PerBatch(Func<int, TrainingOptions> options, out long extraEpochs)
    {
        (Matrix<double> x, Matrix<double> y) = ToyProblems.Blobs(Rows, 1);
        var network = ToyProblems.Classifier(1);
        long Allocated(int epochs)
        {
            var trainer = new Trainer<double>(network, new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.01, 0.9), options(epochs));
            long before = GC.GetAllocatedBytesForCurrentThread();
            trainer.Fit(x, y);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        long Fewest(int epochs) => Enumerable.Range(0, 5).Min(_ => Allocated(epochs));

        Allocated(2); // sizes the layers' buffers
        extraEpochs = Fewest(22) - Fewest(2);
        return extraEpochs / (20.0 * BatchesPerEpoch);
    }
}

/// <summary>Tests that count the bytes their thread allocates run alone, after the others (see <see cref="FitAllocationTests"/>).</summary>
[CollectionDefinition(nameof(AllocationsCounted), DisableParallelization = true)]
public sealed class AllocationsCounted
{
}
