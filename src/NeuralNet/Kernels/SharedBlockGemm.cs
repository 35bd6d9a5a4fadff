using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralNet.Kernels;

/// <summary>
/// Shares a large multiply between the calling thread and <see cref="SecondCore"/> with op(A) packed once:
/// C is cut into two parts of columns, one per thread (where <see cref="WorkSplit.SharedCut"/> says), and each block of op(A) (<see cref="GemmDriver.BlockRows"/>
/// rows × <see cref="GemmDriver.BlockDepth"/> steps) is packed into a shared buffer, each thread packing half of
/// its panels; both then multiply the whole packed block by their own packed columns of op(B).
/// </summary>
/// <remarks>
/// <para>
/// In strips (<see cref="ParallelGemm{T}"/>) every strip packs all of op(A) again; here each block is packed once, half
/// by each core. <see cref="WorkSplit.Product"/> decides when this pays (large products cut by columns).
/// </para>
/// <para>
/// The threads meet once per block: a thread starts multiplying block t when the other has packed its half of
/// it, and packs block t + 2 into the buffer block t used (two buffers alternate) only after the other has
/// packed block t + 1, which it does only after multiplying block t. When the helper thread has not started
/// within <see cref="JoinTicks"/> (its core busy with another process), the caller withdraws the work and does
/// the whole product alone. Every tile of C is computed exactly as <see cref="GemmDriver"/> computes it (same
/// blocks of depth, same tiles, same kernel), so the result is the same bits whichever way it ran.
/// </para>
/// <para>
/// Unlike strips, the parts are fixed once the product starts: when another process takes turns on one of the cores,
/// the other thread waits at the meetings. Each thread therefore reports how fast it did its own part, waits left out
/// (<see cref="WorkSplit.RecordSpeed"/>), and the next product is cut in proportion.
/// </para>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
internal sealed unsafe class SharedBlockGemm<T> : WorkItem
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>How long the caller waits for the helper thread to pick the work up before doing it alone (100 µs).</summary>
    private static readonly long JoinTicks = Stopwatch.Frequency / 10_000;

    /// <summary>Elements of one shared block buffer: the largest packed block of op(A).</summary>
    private static readonly int BlockLength = GemmDriver.BlockRows * GemmDriver.BlockDepth;

    // One job object per element type: SecondCore is reserved before it is filled, so it is never shared.
    private static readonly SharedBlockGemm<T> Job = new();

    // Progress of each thread (blocks packed so far), a cache line apart so that the two counters never share one.
    private readonly int[] _packed = new int[32];
    private T[]? _blocks;
    private GemmKernel _kernel;
    private bool _transposeA, _transposeB, _accumulate;
    private int _m, _n, _k, _lda, _ldb, _ldc, _mr, _nr, _mc, _kc, _nc, _split, _chunks;
    private volatile bool _abandoned;
    private T* _a, _b, _c;

    /// <summary>Runs the product on this thread and the reserved <see cref="SecondCore"/>, which is released on return.</summary>
    public static void Run(
        GemmKernel kernel, bool transposeA, bool transposeB, int m, int n, int k,
        T* a, int lda, T* b, int ldb, T* c, int ldc, bool accumulate)
    {
        SharedBlockGemm<T> job = Job;
        int mr = GemmKernels.RowsPerTile<T>(kernel), nr = GemmKernels.ColumnsPerTile(kernel);
        job._blocks ??= GC.AllocateUninitializedArray<T>((2 * BlockLength) + (64 / sizeof(T)), pinned: true);
        job._kernel = kernel;
        (job._transposeA, job._transposeB, job._accumulate) = (transposeA, transposeB, accumulate);
        (job._m, job._n, job._k, job._lda, job._ldb, job._ldc, job._mr, job._nr) = (m, n, k, lda, ldb, ldc, mr, nr);
        job._a = a;
        job._b = b;
        job._c = c;
        job._mc = GemmDriver.Balanced(m, GemmDriver.BlockRows, mr);
        job._kc = GemmDriver.Balanced(k, GemmDriver.BlockDepth, 1);
        job._split = WorkSplit.SharedCut(n, nr);
        int wider = Math.Max(job._split, n - job._split);
        job._nc = Math.Min(GemmDriver.BlockColumns / nr * nr, GemmDriver.RoundUp(wider, nr));
        job._chunks = (wider + job._nc - 1) / job._nc; // both threads meet at every block of the wider part
        job._packed[0] = 0;
        job._packed[16] = 0;
        job._abandoned = false;
        SecondCore.Start(job);
        bool shared = false;
        try
        {
            shared = job.Share(second: false);
        }
        catch
        {
            job._abandoned = true; // lets the helper out of its wait
            throw;
        }
        finally
        {
            // After a failure here the helper may not have started: then the work is taken back, not run by Wait.
            if (shared || (job._abandoned && !SecondCore.TryWithdraw()))
            {
                SecondCore.Wait();
            }

            // Wait and TryWithdraw release the reservation: the shared job is not touched after them (another caller
            // may already have refilled it), so its fields keep the last operands until the next product.
        }

        if (shared)
        {
            return;
        }

        // The helper never started and the work was withdrawn: the whole product here, C still untouched.
        GemmDriver.Run(kernel, transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
    }

    /// <summary>The second part of the columns (on the helper thread).</summary>
    public override void Execute()
    {
        try
        {
            Share(second: true);
        }
        catch
        {
            _abandoned = true; // lets the caller out of its wait
            throw;
        }
    }

    /// <summary>
    /// Does one thread's part: its columns of C, and its half of the panels of every block of op(A). Returns false,
    /// having written nothing to C, when the caller found no helper and withdrew the work.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Share(bool second)
    {
        int side = second ? 16 : 0, other = second ? 0 : 16;
        int first = second ? _split : 0, end = second ? _n : _split;
        long begin = Stopwatch.GetTimestamp(), waited = 0;
        T* packedB = PackingBuffers<T>.B(_kc * _nc);
        T* tile = PackingBuffers<T>.Tile(_mr * _nr);
        fixed (T* buffers = _blocks)
        {
            T* shared0 = (T*)(((nint)buffers + 63) & ~(nint)63);
            int block = 0;
            for (int chunk = 0; chunk < _chunks; chunk++)
            {
                int jc = first + (chunk * _nc);
                int nc = Math.Max(0, Math.Min(_nc, end - jc));
                for (int pc = 0; pc < _k; pc += _kc)
                {
                    int kc = Math.Min(_kc, _k - pc);
                    if (nc > 0)
                    {
                        T* bBlock = _transposeB ? _b + jc + ((nint)pc * _ldb) : _b + pc + ((nint)jc * _ldb);
                        GemmPacking.PackB(_transposeB, bBlock, _ldb, kc, nc, _nr, packedB);
                    }

                    for (int ic = 0; ic < _m; ic += _mc, block++)
                    {
                        int mc = Math.Min(_mc, _m - ic);
                        T* packedA = shared0 + ((block & 1) * BlockLength);

                        // This thread's half of the block's panels: the first half of them, or the rest.
                        int half = ((mc + _mr - 1) / _mr + 1) / 2 * _mr;
                        int r0 = second ? half : 0, r1 = second ? mc : Math.Min(half, mc);
                        if (r1 > r0)
                        {
                            int row = ic + r0;
                            T* aBlock = _transposeA ? _a + pc + ((nint)row * _lda) : _a + row + ((nint)pc * _lda);
                            GemmPacking.PackA(_transposeA, aBlock, _lda, r1 - r0, kc, _mr, packedA + (r0 * kc));
                        }

                        Volatile.Write(ref _packed[side], block + 1);
                        if (!AwaitOther(other, block + 1, mayWithdraw: !second && block == 0, ref waited))
                        {
                            return false;
                        }

                        if (nc > 0)
                        {
                            GemmDriver.MultiplyBlock(_kernel, mc, nc, kc, _mr, _nr, packedA, packedB, _c + ic + ((nint)jc * _ldc), _ldc, _accumulate || pc > 0, tile);
                        }
                    }
                }
            }
        }

        WorkSplit.RecordSpeed(second, (long)(end - first) * _m * _k, Stopwatch.GetTimestamp() - begin - waited);
        return true;
    }

    /// <summary>Waits until the other thread has packed <paramref name="blocks"/> blocks; false when the caller withdrew the unstarted helper instead.</summary>
    private bool AwaitOther(int other, int blocks, bool mayWithdraw, ref long waited)
    {
        if (Volatile.Read(ref _packed[other]) >= blocks)
        {
            return true;
        }

        long start = Stopwatch.GetTimestamp();
        SpinWait spin = default;
        while (Volatile.Read(ref _packed[other]) < blocks)
        {
            if (_abandoned)
            {
                throw new OperationCanceledException("The other thread of a shared multiply failed.");
            }

            if (mayWithdraw && Stopwatch.GetTimestamp() - start > JoinTicks && SecondCore.TryWithdraw())
            {
                return false;
            }

            spin.SpinOnce(sleep1Threshold: -1);
        }

        long ticks = Stopwatch.GetTimestamp() - start;
        waited += ticks;
        if (other == 16)
        {
            SecondCore.WaitTicks += ticks; // the caller's waits only (the helper's would race)
        }

        return true;
    }
}
