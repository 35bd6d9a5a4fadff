using System.Numerics;
using System.Runtime.InteropServices;

namespace NeuralNet.Kernels;

// A product whose columns are handed to a ColumnFinisher as they are finished (a layer's element-wise passes inside it).
internal static unsafe partial class Gemm
{
    /// <summary>
    /// <see cref="Multiply{T}(bool, bool, int, int, int, ReadOnlySpan{T}, int, ReadOnlySpan{T}, int, Span{T}, int, bool)"/>,
    /// every column of C then handed to <paramref name="finisher"/> once final: by the thread that finished it, per column
    /// group or strip, where the product is shared that way (<see cref="ColumnFinisher"/>). The same bits in C.
    /// </summary>
    public static void MultiplyThenFinish<T>(
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        Span<T> c, int ldc, bool accumulate, ColumnFinisher finisher)
        where T : struct, IFloatingPointIeee754<T>
    {
        if (k > 0 && m > 0 && n > 0 && (typeof(T) == typeof(float) || typeof(T) == typeof(double)) && (long)m * n * k > SmallGemm.TinyWork)
        {
            CheckBounds(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc);
            if (typeof(T) == typeof(float))
            {
                Run(transposeA, transposeB, m, n, k, MemoryMarshal.Cast<T, float>(a), lda, MemoryMarshal.Cast<T, float>(b), ldb, MemoryMarshal.Cast<T, float>(c), ldc, accumulate, GemmKernel.Auto, finisher);
            }
            else
            {
                Run(transposeA, transposeB, m, n, k, MemoryMarshal.Cast<T, double>(a), lda, MemoryMarshal.Cast<T, double>(b), ldb, MemoryMarshal.Cast<T, double>(c), ldc, accumulate, GemmKernel.Auto, finisher);
            }

            return;
        }

        Multiply(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        if (m > 0)
        {
            finisher.Finish(0, n);
        }
    }
}
