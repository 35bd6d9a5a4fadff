using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Kernels;

/// <summary>
/// Requests the cache lines of chosen rows of a row-major table ahead of their use: the next mini-batch's rows, asked
/// for while the current batch is gathered, are then on their way from memory while the step computes.
/// </summary>
/// <remarks>
/// A shuffled batch reads rows scattered over a table usually larger than the last-level cache, and the gather reads
/// them a few values of eight rows at a time, so few of its lines are in flight at once and it waits on memory for
/// most of its time. The order of the rows is known an epoch ahead, so the next batch can be asked for early. A gather
/// that walks a group of rows feature by feature asks for the next batch's rows of the same positions a line at a time
/// as it goes (<see cref="Group"/>, <see cref="Lines"/>), rather than in one burst of hundreds after the copy, more than
/// a core keeps in flight at once. A request (a prefetch instruction) never faults and changes no value; without SSE it
/// does nothing.
/// </remarks>
internal static unsafe class RowPrefetch
{
    /// <summary>Bytes of a cache line: a gather walking a row asks for one line of each next row every this many bytes.</summary>
    public const int LineBytes = 64;

    /// <summary>Rows in a group at most (<see cref="Group"/>).</summary>
    public const int MaximumGroup = 8;

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

    /// <summary>
    /// The starts of next rows <c>rows[first..first+size)</c> (those below <paramref name="count"/>, at most
    /// <see cref="MaximumGroup"/>) written to <paramref name="starts"/>; returns how many.
    /// </summary>
    public static int Group(byte* table, nint rowBytes, int* rows, int count, int first, int size, byte** starts)
    {
        int k = Math.Clamp(Math.Min(size, count - first), 0, MaximumGroup);
        for (int j = 0; j < k; j++)
        {
            starts[j] = table + (rows[first + j] * rowBytes);
        }

        return k;
    }

    /// <summary>Requests the line holding byte <paramref name="offset"/> of each of the <paramref name="k"/> rows at <paramref name="starts"/>.</summary>
    public static void Lines(byte** starts, int k, nint offset)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        for (int j = 0; j < k; j++)
        {
            Sse.Prefetch0(starts[j] + offset);
        }
    }
}
