using System.Numerics;
using NeuralNet.Kernels;
using FluentAssertions;
using Xunit;

namespace NeuralNet.Tests.Kernels;

/// <summary>
/// Products of few rows or columns shared by the cores without packing (<see cref="ParallelGemm{T}.RunDirect"/>; few columns
/// over several depth blocks cut along the depth, <see cref="DirectGemm.RunDepthHalves{T}"/>): the same bits as the packed
/// Vector512 path on one core, whether the helper takes its half or is late and the caller does both.
/// They hold the second core (<see cref="SecondCore.Paused"/>), so they run alone.
/// </summary>
[Collection(nameof(SecondCoreHeld))]
public class DirectGemmTwoCoreTests
{
    // W2's first layer forward (64 × 128 × 784, four depth blocks of 196); odd rows, columns and depth (masked rows,
    // halves of 29 and 28 columns, two blocks of 300); one vector of rows with a depth of one block; few columns (halves
    // of 8) with many rows, op(A) just small enough to transpose into the scratch panel.
    // Then up to 128 rows: W2's first layer weight gradient (128 × 784 × 64) and the same over a batch of 128; masked rows
    // (120, a multiple of 8, not of 16) and a depth off the transposes' 8 steps; odd rows (101: the transposes' scalar rows)
    // and depth; 100 rows over three depth blocks (195, 195, 194), op(A) just small enough to transpose into the scratch panel.
    private static readonly (int M, int N, int K)[] Shapes =
        [(64, 128, 784), (37, 57, 600), (16, 300, 256), (256, 16, 256), (128, 784, 64), (128, 300, 128), (120, 200, 60), (101, 320, 41), (100, 120, 584)];

    // Few columns with an op(A) too large to transpose into the scratch panel, so as stored only: W3's output layer
    // forward (256 × 10 × 1024, depth halves of two blocks each); many odd rows (one depth block: halves of 7 and 6
    // columns); depth halves of one block and two, the last shorter (3 blocks of 234, 234, 232), with 7 columns; masked
    // rows and 16 columns over three blocks of 171.
    private static readonly (int M, int N, int K)[] StoredAShapes = [(256, 10, 1024), (1001, 13, 97), (300, 7, 700), (129, 16, 513)];

    [Fact]
    public void DirectDepthHalves_FewColumnsOfTwoDepthBlocksOrMoreWithOpAAsStored()
    {
        WorkSplit.DirectDepthHalves(false, 10, 1024).Should().BeTrue(); // W3's output layer forward
        WorkSplit.DirectDepthHalves(false, 16, 257).Should().BeTrue(); // two blocks of 129 and 128
        WorkSplit.DirectDepthHalves(false, 10, 256).Should().BeFalse(); // one depth block: halves of the columns
        WorkSplit.DirectDepthHalves(false, 17, 1024).Should().BeFalse(); // more columns
        WorkSplit.DirectDepthHalves(true, 10, 1024).Should().BeFalse(); // op(A) transposed (a weight gradient's)
    }

    [Fact]
    public void TakesOnTwoCores_FewRowsOrColumnsWithWorkForTwoCoresBelowSharedBlocks()
    {
        if (!DirectGemm.Supported<float>() || !WorkSplit.TwoCores)
        {
            Assert.False(DirectGemm.TakesOnTwoCores<float>(false, 64, 128, 784, 64));
            return;
        }

        Assert.True(DirectGemm.TakesOnTwoCores<float>(false, 64, 128, 784, 64));
        Assert.True(DirectGemm.TakesOnTwoCores<float>(true, 64, 128, 784, 784));
        int rows = WorkSplit.DirectRowsLimit; // 128 with the Vector512 tiles, 96 with the Vector256 ones
        Assert.True(DirectGemm.TakesOnTwoCores<float>(true, rows, 784, 64, 64)); // W2's first layer weight gradient (128 rows)
        Assert.True(DirectGemm.TakesOnTwoCores<float>(false, rows, 128, 784, rows));
        Assert.False(DirectGemm.TakesOnTwoCores<float>(false, rows + 1, 128, 784, rows + 1)); // more rows and columns: packed, in strips
        Assert.False(DirectGemm.TakesOnTwoCores<float>(true, rows + 1, 784, 64, 64));
        Assert.True(DirectGemm.TakesOnTwoCores<float>(false, 256, 10, 1024, 256)); // few columns (W3's output layer forward)
        Assert.True(DirectGemm.TakesOnTwoCores<float>(false, 4000, 16, 256, 4000)); // few columns, many rows
        Assert.False(DirectGemm.TakesOnTwoCores<float>(false, 4000, 17, 256, 4000)); // more columns: packed, in strips
        // op(A)'s columns 16 KB or 4 KB apart (4096 or 1024 floats, or 1000 rows of a matrix of 1024): packed with the
        // Vector256 tiles, direct with the Vector512 ones.
        Assert.Equal(DirectGemm.Wide, DirectGemm.TakesOnTwoCores<float>(false, 4096, 16, 256, 4096));
        Assert.Equal(DirectGemm.Wide, DirectGemm.TakesOnTwoCores<float>(false, 1024, 10, 256, 1024));
        Assert.Equal(DirectGemm.Wide, DirectGemm.TakesOnTwoCores<float>(false, 1000, 10, 256, 1024));
        Assert.True(DirectGemm.TakesOnTwoCores<float>(false, 1000, 10, 256, 1000));
        Assert.True(DirectGemm.TakesOnTwoCores<float>(false, 64, 128, 784, 1024)); // few rows: direct whatever the stride
        Assert.False(DirectGemm.TakesOnTwoCores<float>(false, 64, 10, 128, 64)); // one core's work (DirectGemm.Takes)
        Assert.False(DirectGemm.TakesOnTwoCores<float>(false, 64, 1024, 1024, 64)); // 2^26 multiply-adds: shared packed blocks
        Assert.False(DirectGemm.TakesOnTwoCores<float>(true, 64, 16, 2048, 2048)); // op(A) too large to transpose into the scratch panel
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void Multiply_GivesThePackedVector512PathsBits_WithTheHelperOnTimeOrLate(bool helperLate)
    {
        Skip.IfNot(DirectGemm.Supported<float>() && WorkSplit.TwoCores, "no direct products on two cores here: Gemm never takes the path (GemmTests cover what it takes instead)");

        SecondCore.Paused = helperLate; // a paused helper never picks its half up: the caller takes it back
        WorkSplit.DirectRows = 128; // the shapes' rows, direct with either kind of tiles (the Vector256 ones' limit is 96)
        try
        {
            foreach (bool transposeA in new[] { false, true })
            {
                foreach (bool transposeB in new[] { false, true })
                {
                    Check<float>(transposeA, transposeB, accumulate: transposeA);
                    Check<double>(transposeA, transposeB, accumulate: !transposeA);
                }
            }
        }
        finally
        {
            SecondCore.Paused = false;
            WorkSplit.DirectRows = WorkSplit.DirectRowsLimit;
        }
    }

    private static unsafe void Check<T>(bool transposeA, bool transposeB, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ulong seed = 60;
        foreach ((int m, int n, int k) in transposeA ? Shapes : [.. Shapes, .. StoredAShapes])
        {
            Assert.True(DirectGemm.TakesOnTwoCores<float>(transposeA, m, n, k, transposeA ? k : m));
            (int aRows, int aColumns) = transposeA ? (k, m) : (m, k);
            (int bRows, int bColumns) = transposeB ? (n, k) : (k, n);
            int lda = aRows + 1, ldb = bRows + 2, ldc = m + 3; // rows of C's storage past m must keep their values
            T[] a = GemmTests.Fill<T>((lda * aColumns) - (lda - aRows), seed++);
            T[] b = GemmTests.Fill<T>((ldb * bColumns) - (ldb - bRows), seed++);
            T[] shared = GemmTests.Fill<T>((ldc * n) + 5, seed++);
            T[] packed = (T[])shared.Clone();
            Gemm.Multiply<T>(transposeA, transposeB, m, n, k, a, lda, b, ldb, shared, ldc, accumulate);
            fixed (T* pa = a, pb = b, pp = packed)
            {
                GemmDriver.Run(GemmKernel.Vector512, transposeA, transposeB, m, n, k, pa, lda, pb, ldb, pp, ldc, accumulate);
            }

            for (int i = 0; i < shared.Length; i++)
            {
                if (shared[i] != packed[i])
                {
                    Assert.Fail($"{typeof(T).Name} tA={transposeA} tB={transposeB} acc={accumulate} {m}×{n}×{k}: value {i} (C[{i % ldc},{i / ldc}]) is {shared[i]}, the packed path gives {packed[i]}");
                }
            }
        }
    }
}
