using System.Diagnostics;
using NeuralNet.Kernels;

namespace NeuralNet.Benchmarks.Workloads;

/// <summary>
/// <c>shared-ab [f64]</c>: the ways of sharing one large product between the cores, alternated in one process on the same
/// operands, the order reversed each round (the host moves single runs by ±30 %, so only alternation compares them):
/// shared packed blocks (<see cref="SharedBlockGemm{T}"/>) against op(A) packed once and column groups claimed
/// (<see cref="ColumnGroupGemm{T}"/>), at W3's shapes; for the forward product also with Z filled with the bias first
/// (as before) or inside the product. Prints, per shape and path, the median and best GFLOP/s over the rounds.
/// </summary>
internal static unsafe class SharedPathsAB
{
    private const int Rounds = 15, Repeats = 6;

    public static void Run(bool dbl)
    {
        string? rows = Environment.GetEnvironmentVariable("NEURALNET_ROWS_AB");
        if (rows is not null)
        {
            OwnRows(rows);
            return;
        }

        if (dbl)
        {
            Shapes<double>();
        }
        else
        {
            Shapes<float>();
        }
    }

    private static void Shapes<T>()
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        (string Name, bool Ta, bool Tb, int M, int N, int K)[] shapes =
        [
            ("fwd b + X·Wt 256x1024x1024", false, true, 256, 1024, 1024),
            ("NN 256x1024x1024 (w3fwd, dX)", false, false, 256, 1024, 1024),
            ("dW dZt·X 1024x1024x256", true, false, 1024, 1024, 256),
            ("NN 1024x1024x256 (w3dW)", false, false, 1024, 1024, 256),
            ("NN 1024x1024x1024 (sq1024)", false, false, 1024, 1024, 1024),
        ];
        string type = typeof(T) == typeof(float) ? "f32" : "f64";
        foreach (var s in shapes)
        {
            T[] a = Fill<T>(s.M * s.K, 1), b = Fill<T>(s.K * s.N, 2), c = new T[s.M * s.N], bias = Fill<T>(s.N, 3);
            int lda = s.Ta ? s.K : s.M, ldb = s.Tb ? s.N : s.K;
            bool forward = s.Tb;
            string[] names = forward
                ? ["blocks, fill first", "groups, fill first", "groups, fill inside"]
                : ["shared blocks", "column groups"];
            int variants = names.Length;
            var times = new List<double>[variants];
            for (int v = 0; v < variants; v++)
            {
                times[v] = [];
            }

            fixed (T* pa = a, pb = b, pc = c, pv = bias)
            {
                T* xa = pa, xb = pb, xc = pc, xv = pv;
                void Product(int path)
                {
                    if (forward && path < 2)
                    {
                        Gemm.FillColumns(xc, s.M, s.M, s.N, xv);
                    }

                    SpinWait.SpinUntil(SecondCore.TryReserve);
                    if (path == 0)
                    {
                        SharedBlockGemm<T>.Run(GemmKernels.Best, s.Ta, s.Tb, s.M, s.N, s.K, xa, lda, xb, ldb, xc, s.M, forward);
                    }
                    else
                    {
                        ColumnGroupGemm<T>.Run(GemmKernels.Best, s.Ta, s.Tb, s.M, s.N, s.K, xa, lda, xb, ldb, xc, s.M, forward && path == 1, forward && path >= 2 ? xv : null);
                    }
                }

                for (int round = 0; round < Rounds; round++)
                {
                    for (int i = 0; i < variants; i++)
                    {
                        int path = (round & 1) == 0 ? i : variants - 1 - i;
                        Product(path);
                        long t0 = Stopwatch.GetTimestamp();
                        for (int r = 0; r < Repeats; r++)
                        {
                            Product(path);
                        }

                        times[path].Add(Stopwatch.GetElapsedTime(t0).TotalSeconds / Repeats);
                    }
                }
            }

            double flops = 2.0 * s.M * s.N * s.K;
            for (int path = 0; path < variants; path++)
            {
                times[path].Sort();
                WorkloadOutput.Note($"{type} {s.Name,-30} {names[path],-22} {flops / times[path][Rounds / 2] / 1e9,6:0.0} median {flops / times[path][0] / 1e9,6:0.0} best GFLOP/s");
            }
        }
    }

    /// <summary>
    /// <c>NEURALNET_ROWS_AB=f64sq2048,f32sq1024,f64w3dW shared-ab</c> (a name ending <c>nt</c> reads op(B) transposed, one ending
    /// <c>tn</c> op(A); <c>sq2048w3dW</c> is 2048 × 2048 × 256): <see cref="SharedBlockGemm{T}"/> with each block of op(A)
    /// shared (<c>shared</c>) against own row blocks (<c>own</c>; <c>own-packed</c> with op(A) packed in a pass of its own, not by
    /// the first panel's tiles: <see cref="GemmDriver.PacksAInKernel"/>), column groups (<c>groups</c>; <c>groups-packed</c> with
    /// each piece of op(A) packed in a pass of its own) and one core (<c>one</c>) when <c>NEURALNET_AB_VARIANTS</c>
    /// names it, alternating product by product (<c>NEURALNET_AB_ROUNDS</c> rounds, 30 by default, the order rotated each
    /// round); prints each variant's median and best GFLOP/s and its speed against the first variant, round by round.
    /// </summary>
    private static void OwnRows(string list)
    {
        foreach (string name in list.Split(','))
        {
            int size = name.Contains("sq2048", StringComparison.Ordinal) ? 2048 : 1024;
            int depth = name.Contains("w3dW", StringComparison.Ordinal) ? 256 : size;
            int rows = name.Contains("w3fwd", StringComparison.Ordinal) ? 256 : size;
            if (name.StartsWith("f64", StringComparison.Ordinal))
            {
                OwnRows<double>(name, rows, size, depth);
            }
            else
            {
                OwnRows<float>(name, rows, size, depth);
            }
        }
    }

    private static void OwnRows<T>(string name, int m, int n, int k)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        bool tb = name.EndsWith("nt", StringComparison.Ordinal); // op(B) stored transposed, as a layer's forward product reads its weights
        bool ta = name.EndsWith("tn", StringComparison.Ordinal); // op(A) stored transposed, as a layer's weight gradient reads ∂L/∂Z
        int ldb = tb ? n : k, lda = ta ? k : m;
        int rounds = int.TryParse(Environment.GetEnvironmentVariable("NEURALNET_AB_ROUNDS"), out int r0) ? r0 : 30;
        string[] variants = (Environment.GetEnvironmentVariable("NEURALNET_AB_VARIANTS") ?? "shared,own").Split(',');
        T[] a = Fill<T>(m * k, 1), b = Fill<T>(k * n, 2), c = new T[m * n], check = new T[m * n];
        var times = new double[variants.Length][];
        var waits = new double[variants.Length];
        for (int v = 0; v < variants.Length; v++)
        {
            times[v] = new double[rounds];
        }

        fixed (T* xa = a, xb = b, xc = c, pk = check)
        {
            T* pa = xa, pb = xb, pc = xc;
            GemmDriver.Run(GemmKernels.Best, ta, tb, m, n, k, pa, lda, pb, ldb, pk, m, accumulate: false);
            void One(int v)
            {
                if (variants[v] == "one")
                {
                    GemmDriver.Run(GemmKernels.Best, ta, tb, m, n, k, pa, lda, pb, ldb, pc, m, false);
                    return;
                }

                SpinWait.SpinUntil(SecondCore.TryReserve);
                if (variants[v].StartsWith("groups", StringComparison.Ordinal))
                {
                    GemmDriver.PackingAInKernel = variants[v] != "groups-packed"; // op(A) packed in passes of their own
                    ColumnGroupGemm<T>.Run(GemmKernels.Best, ta, tb, m, n, k, pa, lda, pb, ldb, pc, m, false, null);
                    GemmDriver.PackingAInKernel = true;
                    return;
                }

                GemmDriver.PackingAInKernel = variants[v] != "own-packed"; // own row blocks with op(A) packed in a pass of its own
                SharedBlockGemm<T>.Run(GemmKernels.Best, ta, tb, m, n, k, pa, lda, pb, ldb, pc, m, false, variants[v].StartsWith("own", StringComparison.Ordinal));
                GemmDriver.PackingAInKernel = true;
            }

            for (int v = 0; v < variants.Length; v++)
            {
                One(v);
            }

            for (int round = 0; round < rounds; round++)
            {
                for (int i = 0; i < variants.Length; i++)
                {
                    int v = (round + i) % variants.Length;
                    v = (round / variants.Length % 2) == 0 ? v : variants.Length - 1 - v;
                    long t0 = Stopwatch.GetTimestamp(), w0 = SecondCore.WaitTicks;
                    One(v);
                    times[v][round] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
                    waits[v] += (SecondCore.WaitTicks - w0) / (double)Stopwatch.Frequency;
                }

                if (round == 0 && !c.AsSpan().SequenceEqual(check))
                {
                    throw new InvalidOperationException("a variant differs from one core");
                }
            }
        }

        double flops = 2.0 * m * n * k;
        static string F(double x) => x.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);
        for (int v = 0; v < variants.Length; v++)
        {
            var sorted = times[v].OrderBy(t => t).ToList();
            var ratios = times[0].Zip(times[v], (t0, tv) => t0 / tv).OrderBy(x => x).ToList();
            int faster = ratios.Count(x => x > 1);
            WorkloadOutput.Note($"{name} {variants[v],-6}: median {flops / sorted[rounds / 2] / 1e9:0.0} best {flops / sorted[0] / 1e9:0.0} GFLOP/s; speed / variant 0, per round: median {F(ratios[rounds / 2])} quartiles {F(ratios[rounds / 4])}-{F(ratios[3 * rounds / 4])}, faster in {faster} of {rounds}; caller waited {100 * waits[v] / times[v].Sum():0.0} %");
        }
    }

    private static T[] Fill<T>(int length, int seed)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var values = new T[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = T.CreateTruncating((random.NextDouble() * 2) - 1);
        }

        return values;
    }
}
