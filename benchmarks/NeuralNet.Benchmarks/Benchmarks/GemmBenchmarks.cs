using System.Numerics;
using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Benchmarks.Workloads;
using NeuralNet.Kernels;

namespace NeuralNet.Benchmarks.Benchmarks;

/// <summary>C = A·B on the GEMM shapes of WORKLOADS.md: NeuralNet's kernel against MathNet's own <c>Multiply</c> (managed provider) as the baseline.</summary>
/// <typeparam name="T">float or double.</typeparam>
[MemoryDiagnoser]
[GenericTypeArguments(typeof(float))]
[GenericTypeArguments(typeof(double))]
public class GemmBenchmarks<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private Matrix<T> _a = null!, _b = null!, _c = null!;
    private int _m, _k, _n;

    /// <summary>The shape's label in WORKLOADS.md (sq2048 is left out: MathNet takes seconds per product there; the gemm workload measures it).</summary>
    [Params("w2fwd", "w2dW", "w3fwd", "w3dW", "sq1024")]
    public string Shape { get; set; } = "w2fwd";

    [GlobalSetup]
    public void Setup()
    {
        (_, _m, _k, _n) = GemmWorkload.Shapes.Single(s => s.Label == Shape);
        var random = new RandomSource(42);
        _a = Matrix<T>.Build.Dense(_m, _k, (_, _) => T.CreateChecked(random.NextGaussian()));
        _b = Matrix<T>.Build.Dense(_k, _n, (_, _) => T.CreateChecked(random.NextGaussian()));
        _c = Matrix<T>.Build.Dense(_m, _n);
    }

    [Benchmark(Baseline = true)]
    public void MathNet() => _a.Multiply(_b, _c);

    [Benchmark]
    public void NeuralNet()
        => Gemm.Multiply<T>(false, false, _m, _n, _k, DenseStorage.Of(_a), _m, DenseStorage.Of(_b), _k, DenseStorage.Of(_c), _m, accumulate: false);
}
