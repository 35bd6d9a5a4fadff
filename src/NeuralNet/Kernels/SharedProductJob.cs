using System.Numerics;

namespace NeuralNet.Kernels;

/// <summary>
/// A product shared by the calling thread and <see cref="SecondCore"/>, each claiming its pieces from its own end (the
/// caller from the first, the helper from the last) and waiting, where a piece needs another's result, for a counter of
/// finished pieces: <see cref="SharedBlockGemm{T}"/> and <see cref="ColumnGroupGemm{T}"/>. This is the mechanism they
/// share: the product's operands and depth blocks, the run on both cores, the two-ended claims, the waits, and the failure
/// of one thread letting the other out of its waits.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal abstract unsafe class SharedProductJob<T> : WorkItem
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private volatile bool _abandoned;

    // The product C (+)= op(A)·op(B), m × n, depth k, as set by SetProduct; tiles of _mr × _nr; depth blocks of _kc, as GemmDriver's.
    private protected GemmKernel _kernel;
    private protected bool _transposeA, _transposeB, _accumulate;
    private protected int _m, _n, _k, _lda, _ldb, _ldc, _mr, _nr, _kc, _depthBlocks;
    private protected T* _a, _b, _c;

    /// <summary>Does the pieces this thread claims, from the first piece or from the last.</summary>
    internal abstract void Work(bool fromEnd);

    /// <summary>The pieces claimed from the end (on the helper thread).</summary>
    public sealed override void Execute()
    {
        try
        {
            Work(fromEnd: true);
        }
        catch
        {
            _abandoned = true; // lets the caller out of its waits
            throw;
        }
    }

    /// <summary>Runs a prepared job on this thread and the reserved <see cref="SecondCore"/>, which is released on return.</summary>
    protected static void RunOnBothCores(SharedProductJob<T> job)
    {
        SecondCore.Start(job);
        try
        {
            job.Work(fromEnd: false);
        }
        catch
        {
            job._abandoned = true; // lets the helper out of its waits
            throw;
        }
        finally
        {
            SecondCore.Wait(); // after the caller's part every piece is claimed: an unstarted helper finds nothing to do
        }
    }

    /// <summary>
    /// Sets the product to share, its tile sizes and its depth blocks (GemmDriver's: the same sums in the same order), and
    /// clears a failure of the previous product.
    /// </summary>
    private protected void SetProduct(
        GemmKernel kernel, bool transposeA, bool transposeB, int m, int n, int k,
        T* a, int lda, T* b, int ldb, T* c, int ldc, bool accumulate)
    {
        _kernel = kernel;
        (_transposeA, _transposeB, _accumulate) = (transposeA, transposeB, accumulate);
        (_m, _n, _k, _lda, _ldb, _ldc) = (m, n, k, lda, ldb, ldc);
        _a = a;
        _b = b;
        _c = c;
        _mr = GemmKernels.RowsPerTile<T>(kernel);
        _nr = GemmKernels.ColumnsPerTile(kernel);
        _kc = GemmDriver.Balanced(k, GemmDriver.BlockDepth, 1);
        _depthBlocks = (k + _kc - 1) / _kc;
        _abandoned = false;
    }

    /// <summary>
    /// Waits until <paramref name="counter"/> reaches <paramref name="target"/> (pieces done by whichever thread claimed
    /// them); the caller's waits are added to <see cref="SecondCore.WaitTicks"/> (the helper's would race).
    /// </summary>
    protected void AwaitDone(ref int counter, int target, bool helper)
    {
        if (Volatile.Read(ref counter) >= target)
        {
            return;
        }

        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        SpinWait spin = default;
        while (Volatile.Read(ref counter) < target)
        {
            if (_abandoned)
            {
                throw new OperationCanceledException("The other thread of a shared multiply failed.");
            }

            spin.SpinOnce(sleep1Threshold: -1);
        }

        if (!helper)
        {
            SecondCore.WaitTicks += System.Diagnostics.Stopwatch.GetTimestamp() - start;
        }
    }

    /// <summary>Piece <paramref name="piece"/> of <paramref name="pieces"/> nearly equal ranges of whole units (panels) covering <paramref name="length"/>.</summary>
    private protected static (int Start, int End) Range(int piece, int pieces, int length, int unit)
    {
        int units = (length + unit - 1) / unit;
        return (Math.Min(length, piece * units / pieces * unit), Math.Min(length, (piece + 1) * units / pieces * unit));
    }

    /// <summary>
    /// Claims one of <paramref name="pieces"/> pieces from the start (the caller) or the end (the helper) of a two-ended
    /// counter: the low word counts the pieces taken from the start, the high word those from the end; -1 when none is left.
    /// </summary>
    private protected static int Claim(ref long claims, int pieces, bool fromEnd)
    {
        while (true)
        {
            long word = Volatile.Read(ref claims);
            int low = (int)word, high = (int)(word >> 32);
            if (low + high >= pieces)
            {
                return -1;
            }

            if (Interlocked.CompareExchange(ref claims, fromEnd ? word + (1L << 32) : word + 1, word) == word)
            {
                return fromEnd ? pieces - 1 - high : low;
            }
        }
    }
}
