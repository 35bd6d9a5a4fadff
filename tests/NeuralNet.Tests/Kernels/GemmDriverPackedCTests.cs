using System.Numerics;
using FluentAssertions;
using NeuralNet.Kernels;
using Xunit;

namespace NeuralNet.Tests.Kernels;

/// <summary>
/// The one-core driver keeps C in a packed copy between depth blocks from three blocks on (<see cref="GemmDriver.UsesPackedC"/>):
/// its results must be the bits of C multiplied in place (each depth block's sum added to C in turn), on shapes whose m, n
/// and k are not multiples of the tiles or blocks, with an odd and an even number of depth blocks, transposes, C adding
/// or overwritten, a padded C, and float and double.
/// </summary>
[Collection(nameof(SecondCoreHeld))]
public class GemmDriverPackedCTests
{
    [Theory]
    [MemberData(nameof(DirectGemmTests.Cases), MemberType = typeof(DirectGemmTests))]
    public void Float_ThreeToFiveDepthBlocks_GiveTheBitsOfCInPlace(bool transposeA, bool transposeB, bool accumulate)
    {
        // k = 700: three blocks of 234; 1100: five of 220; 1024: four of 256. 35 rows: a full tile and an edge; 530 rows: two
        // row blocks of floats; the last panel of 1, 4, 8 or 11 columns (scratch, narrow tiles, a full tile's edge).
        Check<float>(35, 37, 700, transposeA, transposeB, accumulate);
        Check<float>(GemmDriver.RowsPerBlock<float>() + 18, 20, 1100, transposeA, transposeB, accumulate);
        Check<float>(64, 28, 1024, transposeA, transposeB, accumulate);
        Check<float>(33, 25, 769, transposeA, transposeB, accumulate);
    }

    [Theory]
    [MemberData(nameof(DirectGemmTests.Cases), MemberType = typeof(DirectGemmTests))]
    public void Double_ThreeToFiveDepthBlocks_GiveTheBitsOfCInPlace(bool transposeA, bool transposeB, bool accumulate)
    {
        Check<double>(19, 35, 700, transposeA, transposeB, accumulate);
        Check<double>(GemmDriver.RowsPerBlock<double>() + 5, 32, 1100, transposeA, transposeB, accumulate);
        Check<double>(16, 12, 1024, transposeA, transposeB, accumulate);
    }

    [Fact]
    public void UsesPackedC_FromThreeDepthBlocksOfLargeVector512ProductsUpToTheCopysSize()
    {
        GemmDriver.UsesPackedC<float>(GemmKernel.Vector512, 2048, 2048, 3 * 256).Should().BeTrue();
        GemmDriver.UsesPackedC<double>(GemmKernel.Vector512, 256, 256, 1024).Should().BeTrue("2^26 multiply-adds over four depth blocks");
        GemmDriver.UsesPackedC<float>(GemmKernel.Vector512, 2048, 2048, 2 * 256).Should().BeFalse("with two blocks C is still read and written in place once each");
        GemmDriver.UsesPackedC<float>(GemmKernel.Vector512, 255, 256, 1024).Should().BeFalse("fewer multiply-adds than two cores share in blocks");
        GemmDriver.UsesPackedC<float>(GemmKernel.Vector512, 2048 + 1, 2048, 1024).Should().BeFalse("the copy is at most PackedCElements");
        GemmDriver.UsesPackedC<float>(GemmKernel.Vector256, 2048, 2048, 1024).Should().BeFalse();
        GemmDriver.PackedCElements.Should().Be(2048 * GemmDriver.RoundUp(GemmDriver.BlockColumns, MicroKernel512.Columns));
    }

    [Fact]
    public void Product_SharedByTwoCores_AllocatesNothingWhenTheSecondCoreIsBusy()
    {
        // Warm with the helper on time (the product in shared blocks: this thread's driver never ran it), then hold the second
        // core: the product falls back to the driver on this thread, whose packed copy of C was made on the first call.
        const int m = 256, n = 256, k = 1024;
        float[] a = GemmTests.Fill<float>(m * k, 61), b = GemmTests.Fill<float>(k * n, 62), c = new float[m * n];
        GemmDriver.UsesPackedC<float>(GemmKernels.Best, m, n, k).Should().Be(GemmKernels.Best == GemmKernel.Vector512);
        Gemm.Multiply<float>(false, false, m, n, k, a, m, b, k, c, m, accumulate: false);
        float[] expected = (float[])c.Clone();
        long allocated = -1;
        HeldSecondCore.While(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            Gemm.Multiply<float>(false, false, m, n, k, a, m, b, k, c, m, accumulate: false);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        });

        allocated.Should().Be(0);
        c.Should().Equal(expected, "the same bits on one core as on two");
    }

    /// <summary>C (column stride m + 3, the rows past m untouched) against each depth block's fused sum, from zero and in order, added to C in turn.</summary>
    private static unsafe void Check<T>(int m, int n, int k, bool transposeA, bool transposeB, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lda = (transposeA ? k : m) + 1, ldb = (transposeB ? n : k) + 2, ldc = m + 3;
        T[] a = GemmTests.Fill<T>(lda * (transposeA ? m : k), 51), b = GemmTests.Fill<T>(ldb * (transposeB ? k : n), 52);
        T[] c = GemmTests.Fill<T>(ldc * n, 53);
        var expected = (T[])c.Clone();
        int depth = GemmDriver.Balanced(k, GemmDriver.BlockDepth, 1);
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < m; i++)
            {
                T value = expected[(j * ldc) + i];
                for (int p0 = 0; p0 < k; p0 += depth)
                {
                    T sum = T.Zero;
                    for (int p = p0; p < Math.Min(k, p0 + depth); p++)
                    {
                        T x = transposeA ? a[(i * lda) + p] : a[(p * lda) + i];
                        T y = transposeB ? b[(p * ldb) + j] : b[(j * ldb) + p];
                        sum = T.FusedMultiplyAdd(x, y, sum);
                    }

                    value = p0 == 0 && !accumulate ? sum : value + sum;
                }

                expected[(j * ldc) + i] = value;
            }
        }

        fixed (T* pa = a, pb = b, pc = c)
        {
            GemmDriver.Run(GemmKernel.Vector512, transposeA, transposeB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate);
        }

        c.Should().Equal(expected, $"{typeof(T).Name} {m} × {n} × {k}, tA {transposeA}, tB {transposeB}, accumulate {accumulate}");
    }

}
