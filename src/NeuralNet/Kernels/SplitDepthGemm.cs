using System.Numerics;

namespace NeuralNet.Kernels;

/// <summary>
/// Shares a multiply between the calling thread and <see cref="SecondCore"/> by cutting the depth k in two:
/// <c>C (+)= op(A)[:, :s]·op(B)[:s, :]</c> on the caller, <c>S = op(A)[:, s:]·op(B)[s:, :]</c> on the helper
/// into a scratch matrix, then <c>C += S</c>.
/// </summary>
/// <remarks>
/// A dense layer's forward pass <c>Z = X·Wᵀ</c> has the layer's inputs as its depth. Cut there, each core
/// reads only its half of the weights — the half its share of the optimizer step wrote and the half its
/// share of <c>∂L/∂W</c> (column strips, the caller's first) wrote — so the weights never move between the
/// cores' caches; cut along the outputs instead, each core needs weights the other core just updated,
/// which then move from one core's cache to the other's every step. The cut is <see cref="WorkSplit.ForwardDepthSplit"/>. The result depends only on <c>s</c>, never on which
/// thread ran which half: when the helper is busy the caller computes S itself, the same way.
/// Each half of a product of few rows or few columns (<see cref="WorkSplit.DirectHalves"/>; W2's forward product, 64
/// rows) is multiplied without packing (<see cref="DirectGemm"/>), which sums every element as the packed path does.
/// A network's training step checks its batch for NaN and infinities here (<see cref="Gemm.MultiplySplitDepth{T}"/> with
/// its check on): each core checks the columns of op(A) it is about to multiply, the half of the batch it gathered and
/// holds in its cache. One core checking the whole batch before the step read the other's half into its own cache, and
/// the other core's next write of that half then waited to take its lines back (the measurements are in benchmarks/README.md).
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
internal sealed unsafe class SplitDepthGemm<T> : WorkItem
    where T : unmanaged, IFloatingPointIeee754<T>
{
    // One job object per element type: SecondCore is reserved before it is filled, so it is never shared.
    private static readonly SplitDepthGemm<T> Job = new();

    // The caller's scratch for S (the helper writes into it while the caller waits): grows once per size.
    [ThreadStatic]
    private static T[]? t_scratch;

    private GemmKernel _kernel;
    private bool _transposeA, _transposeB, _direct;
    private int _m, _n, _k, _lda, _ldb;
    private T* _a, _b, _s;
    private T* _largest; // where the helper writes its half's largest magnitude, NaN when not finite (the caller's stack), or null: no check

    /// <summary>
    /// Runs the product with its depth cut at <paramref name="split"/> (0 &lt; split &lt; k): the second half on
    /// the helper thread when it is free, else on this one, with the same result either way. With
    /// <paramref name="largestA"/> (two slots: the first half's, the second's), each half first checks its part of op(A) and
    /// writes there its largest magnitude, or NaN when the part holds a NaN or an infinity (<see cref="Gemm.FiniteMaxMagnitude{T}"/>).
    /// With <paramref name="productNotFinite"/>, C += S sets it to 1 when an element of C is not finite.
    /// </summary>
    public static void Run(
        GemmKernel kernel, bool transposeA, bool transposeB, int m, int n, int k, int split,
        T* a, int lda, T* b, int ldb, T* c, int ldc, bool accumulate, T* largestA = null, int* productNotFinite = null)
    {
        T[] buffer = t_scratch is { } existing && existing.Length >= m * n
            ? existing
            : t_scratch = AlignedArrays.Allocate<T>(m * n); // pinned too
        T* a2 = transposeA ? a + split : a + ((nint)split * lda);
        T* b2 = transposeB ? b + ((nint)split * ldb) : b + split;
        bool direct = kernel == GemmKernels.Best && WorkSplit.DirectHalves<T>(transposeA, m, n, lda, split, k - split);
        fixed (T* scratch = buffer)
        {
            if (WorkSplit.TwoCores && SecondCore.TryReserve())
            {
                SplitDepthGemm<T> job = Job;
                job._kernel = kernel;
                (job._transposeA, job._transposeB, job._direct) = (transposeA, transposeB, direct);
                (job._m, job._n, job._k, job._lda, job._ldb) = (m, n, k - split, lda, ldb);
                job._a = a2;
                job._b = b2;
                job._s = scratch;
                job._largest = largestA is null ? null : largestA + 1;
                SecondCore.Start(job);
                try
                {
                    Measure(transposeA, m, split, a, lda, largestA);
                    Half(direct, kernel, transposeA, transposeB, m, n, split, a, lda, b, ldb, c, ldc, accumulate);
                }
                finally
                {
                    SecondCore.Wait(); // releases the reservation: the shared job is not touched after it (another caller may refill it)
                }
            }
            else
            {
                Measure(transposeA, m, split, a, lda, largestA);
                Measure(transposeA, m, k - split, a2, lda, largestA is null ? null : largestA + 1);
                Half(direct, kernel, transposeA, transposeB, m, n, split, a, lda, b, ldb, c, ldc, accumulate);
                Half(direct, kernel, transposeA, transposeB, m, n, k - split, a2, lda, b2, ldb, scratch, m, accumulate: false);
            }

            if (productNotFinite is not null)
            {
                AddMeasured(m, n, c, ldc, scratch, productNotFinite);
            }
            else if (ldc == m)
            {
                Span<T> all = new(c, m * n);
                System.Numerics.Tensors.TensorPrimitives.Add(all, new ReadOnlySpan<T>(scratch, m * n), all); // C += S, C's columns adjacent: one pass
            }
            else
            {
                for (int j = 0; j < n; j++)
                {
                    Span<T> column = new(c + ((nint)j * ldc), m);
                    System.Numerics.Tensors.TensorPrimitives.Add(column, new ReadOnlySpan<T>(scratch + ((nint)j * m), m), column); // C += S
                }
            }
        }
    }

    /// <summary>S = the second half of the depth (on the helper thread).</summary>
    public override void Execute()
    {
        Measure(_transposeA, _m, _k, _a, _lda, _largest);
        Half(_direct, _kernel, _transposeA, _transposeB, _m, _n, _k, _a, _lda, _b, _ldb, _s, _m, accumulate: false);
    }

    /// <summary>
    /// Writes to <paramref name="largest"/> (when not null) the largest magnitude in one half's <paramref name="depth"/>
    /// columns of op(A) (m rows, from <paramref name="a"/>), or NaN if they hold a NaN or an infinity: each core checks the
    /// part of the input it multiplies, just before it does, so a layer's input is checked where it already is (in that
    /// core's cache) instead of by one core reading the other's half.
    /// </summary>
    private static void Measure(bool transposeA, int m, int depth, T* a, int lda, T* largest)
    {
        if (largest is not null)
        {
            (int runs, int length) = transposeA ? (m, depth) : (depth, m);
            *largest = Gemm.FiniteMaxMagnitude(transposeA, m, depth, new ReadOnlySpan<T>(a, ((runs - 1) * lda) + length), lda);
        }
    }

    /// <summary>One half of the depth, without packing (<paramref name="direct"/>) or packed: the same sums either way.</summary>
    private static void Half(
        bool direct, GemmKernel kernel, bool transposeA, bool transposeB, int m, int n, int k,
        T* a, int lda, T* b, int ldb, T* c, int ldc, bool accumulate)
    {
        if (direct)
        {
            DirectGemm.Run(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        }
        else
        {
            GemmDriver.Run(kernel, transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        }
    }

    /// <summary>C += S (the helper's half of the depth), setting <paramref name="productNotFinite"/> when a sum is not finite.</summary>
    private static void AddMeasured(int m, int n, T* c, int ldc, T* scratch, int* productNotFinite)
    {
        bool finite = true;
        if (ldc == m)
        {
            finite = Elementwise.AddFinite(new Span<T>(c, m * n), new ReadOnlySpan<T>(scratch, m * n)); // C's columns adjacent: one pass
        }
        else
        {
            for (int j = 0; j < n; j++)
            {
                finite &= Elementwise.AddFinite(new Span<T>(c + ((nint)j * ldc), m), new ReadOnlySpan<T>(scratch + ((nint)j * m), m));
            }
        }

        if (!finite)
        {
            *productNotFinite = 1;
        }
    }
}
