using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Kernels;

/// <summary>
/// The gather of a shuffled mini-batch: chosen rows of a row-major table copied into a column-major batch,
/// <c>batch[i + c·n] = table[rows[i]·features + c]</c> for the n = <c>rows.Length</c> chosen rows, which
/// transposes as it copies.
/// </summary>
/// <remarks>
/// Copied one row at a time, every value lands a whole batch column away from the one before (a store per value,
/// to a new place each time). With AVX2 the copy goes a column at a time instead: one gather instruction fetches a
/// feature of eight rows (four for double) and one store writes them side by side, so the stores are whole vectors
/// and the rows are still read in order. Bounds: the row indices are checked against the table before any
/// pointer is formed, and the sizes come from the spans.
/// </remarks>
internal static unsafe class RowGather
{
    /// <summary>Copies <c>table[rows[i]·features + c]</c> to <c>batch[i + c·rows.Length]</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A row index outside the table, or a batch too short for the rows.</exception>
    public static void Gather<T>(ReadOnlySpan<T> table, int features, ReadOnlySpan<int> rows, Span<T> batch)
        where T : struct
    {
        ArgumentOutOfRangeException.ThrowIfNegative(features);
        int n = rows.Length;
        int tableRows = features == 0 ? 0 : table.Length / features;
        if ((long)n * features > batch.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), $"A batch of {n} rows × {features} features does not fit in {batch.Length} values.");
        }

        foreach (int row in rows)
        {
            if ((uint)row >= (uint)tableRows)
            {
                throw new ArgumentOutOfRangeException(nameof(rows), $"Row {row} is outside the table of {tableRows} rows.");
            }
        }

        if (features == 0 || n == 0)
        {
            return;
        }

        int done = 0;
        if (Avx2.IsSupported && typeof(T) == typeof(float))
        {
            done = Columns8(MemoryMarshal.Cast<T, float>(table), features, rows, MemoryMarshal.Cast<T, float>(batch));
        }
        else if (Avx2.IsSupported && typeof(T) == typeof(double))
        {
            done = Columns4(MemoryMarshal.Cast<T, double>(table), features, rows, MemoryMarshal.Cast<T, double>(batch));
        }

        for (int i = done; i < n; i++)
        {
            ReadOnlySpan<T> sample = table.Slice(rows[i] * features, features);
            for (int c = 0, to = i; c < features; c++, to += n)
            {
                batch[to] = sample[c]; // batch[i + c·n] = table[rows[i]·features + c]
            }
        }
    }

    /// <summary>Eight rows at a time, one gather per feature; returns the rows done.</summary>
    private static int Columns8(ReadOnlySpan<float> table, int features, ReadOnlySpan<int> rows, Span<float> batch)
    {
        int n = rows.Length, i = 0;
        fixed (float* source = table, destination = batch)
        fixed (int* index = rows)
        {
            for (; i + 8 <= n; i += 8)
            {
                // Element offsets of the eight rows' starts: below the table's length, so they fit in an int.
                Vector256<int> starts = Vector256.Load(index + i) * features;
                float* to = destination + i;
                for (int c = 0; c < features; c++, to += n)
                {
                    Avx2.GatherVector256(source + c, starts, 4).Store(to);
                }
            }
        }

        return i;
    }

    /// <summary>Four rows at a time, one gather per feature; returns the rows done.</summary>
    private static int Columns4(ReadOnlySpan<double> table, int features, ReadOnlySpan<int> rows, Span<double> batch)
    {
        int n = rows.Length, i = 0;
        fixed (double* source = table, destination = batch)
        fixed (int* index = rows)
        {
            for (; i + 4 <= n; i += 4)
            {
                Vector128<int> starts = Vector128.Load(index + i) * features;
                double* to = destination + i;
                for (int c = 0; c < features; c++, to += n)
                {
                    Avx2.GatherVector256(source + c, starts, 8).Store(to);
                }
            }
        }

        return i;
    }
}
