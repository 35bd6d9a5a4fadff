using System.Numerics;

namespace NeuralNet.Kernels;

/// <summary>
/// Shares a large multiply between the calling thread and <see cref="SecondCore"/>: large products cut by
/// columns go to <see cref="SharedBlockGemm{T}"/>, which packs op(A) once for both cores; otherwise C is cut into a few
/// strips along its longer side (whole micro-tiles each), and both threads claim strips until none is left:
/// the caller from the first strip up, the helper from the last strip down. Each strip packs its own panels.
/// Taking strips rather than fixed halves keeps both cores busy when one of them is slowed by other work on
/// the machine; claiming from opposite ends gives each core the same part of C every time (with two strips:
/// the caller the first half), so that data a core wrote stays in its cache for the next step (see
/// <see cref="SplitDepthGemm{T}"/>).
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal sealed unsafe class ParallelGemm<T> : WorkItem
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Multiply-adds per strip, about: enough that a strip's packing and hand-over stay small beside it.</summary>
    private const long WorkPerStrip = 1L << 21;

    /// <summary>
    /// At most this many strips: each packs all of op(A) again. 4 rather than 8 measured slightly faster in alternating
    /// runs (f32 sq1024 354-357 against 351-354 GFLOP/s, w3dW 395-405 against 388-392) and still balances a slowed core.
    /// </summary>
    private const int MaximumStrips = 4;

    /// <summary>
    /// From this size of op(A) on (bytes), C is cut into two halves only: every strip packs all of op(A), and an
    /// operand this large no longer stays in the shared L3 cache between strips but comes from memory each time.
    /// Measured on Zen 5 in alternating runs: sq2048 f32 (16 MB) 8 strips 322-326, halves 356-367 GFLOP/s; below it
    /// (f32 sq1024, 4 MB) more strips were faster, and large products below it now share packed blocks of op(A)
    /// (<see cref="SharedBlockGemm{T}"/>), which were no faster above it.
    /// </summary>
    private const long LargeOperandBytes = 8L << 20;

    // One job object per element type: SecondCore is reserved before it is filled, so it is never shared.
    private static readonly ParallelGemm<T> Job = new();

    private GemmKernel _kernel;
    private bool _transposeA, _transposeB, _accumulate, _byColumns;
    private readonly int[] _claimed = new int[MaximumStrips];
    private int _m, _n, _k, _lda, _ldb, _ldc, _strip, _strips;
    private T* _a, _b, _c;

    /// <summary>Runs the product on two cores when it is large enough and the second core is free; else on this thread.</summary>
    public static void Run(
        GemmKernel kernel, bool transposeA, bool transposeB, int m, int n, int k,
        T* a, int lda, T* b, int ldb, T* c, int ldc, bool accumulate)
    {
        int mr = GemmKernels.RowsPerTile<T>(kernel);
        int nr = GemmKernels.ColumnsPerTile(kernel);
        long work = (long)m * n * k;
        bool byColumns = n >= 2 * nr && (n >= m || m < 2 * mr);
        bool byRows = !byColumns && m >= 2 * mr;
        if (work < Gemm.MinimumParallelWork || !SecondCore.Exists || !(byColumns || byRows) || !SecondCore.TryReserve())
        {
            GemmDriver.Run(kernel, transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
            return;
        }

        bool large = (long)m * k * sizeof(T) >= LargeOperandBytes;
        if (SharedBlockGemm<T>.Suits(byColumns, work, large))
        {
            SharedBlockGemm<T>.Run(kernel, transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
            return;
        }

        int length = byColumns ? n : m, unit = byColumns ? nr : mr;
        int strips = large ? 2 : (int)Math.Clamp(work / WorkPerStrip, 2, Math.Min(MaximumStrips, length / unit)) & ~1;
        ParallelGemm<T> job = Job;
        job._kernel = kernel;
        (job._transposeA, job._transposeB, job._accumulate, job._byColumns) = (transposeA, transposeB, accumulate, byColumns);
        (job._m, job._n, job._k, job._lda, job._ldb, job._ldc) = (m, n, k, lda, ldb, ldc);
        job._a = a;
        job._b = b;
        job._c = c;
        job._strip = ((length + strips - 1) / strips + unit - 1) / unit * unit;
        job._strips = strips;
        Array.Clear(job._claimed);
        SecondCore.Start(job);
        try
        {
            job.Claim(fromEnd: false);
        }
        finally
        {
            SecondCore.Wait();
        }
    }

    /// <summary>Takes strips from the last one down (the helper thread).</summary>
    public override void Execute() => Claim(fromEnd: true);

    /// <summary>Takes the strips no other thread has taken, in order from one end.</summary>
    private void Claim(bool fromEnd)
    {
        for (int i = 0; i < _strips; i++)
        {
            int strip = fromEnd ? _strips - 1 - i : i;
            if (Interlocked.Exchange(ref _claimed[strip], 1) != 0)
            {
                continue;
            }

            int start = strip * _strip;
            if (_byColumns)
            {
                int columns = Math.Min(_strip, _n - start);
                if (columns > 0)
                {
                    T* b = _transposeB ? _b + start : _b + ((nint)start * _ldb);
                    GemmDriver.Run(_kernel, _transposeA, _transposeB, _m, columns, _k, _a, _lda, b, _ldb, _c + ((nint)start * _ldc), _ldc, _accumulate);
                }
            }
            else
            {
                int rows = Math.Min(_strip, _m - start);
                if (rows > 0)
                {
                    T* a = _transposeA ? _a + ((nint)start * _lda) : _a + start;
                    GemmDriver.Run(_kernel, _transposeA, _transposeB, rows, _n, _k, a, _lda, _b, _ldb, _c + start, _ldc, _accumulate);
                }
            }
        }
    }
}
