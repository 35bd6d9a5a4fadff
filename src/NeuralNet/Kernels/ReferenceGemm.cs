using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNet.Kernels;

/// <summary>
/// The straightforward GEMM, with the semantics of <see cref="Gemm"/>: the path of element types other
/// than float and double, and the reference the fast kernels are tested against.
/// </summary>
internal static class ReferenceGemm
{
    /// <summary>Multiplies into <paramref name="c"/>; the three spans must not overlap.</summary>
    public static void Multiply<T>(
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        Span<T> c, int ldc, bool accumulate)
        where T : struct, IFloatingPointIeee754<T>
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        if (!accumulate)
        {
            for (int j = 0; j < n; j++)
            {
                c.Slice(j * ldc, m).Clear();
            }
        }

        if (k == 0)
        {
            return;
        }

        if (!transposeA)
        {
            // C[:, j] += A[:, p] · op(B)[p, j]: an axpy over a contiguous column of A.
            for (int j = 0; j < n; j++)
            {
                Span<T> cj = c.Slice(j * ldc, m);
                for (int p = 0; p < k; p++)
                {
                    T bpj = transposeB ? b[j + p * ldb] : b[p + j * ldb];
                    if (bpj != T.Zero)
                    {
                        TensorPrimitives.MultiplyAdd(a.Slice(p * lda, m), bpj, cj, cj);
                    }
                }
            }
        }
        else if (!transposeB)
        {
            // C[i, j] += A[:, i] · B[:, j]: a dot product of two contiguous columns.
            for (int j = 0; j < n; j++)
            {
                ReadOnlySpan<T> bj = b.Slice(j * ldb, k);
                for (int i = 0; i < m; i++)
                {
                    c[i + j * ldc] += TensorPrimitives.Dot(a.Slice(i * lda, k), bj);
                }
            }
        }
        else
        {
            // C[i, j] += Σp A[p, i] · B[j, p]
            for (int j = 0; j < n; j++)
            {
                for (int i = 0; i < m; i++)
                {
                    T sum = T.Zero;
                    for (int p = 0; p < k; p++)
                    {
                        sum += a[p + i * lda] * b[j + p * ldb];
                    }

                    c[i + j * ldc] += sum;
                }
            }
        }
    }
}
