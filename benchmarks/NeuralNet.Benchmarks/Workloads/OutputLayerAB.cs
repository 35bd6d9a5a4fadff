using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Kernels;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;

namespace NeuralNet.Benchmarks.Workloads;

/// <summary>
/// <c>out-ab [epochs]</c>: W3's training phase by phase (as <c>W3-profile</c>), timing inside each step the output layer's
/// three products (1024 → 10 over a batch of 256: forward, ∂L/∂W, ∂L/∂X) in several ways of running them, one way per
/// product and step, rotating step by step, so that each way meets the caches as the step leaves them (h2 just written by
/// both cores). The way timed runs into scratch before the layer's own pass, which then runs as usual (the training is W3's).
/// Prints each way's median and mean µs over the epochs after the first.
/// </summary>
internal static unsafe class OutputLayerAB
{
    private delegate void Way(float* a, float* b, float* c);

    public static void Run(int epochs)
    {
        (Matrix<float>[] inputs, Matrix<float>[] targets) = WideWorkload.Data();
        (Network<float> network, DenseLayer<float>[] layers) = WideWorkload.Build();

        var loss = new CategoricalCrossEntropy<float>(fromLogits: true);
        var optimizer = new SgdOptimizer<float>(learningRate: 0.01);
        var rollback = new ParameterSnapshot<float>(network.Parameters);
        const int n = WideWorkload.BatchSize, f = WideWorkload.Features, o = 10;
        Matrix<float> dLogits = Matrix<float>.Build.Dense(n, o);
        float[] z = new float[n * o], dw = new float[o * f], dx = new float[n * f], checkZ = new float[n * o], checkW = new float[o * f], checkX = new float[n * f];
        (string Name, Way Run)[] forward =
        [
            ("fwd: direct, column halves (today)", (a, b, c) => ParallelGemm<float>.RunDirect(false, true, n, o, f, a, n, b, o, c, n, false, depthHalves: false)),
            ("fwd: direct, depth halves", (a, b, c) => ParallelGemm<float>.RunDirect(false, true, n, o, f, a, n, b, o, c, n, false, depthHalves: true)),
            ("fwd: direct, one core", (a, b, c) => DirectGemm.Run(false, true, n, o, f, a, n, b, o, c, n, false)),
        ];
        (string Name, Way Run)[] weights =
        [
            ("dW: direct, column halves (today)", (a, b, c) => ParallelGemm<float>.RunDirect(true, false, o, f, n, a, n, b, n, c, o, false)),
            ("dW: direct, one core", (a, b, c) => DirectGemm.Run(true, false, o, f, n, a, n, b, n, c, o, false)),
        ];
        (string Name, Way Run)[] inputGradient =
        [
            ("dX: packed strips (today)", (a, b, c) => ParallelGemm<float>.Run(GemmKernels.Best, false, false, n, f, o, a, n, b, o, c, n, false)),
            ("dX: packed, one core", (a, b, c) => GemmDriver.Run(GemmKernels.Best, false, false, n, f, o, a, n, b, o, c, n, false)),
        ];
        var times = new Dictionary<string, List<double>>();
        int batches = inputs.Length, step = 0;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            double lossSum = 0;
            for (int b = 0; b < batches; b++, step++)
            {
                Matrix<float> input = inputs[b], target = targets[b];
                Matrix<float> h1 = layers[0].Forward(input, training: true);
                Matrix<float> h2 = layers[1].Forward(h1, training: true);
                float[] x = DenseStorage.Of(h2), w = layers[2].Parameters[0].ValueArray;
                Time(forward, step, x, w, z, checkZ, epoch > 0, times);
                Matrix<float> logits = layers[2].Forward(h2, training: true);
                float value = loss.Value(DenseStorage.Of(logits), DenseStorage.Of(target), default, n, o);
                loss.Gradient(DenseStorage.Of(logits), DenseStorage.Of(target), default, DenseStorage.Of(dLogits), n, o);
                float[] dz = DenseStorage.Of(dLogits);
                Time(weights, step, dz, x, dw, checkW, epoch > 0, times);
                Time(inputGradient, step, dz, w, dx, checkX, epoch > 0, times);
                Matrix<float> d2 = layers[2].BackwardTo(dLogits, computeInputGradient: true, below: layers[1])!;
                Matrix<float> d1 = layers[1].BackwardTo(d2, computeInputGradient: true, below: layers[0])!;
                layers[0].Backward(d1, computeInputGradient: false);
                if (!optimizer.StepChecked(network.Parameters, rollback.Copies))
                {
                    throw new InvalidOperationException("W3 diverged");
                }

                lossSum += value;
            }

            WorkloadOutput.Note($"epoch {epoch + 1}: mean training loss {lossSum / batches:0.000000}");
        }

        foreach ((string name, List<double> list) in times)
        {
            list.Sort();
            WorkloadOutput.Note($"{name,-40} median {list[list.Count / 2],7:0.0} µs, quartiles {list[list.Count / 4],7:0.0}-{list[3 * list.Count / 4],7:0.0}, mean {list.Average(),7:0.0} ({list.Count} steps)");
        }
    }

    /// <summary>Times this step's way of the product (rotating) into <paramref name="c"/>, and checks it gives the bits of the first way.</summary>
    private static void Time((string Name, Way Run)[] ways, int step, float[] a, float[] b, float[] c, float[] check, bool record, Dictionary<string, List<double>> times)
    {
        int v = step % ways.Length;
        fixed (float* pa = a, pb = b, pc = c, pk = check)
        {
            long t0 = Stopwatch.GetTimestamp();
            ways[v].Run(pa, pb, pc);
            double us = Stopwatch.GetElapsedTime(t0).TotalMilliseconds * 1e3;
            if (record)
            {
                (times.TryGetValue(ways[v].Name, out List<double>? list) ? list : times[ways[v].Name] = []).Add(us);
            }

            ways[0].Run(pa, pb, pk);
            if (!c.AsSpan().SequenceEqual(check))
            {
                throw new InvalidOperationException($"{ways[v].Name} differs from {ways[0].Name}");
            }
        }
    }
}
