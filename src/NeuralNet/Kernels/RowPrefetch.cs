using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Kernels;

/// <summary>
/// Requests the cache lines of chosen rows of a row-major table ahead of their use: the next mini-batch's rows, asked
/// for right after the current batch is gathered, are then on their way from memory while the step computes.
/// </summary>
/// <remarks>
/// A shuffled batch reads rows scattered over a table usually larger than the last-level cache, and the gather reads
/// them a few values of eight rows at a time, so few of its lines are in flight at once and it waits on memory for
/// most of its time. The order of the rows is known an epoch ahead, so the next batch can be asked for early. A request
/// (a prefetch instruction) never faults and changes no value; without SSE it does nothing.
/// </remarks>
internal static unsafe class RowPrefetch
{
    private const int LineBytes = 64;

    /// <summary>
    /// Requests the lines holding bytes <paramref name="from"/> to <paramref name="to"/> (exclusive) of each row
    /// <c>rows[i]</c> of a table whose rows are <paramref name="rowBytes"/> bytes long and start at <paramref name="table"/>.
    /// The caller has checked the rows against the table.
    /// </summary>
    public static void Rows(byte* table, nint rowBytes, int* rows, int count, nint from, nint to)
    {
        if (!Sse.IsSupported || to <= from)
        {
            return;
        }

        for (int i = 0; i < count; i++)
        {
            byte* row = table + (rows[i] * rowBytes);
            nint first = (nint)(row + from) & ~(nint)(LineBytes - 1), last = (nint)(row + to - 1);
            for (nint line = first; line <= last; line += LineBytes)
            {
                Sse.Prefetch0((void*)line);
            }
        }
    }
}
