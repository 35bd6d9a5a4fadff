using System.Numerics;

namespace NeuralNet.Kernels;

/// <summary>
/// Splits a large multiply into two halves of C, one for the calling thread and one for
/// <see cref="SecondCore"/>; each half packs its own panels. The split runs along the longer side of C,
/// on whole micro-tiles, so that the halves do the same work.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal sealed unsafe class ParallelGemm<T> : WorkItem
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Below this many multiply-adds (m·n·k) one core does the whole product: the hand-over costs a few
    /// microseconds, about what 2 million multiply-adds take on one core.
    /// </summary>
    public const long MinimumWork = 1L << 20;

    // One job object per element type: SecondCore is reserved before it is filled, so it is never shared.
    private static readonly ParallelGemm<T> Job = new();

    private GemmKernel _kernel;
    private bool _transposeA, _transposeB, _accumulate;
    private int _m, _n, _k, _lda, _ldb, _ldc;
    private T* _a, _b, _c;

    /// <summary>Runs the product on two cores when it is large enough and the second core is free; else on this thread.</summary>
    public static void Run(
        GemmKernel kernel, bool transposeA, bool transposeB, int m, int n, int k,
        T* a, int lda, T* b, int ldb, T* c, int ldc, bool accumulate)
    {
        int mr = GemmKernels.RowsPerTile<T>(kernel);
        int nr = GemmKernels.ColumnsPerTile(kernel);
        bool large = (long)m * n * k >= MinimumWork && SecondCore.Exists;
        bool splitColumns = n >= 2 * nr && (n >= m || m < 2 * mr);
        bool splitRows = !splitColumns && m >= 2 * mr;
        if (!large || !(splitColumns || splitRows))
        {
            GemmDriver.Run(kernel, transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
            return;
        }

        if (!SecondCore.TryReserve())
        {
            GemmDriver.Run(kernel, transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
            return;
        }

        ParallelGemm<T> job = Job;
        job._kernel = kernel;
        job._transposeA = transposeA;
        job._transposeB = transposeB;
        job._accumulate = accumulate;
        job._k = k;
        job._lda = lda;
        job._ldb = ldb;
        job._ldc = ldc;
        int m1 = m, n1 = n;
        if (splitColumns)
        {
            n1 = (n / 2 + nr - 1) / nr * nr;
            (job._m, job._n) = (m, n - n1);
            job._a = a;
            job._b = transposeB ? b + n1 : b + ((nint)n1 * ldb);
            job._c = c + ((nint)n1 * ldc);
        }
        else
        {
            m1 = (m / 2 + mr - 1) / mr * mr;
            (job._m, job._n) = (m - m1, n);
            job._a = transposeA ? a + ((nint)m1 * lda) : a + m1;
            job._b = b;
            job._c = c + m1;
        }

        SecondCore.Start(job);
        try
        {
            GemmDriver.Run(kernel, transposeA, transposeB, m1, n1, k, a, lda, b, ldb, c, ldc, accumulate);
        }
        finally
        {
            SecondCore.Wait();
        }
    }

    /// <inheritdoc />
    public override void Execute()
        => GemmDriver.Run(_kernel, _transposeA, _transposeB, _m, _n, _k, _a, _lda, _b, _ldb, _c, _ldc, _accumulate);
}
