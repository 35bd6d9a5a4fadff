using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Kernels;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using Xunit;

namespace NeuralNet.Tests.Networks;

/// <summary>The hot path allocates nothing once its buffers exist: training steps (optimizer included) and prediction into a caller's matrix.</summary>
[Collection(nameof(NeuralNet.Tests.Kernels.SecondCoreHeld))]
public class NetworkAllocationTests
{
    [Fact]
    public void TrainStep_PerSampleSigmoidNetwork_AllocatesNothingOnceWarm()
    {
        var network = new Network<double>(1, new DenseLayer<double>(3, 4, new Sigmoid<double>()), new DenseLayer<double>(4, 1, new Sigmoid<double>()));
        var x = Matrix<double>.Build.DenseOfRowArrays([0.9, 0.7, 0.8]);
        var y = Matrix<double>.Build.Dense(1, 1, 1.0);
        var loss = new MeanSquaredError<double>();
        var optimizer = new SgdOptimizer<double>(0.5);

        AllocatedBy(() => network.TrainStep(x, y, loss, optimizer)).Should().Be(0);
    }

    [Fact]
    public void TrainStep_TwoBatchSizesWithMomentumAndSoftmax_AllocatesNothingOnceWarm()
    {
        // The shape of W2, scaled down, with a full and a last smaller batch alternating and momentum state.
        var network = new Network<float>(2, new DenseLayer<float>(20, 16, new ReLU<float>()), new DenseLayer<float>(16, 5, new Softmax<float>()));
        var loss = new CategoricalCrossEntropy<float>();
        var optimizer = new SgdOptimizer<float>(0.05, momentum: 0.9) { ClipNorm = 5 };
        (Matrix<float> x8, Matrix<float> t8) = Batch(8, 20, 5, 3);
        (Matrix<float> x3, Matrix<float> t3) = Batch(3, 20, 5, 4);

        AllocatedBy(() =>
        {
            network.TrainStep(x8, t8, loss, optimizer);
            network.TrainStep(x3, t3, loss, optimizer);
        }).Should().Be(0);
    }

    [Fact]
    public void TrainStep_LargeEnoughForTwoCores_AllocatesNothingOnceWarm()
    {
        // 64 × 256 × 128 multiply-adds per product: the multiplies are split over both cores.
        var network = new Network<float>(3, new DenseLayer<float>(128, 256, new Tanh<float>()), new DenseLayer<float>(256, 10));
        var loss = new CategoricalCrossEntropy<float>(fromLogits: true);
        var optimizer = new SgdOptimizer<float>(0.01, momentum: 0.5, nesterov: true, weightDecay: 1e-4);
        (Matrix<float> x, Matrix<float> t) = Batch(64, 128, 10, 5);

        AllocatedBy(() => network.TrainStep(x, t, loss, optimizer)).Should().Be(0);
    }

    [Fact]
    public void TrainStep_LargeEnoughForTwoCores_AllocatesNothingWhenTheHelperIsLate()
    {
        // The helper thread picks nothing up, as when another process holds its core: every piece of work handed to
        // it (strips of a product, the second half of a split depth, of an optimizer step) is taken back by the caller.
        var network = new Network<float>(3, new DenseLayer<float>(128, 256, new Tanh<float>()), new DenseLayer<float>(256, 10));
        var loss = new CategoricalCrossEntropy<float>(fromLogits: true);
        var optimizer = new SgdOptimizer<float>(0.01, momentum: 0.5, nesterov: true, weightDecay: 1e-4);
        (Matrix<float> x, Matrix<float> t) = Batch(64, 128, 10, 5);
        var onTime = new Network<float>(3, new DenseLayer<float>(128, 256, new Tanh<float>()), new DenseLayer<float>(256, 10));
        var onTimeOptimizer = new SgdOptimizer<float>(0.01, momentum: 0.5, nesterov: true, weightDecay: 1e-4);
        long allocated, takenBack;
        SecondCore.Paused = true;
        try
        {
            long before = SecondCore.TakenBack;
            allocated = AllocatedBy(() => network.TrainStep(x, t, loss, optimizer));
            takenBack = SecondCore.TakenBack - before;
        }
        finally
        {
            SecondCore.Paused = false;
        }

        for (int i = 0; i < WarmSteps + CountedSteps; i++)
        {
            onTime.TrainStep(x, t, loss, onTimeOptimizer);
        }

        allocated.Should().Be(0);
        if (SecondCore.Exists)
        {
            takenBack.Should().BeGreaterThanOrEqualTo((WarmSteps + CountedSteps) * 3, "each step hands at least three pieces of work over");
        }
        else
        {
            takenBack.Should().Be(0, "a process limited to one core hands nothing over (DOTNET_PROCESSOR_COUNT=1)");
        }
        network.Parameters.SelectMany(p => p.Values.ToArray()).Should().Equal(onTime.Parameters.SelectMany(p => p.Values.ToArray()), "the result does not depend on which thread did the work");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TrainStep_WithSharedBlockProducts_AllocatesNothingOnceWarm(bool helperLate)
    {
        // Batch 256 through 1100 → 1056 → 512 → 10: every product of the hidden layers is 2^26 multiply-adds or more,
        // shared by both cores. The first layer's weight gradient (op(A) of 1056 rows: one depth block of it is over 1 MB)
        // takes shared packed blocks whose pieces both threads claim; the others pack op(A) once and have their column
        // groups claimed, the forward products of 1100 and 1056 inputs in two parts of depth blocks, filling Z with the
        // bias inside (on a core with 2 MB of L2, as this machine's).
        int mr = GemmKernels.RowsPerTile<float>(GemmKernels.Best), nr = GemmKernels.ColumnsPerTile(GemmKernels.Best);
        if (WorkSplit.TwoCores)
        {
            WorkSplit.Product(256, 1056, 1100, mr, nr, out _, out _).Should().Be(ProductSplit.SharedBlocks);
            WorkSplit.Product(1056, 1100, 256, mr, nr, out _, out _).Should().Be(ProductSplit.SharedBlocks);
            WorkSplit.Product(256, 512, 1056, mr, nr, out _, out _).Should().Be(ProductSplit.SharedBlocks);
            WorkSplit.Product(256, 1056, 512, mr, nr, out _, out _).Should().Be(ProductSplit.SharedBlocks);
            WorkSplit.ForwardDepthSplit(256, 1056, 512).Should().Be(0);
        }

        if (MachineProfile.L2Bytes == 2 << 20)
        {
            WorkSplit.ColumnGroups(1056, 256, mr, sizeof(float)).Should().BeFalse();
            WorkSplit.ColumnGroupDepthBlocks(256, 1100, mr, sizeof(float)).Should().Be(4); // of 5
            WorkSplit.ColumnGroupDepthBlocks(256, 1056, mr, sizeof(float)).Should().Be(4); // of 5
            WorkSplit.ColumnGroups(512, 256, mr, sizeof(float)).Should().BeTrue();
        }

        var network = new Network<float>(4, new DenseLayer<float>(1100, 1056, new ReLU<float>()), new DenseLayer<float>(1056, 512, new ReLU<float>()), new DenseLayer<float>(512, 10));
        var loss = new CategoricalCrossEntropy<float>(fromLogits: true);
        var optimizer = new SgdOptimizer<float>(0.01, momentum: 0.9);
        (Matrix<float> x, Matrix<float> t) = Batch(256, 1100, 10, 11);
        long allocated;
        SecondCore.Paused = helperLate;
        try
        {
            allocated = AllocatedBy(() => network.TrainStep(x, t, loss, optimizer));
        }
        finally
        {
            SecondCore.Paused = false;
        }

        allocated.Should().Be(0);
    }

    [Fact]
    public void OptimizerStep_OnAParameterWhoseTwoPartsDiffer_AllocatesNothingOnceWarm()
    {
        // 40,003 values are cut at 19,968 (whole cache lines), so the caller's part and the second core's differ in
        // length: each part's view of the state is made once and then reused, step after step.
        var large = new Parameter<float>("large", 40_003, 1);
        large.Gradients.Fill(0.5f);
        var optimizer = new AdamOptimizer<float>(0.01);
        Parameter<float>[] parameters = [large];

        AllocatedBy(() => optimizer.Step(parameters)).Should().Be(0);
    }

    [Fact]
    public void Predict_IntoCallerMatrix_AllocatesNothingOnceWarm()
    {
        var network = new Network<float>(4, new DenseLayer<float>(784, 128, new ReLU<float>()), new DenseLayer<float>(128, 10));
        (Matrix<float> x, _) = Batch(1, 784, 10, 6);
        var output = Matrix<float>.Build.Dense(1, 10);

        AllocatedBy(() => network.Predict(x, output)).Should().Be(0);
    }

    /// <summary>Calls of the step <see cref="AllocatedBy"/> makes before it counts: they make the buffers, state and code.</summary>
    internal const int WarmSteps = 3;

    /// <summary>Calls of the step <see cref="AllocatedBy"/> counts the bytes of.</summary>
    internal const int CountedSteps = 20;

    /// <summary>
    /// The bytes this thread allocates over <see cref="CountedSteps"/> calls of <paramref name="step"/> after
    /// <see cref="WarmSteps"/>. The count is exact in this test process (the non-concurrent GC: <see cref="AllocationCountTests"/>),
    /// so a step that allocates in any one of the calls, on any path (a late helper, a first use), counts.
    /// </summary>
    internal static long AllocatedBy(Action step)
    {
        for (int i = 0; i < WarmSteps; i++)
        {
            step();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < CountedSteps; i++)
        {
            step();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static (Matrix<float> Input, Matrix<float> Target) Batch(int rows, int features, int classes, ulong seed)
    {
        var random = new RandomSource(seed);
        var input = Matrix<float>.Build.Dense(rows, features, (_, _) => (float)random.NextGaussian());
        var target = Matrix<float>.Build.Dense(rows, classes, (r, c) => c == r % classes ? 1f : 0f);
        return (input, target);
    }
}
