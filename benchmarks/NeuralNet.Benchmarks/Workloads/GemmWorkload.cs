using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using NeuralNet.Kernels;

namespace NeuralNet.Benchmarks.Workloads;

/// <summary>
/// The gemm micro-benchmark: C = A·B (column-major, no transposes), float32 and float64, the spec's six shapes, best of
/// 5 samples of ~2 GFLOP. Optional filters (<c>gemm f32 sq2048 w3dW</c>) run only the matching types and shapes, for
/// alternating A/B runs; shapes named <c>MxNxK</c> (C is m × n, depth k: <c>gemm f32 1024x10x256</c>) run instead of the
/// spec's.
/// </summary>
internal static class GemmWorkload
{
    public static readonly (string Label, int M, int K, int N)[] Shapes =
    [
        ("sq1024", 1024, 1024, 1024), ("sq2048", 2048, 2048, 2048), ("w2fwd", 64, 784, 128),
        ("w2dW", 128, 64, 784), ("w3fwd", 256, 1024, 1024), ("w3dW", 1024, 256, 1024),
    ];

    /// <summary>Timed samples per shape (the spec's 5; <c>NEURALNET_GEMM_SAMPLES</c> sets more, e.g. for a profile of the timed loop alone).</summary>
    private static readonly int Samples = int.TryParse(Environment.GetEnvironmentVariable("NEURALNET_GEMM_SAMPLES"), out int samples) && samples > 0 ? samples : 5;

    public static void Run(IReadOnlyCollection<string> filters)
    {
        WorkloadOutput.Note($"gemm kernel {GemmKernels.Best}, {Environment.ProcessorCount} cores");
        bool Selected(string name, string[] all) => !filters.Any(all.Contains) || filters.Contains(name);
        var custom = filters.Select(f => f.Split('x')).Where(p => p.Length == 3 && p.All(x => int.TryParse(x, out _)))
            .Select(p => (Label: string.Join('x', p), M: int.Parse(p[0], CultureInfo.InvariantCulture), K: int.Parse(p[2], CultureInfo.InvariantCulture), N: int.Parse(p[1], CultureInfo.InvariantCulture)))
            .ToArray();
        var shapes = custom.Length > 0 ? custom : Shapes;
        string[] types = ["f32", "f64"], labels = shapes.Select(s => s.Label).ToArray();
        foreach ((string label, int m, int k, int n) in shapes.Where(s => Selected("f32", types) && Selected(s.Label, labels)))
        {
            Measure<float>("f32", label, m, k, n);
        }

        foreach ((string label, int m, int k, int n) in shapes.Where(s => Selected("f64", types) && Selected(s.Label, labels)))
        {
            Measure<double>("f64", label, m, k, n);
        }
    }

    private static void Measure<T>(string type, string label, int m, int k, int n)
        where T : struct, IFloatingPointIeee754<T>
    {
        var random = new RandomSource(42);
        T[] a = Normal<T>(m * k, random), b = Normal<T>(k * n, random), c = new T[m * n];
        double flops = 2.0 * m * k * n;
        int repeats = (int)Math.Max(1, 2e9 / flops);
        Gemm.Multiply<T>(false, false, m, n, k, a, m, b, k, c, m, accumulate: false); // warm-up
        double best = double.MaxValue;
        var samples = new List<string>();
        long handOffs = SecondCore.HandOffs, takenBack = SecondCore.TakenBack, waits = SecondCore.WaitTicks, steal = StealTicks();
        for (int sample = 0; sample < Samples; sample++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int r = 0; r < repeats; r++)
            {
                Gemm.Multiply<T>(false, false, m, n, k, a, m, b, k, c, m, accumulate: false);
            }

            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds / repeats;
            best = Math.Min(best, seconds);
            samples.Add(string.Create(CultureInfo.InvariantCulture, $"{flops / seconds / 1e9:0}"));
        }

        WorkloadOutput.Metric($"gemm_{type}_{label}", "gflops", flops / best / 1e9);
        WorkloadOutput.Note($"gemm_{type}_{label}: samples (GFLOP/s) {string.Join(' ', samples)}; hand-offs {SecondCore.HandOffs - handOffs}, taken back {SecondCore.TakenBack - takenBack}, caller waited {Stopwatch.GetElapsedTime(0, SecondCore.WaitTicks - waits).TotalMilliseconds:0.0} ms, host steal {StealTicks() - steal} ticks");
    }

    /// <summary>The machine's steal time so far (<c>/proc/stat</c>, clock ticks; time the host gave the virtual CPUs to others), -1 when unknown.</summary>
    private static long StealTicks()
    {
        try
        {
            string[] fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields.Length > 8 ? long.Parse(fields[8], CultureInfo.InvariantCulture) : -1;
        }
        catch (IOException)
        {
            return -1;
        }
    }

    private static T[] Normal<T>(int length, RandomSource random)
        where T : struct, IFloatingPointIeee754<T>
    {
        var values = new T[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = T.CreateChecked(random.NextGaussian());
        }

        return values;
    }
}
