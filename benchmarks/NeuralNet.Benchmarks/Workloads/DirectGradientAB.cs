using System.Diagnostics;
using System.Numerics;
using NeuralNet.Kernels;

namespace NeuralNet.Benchmarks.Workloads;

/// <summary>
/// <c>w2-dw-ab [epochs] [batch]</c>: W2's training (batches of 64, or <c>batch</c>) with the products of 65 to 128 rows (the first layer's weight gradient, 128 × 784
/// of depth 64) packed in strips, as at the limit of 64 rows before, or multiplied without packing in two halves of their
/// columns (<see cref="WorkSplit.DirectRows"/>), taking turns in blocks of 32 steps (<see cref="FashionBlockAB"/>).
/// <c>w2-dw-ab products [MxNxK ...]</c>: products alone, float and double, op(A) transposed (as a layer's weight gradient
/// reads ∂L/∂Z) and as stored, packed in strips (<see cref="ParallelGemm{T}.Run(GemmKernel, bool, bool, int, int, int, T*, int, T*, int, T*, int, bool)"/>)
/// against two halves without packing (<see cref="ParallelGemm{T}.RunDirect"/>) whatever the rule would choose, alternating
/// product by product in one process, the order reversed each round (default shapes: W2's weight gradient over batches of
/// 64, 128 and 256). <c>w2-dw-ab halves MxNxK ...</c>: one core's half of a forward product cut along its depth
/// (<c>X·Wᵀ</c>, <see cref="WorkSplit.DirectHalves"/>), packed against without packing. The same bits either way.
/// </summary>
internal static class DirectGradientAB
{
    private const int Rounds = 30, Repeats = 40;

    public static void Run(string[] args)
    {
        if (args.FirstOrDefault() == "halves")
        {
            foreach (string shape in args[1..])
            {
                int[] mnk = shape.Split('x').Select(int.Parse).ToArray();
                Halves<float>(mnk[0], mnk[1], mnk[2]);
                Halves<double>(mnk[0], mnk[1], mnk[2]);
            }

            return;
        }

        if (args.FirstOrDefault() == "products")
        {
            string[] shapes = args.Length > 1 ? args[1..] : ["128x784x64", "128x784x128", "128x784x256"];
            foreach (string shape in shapes)
            {
                int[] mnk = shape.Split('x').Select(int.Parse).ToArray();
                Products<float>(mnk[0], mnk[1], mnk[2]);
                Products<double>(mnk[0], mnk[1], mnk[2]);
            }

            return;
        }

        int epochs = int.TryParse(args.FirstOrDefault(), out int e) ? e : 8;
        int batch = int.TryParse(args.ElementAtOrDefault(1), out int b) ? b : FashionWorkload.BatchSize;
        FashionBlockAB.Run("W2-dw-ab", ["packed", "direct"], _ => way => WorkSplit.DirectRows = way == 1 ? 128 : 64, block: 32, epochs, batch);
    }

    private static unsafe void Products<T>(int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] a = Fill<T>(m * k, 1), b = Fill<T>(k * n, 2), c = new T[m * n];
        fixed (T* pa = a, pb = b, pc = c)
        {
            foreach (bool transposeA in new[] { true, false })
            {
                int lda = transposeA ? k : m;
                var times = new[] { new List<double>(), new List<double>() };
                var ratios = new List<double>();
                for (int warm = 0; warm < 100; warm++) // both paths compiled by the optimizing JIT before any round is timed
                {
                    ParallelGemm<T>.RunDirect(transposeA, false, m, n, k, pa, lda, pb, k, pc, m, accumulate: false);
                    ParallelGemm<T>.Run(GemmKernels.Best, transposeA, false, m, n, k, pa, lda, pb, k, pc, m, accumulate: false);
                }

                for (int round = 0; round < Rounds; round++)
                {
                    var t = new double[2];
                    for (int i = 0; i < 2; i++)
                    {
                        int way = (round + i) % 2;
                        long t0 = 0;
                        for (int r = -1; r < Repeats; r++) // the first one brings the operands into this way's caches
                        {
                            if (r == 0)
                            {
                                t0 = Stopwatch.GetTimestamp();
                            }

                            if (way == 1)
                            {
                                ParallelGemm<T>.RunDirect(transposeA, false, m, n, k, pa, lda, pb, k, pc, m, accumulate: false);
                            }
                            else
                            {
                                ParallelGemm<T>.Run(GemmKernels.Best, transposeA, false, m, n, k, pa, lda, pb, k, pc, m, accumulate: false);
                            }
                        }

                        t[way] = (Stopwatch.GetTimestamp() - t0) * 1e6 / Stopwatch.Frequency / Repeats;
                        times[way].Add(t[way]);
                    }

                    ratios.Add(t[1] / t[0]);
                }

                string name = $"{(typeof(T) == typeof(float) ? "f32" : "f64")} {m}x{n}x{k} op(A) {(transposeA ? "transposed" : "as stored")}";
                WorkloadOutput.Note($"{name}: packed {Median(times[0]):0.0} µs, direct {Median(times[1]):0.0} µs; direct / packed per round: median {Median(ratios):0.000}, faster in {ratios.Count(r => r < 1)} of {Rounds}");
            }
        }
    }

    private static unsafe void Halves<T>(int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] a = Fill<T>(m * k, 1), b = Fill<T>(k * n, 2), c = new T[m * n];
        fixed (T* pa = a, pb = b, pc = c)
        {
            var times = new[] { new List<double>(), new List<double>() };
            var ratios = new List<double>();
            for (int warm = 0; warm < 100; warm++)
            {
                DirectGemm.Run(false, true, m, n, k, pa, m, pb, n, pc, m, accumulate: true);
                GemmDriver.Run(GemmKernels.Best, false, true, m, n, k, pa, m, pb, n, pc, m, accumulate: true);
            }

            for (int round = 0; round < Rounds; round++)
            {
                var t = new double[2];
                for (int i = 0; i < 2; i++)
                {
                    int way = (round + i) % 2;
                    long t0 = Stopwatch.GetTimestamp();
                    for (int r = 0; r < Repeats; r++)
                    {
                        if (way == 1)
                        {
                            DirectGemm.Run(false, true, m, n, k, pa, m, pb, n, pc, m, accumulate: true);
                        }
                        else
                        {
                            GemmDriver.Run(GemmKernels.Best, false, true, m, n, k, pa, m, pb, n, pc, m, accumulate: true);
                        }
                    }

                    t[way] = (Stopwatch.GetTimestamp() - t0) * 1e6 / Stopwatch.Frequency / Repeats;
                    times[way].Add(t[way]);
                }

                ratios.Add(t[1] / t[0]);
            }

            WorkloadOutput.Note($"{(typeof(T) == typeof(float) ? "f32" : "f64")} {m}x{n}x{k} X·Wt one core: packed {Median(times[0]):0.0} µs, direct {Median(times[1]):0.0} µs; direct / packed per round: median {Median(ratios):0.000}, faster in {ratios.Count(r => r < 1)} of {Rounds}");
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
