using System.Runtime.CompilerServices;

namespace NeuralNet.Kernels;

/// <summary>
/// Copies blocks of op(A) and op(B) into the panel order the micro-kernels read: consecutive,
/// aligned to the tile, zero-padded at the edges, so the kernel's inner loop walks two contiguous streams.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs the block of op(A) with rows <c>[0, mc)</c> and columns <c>[0, kc)</c> (the pointer already
    /// offset to the block's first element) into panels of <paramref name="mr"/> rows: panel after panel,
    /// within a panel for each step p its <paramref name="mr"/> values.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA<T>(bool transpose, T* a, int lda, int mc, int kc, int mr, T* packed)
        where T : unmanaged
    {
        for (int i0 = 0; i0 < mc; i0 += mr)
        {
            int rows = Math.Min(mr, mc - i0);
            T* panel = packed + (i0 * kc);
            if (!transpose)
            {
                // op(A)[i, p] = a[i + p·lda]: each step copies a contiguous piece of a column.
                uint bytes = (uint)(rows * sizeof(T));
                for (int p = 0; p < kc; p++)
                {
                    T* destination = panel + (p * mr);
                    Unsafe.CopyBlockUnaligned(destination, a + i0 + ((nint)p * lda), bytes);
                    for (int r = rows; r < mr; r++)
                    {
                        destination[r] = default;
                    }
                }
            }
            else
            {
                // op(A)[i, p] = a[p + i·lda]: each stored column of A is a row of the panel; the panel is
                // written in order while the rows are read as parallel streams.
                T* source = a + ((nint)i0 * lda);
                for (int p = 0; p < kc; p++)
                {
                    T* destination = panel + (p * mr);
                    for (int r = 0; r < rows; r++)
                    {
                        destination[r] = source[p + ((nint)r * lda)];
                    }

                    for (int r = rows; r < mr; r++)
                    {
                        destination[r] = default;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Packs the block of op(B) with rows <c>[0, kc)</c> and columns <c>[0, nc)</c> into panels of
    /// <paramref name="nr"/> columns: within a panel for each step p its <paramref name="nr"/> values.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB<T>(bool transpose, T* b, int ldb, int kc, int nc, int nr, T* packed)
        where T : unmanaged
    {
        for (int j0 = 0; j0 < nc; j0 += nr)
        {
            int columns = Math.Min(nr, nc - j0);
            T* panel = packed + (j0 * kc);
            if (transpose)
            {
                // op(B)[p, j] = b[j + p·ldb]: each step copies a contiguous piece of a column of B.
                uint bytes = (uint)(columns * sizeof(T));
                for (int p = 0; p < kc; p++)
                {
                    T* destination = panel + (p * nr);
                    Unsafe.CopyBlockUnaligned(destination, b + j0 + ((nint)p * ldb), bytes);
                    for (int j = columns; j < nr; j++)
                    {
                        destination[j] = default;
                    }
                }
            }
            else
            {
                // op(B)[p, j] = b[p + j·ldb]: each stored column of B is a column of the panel; the panel
                // is written in order while the columns are read as parallel streams.
                T* source = b + ((nint)j0 * ldb);
                for (int p = 0; p < kc; p++)
                {
                    T* destination = panel + (p * nr);
                    for (int j = 0; j < columns; j++)
                    {
                        destination[j] = source[p + ((nint)j * ldb)];
                    }

                    for (int j = columns; j < nr; j++)
                    {
                        destination[j] = default;
                    }
                }
            }
        }
    }
}
