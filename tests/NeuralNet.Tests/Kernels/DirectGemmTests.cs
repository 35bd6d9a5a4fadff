using System.Numerics;
using NeuralNet.Kernels;
using Xunit;

namespace NeuralNet.Tests.Kernels;

/// <summary>
/// The unpacked path for products on one core (<see cref="DirectGemm"/>), with its Vector512 tiles and with its Vector256
/// ones, gives the packed Vector512 path's bits on every shape edge (rows past whole vectors, 1-8 columns a tile, depth
/// across blocks), every transpose, with and without accumulation, both element types; and writes nothing outside C.
/// </summary>
public class DirectGemmTests
{
    // (m, n, k): rows in whole pairs of vectors, a single vector, and masked rests (float 16 and double 8 a vector; 8 and 4
    // with Vector256 tiles, up to 6 columns each);
    // every tile width from 1 to 8 (n = 10 is two tiles of 5, n = 17 three of 6 and 5); depth 1, one block, and 300
    // (two balanced blocks of 150); W2's output layer: 64 × 10 × 128, 10 × 128 × 64 and 64 × 128 × 10.
    private static readonly (int M, int N, int K)[] Shapes =
    [
        (5, 1, 1), (16, 2, 3), (17, 3, 7), (31, 4, 16), (32, 5, 9), (33, 6, 2), (47, 7, 13), (48, 8, 5), (63, 9, 33),
        (64, 10, 128), (10, 128, 64), (64, 128, 10), (7, 17, 300), (40, 23, 300), (100, 33, 31), (9, 64, 40),
    ];

    public static TheoryData<bool, bool, bool> Cases()
    {
        var data = new TheoryData<bool, bool, bool>();
        foreach (bool transposeA in new[] { false, true })
        {
            foreach (bool transposeB in new[] { false, true })
            {
                foreach (bool accumulate in new[] { false, true })
                {
                    data.Add(transposeA, transposeB, accumulate);
                }
            }
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Run_GivesThePackedVector512PathsBits_AndWritesOnlyC(bool transposeA, bool transposeB, bool accumulate)
    {
        Skip.IfNot(DirectGemm.Wide, "no AVX-512 here: the Vector512 tiles never run (the next test covers the Vector256 ones)");

        Check<float>(transposeA, transposeB, accumulate, wide: true);
        Check<double>(transposeA, transposeB, accumulate, wide: true);
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Run_WithVector256Tiles_GivesThePackedVector512PathsBits_AndWritesOnlyC(bool transposeA, bool transposeB, bool accumulate)
    {
        // The tiles a processor with AVX2 and FMA but no AVX-512 runs: 2 vectors of 8 floats or 4 doubles × up to 6 columns.
        Skip.IfNot(System.Runtime.Intrinsics.X86.Fma.IsSupported, "no x86 FMA: the tiles would not give fused sums (and are never taken)");

        Check<float>(transposeA, transposeB, accumulate, wide: false);
        Check<double>(transposeA, transposeB, accumulate, wide: false);
    }

    [Fact]
    public void Takes_OnlyOneCoresProducts_AndATransposedAThatFitsTheScratchPanel()
    {
        if (!DirectGemm.Supported<float>())
        {
            Assert.False(DirectGemm.Takes<float>(false, 64, 10, 128));
            return;
        }

        Assert.True(DirectGemm.Takes<float>(false, 64, 10, 128));
        Assert.True(DirectGemm.Takes<float>(true, 10, 128, 64));
        Assert.False(DirectGemm.Takes<float>(false, 64, 128, 128)); // 2^20 multiply-adds: the packed path, on two cores
        Assert.False(DirectGemm.Takes<float>(true, 1000, 1, 1000)); // op(A) too large to transpose into the scratch panel
        Assert.Equal(DirectGemm.Wide, DirectGemm.Takes<double>(false, 64, 10, 128)); // doubles: only with the Vector512 tiles
    }

    private static unsafe void Check<T>(bool transposeA, bool transposeB, bool accumulate, bool wide)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ulong seed = 40;
        foreach ((int m, int n, int k) in Shapes)
        {
            (int aRows, int aColumns) = transposeA ? (k, m) : (m, k);
            (int bRows, int bColumns) = transposeB ? (n, k) : (k, n);
            int lda = aRows + 3, ldb = bRows + 1, ldc = m + 2; // rows of C's storage past m must keep their values
            T[] a = GemmTests.Fill<T>((lda * aColumns) - (lda - aRows), seed++); // the last column ends the array
            T[] b = GemmTests.Fill<T>((ldb * bColumns) - (ldb - bRows), seed++);
            T[] direct = GemmTests.Fill<T>((ldc * n) + 5, seed++);
            T[] packed = (T[])direct.Clone();
            fixed (T* pa = a, pb = b, pd = direct, pp = packed)
            {
                DirectGemm.Run(transposeA, transposeB, m, n, k, pa, lda, pb, ldb, pd, ldc, accumulate, wide);
                GemmDriver.Run(GemmKernel.Vector512, transposeA, transposeB, m, n, k, pa, lda, pb, ldb, pp, ldc, accumulate);
            }

            for (int i = 0; i < direct.Length; i++)
            {
                if (direct[i] != packed[i])
                {
                    Assert.Fail($"{typeof(T).Name} wide={wide} tA={transposeA} tB={transposeB} acc={accumulate} {m}×{n}×{k}: value {i} (C[{i % ldc},{i / ldc}]) is {direct[i]}, the packed path gives {packed[i]}");
                }
            }
        }
    }
}
