using System.Diagnostics;
using System.Numerics;
using NeuralNet.Kernels;

namespace NeuralNet.Benchmarks.Workloads;

/// <summary>
/// <c>w2-dw-ab [epochs]</c>: W2's training with the products of a short depth (the first layer's weight gradient, 128 × 784
/// of depth 64) packed in two strips or multiplied without packing in two halves of their columns
/// (<see cref="WorkSplit.DirectAtShortDepth"/>), taking turns in blocks of 32 steps (<see cref="FashionBlockAB"/>).
/// <c>w2-dw-ab products</c>: the product alone, float and double, op(A) transposed (as a layer's weight gradient reads
/// ∂L/∂Z) and as stored (the gemm workload's w2dW), the two ways alternating product by product in one process, the order
/// reversed each round. The same bits either way.
/// </summary>
internal static class DirectGradientAB
{
    private const int Rounds = 30, Repeats = 40;

    public static void Run(string? mode)
    {
        if (mode == "products")
        {
            Products<float>();
            Products<double>();
            return;
        }

        int epochs = int.TryParse(mode, out int e) ? e : 8;
        FashionBlockAB.Run("W2-dw-ab", ["packed", "direct"], _ => way => WorkSplit.DirectAtShortDepth = way == 1, block: 32, epochs);
    }

    private static void Products<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int M = 128, N = 784, K = 64;
        T[] a = Fill<T>(M * K, 1), b = Fill<T>(K * N, 2), c = new T[M * N];
        foreach (bool transposeA in new[] { true, false })
        {
            var times = new[] { new List<double>(), new List<double>() };
            var ratios = new List<double>();
            for (int round = 0; round < Rounds; round++)
            {
                var t = new double[2];
                for (int i = 0; i < 2; i++)
                {
                    int way = (round + i) % 2;
                    WorkSplit.DirectAtShortDepth = way == 1;
                    Gemm.Multiply<T>(transposeA, false, M, N, K, a, transposeA ? K : M, b, K, c, M, accumulate: false); // warm
                    long t0 = Stopwatch.GetTimestamp();
                    for (int r = 0; r < Repeats; r++)
                    {
                        Gemm.Multiply<T>(transposeA, false, M, N, K, a, transposeA ? K : M, b, K, c, M, accumulate: false);
                    }

                    t[way] = (Stopwatch.GetTimestamp() - t0) * 1e6 / Stopwatch.Frequency / Repeats;
                    times[way].Add(t[way]);
                }

                ratios.Add(t[1] / t[0]);
            }

            WorkSplit.DirectAtShortDepth = true;
            string name = $"{(typeof(T) == typeof(float) ? "f32" : "f64")} {M}x{N}x{K} op(A) {(transposeA ? "transposed" : "as stored")}";
            WorkloadOutput.Note($"{name}: packed {Median(times[0]):0.0} µs, direct {Median(times[1]):0.0} µs; direct / packed per round: median {Median(ratios):0.000}, faster in {ratios.Count(r => r < 1)} of {Rounds}");
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private static T[] Fill<T>(int length, uint seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = new T[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = T.CreateTruncating(DeterministicNumbers.U(seed, (uint)i) - 0.5);
        }

        return values;
    }
}
