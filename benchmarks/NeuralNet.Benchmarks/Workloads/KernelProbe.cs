using System.Diagnostics;
using System.Numerics;
using NeuralNet.Kernels;

namespace NeuralNet.Benchmarks.Workloads;

/// <summary>
/// <c>kernel-probe [f32|f64] [sq1024|sq2048|w3fwd|w3dW]</c>: where one core's time goes in a product of the gemm workload's
/// shapes, op(A) and op(B) as stored (run it pinned to one
/// core with <c>DOTNET_PROCESSOR_COUNT=1</c>, or it competes with the helper thread): the blocked driver's loop on the
/// calling thread, with packing op(B), packing op(A) and the multiply of the packed blocks timed apart, alternated product
/// by product (the order reversed each round; the host moves single runs by ±30 %) with variants:
/// <c>cInL1</c> multiplies every tile into one scratch tile instead of C (wrong values, the time without C's memory
/// traffic: the bound a better handling of C could reach), <c>fusedA</c> op(A) packed by the first panel's tiles
/// (<see cref="GemmDriver.PacksAInKernel"/>; its time is then in the multiply's), <c>mcN</c> and <c>ncN</c> other row and column blocks,
/// <c>run</c> the driver itself (<see cref="GemmDriver.Run{T}"/>, its phases not timed apart; <c>base</c> is C multiplied in
/// place at every depth block); suffixes <c>+p</c> (C's column stride padded by 16 elements), <c>+h</c> (C on transparent
/// huge pages, Linux's madvise) and <c>+H</c> (the packed blocks on huge pages).
/// <c>PROBE_VARIANTS</c> (default <c>base,cInL1</c>) and <c>PROBE_ROUNDS</c> (default 20) choose; it prints per variant
/// the median and best GFLOP/s, the phases' mean ms, and the median of the per-round ratio to the first variant.
/// </summary>
internal static unsafe class KernelProbe
{
    private static int s_ldc;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "madvise")]
    private static extern int Madvise(void* address, nuint length, int advice);

    /// <summary>Memory on transparent huge pages (2 MB; MADV_HUGEPAGE), zeroed.</summary>
    private static void* Huge(long bytes)
    {
        nuint size = (nuint)((bytes + (2 << 20) - 1) & ~((2L << 20) - 1));
        void* p = System.Runtime.InteropServices.NativeMemory.AlignedAlloc(size, 2 << 20);
        int rc = Madvise(p, size, 14);
        System.Runtime.InteropServices.NativeMemory.Clear(p, size);
        WorkloadOutput.Note($"huge: {size >> 20} MB, madvise {rc}");
        return p;
    }

    private const int NrMax = 12;

    private static void* s_hugeC, s_hugeA, s_hugeB;

    private static readonly int Rounds = int.TryParse(Environment.GetEnvironmentVariable("PROBE_ROUNDS"), out int r) && r > 0 ? r : 20;

    private static readonly string[] Variants = (Environment.GetEnvironmentVariable("PROBE_VARIANTS") ?? "base,cInL1").Split(',');

    public static void Run(IReadOnlyCollection<string> filters)
    {
        bool Selected(string name, string[] all) => !filters.Any(all.Contains) || filters.Contains(name);
        string[] types = ["f32", "f64"], sizes = ["sq1024", "sq2048", "w3fwd", "w3dW"];
        WorkloadOutput.Note($"kernel-probe: one core ({Environment.ProcessorCount} cores visible), {Rounds} rounds");
        foreach (string size in sizes.Where(s => Selected(s, sizes)))
        {
            (int m, int n, int k) = size switch { "sq1024" => (1024, 1024, 1024), "sq2048" => (2048, 2048, 2048), "w3fwd" => (256, 1024, 1024), _ => (1024, 1024, 256) };
            if (Selected("f32", types))
            {
                Shape<float>("f32 " + size, m, n, k);
            }

            if (Selected("f64", types))
            {
                Shape<double>("f64 " + size, m, n, k);
            }
        }
    }

    private static void Shape<T>(string name, int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] a = Fill<T>(m * k, 1), b = Fill<T>(k * n, 2), c = new T[(m + 16) * n];
        double flops = 2.0 * m * n * k;
        int v = Variants.Length;
        var totals = new List<double>[v];
        var parts = new double[v, 3];
        for (int i = 0; i < v; i++)
        {
            totals[i] = [];
        }

        if (Variants.Any(x => x.Contains("+h", StringComparison.OrdinalIgnoreCase)))
        {
            s_hugeC = Huge((long)(m + 16) * n * sizeof(T));
            s_hugeA = Huge(2L * GemmDriver.RowsPerBlock<T>() * GemmDriver.BlockDepth * sizeof(T));
            s_hugeB = Huge(2L * GemmDriver.BlockDepth * GemmDriver.RoundUp(GemmDriver.BlockColumns, NrMax) * sizeof(T));
        }

        fixed (T* pa = a, pb = b, pc = c)
        {
            Product(pa, pb, pc, m, n, k, new double[3], "base"); // warm-up
            for (int r = 0; r < Rounds; r++)
            {
                for (int j = 0; j < v; j++)
                {
                    int x = r % 2 == 0 ? j : v - 1 - j;
                    var t = new double[3];
                    long start = Stopwatch.GetTimestamp();
                    Product(pa, pb, pc, m, n, k, t, Variants[x]);
                    totals[x].Add(flops / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e9);
                    for (int i = 0; i < 3; i++)
                    {
                        parts[x, i] += t[i] * 1e3 / Rounds;
                    }
                }
            }
        }

        for (int x = 0; x < v; x++)
        {
            var ratios = Enumerable.Range(0, Rounds).Select(r => totals[x][r] / totals[0][r]).Order().ToList();
            var sorted = totals[x].Order().ToList();
            string paired = x == 0 ? string.Empty : string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"; / {Variants[0]} per round: median {ratios[Rounds / 2]:0.000}, quartiles {ratios[Rounds / 4]:0.000}-{ratios[3 * Rounds / 4]:0.000}, faster in {ratios.Count(q => q > 1)} of {Rounds}");
            WorkloadOutput.Note($"{name} {Variants[x],-7}: median {sorted[Rounds / 2]:0.0} best {sorted[^1]:0.0} GFLOP/s; mean ms: pack B {parts[x, 0]:0.00}, pack A {parts[x, 1]:0.00}, multiply {parts[x, 2]:0.00}{paired}");
        }
    }

    /// <summary>GemmDriver.Run's loop (no transposes, C overwritten), each phase's seconds added to <paramref name="t"/>.</summary>
    private static void Product<T>(T* a, T* b, T* c, int m, int n, int k, double[] t, string variant)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        GemmKernel kernel = GemmKernels.Best;
        bool hugeC = variant.Contains("+h", StringComparison.Ordinal), hugeAB = variant.Contains("+H", StringComparison.Ordinal);
        variant = variant.Replace("+h", string.Empty, StringComparison.Ordinal).Replace("+H", string.Empty, StringComparison.Ordinal);
        if (hugeC)
        {
            c = (T*)s_hugeC;
        }

        s_ldc = variant.EndsWith("+p", StringComparison.Ordinal) ? m + 16 : m;
        variant = variant.Replace("+p", string.Empty, StringComparison.Ordinal);
        int mr = GemmKernels.RowsPerTile<T>(kernel), nr = GemmKernels.ColumnsPerTile(kernel);
        int ncLimit = variant.StartsWith("nc", StringComparison.Ordinal) ? int.Parse(variant[2..], System.Globalization.CultureInfo.InvariantCulture) : GemmDriver.BlockColumns;
        int mcLimit = variant.StartsWith("mc", StringComparison.Ordinal) ? int.Parse(variant[2..], System.Globalization.CultureInfo.InvariantCulture)
            : GemmDriver.RowsPerBlock<T>();
        bool cInL1 = variant == "cInL1";
        int blockColumns = GemmDriver.Balanced(n, GemmDriver.RoundUp(ncLimit, nr), nr);
        int blockDepth = GemmDriver.Balanced(k, GemmDriver.BlockDepth, 1);
        int blockRows = GemmDriver.Balanced(m, mcLimit, mr);
        if (variant == "run")
        {
            // The driver itself (its phases not timed apart).
            GemmDriver.Run(kernel, false, false, m, n, k, a, m, b, k, c, s_ldc, accumulate: false);
            return;
        }

        T* packedA = PackingBuffers<T>.A(blockRows * blockDepth);
        T* packedB = PackingBuffers<T>.B(blockDepth * GemmDriver.RoundUp(blockColumns, nr));
        T* tile = PackingBuffers<T>.Tile(2 * mr * nr); // a tile and, for cInL1, the edge scratch after it
        if (hugeAB)
        {
            packedA = (T*)s_hugeA;
            packedB = (T*)s_hugeB;
        }

        for (int jc = 0; jc < n; jc += blockColumns)
        {
            int nc = Math.Min(blockColumns, n - jc);
            for (int pc = 0; pc < k; pc += blockDepth)
            {
                int kc = Math.Min(blockDepth, k - pc);
                long t0 = Stopwatch.GetTimestamp();
                GemmPacking.PackB(false, b + pc + ((nint)jc * k), k, kc, nc, nr, packedB);
                t[0] += Stopwatch.GetElapsedTime(t0).TotalSeconds;
                for (int ic = 0; ic < m; ic += blockRows)
                {
                    int mc = Math.Min(blockRows, m - ic);
                    long t1 = Stopwatch.GetTimestamp();
                    bool fused = variant == "fusedA" && GemmDriver.PacksAInKernel(kernel, false, mc, nc, mr, nr);

                    if (!fused)
                    {
                        GemmPacking.PackA(false, a + ic + ((nint)pc * m), m, mc, kc, mr, packedA);
                    }

                    long t2 = Stopwatch.GetTimestamp();
                    if (fused)
                    {
                        GemmDriver.MultiplyBlock(kernel, mc, nc, kc, mr, nr, packedA, packedB, c + ic + ((nint)jc * s_ldc), s_ldc, pc > 0, tile, a + ic + ((nint)pc * m), m);
                    }
                    else if (cInL1)
                    {
                        // Every tile into the one scratch tile, ldc = mr: the multiply without C's memory traffic.
                        for (int jr = 0; jr < nc; jr += nr)
                        {
                            for (int ir = 0; ir < mc; ir += mr)
                            {
                                GemmDriver.MultiplyBlock(kernel, mr, Math.Min(nr, nc - jr), kc, mr, nr, packedA + (ir * kc), packedB + (jr * kc), tile, mr, pc > 0, tile + (mr * nr));
                            }
                        }
                    }
                    else
                    {
                        GemmDriver.MultiplyBlock(kernel, mc, nc, kc, mr, nr, packedA, packedB, c + ic + ((nint)jc * s_ldc), s_ldc, pc > 0, tile);
                    }

                    t[1] += Stopwatch.GetElapsedTime(t1, t2).TotalSeconds;
                    t[2] += Stopwatch.GetElapsedTime(t2).TotalSeconds;
                }
            }
        }
    }

    private static T[] Fill<T>(int length, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var values = new T[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = T.CreateChecked(random.NextDouble() - 0.5);
        }

        return values;
    }
}
