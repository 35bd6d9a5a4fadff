using FluentAssertions;
using NeuralNet.Kernels;
using Xunit;

namespace NeuralNet.Tests.Kernels;

/// <summary>
/// The product shared by both cores with op(A) packed once and C's column groups claimed (<see cref="ColumnGroupGemm{T}"/>):
/// the same bits as one core whoever claims what. Its tests hold the second core, so they run alone.
/// </summary>
[Collection(nameof(SecondCoreHeld))]
public unsafe class ColumnGroupGemmTests
{
    // 100 × 530 × 600: op(A) of 4 panels of 32 floats (the last of 4 rows), 530 columns make 45 panels (the last of 2
    // columns) claimed in shrinking groups, 600 steps three depth blocks of 200.
    internal const int M = 100, N = 530, K = 600;

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Run_MatchesReference_AndGivesTheSameBitsAsOneCore(bool transposeA, bool transposeB)
    {
        (float[] a, float[] b, float[] start, int lda, int ldb) = Operands(transposeA, transposeB);
        float[] expected = (float[])start.Clone();
        ReferenceGemm.Multiply<float>(transposeA, transposeB, M, N, K, a, lda, b, ldb, expected, M, accumulate: true);

        float[] shared = (float[])start.Clone(), oneCore = (float[])start.Clone();
        SpinWait.SpinUntil(SecondCore.TryReserve);
        fixed (float* pa = a, pb = b, pc = shared, po = oneCore)
        {
            ColumnGroupGemm<float>.Run(GemmKernels.Best, transposeA, transposeB, M, N, K, pa, lda, pb, ldb, pc, M, accumulate: true, columnStart: null); // releases the reservation
            GemmDriver.Run(GemmKernels.Best, transposeA, transposeB, M, N, K, pa, lda, pb, ldb, po, M, accumulate: true);
        }

        GemmTests.MaxRelativeError(shared, expected, a, b, M, N, K).Should().BeLessThan(1e-5);
        shared.Should().Equal(oneCore);
    }

    [Fact]
    public void Run_Double_GivesTheSameBitsAsOneCore()
    {
        double[] a = GemmTests.Fill<double>(M * K, 34), b = GemmTests.Fill<double>(K * N, 35), start = GemmTests.Fill<double>(M * N, 36);
        double[] shared = (double[])start.Clone(), oneCore = (double[])start.Clone();
        SpinWait.SpinUntil(SecondCore.TryReserve);
        fixed (double* pa = a, pb = b, pc = shared, po = oneCore)
        {
            ColumnGroupGemm<double>.Run(GemmKernels.Best, false, true, M, N, K, pa, M, pb, N, pc, M, accumulate: false, columnStart: null);
            GemmDriver.Run(GemmKernels.Best, false, true, M, N, K, pa, M, pb, N, po, M, accumulate: false);
        }

        shared.Should().Equal(oneCore);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void EachSideAlone_ClaimingEveryPiece_GivesTheSameBitsAsOneCore(bool fromEnd, bool transposeB)
    {
        // One thread claiming every packing piece and every group, from the first up or from the last down, is the
        // extreme of any division between two threads: either way every tile is computed as on one core.
        (float[] a, float[] b, float[] start, int lda, int ldb) = Operands(false, transposeB);
        float[] oneCore = (float[])start.Clone(), alone = (float[])start.Clone();
        ColumnGroupGemm<float> job = new();
        fixed (float* pa = a, pb = b, po = oneCore, ps = alone)
        {
            GemmDriver.Run(GemmKernels.Best, false, transposeB, M, N, K, pa, lda, pb, ldb, po, M, accumulate: true);
            job.Prepare(GemmKernels.Best, false, transposeB, M, N, K, pa, lda, pb, ldb, ps, M, accumulate: true, columnStart: null);
            job.Work(fromEnd);
        }

        alone.Should().Equal(oneCore);
    }

    [Theory]
    [InlineData(false, true, 256, 1024, 1024)] // W3's forward product X·Wᵀ
    [InlineData(false, false, 256, 1024, 1024)] // W3's ∂L/∂X = ∂L/∂Z·W
    [InlineData(true, false, 1024, 1024, 256)] // W3's weight gradient ∂L/∂Zᵀ·X
    public void W3Shapes_OnBothCores_TakeThisPath_AndGiveTheSameBitsAsOneCore(bool transposeA, bool transposeB, int m, int n, int k)
    {
        int mr = GemmKernels.RowsPerTile<float>(GemmKernels.Best), nr = GemmKernels.ColumnsPerTile(GemmKernels.Best);
        if (WorkSplit.TwoCores && MachineProfile.L2Bytes >= 2 << 20)
        {
            WorkSplit.Product(m, n, k, mr, nr, out _, out _).Should().Be(ProductSplit.SharedBlocks);
            ColumnGroupGemm<float>.Takes(m, k, mr).Should().BeTrue();
        }

        float[] a = GemmTests.Fill<float>(m * k, 37), b = GemmTests.Fill<float>(k * n, 38);
        float[] oneCore = new float[m * n], shared = new float[m * n];
        int lda = transposeA ? k : m, ldb = transposeB ? n : k;
        fixed (float* pa = a, pb = b, po = oneCore, ps = shared)
        {
            GemmDriver.Run(GemmKernels.Best, transposeA, transposeB, m, n, k, pa, lda, pb, ldb, po, m, accumulate: false);
            ParallelGemm<float>.Run(GemmKernels.Best, transposeA, transposeB, m, n, k, pa, lda, pb, ldb, ps, m, accumulate: false);
        }

        shared.Should().Equal(oneCore);
    }

    [Theory]
    [InlineData(3, 4, 5, false)] // tiny
    [InlineData(2, 300, 300, true)] // few rows
    [InlineData(40, 100, 100, false)] // direct, one core
    [InlineData(48, 300, 200, true)] // direct, two cores
    [InlineData(200, 200, 200, true)] // strips
    [InlineData(1100, 80, 800, true)] // shared blocks (op(A) too large for column groups)
    [InlineData(256, 1024, 1024, true)] // column groups: W3's forward product
    public void MultiplyOntoColumnValues_GivesTheBitsOfFillingAndAccumulating(int m, int n, int k, bool transposeB)
    {
        // The dense layer's forward product Z = b + X·Wᵀ on every path: the bits it had when it filled Z first.
        float[] a = GemmTests.Fill<float>(m * k, 42), b = GemmTests.Fill<float>(k * n, 43), bias = GemmTests.Fill<float>(n, 44);
        float[] expected = new float[m * n], fused = GemmTests.Fill<float>(m * n, 45);
        int ldb = transposeB ? n : k;
        for (int j = 0; j < n; j++)
        {
            expected.AsSpan(j * m, m).Fill(bias[j]);
        }

        Gemm.Multiply<float>(false, transposeB, m, n, k, a, m, b, ldb, expected, m, accumulate: true);
        Gemm.MultiplyOntoColumnValues<float>(false, transposeB, m, n, k, a, m, b, ldb, fused, m, bias);
        fused.Should().Equal(expected);

        double[] ad = GemmTests.Fill<double>(m * k, 46), bd = GemmTests.Fill<double>(k * n, 47), biasD = GemmTests.Fill<double>(n, 48);
        double[] expectedD = new double[m * n], fusedD = new double[m * n];
        for (int j = 0; j < n; j++)
        {
            expectedD.AsSpan(j * m, m).Fill(biasD[j]);
        }

        Gemm.Multiply<double>(false, transposeB, m, n, k, ad, m, bd, ldb, expectedD, m, accumulate: true);
        Gemm.MultiplyOntoColumnValues<double>(false, transposeB, m, n, k, ad, m, bd, ldb, fusedD, m, biasD);
        fusedD.Should().Equal(expectedD);
    }

    [Fact]
    public void MultiplyOntoColumnValues_RefusesTooFewValues()
    {
        float[] a = new float[6], b = new float[6], c = new float[4];
        FluentActions.Invoking(() => Gemm.MultiplyOntoColumnValues<float>(false, false, 2, 2, 3, a, 2, b, 3, c, 2, new float[1]))
            .Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void GroupsHoldTheSameBytesOfEitherType()
    {
        // 16 panels of floats, 8 of doubles: 192 KB of packed op(B) a depth block of 256 either way.
        ColumnGroupGemm<float>.MaximumGroupPanels.Should().Be(16);
        ColumnGroupGemm<double>.MaximumGroupPanels.Should().Be(8);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(false)]
    [InlineData(true)]
    public void Double_ManyPanels_OnBothCoresOrEachSideAlone_GivesTheSameBitsAsOneCore(bool? fromEnd)
    {
        // 128 × 1030 × 520: 86 panels, so the first claims from either end are capped at 8 panels of doubles; two depth blocks.
        const int m = 128, n = 1030, k = 520;
        double[] a = GemmTests.Fill<double>(m * k, 53), b = GemmTests.Fill<double>(k * n, 54);
        double[] expected = new double[m * n], actual = new double[m * n];
        fixed (double* pa = a, pb = b, pe = expected, pc = actual)
        {
            GemmDriver.Run(GemmKernels.Best, false, false, m, n, k, pa, m, pb, k, pe, m, accumulate: false);
            if (fromEnd is bool end)
            {
                var job = new ColumnGroupGemm<double>();
                job.Prepare(GemmKernels.Best, false, false, m, n, k, pa, m, pb, k, pc, m, accumulate: false, columnStart: null);
                job.Work(end);
            }
            else
            {
                SpinWait.SpinUntil(SecondCore.TryReserve);
                ColumnGroupGemm<double>.Run(GemmKernels.Best, false, false, m, n, k, pa, m, pb, k, pc, m, accumulate: false, columnStart: null);
            }
        }

        actual.Should().Equal(expected);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(false)]
    [InlineData(true)]
    public void InParts_OnBothCoresOrEachSideAlone_GivesTheSameBitsAsOneCore(bool? fromEnd)
    {
        // Double, 256 × 300 × 1100: five depth blocks of 220, each 440 KB of packed op(A), so with 2 MB of L2 op(A) is
        // packed two blocks at a time (three parts, the threads meeting after each), the bias filled inside the first.
        const int m = 256, n = 300, k = 1100;
        int mr = GemmKernels.RowsPerTile<double>(GemmKernels.Best);
        if (MachineProfile.L2Bytes <= 2 << 20)
        {
            WorkSplit.ColumnGroupDepthBlocks(m, k, mr, sizeof(double)).Should().BeLessThan(5);
        }

        double[] a = GemmTests.Fill<double>(m * k, 49), b = GemmTests.Fill<double>(k * n, 50), bias = GemmTests.Fill<double>(n, 51);
        double[] expected = new double[m * n], actual = GemmTests.Fill<double>(m * n, 52);
        for (int j = 0; j < n; j++)
        {
            expected.AsSpan(j * m, m).Fill(bias[j]);
        }

        fixed (double* pa = a, pb = b, pe = expected, pc = actual, pv = bias)
        {
            GemmDriver.Run(GemmKernels.Best, false, true, m, n, k, pa, m, pb, n, pe, m, accumulate: true);
            if (fromEnd is bool end)
            {
                var job = new ColumnGroupGemm<double>();
                job.Prepare(GemmKernels.Best, false, true, m, n, k, pa, m, pb, n, pc, m, accumulate: false, columnStart: pv);
                job.Work(end);
            }
            else
            {
                SpinWait.SpinUntil(SecondCore.TryReserve);
                ColumnGroupGemm<double>.Run(GemmKernels.Best, false, true, m, n, k, pa, m, pb, n, pc, m, accumulate: false, columnStart: pv);
            }
        }

        actual.Should().Equal(expected);
    }

    [Fact]
    public void Run_WhenTheHelperNeverStarts_DoesTheWholeProductAlone()
    {
        (float[] a, float[] b, float[] start, int lda, int ldb) = Operands(false, true);
        float[] expected = (float[])start.Clone();
        fixed (float* pa = a, pb = b, pc = expected)
        {
            GemmDriver.Run(GemmKernels.Best, false, true, M, N, K, pa, lda, pb, ldb, pc, M, accumulate: true);
        }

        // The helper thread is kept busy, so the caller claims every piece and group, and the helper's unstarted part finds none.
        using var gate = new ManualResetEventSlim();
        var blocker = new Blocker(gate);
        SpinWait.SpinUntil(SecondCore.TryReserve);
        SecondCore.Start(blocker);
        SpinWait.SpinUntil(() => blocker.Started);
        float[] alone = (float[])start.Clone();
        try
        {
            fixed (float* pa = a, pb = b, pc = alone)
            {
                ColumnGroupGemm<float>.Run(GemmKernels.Best, false, true, M, N, K, pa, lda, pb, ldb, pc, M, accumulate: true, columnStart: null);
            }
        }
        finally
        {
            gate.Set();
            SpinWait.SpinUntil(() => SecondCore.IsIdle); // the blocker's end, before any other work is handed over
        }

        alone.Should().Equal(expected);
    }

    internal static (float[] A, float[] B, float[] C, int Lda, int Ldb) Operands(bool transposeA, bool transposeB)
    {
        (int aRows, int aColumns) = transposeA ? (K, M) : (M, K);
        (int bRows, int bColumns) = transposeB ? (N, K) : (K, N);
        return (GemmTests.Fill<float>(aRows * aColumns, 31), GemmTests.Fill<float>(bRows * bColumns, 32), GemmTests.Fill<float>(M * N, 33), aRows, bRows);
    }

    private sealed class Blocker(ManualResetEventSlim gate) : WorkItem
    {
        private volatile bool _started;

        public bool Started => _started;

        public override void Execute()
        {
            _started = true;
            gate.Wait();
        }
    }
}
