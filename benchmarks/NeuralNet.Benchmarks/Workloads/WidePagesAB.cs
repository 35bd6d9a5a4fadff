using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Kernels;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;

namespace NeuralNet.Benchmarks.Workloads;

/// <summary>
/// <c>W3-pages-ab</c>: two W3 networks in one process, the first built with the library's large arrays left as allocated,
/// the second with them marked for 2 MB pages (<see cref="HugePages"/>), trained step by step alternately (the order
/// swapped every step and epoch) on the same batches, so that the host's drift falls on both alike. Both train to the
/// same bits; their mean losses are printed as the check.
/// </summary>
internal static class WidePagesAB
{
    private static byte[]? _spacer;

    public static void Run(int epochs)
    {
        (Matrix<float>[] inputs, Matrix<float>[] targets) = WideWorkload.Data();
        var loss = new CategoricalCrossEntropy<float>(fromLogits: true);
        var networks = new Network<float>[2];
        var optimizers = new[] { new SgdOptimizer<float>(learningRate: 0.01), new SgdOptimizer<float>(learningRate: 0.01) };
        bool was = HugePages.Enabled;
        for (int n = 0; n < 2; n++)
        {
            HugePages.Enabled = n == 1;
            networks[n] = WideWorkload.Build().Network;

            networks[n].TrainStep(inputs[0], targets[0], loss, optimizers[n]); // every buffer and undo copy made now
            _spacer = new byte[64 << 20]; // the two networks' arrays in different 2 MB blocks
        }

        HugePages.Enabled = was;
        string huge = File.Exists("/proc/self/smaps_rollup") ? File.ReadLines("/proc/self/smaps_rollup").FirstOrDefault(l => l.StartsWith("AnonHugePages", StringComparison.Ordinal)) ?? "?" : "?";
        WorkloadOutput.Note($"W3-pages-ab: ms per step, 4 KB pages (as allocated) against 2 MB pages asked for ({HugePages.Marked} arrays marked; the process's {huge.Replace("  ", string.Empty, StringComparison.Ordinal)})");
        var steps = new List<double>[2] { [], [] };
        int faster = 0;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            var ticks = new long[2];
            var lossSums = new double[2];
            for (int b = 0; b < inputs.Length; b++)
            {
                for (int k = 0; k < 2; k++)
                {
                    int n = (k + b + epoch) & 1;
                    long start = Stopwatch.GetTimestamp();
                    lossSums[n] += networks[n].TrainStep(inputs[b], targets[b], loss, optimizers[n]);
                    long elapsed = Stopwatch.GetTimestamp() - start;
                    ticks[n] += elapsed;
                    steps[n].Add(elapsed * 1e3 / Stopwatch.Frequency);
                }
            }

            faster += ticks[1] < ticks[0] ? 1 : 0;
            double Ms(long t) => t * 1e3 / Stopwatch.Frequency / inputs.Length;
            WorkloadOutput.Note($"epoch {epoch + 1}: 4K {Ms(ticks[0]):0.000} ms, 2M {Ms(ticks[1]):0.000} ms (2M/4K {(double)ticks[1] / ticks[0]:0.000}); mean losses {lossSums[0] / inputs.Length:0.000000} / {lossSums[1] / inputs.Length:0.000000}");
        }

        double Median(List<double> s) => s.Order().ElementAt(s.Count / 2);
        WorkloadOutput.Note($"2M faster in {faster} of {epochs} epochs");
        WorkloadOutput.Metric("W3-pages-ab", "small_pages_median_ms", Median(steps[0]));
        WorkloadOutput.Metric("W3-pages-ab", "large_pages_median_ms", Median(steps[1]));
    }
}
