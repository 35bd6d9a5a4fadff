using FluentAssertions;
using NeuralNet.Kernels;
using Xunit;

namespace NeuralNet.Tests.Kernels;

/// <summary>
/// The float product shared by both cores with each packed block of op(A) shared between them. Its tests hold the
/// second core on purpose, so they run alone (no other test may find the helper taken or half released).
/// </summary>
[Collection(nameof(SecondCoreHeld))]
public unsafe class SharedBlockGemmTests
{
    // 300 × 520 × 600: 94 M multiply-adds; 520 columns make 44 panels (the last of 4 columns) in 16 pieces, 300 rows one
    // block of 152 and one of 148 rows (both with a short last panel), 600 steps three depth blocks of 200 (so own row
    // blocks by default: two row blocks × 16 parts of the columns a step).
    private const int M = 300, N = 520, K = 600;

    [Theory]
    [InlineData(false, false, null)]
    [InlineData(false, true, null)]
    [InlineData(true, false, null)]
    [InlineData(true, true, null)]
    [InlineData(false, false, false)]
    [InlineData(true, true, false)]
    [InlineData(false, true, true)]
    [InlineData(true, false, true)]
    public void Run_MatchesReference_AndGivesTheSameBitsAsOneCore(bool transposeA, bool transposeB, bool? ownRows)
    {
        (float[] a, float[] b, float[] start, int lda, int ldb) = Operands(transposeA, transposeB);
        float[] expected = (float[])start.Clone();
        ReferenceGemm.Multiply<float>(transposeA, transposeB, M, N, K, a, lda, b, ldb, expected, M, accumulate: true);

        float[] shared = (float[])start.Clone();
        SpinWait.SpinUntil(SecondCore.TryReserve);
        Run(transposeA, transposeB, a, lda, b, ldb, shared, ownRows); // releases the reservation
        GemmTests.MaxRelativeError(shared, expected, a, b, M, N, K).Should().BeLessThan(1e-5);

        float[] oneCore = (float[])start.Clone();
        fixed (float* pa = a, pb = b, pc = oneCore)
        {
            GemmDriver.Run(GemmKernels.Best, transposeA, transposeB, M, N, K, pa, lda, pb, ldb, pc, M, accumulate: true);
        }

        shared.Should().Equal(oneCore);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Run_Double_MatchesReference_AndGivesTheSameBitsAsOneCore(bool ownRows)
    {
        double[] a = GemmTests.Fill<double>(M * K, 24), b = GemmTests.Fill<double>(K * N, 25), start = GemmTests.Fill<double>(M * N, 26);
        double[] expected = (double[])start.Clone();
        ReferenceGemm.Multiply<double>(true, false, M, N, K, a, K, b, K, expected, M, accumulate: true);

        double[] shared = (double[])start.Clone(), oneCore = (double[])start.Clone();
        SpinWait.SpinUntil(SecondCore.TryReserve);
        fixed (double* pa = a, pb = b, pc = shared, po = oneCore)
        {
            SharedBlockGemm<double>.Run(GemmKernels.Best, true, false, M, N, K, pa, K, pb, K, pc, M, accumulate: true, ownRows);
            GemmDriver.Run(GemmKernels.Best, true, false, M, N, K, pa, K, pb, K, po, M, accumulate: true);
        }

        shared.Zip(expected, (x, y) => Math.Abs(x - y) / (K + Math.Abs(y))).Max().Should().BeLessThan(1e-13);
        shared.Should().Equal(oneCore);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void EachSideAlone_ClaimingEveryPiece_GivesTheSameBitsAsOneCore(bool fromEnd, bool ownRows)
    {
        // One thread claiming every piece, from the first piece of each phase up or from the last down, is the extreme
        // of any division of the pieces between two threads: either way every tile is computed as on one core.
        (float[] a, float[] b, float[] start, int lda, int ldb) = Operands(true, false);
        float[] oneCore = (float[])start.Clone(), alone = (float[])start.Clone();
        SharedBlockGemm<float> job = new();
        fixed (float* pa = a, pb = b, po = oneCore, ps = alone)
        {
            GemmDriver.Run(GemmKernels.Best, true, false, M, N, K, pa, lda, pb, ldb, po, M, accumulate: true);
            job.Prepare(GemmKernels.Best, true, false, M, N, K, pa, lda, pb, ldb, ps, M, accumulate: true, ownRows);
            job.Work(fromEnd);
        }

        alone.Should().Equal(oneCore);
    }

    [Theory]
    [InlineData(2048, 40, 1024)] // op(A) of 8 MB, few columns: the pieces are cut along the rows too
    [InlineData(1100, 2100, 512)] // more columns than one block: two blocks of columns, each of two depth blocks
    public void LargeProducts_OnBothCores_GiveTheSameBitsAsOneCore(int m, int n, int k)
    {
        // Each depth block of op(A) is over 1 MB of floats: too large for column groups (ColumnGroupGemm) on a core with
        // 2 MB of L2 or less, so these take the shared blocks.
        if (MachineProfile.L2Bytes <= 2 << 20)
        {
            WorkSplit.ColumnGroups(m, k, GemmKernels.RowsPerTile<float>(GemmKernels.Best), sizeof(float)).Should().BeFalse();
        }

        float[] a = GemmTests.Fill<float>(m * k, 27), b = GemmTests.Fill<float>(k * n, 28);
        float[] oneCore = new float[m * n], shared = new float[m * n];
        int mr = GemmKernels.RowsPerTile<float>(GemmKernels.Best), nr = GemmKernels.ColumnsPerTile(GemmKernels.Best);
        WorkSplit.Product(m, n, k, mr, nr, out _, out _).Should().Be(WorkSplit.TwoCores ? ProductSplit.SharedBlocks : ProductSplit.OneCore);
        fixed (float* pa = a, pb = b, po = oneCore, ps = shared)
        {
            GemmDriver.Run(GemmKernels.Best, false, false, m, n, k, pa, m, pb, k, po, m, accumulate: false);
            ParallelGemm<float>.Run(GemmKernels.Best, false, false, m, n, k, pa, m, pb, k, ps, m, accumulate: false);
        }

        shared.Should().Equal(oneCore);
    }

    [Fact]
    public void OwnRowBlocks_FromTwoSteps_AndForDoublesFromOne()
    {
        // One step of floats (a single block of columns and of depth, e.g. a weight gradient over a batch of 256) keeps the
        // shared multiply; more steps, or doubles, take own row blocks. Either gives the same bits (above and below).
        WorkSplit.OwnRowBlocks(1, sizeof(float)).Should().BeFalse();
        WorkSplit.OwnRowBlocks(2, sizeof(float)).Should().BeTrue();
        WorkSplit.OwnRowBlocks(8, sizeof(float)).Should().BeTrue();
        WorkSplit.OwnRowBlocks(1, sizeof(double)).Should().BeTrue();
        WorkSplit.OwnRowBlocks(2, sizeof(double)).Should().BeTrue();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Double_OneStep_InOwnRowBlocks_GivesTheSameBitsAsOneCore(bool transposeA)
    {
        // 1024 × 1024 × 256 doubles, the gemm workload's f64 w3dW (as stored) and a weight gradient's form (op(A) transposed):
        // one step, four row blocks of 256, each thread packing its own.
        const int m = 1024, n = 1024, k = 256;
        double[] a = GemmTests.Fill<double>(m * k, 34), b = GemmTests.Fill<double>(k * n, 35);
        double[] oneCore = new double[m * n], shared = new double[m * n];
        int lda = transposeA ? k : m;
        fixed (double* pa = a, pb = b, po = oneCore, ps = shared)
        {
            GemmDriver.Run(GemmKernels.Best, transposeA, false, m, n, k, pa, lda, pb, k, po, m, accumulate: false);
            SpinWait.SpinUntil(SecondCore.TryReserve);
            SharedBlockGemm<double>.Run(GemmKernels.Best, transposeA, false, m, n, k, pa, lda, pb, k, ps, m, accumulate: false);
        }

        shared.Should().Equal(oneCore);
    }

    [Theory]
    [InlineData(2100, 700, 200)] // one step: five row blocks of floats, 59 panels of columns
    [InlineData(2100, 2500, 300)] // two blocks of columns × two depth blocks, each row block cut in parts of the columns
    [InlineData(600, 40, 1500)] // few columns: each row block cut in as many parts as there are panels (4), six depth blocks
    public void OwnRowBlocks_AndSharedBlocks_GiveTheSameBitsAsOneCore(int m, int n, int k)
    {
        float[] a = GemmTests.Fill<float>(m * k, 31), b = GemmTests.Fill<float>(k * n, 32), start = GemmTests.Fill<float>(m * n, 33);
        float[] oneCore = (float[])start.Clone(), own = (float[])start.Clone(), shared = (float[])start.Clone();
        fixed (float* pa = a, pb = b, po = oneCore, pw = own, ps = shared)
        {
            GemmDriver.Run(GemmKernels.Best, false, true, m, n, k, pa, m, pb, n, po, m, accumulate: true);
            SpinWait.SpinUntil(SecondCore.TryReserve);
            SharedBlockGemm<float>.Run(GemmKernels.Best, false, true, m, n, k, pa, m, pb, n, pw, m, accumulate: true, ownRows: true);
            SpinWait.SpinUntil(SecondCore.TryReserve);
            SharedBlockGemm<float>.Run(GemmKernels.Best, false, true, m, n, k, pa, m, pb, n, ps, m, accumulate: true, ownRows: false);
        }

        own.Should().Equal(oneCore);
        shared.Should().Equal(oneCore);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Run_AllocatesNothingOnceWarm(bool ownRows)
    {
        // The claims, counters and piece flags grow on demand (a larger product than any before) and only then.
        (float[] a, float[] b, float[] c, int lda, int ldb) = Operands(false, false);
        SpinWait.SpinUntil(SecondCore.TryReserve);
        Run(false, false, a, lda, b, ldb, c, ownRows);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++)
        {
            SpinWait.SpinUntil(SecondCore.TryReserve);
            Run(false, false, a, lda, b, ldb, c, ownRows);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Run_WhenTheHelperNeverStarts_DoesTheWholeProductAlone(bool ownRows)
    {
        (float[] a, float[] b, float[] start, int lda, int ldb) = Operands(false, false);
        float[] expected = (float[])start.Clone();
        fixed (float* pa = a, pb = b, pc = expected)
        {
            GemmDriver.Run(GemmKernels.Best, false, false, M, N, K, pa, lda, pb, ldb, pc, M, accumulate: true);
        }

        // The helper thread is kept busy, so the caller claims every piece, and the helper's unstarted part finds none.
        using var gate = new ManualResetEventSlim();
        var blocker = new Blocker(gate);
        SpinWait.SpinUntil(SecondCore.TryReserve);
        SecondCore.Start(blocker);
        SpinWait.SpinUntil(() => blocker.Started);
        float[] alone = (float[])start.Clone();
        try
        {
            Run(false, false, a, lda, b, ldb, alone, ownRows);
        }
        finally
        {
            gate.Set();
            SpinWait.SpinUntil(() => SecondCore.IsIdle); // the blocker's end, before any other work is handed over
        }

        alone.Should().Equal(expected);
    }

    private static void Run(bool transposeA, bool transposeB, float[] a, int lda, float[] b, int ldb, float[] c, bool? ownRows)
    {
        fixed (float* pa = a, pb = b, pc = c)
        {
            SharedBlockGemm<float>.Run(GemmKernels.Best, transposeA, transposeB, M, N, K, pa, lda, pb, ldb, pc, M, accumulate: true, ownRows);
        }
    }

    private static (float[] A, float[] B, float[] C, int Lda, int Ldb) Operands(bool transposeA, bool transposeB)
    {
        (int aRows, int aColumns) = transposeA ? (K, M) : (M, K);
        (int bRows, int bColumns) = transposeB ? (N, K) : (K, N);
        return (GemmTests.Fill<float>(aRows * aColumns, 21), GemmTests.Fill<float>(bRows * bColumns, 22), GemmTests.Fill<float>(M * N, 23), aRows, bRows);
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

/// <summary>Tests that hold the second core run alone, after the others.</summary>
[CollectionDefinition(nameof(SecondCoreHeld), DisableParallelization = true)]
public sealed class SecondCoreHeld
{
}
