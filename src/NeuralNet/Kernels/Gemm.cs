using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralNet.Kernels;

/// <summary>
/// General matrix multiply on column-major storage (MathNet's dense layout):
/// <c>C = op(A)·op(B)</c>, or <c>C += op(A)·op(B)</c> when <c>accumulate</c> is set, where op is the
/// identity or the transpose. C is m×n, op(A) is m×k, op(B) is k×n. Leading dimensions are the
/// distance between consecutive columns of the stored (untransposed) matrix.
/// </summary>
/// <remarks>
/// Float and double take the fast paths: plain loops for tiny products, a row-streaming path for C with
/// a few rows, the micro-kernel's arithmetic without packing for other products on one core
/// (<see cref="DirectGemm"/>), and otherwise packed panels, cache blocking and a register-tiled SIMD micro-kernel
/// (<see cref="GemmDriver"/>), on both cores for large products (<see cref="ParallelGemm{T}"/>, as <see cref="WorkSplit"/> decides).
/// Other element types use <see cref="ReferenceGemm"/>.
/// <para>Bounds: every kernel below this class (<see cref="SmallGemm"/>, <see cref="DirectGemm"/>, <see cref="GemmDriver"/>, the packing, the
/// micro-kernels, <see cref="ParallelGemm{T}"/>, <see cref="SharedBlockGemm{T}"/>, <see cref="SplitDepthGemm{T}"/>)
/// works on raw pointers without bounds checks and takes its bounds only from m, n, k and the leading dimensions.
/// Those are checked here, once per product, against the lengths of the three spans the pointers come from
/// (<see cref="CheckBounds{T}"/>); the spans come from arrays whose sizes the public boundary computed without
/// overflow (<c>ShapeCheck.Product</c>). So no size a caller can pass reaches memory outside those arrays.</para>
/// </remarks>
internal static unsafe partial class Gemm
{
    /// <summary>Multiplies into <paramref name="c"/>; the three spans must not overlap.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Multiply<T>(
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        Span<T> c, int ldc, bool accumulate)
        where T : struct, IFloatingPointIeee754<T>
    {
        // Tiny float and double products (per-sample training: a few dozen multiply-adds each, millions a second) go
        // straight to the plain loops, past the dispatch below, where the call and its set-up cost more than the
        // arithmetic. Their bounds are checked first, as every product's are. (Negative sizes fail the check.)
        if ((typeof(T) == typeof(double) || typeof(T) == typeof(float)) && (long)m * n * k <= SmallGemm.TinyWork)
        {
            CheckBounds(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc);
            Tiny(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
            return;
        }

        Multiply(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, GemmKernel.Auto);
    }

    /// <summary><see cref="SmallGemm.Tiny"/> on the spans of a float or double product whose bounds were checked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tiny<T>(
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        Span<T> c, int ldc, bool accumulate)
        where T : struct
    {
        if (typeof(T) == typeof(double))
        {
            fixed (double* pa = &Unsafe.As<T, double>(ref MemoryMarshal.GetReference(a)),
                pb = &Unsafe.As<T, double>(ref MemoryMarshal.GetReference(b)),
                pc = &Unsafe.As<T, double>(ref MemoryMarshal.GetReference(c)))
            {
                SmallGemm.Tiny(transposeA, transposeB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate);
            }
        }
        else
        {
            fixed (float* pa = &Unsafe.As<T, float>(ref MemoryMarshal.GetReference(a)),
                pb = &Unsafe.As<T, float>(ref MemoryMarshal.GetReference(b)),
                pc = &Unsafe.As<T, float>(ref MemoryMarshal.GetReference(c)))
            {
                SmallGemm.Tiny(transposeA, transposeB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate);
            }
        }
    }

    /// <summary>Multiplies into <paramref name="c"/> with a chosen micro-kernel (the tests run each one).</summary>
    public static void Multiply<T>(
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        Span<T> c, int ldc, bool accumulate, GemmKernel kernel)
        where T : struct, IFloatingPointIeee754<T>
    {
        CheckBounds(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc);
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            if (!accumulate)
            {
                for (int j = 0; j < n; j++)
                {
                    c.Slice(j * ldc, m).Clear();
                }
            }

            return;
        }

        if (typeof(T) == typeof(float))
        {
            Run(transposeA, transposeB, m, n, k, MemoryMarshal.Cast<T, float>(a), lda, MemoryMarshal.Cast<T, float>(b), ldb, MemoryMarshal.Cast<T, float>(c), ldc, accumulate, kernel);
        }
        else if (typeof(T) == typeof(double))
        {
            Run(transposeA, transposeB, m, n, k, MemoryMarshal.Cast<T, double>(a), lda, MemoryMarshal.Cast<T, double>(b), ldb, MemoryMarshal.Cast<T, double>(c), ldc, accumulate, kernel);
        }
        else
        {
            ReferenceGemm.Multiply(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        }
    }

    /// <summary>
    /// <c>C = v·1ᵀ + op(A)·op(B)</c>: each column j of C becomes <paramref name="columnValues"/>[j] (a layer's bias), and the
    /// product is added to it, with the bits of filling C and then multiplying with <c>accumulate</c>. A product shared by
    /// both cores in column groups (<see cref="ColumnGroupGemm{T}"/>) fills each panel of C just before it multiplies it,
    /// where the fill costs no pass over C of its own; other products fill C first. With <paramref name="finisher"/>, every
    /// column of C is handed to it once final (<see cref="ColumnFinisher"/>).
    /// </summary>
    public static void MultiplyOntoColumnValues<T>(
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        Span<T> c, int ldc, ReadOnlySpan<T> columnValues, ColumnFinisher? finisher = null)
        where T : struct, IFloatingPointIeee754<T>
    {
        CheckBounds(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc);
        ArgumentOutOfRangeException.ThrowIfLessThan(columnValues.Length, Math.Max(n, 0), nameof(columnValues));
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k > 0 && typeof(T) == typeof(float))
        {
            RunOntoColumnValues(transposeA, transposeB, m, n, k, MemoryMarshal.Cast<T, float>(a), lda, MemoryMarshal.Cast<T, float>(b), ldb, MemoryMarshal.Cast<T, float>(c), ldc, MemoryMarshal.Cast<T, float>(columnValues), finisher);
        }
        else if (k > 0 && typeof(T) == typeof(double))
        {
            RunOntoColumnValues(transposeA, transposeB, m, n, k, MemoryMarshal.Cast<T, double>(a), lda, MemoryMarshal.Cast<T, double>(b), ldb, MemoryMarshal.Cast<T, double>(c), ldc, MemoryMarshal.Cast<T, double>(columnValues), finisher);
        }
        else
        {
            for (int j = 0; j < n; j++)
            {
                c.Slice(j * ldc, m).Fill(columnValues[j]);
            }

            Multiply(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate: true, GemmKernel.Auto);
            finisher?.Finish(0, n);
        }
    }

    /// <summary>Each column j of the m × n block at <paramref name="c"/> (column stride <paramref name="ldc"/>) set to <paramref name="values"/>[j].</summary>
    internal static void FillColumns<T>(T* c, int ldc, int m, int n, T* values)
        where T : unmanaged
    {
        for (int j = 0; j < n; j++)
        {
            new Span<T>(c + ((nint)j * ldc), m).Fill(values[j]);
        }
    }

    private static void Run<T>(
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        Span<T> c, int ldc, bool accumulate, GemmKernel kernel, ColumnFinisher? finisher = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* pa = a, pb = b, pc = c)
        {
            Dispatch(kernel, transposeA, transposeB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate, columnStart: null, finisher);
        }
    }

    /// <summary>A float or double product onto column values (<see cref="MultiplyOntoColumnValues{T}"/>), its bounds checked.</summary>
    private static void RunOntoColumnValues<T>(
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        Span<T> c, int ldc, ReadOnlySpan<T> columnValues, ColumnFinisher? finisher)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* pa = a, pb = b, pc = c, pv = columnValues)
        {
            Dispatch(GemmKernel.Auto, transposeA, transposeB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate: true, pv, finisher);
        }
    }

    /// <summary>
    /// Picks the path of a float or double product (k ≥ 1). With <paramref name="columnStart"/> (or null), each column j
    /// of C first becomes <c>columnStart[j]</c>: the two-core paths pass it on, the others fill C first. With
    /// <paramref name="finisher"/>, the two-core paths hand it columns as they finish them, the others all columns after.
    /// </summary>
    private static void Dispatch<T>(
        GemmKernel kernel, bool transposeA, bool transposeB, int m, int n, int k,
        T* pa, int lda, T* pb, int ldb, T* pc, int ldc, bool accumulate, T* columnStart, ColumnFinisher? finisher)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long work = (long)m * n * k;
        bool auto = kernel == GemmKernel.Auto;
        if (!auto || (work > SmallGemm.TinyWork && m > SmallGemm.FewRowsLimit && !DirectGemm.Takes<T>(transposeA, m, n, k) && !DirectGemm.TakesOnTwoCores<T>(transposeA, m, n, k, lda)))
        {
            ParallelGemm<T>.Run(GemmKernels.Resolve(kernel), transposeA, transposeB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate, columnStart, finisher);
            return;
        }

        if (columnStart != null)
        {
            FillColumns(pc, ldc, m, n, columnStart);
            accumulate = true;
        }

        if (work <= SmallGemm.TinyWork)
        {
            SmallGemm.Tiny(transposeA, transposeB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate);
        }
        else if (m <= SmallGemm.FewRowsLimit)
        {
            SmallGemm.FewRows(transposeA, transposeB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate);
        }
        else if (DirectGemm.Takes<T>(transposeA, m, n, k))
        {
            DirectGemm.Run(transposeA, transposeB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate);
        }
        else
        {
            ParallelGemm<T>.RunDirect(transposeA, transposeB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate);
        }

        finisher?.Finish(0, n);
    }
}
