using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Kernels;

namespace NeuralNet.Benchmarks.Workloads;

/// <summary>
/// <c>check-ab</c>: the training step's finiteness check of W3's batches (256 × 1024 floats, cycling through the 32 MB data
/// set, so each batch comes from memory as in the step) on one core against both (<see cref="SharedAllFinite{T}"/>),
/// alternating batch by batch, the order swapped every round.
/// </summary>
internal static class CheckAB
{
    public static void Run(int rounds)
    {
        (Matrix<float>[] inputs, _) = WideWorkload.Data();
        var samples = new List<double>[2] { [], [] };
        bool all = true;
        for (int round = 0; round <= rounds; round++)
        {
            for (int b = 0; b < inputs.Length; b++)
            {
                int mode = (b + round) & 1; // 0 both cores, 1 one core
                float[] x = DenseStorage.Of(inputs[b]);
                long start = Stopwatch.GetTimestamp();
                bool finite = mode == 0 && SharedAllFinite<float>.TryRun(x, out bool shared) ? shared : Elementwise.AllFinite<float>(x);
                double us = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                all &= finite;
                if (round > 0)
                {
                    samples[mode].Add(us);
                }
            }
        }

        double Median(List<double> s) => s.Order().ElementAt(s.Count / 2);
        WorkloadOutput.Note($"check-ab: all finite {all}; µs per batch, both cores median {Median(samples[0]):0.0} (mean {samples[0].Average():0.0}), one core median {Median(samples[1]):0.0} (mean {samples[1].Average():0.0})");
        WorkloadOutput.Metric("check-ab", "both_median_us", Median(samples[0]));
        WorkloadOutput.Metric("check-ab", "one_median_us", Median(samples[1]));
    }
}
