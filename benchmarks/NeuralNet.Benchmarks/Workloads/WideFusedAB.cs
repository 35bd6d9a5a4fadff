using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;

namespace NeuralNet.Benchmarks.Workloads;

/// <summary>
/// <c>W3-fused-ab</c>: W3's training with the dense layers' element-wise passes inside the products (the activation, its
/// gradient and the bias gradient, <c>ColumnFinisher</c>) and as passes of their own, alternating step by step in one
/// process (the order swapped every epoch), so that the host's drift falls on both alike. The two give the same bits, so
/// this is W3's own training: its epoch losses are printed as a check.
/// </summary>
internal static class WideFusedAB
{
    public static void Run(int epochs)
    {
        (Matrix<float>[] inputs, Matrix<float>[] targets) = WideWorkload.Data();
        (Network<float> network, DenseLayer<float>[] layers) = WideWorkload.Build();

        var loss = new CategoricalCrossEntropy<float>(fromLogits: true);
        var optimizer = new SgdOptimizer<float>(learningRate: 0.01);
        int batches = inputs.Length;
        var steps = new List<double>[2] { [], [] };
        WorkloadOutput.Note($"W3-fused-ab: ms per step, passes inside the products (fused) against separate passes, alternating step by step");
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            double lossSum = 0;
            var ticks = new long[2];
            for (int b = 0; b < batches; b++)
            {
                int mode = (b + epoch) & 1; // 0 fused, 1 separate; the order swapped every epoch
                foreach (DenseLayer<float> layer in layers)
                {
                    layer.FusedPasses = mode == 0;
                }

                long start = Stopwatch.GetTimestamp();
                lossSum += network.TrainStep(inputs[b], targets[b], loss, optimizer);
                long elapsed = Stopwatch.GetTimestamp() - start;
                ticks[mode] += elapsed;
                if (epoch > 0)
                {
                    steps[mode].Add(elapsed * 1e3 / Stopwatch.Frequency);
                }
            }

            double Ms(long t) => t * 1e3 / Stopwatch.Frequency / (batches / 2);
            WorkloadOutput.Note($"epoch {epoch + 1}: fused {Ms(ticks[0]):0.000} ms, separate {Ms(ticks[1]):0.000} ms a step (ratio {(double)ticks[1] / ticks[0]:0.000}); mean training loss {lossSum / batches:0.000000}");
        }

        double Median(List<double> s) => s.Order().ElementAt(s.Count / 2);
        double flop = 6.0 * WideWorkload.Weights * WideWorkload.BatchSize;
        WorkloadOutput.Metric("W3-fused-ab", "fused_median_ms", Median(steps[0]));
        WorkloadOutput.Metric("W3-fused-ab", "separate_median_ms", Median(steps[1]));
        WorkloadOutput.Metric("W3-fused-ab", "fused_mean_gflops", flop * steps[0].Count / steps[0].Sum() / 1e6);
        WorkloadOutput.Metric("W3-fused-ab", "separate_mean_gflops", flop * steps[1].Count / steps[1].Sum() / 1e6);
    }
}
