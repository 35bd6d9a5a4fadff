using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Kernels;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;

namespace NeuralNet.Benchmarks.Workloads;

/// <summary>W2 'fashion': 784-128 ReLU-10, float32, softmax cross-entropy, SGD lr 0.05 momentum 0.9, batches of 64, 5 epochs, epoch 2 timed.</summary>
internal static partial class FashionWorkload
{
    public const int BatchSize = 64;
    public const int Epochs = 5;
    public const int Hidden = 128;

    public static void Run()
    {
        FashionData data = FashionData.Load();
        WorkloadOutput.Note($"W2 data: {(data.IsSynthetic ? "SYNTHETIC (Fashion-MNIST not found; set FASHION_MNIST_DIR)" : "Fashion-MNIST from " + data.Source)}");
        int n = data.TrainLabels.Length;
        (_, _, Network<float> network, CategoricalCrossEntropy<float> loss, SgdOptimizer<float> optimizer) = Build();

        int[][] orders = Enumerable.Range(0, Epochs).Select(e => DeterministicNumbers.SampleOrder(e, n)).ToArray();
        var batches = new BatchPair(BatchSize);
        var lastBatches = new BatchPair(n % BatchSize == 0 ? BatchSize : n % BatchSize);
        var seconds = new double[Epochs];
        var crossCore = new double[2];
        CheckGather(data, orders[0]);
        for (int epoch = 0; epoch < Epochs; epoch++)
        {
            int[] order = orders[epoch];
            double lossSum = 0;
            if (epoch == 1)
            {
                crossCore[0] = CrossCoreLatency.Measure(); // the host's state just before the timed epoch
            }

            long sleeps = SecondCore.Sleeps, pickUp = SecondCore.PickUpTicks, helper = SecondCore.HelperTicks, wait = SecondCore.WaitTicks;
            int gcs = GC.CollectionCount(0);
            long allocated = GC.GetTotalAllocatedBytes(precise: true);
            long start = Stopwatch.GetTimestamp();
            for (int first = 0; first < n; first += BatchSize)
            {
                BatchPair batch = n - first >= BatchSize ? batches : lastBatches;
                batch.Gather(data, order, first);
                float value = network.TrainStep(batch.Input, batch.Target, loss, optimizer);
                lossSum += value * batch.Rows;
            }

            seconds[epoch] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated; // the steps' alone: the measurement below allocates its job
            gcs = GC.CollectionCount(0) - gcs;
            if (epoch == 1)
            {
                crossCore[1] = CrossCoreLatency.Measure(); // and just after it
            }

            int steps = (n + BatchSize - 1) / BatchSize;
            double Us(long ticks) => ticks * 1e6 / Stopwatch.Frequency / steps;
            WorkloadOutput.Note($"W2 epoch {epoch + 1}: mean training loss {lossSum / n:0.000000}, {seconds[epoch]:0.000} s, {n / seconds[epoch]:0} samples/s{(epoch == 0 ? " (warm-up)" : epoch == 1 ? " (timed)" : string.Empty)}; per step the second core picked work up after {Us(SecondCore.PickUpTicks - pickUp):0.0} µs, worked {Us(SecondCore.HelperTicks - helper):0.0} µs, slept {(SecondCore.Sleeps - sleeps) / (double)steps:0.00} times, the caller waited {Us(SecondCore.WaitTicks - wait):0.0} µs, the last hand-overs' mean pick-up {SecondCore.RecentPickUpNanoseconds:0} ns ({(SecondCore.HandOverIsCheap ? "cheap: the output layer's backward in two parts" : "dear: the output layer's backward on one core")}); {gcs} collections and {allocated} bytes allocated in the epoch's steps");
        }

        double samplesPerSecond = n / seconds[1];
        double accuracy = Accuracy(network, data);
        WorkloadOutput.Metric("W2", "samples_per_s", samplesPerSecond);
        WorkloadOutput.Metric("W2", "test_accuracy", accuracy);
        WorkloadOutput.Note($"W2 buffers on cache lines (Kernels/AlignedArrays): {AlignedArrays.Placed.Aligned} of {AlignedArrays.Placed.Aligned + AlignedArrays.Placed.Misaligned}");
        WorkloadOutput.Metric("W2", "crosscore_ns_before", crossCore[0]);
        WorkloadOutput.Metric("W2", "crosscore_ns_after", crossCore[1]);
        WorkloadOutput.Note($"W2 GFLOP/s {6 * 101_632 * samplesPerSecond / 1e9:0.0}; check: epoch-1 loss 0.537-0.540, accuracy 0.85-0.87; threads: up to 2 (GEMM on both cores)");
    }

    /// <summary>
    /// W2's network as specified (784 → 128 ReLU → 10 logits, float32, layers initialised with the workload's numbers 1 and
    /// 2), its loss (softmax cross-entropy from logits) and its optimizer (SGD, momentum 0.9, learning rate 0.05 unless
    /// <paramref name="learningRate"/> says otherwise): the one set-up of W2 and of every mode that times a part of it.
    /// </summary>
    internal static FashionNetwork Build(double learningRate = 0.05)
    {
        var hidden = new DenseLayer<float>(FashionData.Features, Hidden, new ReLU<float>());
        var output = new DenseLayer<float>(Hidden, 10);
        var network = new Network<float>(1, hidden, output);
        DeterministicNumbers.Initialize(hidden, 1);
        DeterministicNumbers.Initialize(output, 2);
        return new FashionNetwork(hidden, output, network, new CategoricalCrossEntropy<float>(fromLogits: true), new SgdOptimizer<float>(learningRate, momentum: 0.9));
    }

    /// <summary>W2's layers, network, loss and optimizer (<see cref="Build"/>).</summary>
    internal sealed record FashionNetwork(
        DenseLayer<float> Hidden, DenseLayer<float> Output, Network<float> Network, CategoricalCrossEntropy<float> Loss, SgdOptimizer<float> Optimizer);

    /// <summary>Before any timing: the AVX2 gather must give the table path's bits (first and last batch of epoch 1).</summary>
    private static void CheckGather(FashionData data, int[] order)
    {
        if (!BatchPair.SimdGather)
        {
            WorkloadOutput.Note($"W2 gather: table path (no AVX2, or W2_GATHER=table)");
            return;
        }

        int n = order.Length;
        foreach (int first in new[] { 0, n - (n % BatchSize == 0 ? BatchSize : n % BatchSize) })
        {
            var simd = new BatchPair(Math.Min(BatchSize, n - first));
            var table = new BatchPair(simd.Rows);
            simd.Gather(data, order, first);
            table.Gather(data, order, first, simd: false);
            if (!DenseStorage.Of(simd.Input).AsSpan().SequenceEqual(DenseStorage.Of(table.Input)) || !DenseStorage.Of(simd.Target).AsSpan().SequenceEqual(DenseStorage.Of(table.Target)))
            {
                throw new InvalidOperationException($"W2 gather: the AVX2 path differs from the table path on the batch at {first}.");
            }
        }

        WorkloadOutput.Note($"W2 gather: AVX2 (checked equal to the table path on epoch 1's first and last batch)");
    }

    private static double Accuracy(Network<float> network, FashionData data)
    {
        int count = data.TestLabels.Length;
        const int chunk = 1000;
        var input = Matrix<float>.Build.Dense(chunk, FashionData.Features);
        var logits = Matrix<float>.Build.Dense(chunk, 10);
        int correct = 0;
        for (int first = 0; first < count; first += chunk)
        {
            float[] x = DenseStorage.Of(input);
            for (int r = 0; r < chunk; r++)
            {
                for (int p = 0; p < FashionData.Features; p++)
                {
                    x[r + (p * chunk)] = data.TestImages[((first + r) * FashionData.Features) + p];
                }
            }

            network.Predict(input, logits);
            for (int r = 0; r < chunk; r++)
            {
                int best = 0;
                for (int c = 1; c < 10; c++)
                {
                    best = logits[r, c] > logits[r, best] ? c : best; // arg-max, lowest index on ties
                }

                correct += best == data.TestLabels[first + r] ? 1 : 0;
            }
        }

        return (double)correct / count;
    }
}
