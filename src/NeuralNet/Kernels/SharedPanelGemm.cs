using System.Numerics;

namespace NeuralNet.Kernels;

/// <summary>
/// Shares a large multiply with many rows between the calling thread and <see cref="SecondCore"/> without
/// packing anything twice: for each block of columns and depth of the product (a phase), op(B) is packed
/// once into one shared buffer, both threads packing part of it, and then the threads take blocks of rows
/// of C, each packing its own block of op(A) and multiplying it by the shared panel.
/// </summary>
/// <remarks>
/// The work is one queue of tasks taken in order from a shared counter: per phase, the B-packing tasks,
/// then the row-block tasks. A task starts only when every task of the groups before its own is done
/// (the row blocks need the packed panel; the next phase's packing overwrites it), which a count of
/// finished tasks tells, because no task finishes before the groups ahead of it. Nothing waits for the
/// helper thread to join: if it never does, the caller simply takes every task.
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
internal sealed unsafe class SharedPanelGemm<T> : WorkItem
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>k steps per phase (kc): a B̂ micro-panel of kc × 8 values stays in L1 beside the Â stream.</summary>
    public const int BlockDepth = 256;

    /// <summary>The most rows per row-block task (mc): an Â block of mc × kc stays in the core's L2.</summary>
    public const int BlockRows = 128;

    /// <summary>B-packing tasks per phase.</summary>
    private const int PackTasks = 4;

    // One job object per element type: SecondCore is reserved before it is filled, so it is never shared.
    private static readonly SharedPanelGemm<T> Job = new();

    private GemmKernel _kernel;
    private bool _transposeA, _transposeB, _accumulate;
    private int _m, _n, _k, _lda, _ldb, _ldc, _mr, _nr, _nc, _kc, _mc;
    private int _depthBlocks, _rowBlocks, _tasksPerPhase, _tasks, _next, _finished;
    private T* _a, _b, _c, _packedB;

    /// <summary>
    /// Whether a product with <paramref name="m"/> rows is better shared this way. Measured on Zen 5, in
    /// alternating runs: for double from 512 rows on (sq1024 ~115 → ~135 GFLOP/s); not with fewer rows, whose
    /// blocks get too thin to reuse each B̂ micro-panel (f64 256 × 1024 × 1024: 100 against 130 in column
    /// strips); not for float, where the strips of <see cref="ParallelGemm{T}"/> were as fast on sq1024 and
    /// sq2048 and ~4 % faster on 1024 × 1024 × 256.
    /// </summary>
    public static bool Suits(int m) => m >= 512 && typeof(T) == typeof(double);

    /// <summary>Runs the product on this thread and the reserved <see cref="SecondCore"/>, which is released on return.</summary>
    public static void Run(
        GemmKernel kernel, bool transposeA, bool transposeB, int m, int n, int k,
        T* a, int lda, T* b, int ldb, T* c, int ldc, bool accumulate)
    {
        SharedPanelGemm<T> job = Job;
        int mr = GemmKernels.RowsPerTile<T>(kernel), nr = GemmKernels.ColumnsPerTile(kernel);
        job._kernel = kernel;
        (job._transposeA, job._transposeB, job._accumulate) = (transposeA, transposeB, accumulate);
        (job._m, job._n, job._k, job._lda, job._ldb, job._ldc, job._mr, job._nr) = (m, n, k, lda, ldb, ldc, mr, nr);
        job._a = a;
        job._b = b;
        job._c = c;
        job._nc = Math.Min(GemmDriver.BlockColumns / nr * nr, GemmDriver.RoundUp(n, nr));
        job._kc = GemmDriver.Balanced(k, BlockDepth, 1);
        job._mc = GemmDriver.Balanced(m, Math.Min(BlockRows, Math.Max(4 * mr, GemmDriver.RoundUp((m + 7) / 8, mr))), mr);
        job._depthBlocks = (k + job._kc - 1) / job._kc;
        job._rowBlocks = (m + job._mc - 1) / job._mc;
        job._tasksPerPhase = PackTasks + job._rowBlocks;
        job._tasks = job._tasksPerPhase * job._depthBlocks * ((n + job._nc - 1) / job._nc);
        job._packedB = PackingBuffers<T>.B(job._kc * job._nc);
        job._next = 0;
        job._finished = 0;
        SecondCore.Start(job);
        try
        {
            job.Execute();
        }
        finally
        {
            SecondCore.Wait();
        }
    }

    /// <summary>Takes tasks in order until none is left (run by both threads).</summary>
    public override void Execute()
    {
        int task;
        while ((task = Interlocked.Increment(ref _next) - 1) < _tasks)
        {
            int phase = Math.DivRem(task, _tasksPerPhase, out int index);
            int groupStart = (phase * _tasksPerPhase) + (index < PackTasks ? 0 : PackTasks);
            SpinWait spin = default;
            while (Volatile.Read(ref _finished) < groupStart)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }

            try
            {
                RunTask(phase, index);
            }
            finally
            {
                Interlocked.Increment(ref _finished);
            }
        }
    }

    private void RunTask(int phase, int index)
    {
        int jc = phase / _depthBlocks * _nc, pc = phase % _depthBlocks * _kc;
        int nc = Math.Min(_nc, _n - jc), kc = Math.Min(_kc, _k - pc);
        if (index < PackTasks)
        {
            int panels = (nc + _nr - 1) / _nr, perTask = (panels + PackTasks - 1) / PackTasks;
            int j0 = Math.Min(index * perTask, panels) * _nr, j1 = Math.Min((index + 1) * perTask * _nr, nc);
            if (j1 > j0)
            {
                int column = jc + j0;
                T* bBlock = _transposeB ? _b + column + ((nint)pc * _ldb) : _b + pc + ((nint)column * _ldb);
                GemmPacking.PackB(_transposeB, bBlock, _ldb, kc, j1 - j0, _nr, _packedB + ((nint)j0 * kc));
            }

            return;
        }

        int ic = (index - PackTasks) * _mc, mc = Math.Min(_mc, _m - ic);
        T* packedA = PackingBuffers<T>.A(_mc * _kc);
        T* tile = PackingBuffers<T>.Tile(_mr * _nr);
        T* aBlock = _transposeA ? _a + pc + ((nint)ic * _lda) : _a + ic + ((nint)pc * _lda);
        GemmPacking.PackA(_transposeA, aBlock, _lda, mc, kc, _mr, packedA);
        GemmDriver.MultiplyBlock(_kernel, mc, nc, kc, _mr, _nr, packedA, _packedB, _c + ic + ((nint)jc * _ldc), _ldc, _accumulate || pc > 0, tile);
    }
}
