using System.Numerics;
using FluentAssertions;
using NeuralNet.Kernels;
using Xunit;

namespace NeuralNet.Tests.Kernels;

/// <summary>Every GEMM path and micro-kernel against the plain reference loops, on odd shapes, all transposes, both element types.</summary>
public class GemmTests
{
    // (m, n, k): ones and odd sizes hit every edge tile; 260 × 70 × 300 crosses the k and m blocks and
    // is split over two cores by rows; 129 × 1000 × 17 is split by columns; 33 × 2100 × 5 crosses a column block;
    // 530 × 19 × 300 and 520 × 2100 × 3 cross k and column blocks on two cores (SharedBlockGemmTests cover the
    // products large enough to share packed blocks).
    private static readonly (int M, int N, int K)[] Shapes =
    [
        (1, 1, 1), (1, 3, 17), (3, 1, 129), (17, 3, 1), (3, 17, 3), (17, 17, 17), (33, 9, 40),
        (129, 17, 3), (17, 129, 129), (129, 129, 17), (1000, 3, 17), (3, 1000, 3), (1, 129, 1000),
        (260, 70, 300), (129, 1000, 17), (33, 2100, 5), (530, 19, 300), (520, 2100, 3),
    ];

    // The kernel travels as its vector width (0 = the processor's best), GemmKernel being internal.
    public static TheoryData<int, bool, bool, bool> Cases()
    {
        var data = new TheoryData<int, bool, bool, bool>();
        foreach (int kernel in new[] { 0, 128, 256, 512 })
        {
            foreach (bool transposeA in new[] { false, true })
            {
                foreach (bool transposeB in new[] { false, true })
                {
                    foreach (bool accumulate in new[] { false, true })
                    {
                        data.Add(kernel, transposeA, transposeB, accumulate);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Multiply_Float_MatchesReference(int kernel, bool transposeA, bool transposeB, bool accumulate)
        => CheckAllShapes<float>((GemmKernel)kernel, transposeA, transposeB, accumulate, 1e-5);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Multiply_Double_MatchesReference(int kernel, bool transposeA, bool transposeB, bool accumulate)
        => CheckAllShapes<double>((GemmKernel)kernel, transposeA, transposeB, accumulate, 1e-13);

    [Fact]
    public void Multiply_WithAnOperandLargerThanTheCaches_MatchesReference()
    {
        // op(A) of 1100 × 1950 floats is 8.6 MB: the split over two cores then cuts C into halves only.
        const int m = 1100, n = 67, k = 1950;
        foreach (bool transposeA in new[] { false, true })
        {
            foreach (bool transposeB in new[] { false, true })
            {
                (int aRows, int aColumns) = transposeA ? (k, m) : (m, k);
                (int bRows, int bColumns) = transposeB ? (n, k) : (k, n);
                float[] a = Fill<float>(aRows * aColumns, 5), b = Fill<float>(bRows * bColumns, 6);
                float[] c = Fill<float>(m * n, 7);
                float[] expected = (float[])c.Clone();
                ReferenceGemm.Multiply<float>(transposeA, transposeB, m, n, k, a, aRows, b, bRows, expected, m, accumulate: true);
                Gemm.Multiply<float>(transposeA, transposeB, m, n, k, a, aRows, b, bRows, c, m, accumulate: true);
                MaxRelativeError(c, expected, a, b, m, n, k).Should().BeLessThan(1e-5, $"tA={transposeA} tB={transposeB}");
            }
        }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void MultiplySplitDepth_MatchesReference_AndGivesTheSameBitsWhetherOrNotTheSecondCoreHelps(bool transposeA, bool transposeB)
    {
        // W2's forward pass: 64 × 128, depth 784 cut at 392.
        const int m = 64, n = 128, k = 784, split = 392;
        (int aRows, int aColumns) = transposeA ? (k, m) : (m, k);
        (int bRows, int bColumns) = transposeB ? (n, k) : (k, n);
        float[] a = Fill<float>(aRows * aColumns, 8), b = Fill<float>(bRows * bColumns, 9), start = Fill<float>(m * n, 10);
        float[] expected = (float[])start.Clone();
        ReferenceGemm.Multiply<float>(transposeA, transposeB, m, n, k, a, aRows, b, bRows, expected, m, accumulate: true);

        float[] shared = (float[])start.Clone();
        Gemm.MultiplySplitDepth<float>(transposeA, transposeB, m, n, k, split, a, aRows, b, bRows, shared, m, accumulate: true);
        MaxRelativeError(shared, expected, a, b, m, n, k).Should().BeLessThan(1e-5);

        // With the helper thread held by someone else, the caller does both halves itself: the same bits.
        float[] alone = (float[])start.Clone();
        HeldSecondCore.While(() => Gemm.MultiplySplitDepth<float>(transposeA, transposeB, m, n, k, split, a, aRows, b, bRows, alone, m, accumulate: true));

        alone.Should().Equal(shared);
    }

    [Fact]
    public void Multiply_WithoutAccumulate_IgnoresWhatCHeld()
    {
        // BLAS semantics: with beta = 0, C is written, never read, so NaN in it must not leak.
        foreach ((int m, int n, int k) in Shapes)
        {
            float[] a = Fill<float>(m * k, 1), b = Fill<float>(k * n, 2);
            float[] c = Enumerable.Repeat(float.NaN, m * n).ToArray();
            Gemm.Multiply<float>(false, false, m, n, k, a, m, b, k, c, m, accumulate: false);
            c.Should().OnlyContain(v => float.IsFinite(v), $"C of {m}×{n} must be overwritten");
        }
    }

    [Fact]
    public void Multiply_TinyProductsThroughTheShortEntry_MatchTheReferenceAndTheDispatchedPath()
    {
        // The entry without a kernel sends tiny float and double products (m·n·k ≤ 512) straight to the plain loops:
        // on strided operands, every transpose, with and without accumulation, it must give the dispatched path's
        // bits and the reference's values.
        CheckTiny<float>(1e-6);
        CheckTiny<double>(1e-14);

        static void CheckTiny<T>(double tolerance)
            where T : struct, IFloatingPointIeee754<T>
        {
            ulong seed = 50;
            foreach ((int m, int n, int k) in new[] { (1, 4, 3), (4, 3, 1), (1, 3, 4), (4, 1, 1), (5, 7, 9), (8, 8, 8), (1, 1, 512) })
            {
                foreach (bool transposeA in new[] { false, true })
                {
                    foreach (bool transposeB in new[] { false, true })
                    {
                        foreach (bool accumulate in new[] { false, true })
                        {
                            (int aRows, int aColumns) = transposeA ? (k, m) : (m, k);
                            (int bRows, int bColumns) = transposeB ? (n, k) : (k, n);
                            int lda = aRows + 1, ldb = bRows + 2, ldc = m + 1;
                            T[] a = Fill<T>(lda * aColumns, seed++), b = Fill<T>(ldb * bColumns, seed++);
                            T[] c = Fill<T>(ldc * n, seed++);
                            T[] dispatched = (T[])c.Clone(), expected = (T[])c.Clone();
                            Gemm.Multiply<T>(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
                            Gemm.Multiply<T>(transposeA, transposeB, m, n, k, a, lda, b, ldb, dispatched, ldc, accumulate, GemmKernel.Auto);
                            ReferenceGemm.Multiply<T>(transposeA, transposeB, m, n, k, a, lda, b, ldb, expected, ldc, accumulate);
                            string because = $"{m}×{n}×{k} tA={transposeA} tB={transposeB} acc={accumulate}";
                            c.Should().Equal(dispatched, because);
                            for (int i = 0; i < c.Length; i++)
                            {
                                double.CreateChecked(T.Abs(c[i] - expected[i])).Should().BeLessThan(tolerance * k, because);
                            }
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void Multiply_WithZeroDepth_ClearsOrKeepsC()
    {
        double[] c = [1, 2, 3, 4];
        Gemm.Multiply<double>(false, false, 2, 2, 0, [], 2, [], 1, c, 2, accumulate: true);
        c.Should().Equal(1, 2, 3, 4);
        Gemm.Multiply<double>(false, false, 2, 2, 0, [], 2, [], 1, c, 2, accumulate: false);
        c.Should().Equal(0, 0, 0, 0);
    }

    [Fact]
    public void Multiply_WhenCalledFromManyThreads_GivesEachItsOwnResult()
    {
        // The packing buffers are per thread and the second core is shared: concurrent callers must not mix.
        const int m = 200, n = 150, k = 90;
        float[] a = Fill<float>(m * k, 3), b = Fill<float>(k * n, 4);
        float[] expected = new float[m * n];
        ReferenceGemm.Multiply<float>(false, false, m, n, k, a, m, b, k, expected, m, accumulate: false);
        Parallel.For(0, 8, _ =>
        {
            float[] c = new float[m * n];
            for (int repeat = 0; repeat < 5; repeat++)
            {
                Gemm.Multiply<float>(false, false, m, n, k, a, m, b, k, c, m, accumulate: false);
                MaxRelativeError(c, expected, a, b, m, n, k).Should().BeLessThan(1e-5);
            }
        });
    }

    private static void CheckAllShapes<T>(GemmKernel kernel, bool transposeA, bool transposeB, bool accumulate, double tolerance)
        where T : struct, IFloatingPointIeee754<T>
    {
        ulong seed = 10;
        foreach ((int m, int n, int k) in Shapes)
        {
            // Stored shapes with a leading dimension larger than the rows, to exercise the strides.
            (int aRows, int aColumns) = transposeA ? (k, m) : (m, k);
            (int bRows, int bColumns) = transposeB ? (n, k) : (k, n);
            int lda = aRows + 2, ldb = bRows + 1, ldc = m + 3;
            T[] a = Fill<T>(lda * aColumns, seed++), b = Fill<T>(ldb * bColumns, seed++);
            T[] c = Fill<T>(ldc * n, seed++);
            T[] expected = (T[])c.Clone();
            ReferenceGemm.Multiply<T>(transposeA, transposeB, m, n, k, a, lda, b, ldb, expected, ldc, accumulate);
            Gemm.Multiply<T>(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, kernel);

            for (int j = 0; j < n; j++)
            {
                for (int i = 0; i < ldc; i++)
                {
                    double got = double.CreateChecked(c[i + (j * ldc)]), want = double.CreateChecked(expected[i + (j * ldc)]);
                    double scale = k + Math.Abs(want) + 1; // |products| ≤ 1: rounding grows with k
                    if (i >= m ? got != want : Math.Abs(got - want) > tolerance * scale)
                    {
                        Assert.Fail($"{typeof(T).Name} {kernel} tA={transposeA} tB={transposeB} acc={accumulate} {m}×{n}×{k}: C[{i},{j}] = {got}, expected {want}");
                    }
                }
            }
        }
    }


    internal static double MaxRelativeError(float[] c, float[] expected, float[] a, float[] b, int m, int n, int k)
    {
        double worst = 0;
        for (int i = 0; i < c.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(c[i] - expected[i]) / (k + Math.Abs(expected[i])));
        }

        return worst;
    }

    internal static T[] Fill<T>(int length, ulong seed)
        where T : struct, IFloatingPointIeee754<T>
    {
        var random = new RandomSource(seed);
        var values = new T[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = T.CreateChecked((2 * random.NextDouble()) - 1);
        }

        return values;
    }
}
