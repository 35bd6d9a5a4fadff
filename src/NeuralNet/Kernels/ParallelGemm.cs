using System.Numerics;

namespace NeuralNet.Kernels;

/// <summary>
/// Shares a multiply between the calling thread and <see cref="SecondCore"/> as <see cref="WorkSplit.Product"/> decides:
/// in shared packed blocks (<see cref="SharedBlockGemm{T}"/>) or in strips of C that both threads claim until none is
/// left, the caller from the first strip up, the helper from the last strip down, each strip packing its own panels.
/// Claiming from opposite ends gives each core the same part of C every time (with two strips: the caller the first
/// half), so that data a core wrote stays in its cache for the next step. Products of few rows go as two halves of
/// columns multiplied without packing (<see cref="RunDirect"/>).
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal sealed unsafe class ParallelGemm<T> : WorkItem
    where T : unmanaged, IFloatingPointIeee754<T>
{
    // One job object per element type: SecondCore is reserved before it is filled, so it is never shared.
    private static readonly ParallelGemm<T> Job = new();

    private GemmKernel _kernel;
    private bool _transposeA, _transposeB, _accumulate, _byColumns, _direct;
    private readonly int[] _claimed = new int[WorkSplit.MaximumStrips];
    private int _m, _n, _k, _lda, _ldb, _ldc, _strip, _strips;
    private T* _a, _b, _c;
    private ColumnFinisher? _finisher;

    /// <summary>Runs the product on two cores when it is large enough and the second core is free; else on this thread.</summary>
    public static void Run(
        GemmKernel kernel, bool transposeA, bool transposeB, int m, int n, int k,
        T* a, int lda, T* b, int ldb, T* c, int ldc, bool accumulate)
        => Run(kernel, transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, columnStart: null);

    /// <summary>
    /// As <see cref="Run(GemmKernel, bool, bool, int, int, int, T*, int, T*, int, T*, int, bool)"/>; with
    /// <paramref name="columnStart"/> (n values, or null), each column j of C first becomes <c>columnStart[j]</c> and the
    /// product is added to it (<see cref="ColumnGroupGemm{T}"/> fills each panel just before it multiplies it; the other
    /// paths fill C first). With <paramref name="finisher"/>, every column of C is handed to it once finished
    /// (<see cref="ColumnFinisher"/>: per column group or column strip, by the thread that computed it; else after the product).
    /// </summary>
    public static void Run(
        GemmKernel kernel, bool transposeA, bool transposeB, int m, int n, int k,
        T* a, int lda, T* b, int ldb, T* c, int ldc, bool accumulate, T* columnStart, ColumnFinisher? finisher = null)
    {
        int mr = GemmKernels.RowsPerTile<T>(kernel);
        int nr = GemmKernels.ColumnsPerTile(kernel);
        ProductSplit split = WorkSplit.Product(m, n, k, mr, nr, out bool byColumns, out int strips);
        if (split != ProductSplit.OneCore)
        {
            GemmDriver.PrepareFor<T>(kernel, m, n, k); // the buffers of the fallback below, made before the second core is asked
        }

        bool reserved = split != ProductSplit.OneCore && SecondCore.TryReserve();
        if (reserved && split == ProductSplit.SharedBlocks && ColumnGroupGemm<T>.Takes(m, k, mr))
        {
            ColumnGroupGemm<T>.Run(kernel, transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, columnStart, finisher);
            return;
        }

        if (columnStart != null)
        {
            Gemm.FillColumns(c, ldc, m, n, columnStart);
            accumulate = true;
        }

        if (!reserved)
        {
            GemmDriver.Run(kernel, transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
            finisher?.Finish(0, n);
            return;
        }

        if (split == ProductSplit.SharedBlocks)
        {
            SharedBlockGemm<T>.Run(kernel, transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
            finisher?.Finish(0, n);
            return;
        }

        int length = byColumns ? n : m, unit = byColumns ? nr : mr;
        Share(kernel, transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, byColumns, direct: false, strips,
            ((length + strips - 1) / strips + unit - 1) / unit * unit, byColumns ? finisher : null);
        if (!byColumns)
        {
            finisher?.Finish(0, n); // row strips finish no column before both are done
        }
    }

    /// <summary>
    /// Runs a product of <see cref="DirectGemm"/>'s kind on two cores: C cut into two halves of columns, each thread
    /// multiplying its half without packing, or, for a product of few columns, its depth cut in two
    /// (<see cref="WorkSplit.DirectDepthHalves"/>; <paramref name="depthHalves"/> overrides the choice for the runner's A/B);
    /// else on this thread. Every way gives the same bits.
    /// </summary>
    public static void RunDirect(
        bool transposeA, bool transposeB, int m, int n, int k,
        T* a, int lda, T* b, int ldb, T* c, int ldc, bool accumulate, bool? depthHalves = null)
    {
        if (!SecondCore.TryReserve())
        {
            DirectGemm.Run(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
            return;
        }

        if (depthHalves ?? WorkSplit.DirectDepthHalves(transposeA, n, k))
        {
            DirectGemm.RunDepthHalves(transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
            return;
        }

        int half = (n + 1) / 2;
        Share(GemmKernels.Best, transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, byColumns: true, direct: true, strips: 2, half, finisher: null);
    }

    private static void Share(
        GemmKernel kernel, bool transposeA, bool transposeB, int m, int n, int k,
        T* a, int lda, T* b, int ldb, T* c, int ldc, bool accumulate, bool byColumns, bool direct, int strips, int strip, ColumnFinisher? finisher)
    {
        ParallelGemm<T> job = Job;
        job._kernel = kernel;
        (job._transposeA, job._transposeB, job._accumulate, job._byColumns) = (transposeA, transposeB, accumulate, byColumns);
        (job._m, job._n, job._k, job._lda, job._ldb, job._ldc) = (m, n, k, lda, ldb, ldc);
        job._a = a;
        job._b = b;
        job._c = c;
        job._direct = direct;
        job._strip = strip;
        job._strips = strips;
        job._finisher = finisher;
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

            int start = strip * _strip, size = _strip;
            if (_byColumns)
            {
                int columns = Math.Min(size, _n - start);
                if (columns > 0)
                {
                    T* b = _transposeB ? _b + start : _b + ((nint)start * _ldb);
                    if (_direct)
                    {
                        DirectGemm.Run(_transposeA, _transposeB, _m, columns, _k, _a, _lda, b, _ldb, _c + ((nint)start * _ldc), _ldc, _accumulate);
                    }
                    else
                    {
                        GemmDriver.Run(_kernel, _transposeA, _transposeB, _m, columns, _k, _a, _lda, b, _ldb, _c + ((nint)start * _ldc), _ldc, _accumulate);
                    }

                    _finisher?.Finish(start, columns); // the strip's columns are final, and in this core's cache
                }
            }
            else
            {
                int rows = Math.Min(size, _m - start);
                if (rows > 0)
                {
                    T* a = _transposeA ? _a + ((nint)start * _lda) : _a + start;
                    GemmDriver.Run(_kernel, _transposeA, _transposeB, rows, _n, _k, a, _lda, _b, _ldb, _c + start, _ldc, _accumulate);
                }
            }
        }
    }
}
