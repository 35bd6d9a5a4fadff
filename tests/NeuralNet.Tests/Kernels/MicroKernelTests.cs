using System.Numerics;
using System.Runtime.Intrinsics;
using FluentAssertions;
using NeuralNet.Kernels;
using Xunit;

namespace NeuralNet.Tests.Kernels;

/// <summary>
/// The bits of the Vector512, Vector256 and Vector128 micro-kernels and of the one-core blocked driver against a scalar model of their summation
/// order: each element of C is a fused multiply-add chain over the steps of one depth block, in order from zero, and the
/// blocks are added to C one after the other.
/// </summary>
public class MicroKernelTests
{
    /// <summary>Why the Vector128 kernel's checks skip where they do.</summary>
    private const string NoFused128 = "no fused multiply-add on 128-bit vectors here (x86 without FMA): the kernel multiplies, then adds";

    /// <summary>
    /// Depths around each kernel's two passes (the last <see cref="MicroKernel512.CPrefetchSteps"/> or
    /// <see cref="MicroKernel256.CPrefetchSteps"/> steps run after C's lines are requested) and its two-step unrolling.
    /// </summary>
    public static TheoryData<int> Depths()
    {
        var depths = new SortedSet<int> { 1, 2, 3, 255, 256 };
        foreach (int split in new[] { MicroKernel512.CPrefetchSteps, MicroKernel256.CPrefetchSteps })
        {
            for (int kc = split - 2; kc <= split + 3; kc++)
            {
                depths.Add(kc);
            }

            depths.Add((2 * split) + 1);
        }

        var data = new TheoryData<int>();
        foreach (int kc in depths)
        {
            data.Add(kc);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Depths))]
    public void MicroKernel512_Float_GivesTheBitsOfOrderedFusedSums(int kc) => CheckKernel<float>(kc);

    [Theory]
    [MemberData(nameof(Depths))]
    public void MicroKernel512_Double_GivesTheBitsOfOrderedFusedSums(int kc) => CheckKernel<double>(kc);

    [SkippableTheory]
    [MemberData(nameof(Depths))]
    public void MicroKernel256_GivesTheBitsOfOrderedFusedSums(int kc)
    {
        // Its own two passes and two-step loop, split at MicroKernel256.CPrefetchSteps (among the depths above).
        Skip.IfNot(System.Runtime.Intrinsics.X86.Fma.IsSupported, "no x86 FMA: 256-bit vectors would multiply and add in two roundings (the kernel is never taken)");
        CheckKernel<float>(kc, MicroKernel256.Columns, vectorBits: 256);
        CheckKernel<double>(kc, MicroKernel256.Columns, vectorBits: 256);
    }

    [SkippableTheory]
    [MemberData(nameof(Depths))]
    public void MicroKernel128_GivesTheBitsOfOrderedFusedSums(int kc)
    {
        // The tile this processor's Vector128 kernel runs: 12 columns multiplied by lane on Arm64, 4 with broadcasts elsewhere.
        MicroKernel128.Columns.Should().Be(System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.IsSupported ? 12 : 4);
        Skip.IfNot(VectorFma.Fused128, NoFused128);
        CheckKernel<float>(kc, MicroKernel128.Columns, vectorBits: 128);
        CheckKernel<double>(kc, MicroKernel128.Columns, vectorBits: 128);
    }

    [Fact]
    public void EveryKernelsTile_FitsThePackingBuffers()
    {
        // The buffers of packed B̂ are made once, for panels of the widest tile; a kernel with a wider one would overrun them.
        foreach (GemmKernel kernel in new[] { GemmKernel.Vector128, GemmKernel.Vector256, GemmKernel.Vector512 })
        {
            GemmKernels.ColumnsPerTile(kernel).Should().BeLessThanOrEqualTo(GemmKernels.WidestTile, kernel.ToString());
        }

        GemmKernels.ColumnsPerTile(GemmKernel.Vector512).Should().Be(GemmKernels.WidestTile);
    }

    [Theory]
    [MemberData(nameof(Depths))]
    public void MicroKernel512_NarrowTiles_GiveTheBitsOfOrderedFusedSums(int kc)
    {
        // The last panel's tiles of 4 and 8 columns read the first columns of a full-width packed B̂ panel.
        CheckKernel<float>(kc, 4);
        CheckKernel<float>(kc, 8);
        CheckKernel<double>(kc, 4);
        CheckKernel<double>(kc, 8);
    }

    [Fact]
    public void GemmDriver_EveryWidthOfTheLastPanel_GivesTheBitsOfOrderedFusedSums()
    {
        // Two full panels and a last one of 1-12 columns (narrow tiles of 4 and 8 columns, direct or through scratch),
        // over rows of one full tile and an edge, and two depth blocks.
        for (int last = 1; last <= MicroKernel512.Columns; last++)
        {
            int n = (2 * MicroKernel512.Columns) + last;
            CheckDriver<float>(m: 35, n, k: 300, accumulate: last % 2 == 0);
            CheckDriver<double>(m: 19, n, k: 300, accumulate: last % 2 == 1);
            CheckDriver<float>(m: 64, n, k: 40, accumulate: last % 2 == 1);
            CheckDriver<double>(m: 32, n, k: 40, accumulate: last % 2 == 0);
        }

        GemmDriver.TileWidth(GemmKernel.Vector512, 4, 12).Should().Be(4);
        GemmDriver.TileWidth(GemmKernel.Vector512, 5, 12).Should().Be(8);
        GemmDriver.TileWidth(GemmKernel.Vector512, 9, 12).Should().Be(12);
        GemmDriver.TileWidth(GemmKernel.Vector256, 2, 6).Should().Be(6);
    }

    [SkippableFact]
    public void GemmDriver_WithTheVector128Kernel_EveryWidthOfTheLastPanel_GivesTheBitsOfOrderedFusedSums()
    {
        // Full tiles and every edge through scratch, over rows of one full tile and an edge, and two depth blocks.
        Skip.IfNot(VectorFma.Fused128, NoFused128);
        for (int last = 1; last <= MicroKernel128.Columns; last++)
        {
            int n = (2 * MicroKernel128.Columns) + last;
            CheckDriver<float>(m: 21, n, k: 300, accumulate: last % 2 == 0, GemmKernel.Vector128);
            CheckDriver<double>(m: 11, n, k: 300, accumulate: last % 2 == 1, GemmKernel.Vector128);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(12)]
    [InlineData(13)]
    public void GemmDriver_ColumnsJustPastOneBlock_GiveTheBitsOfOrderedFusedSums(int extraColumns)
    {
        // BlockColumns (2048 with a large L3) plus a few: the driver cuts n into equal blocks of whole tiles (one block of
        // 2052 for 2048 columns, where it used to pack a block of 2040 and a thin one of 8); the cut changes no sum.
        int n = GemmDriver.BlockColumns + extraColumns;
        CheckDriver<float>(m: 35, n, k: 300, accumulate: extraColumns % 2 == 0);
        CheckDriver<double>(m: 19, n, k: 300, accumulate: extraColumns % 2 == 1);
    }

    [Fact]
    public void GemmDriver_RowsPastOneBlockOfEachType_GiveTheBitsOfOrderedFusedSums()
    {
        // Float blocks of op(A) hold twice the rows of double ones (the same bytes); a few rows past one block of each.
        GemmDriver.RowsPerBlock<float>().Should().Be(2 * GemmDriver.RowsPerBlock<double>());
        CheckDriver<float>(GemmDriver.RowsPerBlock<float>() + 37, n: 29, k: 300, accumulate: false);
        CheckDriver<double>(GemmDriver.RowsPerBlock<double>() + 21, n: 29, k: 300, accumulate: true);
    }

    private static unsafe void CheckKernel<T>(int kc, int width = MicroKernel512.Columns, int vectorBits = 512)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = vectorBits switch { 128 => 2 * Vector128<T>.Count, 256 => 2 * Vector256<T>.Count, _ => 2 * Vector512<T>.Count };
        int columns = vectorBits switch { 128 => MicroKernel128.Columns, 256 => MicroKernel256.Columns, _ => MicroKernel512.Columns };
        int ldc = rows + 5;
        T[] a = GemmTests.Fill<T>((kc * rows) + 64, 31), b = GemmTests.Fill<T>((kc * columns) + 64, 32);
        foreach (bool add in new[] { false, true })
        {
            // One column more than the tile: it must stay as it was.
            T[] c = GemmTests.Fill<T>(ldc * (width + 1), 33);
            var expected = (T[])c.Clone();
            for (int j = 0; j < width; j++)
            {
                for (int i = 0; i < rows; i++)
                {
                    T sum = T.Zero;
                    for (int p = 0; p < kc; p++)
                    {
                        sum = T.FusedMultiplyAdd(a[(p * rows) + i], b[(p * columns) + j], sum);
                    }

                    expected[(j * ldc) + i] = add ? expected[(j * ldc) + i] + sum : sum;
                }
            }

            fixed (T* pa = a, pb = b, pc = c)
            {
                if (vectorBits == 128)
                {
                    MicroKernel128.Run(kc, pa, pb, pc, ldc, add);
                }
                else if (vectorBits == 256)
                {
                    MicroKernel256.Run(kc, pa, pb, pc, ldc, add);
                }
                else if (width == 4)
                {
                    MicroKernel512.RunFour(kc, pa, pb, pc, ldc, add);
                }
                else if (width == 8)
                {
                    MicroKernel512.RunEight(kc, pa, pb, pc, ldc, add);
                }
                else
                {
                    MicroKernel512.Run(kc, pa, pb, pc, ldc, add);
                }
            }

            c.Should().Equal(expected, $"kc {kc}, {width} columns, add {add} (the rows past the tile in each column, and the column past it, stay as they were)");
        }
    }

    private static unsafe void CheckDriver<T>(int m, int n, int k, bool accumulate, GemmKernel kernel = GemmKernel.Vector512)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] a = GemmTests.Fill<T>(m * k, 41), b = GemmTests.Fill<T>(k * n, 42), c = GemmTests.Fill<T>(m * n, 43);
        var expected = (T[])c.Clone();
        int depth = GemmDriver.Balanced(k, GemmDriver.BlockDepth, 1);
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < m; i++)
            {
                T value = expected[(j * m) + i];
                for (int p0 = 0; p0 < k; p0 += depth)
                {
                    T sum = T.Zero;
                    for (int p = p0; p < Math.Min(k, p0 + depth); p++)
                    {
                        sum = T.FusedMultiplyAdd(a[(p * m) + i], b[(j * k) + p], sum);
                    }

                    value = p0 == 0 && !accumulate ? sum : value + sum;
                }

                expected[(j * m) + i] = value;
            }
        }

        fixed (T* pa = a, pb = b, pc = c)
        {
            GemmDriver.Run(kernel, false, false, m, n, k, pa, m, pb, k, pc, m, accumulate);
        }

        c.Should().Equal(expected, $"{kernel} {typeof(T).Name} {m} × {n} × {k}, accumulate {accumulate}");
    }
}
