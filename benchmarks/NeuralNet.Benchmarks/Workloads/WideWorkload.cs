using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Kernels;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;

namespace NeuralNet.Benchmarks.Workloads;

/// <summary>W3 'wide': 1024-1024 ReLU-1024 ReLU-10, float32, batches of 256, plain SGD lr 0.01, epoch 2 timed.</summary>
internal static class WideWorkload
{
    public const int Samples = 8192;
    public const int Features = 1024;
    public const int BatchSize = 256;
    public const long Weights = 2_107_392;

    /// <summary>Trains <paramref name="epochs"/> epochs (at least 2): epoch 2 is the metric; later ones print on stderr only (a noise check, as W2's epochs 3-5).</summary>
    public static void Run(int epochs = 2)
    {
        (Matrix<float>[] inputs, Matrix<float>[] targets) = Data();
        int batches = inputs.Length;
        (Network<float> network, DenseLayer<float>[] layers) = Build();

        var loss = new CategoricalCrossEntropy<float>(fromLogits: true);
        var optimizer = new SgdOptimizer<float>(learningRate: 0.01);
        double timed = 0;
        epochs = Math.Max(epochs, 2);
        var crossCore = new double[2];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            double lossSum = 0;
            if (epoch == 1)
            {
                crossCore[0] = CrossCoreLatency.Measure(); // the host's state just before the timed epoch
            }

            long start = Stopwatch.GetTimestamp();
            for (int b = 0; b < batches; b++)
            {
                lossSum += network.TrainStep(inputs[b], targets[b], loss, optimizer);
            }

            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            timed = epoch == 1 ? seconds : timed;
            if (epoch == 1)
            {
                crossCore[1] = CrossCoreLatency.Measure(); // and just after it
            }

            string spec = epoch switch { 0 => " (spec 2.304656)", 1 => " (spec 2.303286)", _ => string.Empty };
            WorkloadOutput.Note($"W3 epoch {epoch + 1}: mean training loss {lossSum / batches:0.000000}{spec}, {seconds:0.000} s, {6 * Weights * Samples / seconds / 1e9:0.0} GFLOP/s");
        }

        double samplesPerSecond = Samples / timed;
        WorkloadOutput.Metric("W3", "samples_per_s", samplesPerSecond);
        WorkloadOutput.Metric("W3", "gflops", 6 * Weights * samplesPerSecond / 1e9);
        WorkloadOutput.Note($"W3 buffers on cache lines (Kernels/AlignedArrays): {AlignedArrays.Placed.Aligned} of {AlignedArrays.Placed.Aligned + AlignedArrays.Placed.Misaligned}");
        WorkloadOutput.Metric("W3", "crosscore_ns_before", crossCore[0]);
        WorkloadOutput.Metric("W3", "crosscore_ns_after", crossCore[1]);
        WorkloadOutput.Note($"W3 threads: up to 2 (GEMM on both cores)");
        string mode = File.Exists("/sys/kernel/mm/transparent_hugepage/enabled") ? File.ReadAllText("/sys/kernel/mm/transparent_hugepage/enabled").Trim() : "none";
        WorkloadOutput.Note($"W3 large arrays marked for 2 MB pages: {HugePages.Marked} (transparent huge pages: {mode})");
    }

    /// <summary>W3's 32 batches of 256 consecutive rows (inputs, class indices), each cut out once (a view in numpy terms).</summary>
    internal static (Matrix<float>[] Inputs, Matrix<float>[] Targets) Data()
    {
        int batches = Samples / BatchSize;
        var inputs = new Matrix<float>[batches];
        var targets = new Matrix<float>[batches];
        for (int b = 0; b < batches; b++)
        {
            inputs[b] = Matrix<float>.Build.Dense(BatchSize, Features);
            targets[b] = Matrix<float>.Build.Dense(BatchSize, 1);
            float[] x = DenseStorage.Of(inputs[b]);
            for (int r = 0; r < BatchSize; r++)
            {
                int i = (b * BatchSize) + r;
                for (int j = 0; j < Features; j++)
                {
                    x[r + (j * BatchSize)] = (float)((2 * DeterministicNumbers.U(7, (uint)((i * Features) + j))) - 1);
                }

                targets[b][r, 0] = DeterministicNumbers.Rnd(8, (uint)i) % 10;
            }
        }

        return (inputs, targets);
    }

    /// <summary>
    /// W3's network with the specified initial weights (layer l from <c>u(100 + l, ·)</c>), its layers' element-wise passes
    /// inside the products unless <paramref name="fusedPasses"/> is false.
    /// </summary>
    internal static (Network<float> Network, DenseLayer<float>[] Layers) Build(bool fusedPasses = true)
    {
        DenseLayer<float>[] layers = Layers();
        foreach (DenseLayer<float> layer in layers)
        {
            layer.FusedPasses = fusedPasses;
        }

        var network = new Network<float>(1, layers);
        for (int l = 0; l < layers.Length; l++)
        {
            DeterministicNumbers.Initialize(layers[l], l + 1);
        }

        return (network, layers);
    }

    /// <summary>W3's layers, 1024 → 1024 ReLU → 1024 ReLU → 10 (not yet initialised).</summary>
    private static DenseLayer<float>[] Layers() =>
    [
        new DenseLayer<float>(Features, 1024, new ReLU<float>()),
        new DenseLayer<float>(1024, 1024, new ReLU<float>()),
        new DenseLayer<float>(1024, 10),
    ];
}
