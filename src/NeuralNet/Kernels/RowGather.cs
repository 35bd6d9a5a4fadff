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
/// and the rows are still read in order. A batch large enough (<see cref="WorkSplit.GatherSplit"/>) is cut between
/// the features, the second core taking the later ones: the cut falls where a first dense layer's forward pass and
/// weight gradient cut their depth, so each core then reads the part of the batch it wrote. Given the rows of the batch
/// to come, each core requests their lines for its features (<see cref="RowPrefetch"/>) while it copies: a group of
/// rows asks for the next batch's rows of the same positions a line at a time as it walks the features, so that the
/// next gather finds more of them in the caches. Bounds: the row indices (and the next rows) are checked against the table before
/// any pointer is formed, and the sizes come from the spans.
/// </remarks>
internal static unsafe class RowGather
{
    /// <summary>
    /// Copies <c>table[rows[i]·features + c]</c> to <c>batch[i + c·rows.Length]</c>, then (float and double tables)
    /// requests the cache lines of the rows <paramref name="next"/> (the next batch's; empty for none), which changes no value.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A row index (or next row) outside the table, or a batch too short for the rows.</exception>
    public static void Gather<T>(ReadOnlySpan<T> table, int features, ReadOnlySpan<int> rows, Span<T> batch, ReadOnlySpan<int> next = default)
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

        foreach (int row in next)
        {
            if ((uint)row >= (uint)tableRows)
            {
                throw new ArgumentOutOfRangeException(nameof(next), $"Next row {row} is outside the table of {tableRows} rows.");
            }
        }

        if (features == 0 || n == 0)
        {
            return;
        }

        if (typeof(T) == typeof(float))
        {
            Run(MemoryMarshal.Cast<T, float>(table), features, rows, MemoryMarshal.Cast<T, float>(batch), next);
        }
        else if (typeof(T) == typeof(double))
        {
            Run(MemoryMarshal.Cast<T, double>(table), features, rows, MemoryMarshal.Cast<T, double>(batch), next);
        }
        else
        {
            for (int i = 0; i < n; i++)
            {
                ReadOnlySpan<T> sample = table.Slice(rows[i] * features, features);
                for (int c = 0, to = i; c < features; c++, to += n)
                {
                    batch[to] = sample[c]; // batch[i + c·n] = table[rows[i]·features + c]
                }
            }
        }
    }

    /// <summary>The checked gather of float or double, cut between the cores when it is large enough; each core then requests its features of the next rows.</summary>
    private static void Run<T>(ReadOnlySpan<T> table, int features, ReadOnlySpan<int> rows, Span<T> batch, ReadOnlySpan<int> next)
        where T : unmanaged
    {
        int n = rows.Length;
        fixed (T* source = table, destination = batch)
        fixed (int* index = rows, following = next)
        {
            int split = WorkSplit.GatherSplit(n, features);
            if (split == 0 || !SecondCore.TryReserve())
            {
                Columns(source, features, index, n, destination, 0, features, following, next.Length);
                return;
            }

            // The pointers stay pinned until Wait returns: the helper's part is done (or taken back) by then.
            Job<T> job = Job<T>.Instance;
            job.Table = source;
            job.Rows = index;
            job.Batch = destination;
            job.Next = following;
            (job.Features, job.Count, job.NextCount, job.From, job.To) = (features, n, next.Length, split, features);
            SecondCore.Start(job);
            try
            {
                Columns(source, features, index, n, destination, 0, split, following, next.Length);
            }
            finally
            {
                SecondCore.Wait();
            }
        }
    }

    /// <summary>
    /// Features <paramref name="from"/> to <paramref name="to"/> (exclusive) of every chosen row, and the same features
    /// of the <paramref name="nextCount"/> next rows requested (row group by row group while copying, the rest after).
    /// </summary>
    private static void Columns<T>(T* table, int features, int* rows, int n, T* batch, int from, int to, int* next, int nextCount)
        where T : unmanaged
    {
        int done = 0;
        if (Avx2.IsSupported && typeof(T) == typeof(float))
        {
            done = Columns8((float*)table, features, rows, n, (float*)batch, from, to, next, nextCount);
        }
        else if (Avx2.IsSupported && typeof(T) == typeof(double))
        {
            done = Columns4((double*)table, features, rows, n, (double*)batch, from, to, next, nextCount);
        }

        for (int i = done; i < n; i++)
        {
            T* sample = table + ((nint)rows[i] * features);
            for (int c = from; c < to; c++)
            {
                batch[i + ((nint)c * n)] = sample[c]; // batch[i + c·n] = table[rows[i]·features + c]
            }
        }

        Request(table, features, next + done, nextCount - done, from, to); // the next rows no group asked for
    }

    /// <summary>Requests features <paramref name="from"/> to <paramref name="to"/> of the <paramref name="count"/> rows at <paramref name="rows"/>.</summary>
    private static void Request<T>(T* table, int features, int* rows, int count, int from, int to)
        where T : unmanaged
        => RowPrefetch.Rows((byte*)table, (nint)features * sizeof(T), rows, count, (nint)from * sizeof(T), (nint)to * sizeof(T));

    /// <summary>
    /// Eight rows at a time, one gather per feature, each group requesting a line of the next rows of its positions every
    /// line of features; returns the rows done (the next rows below it are requested).
    /// </summary>
    private static int Columns8(float* source, int features, int* index, int n, float* destination, int from, int to, int* next, int nextCount)
    {
        const int lineFloats = RowPrefetch.LineBytes / sizeof(float);
        byte** ahead = stackalloc byte*[RowPrefetch.MaximumGroup];
        int i = 0;
        for (; i + 8 <= n; i += 8)
        {
            // Element offsets of the eight rows' starts: below the table's length, so they fit in an int.
            Vector256<int> starts = Vector256.Load(index + i) * features;
            int k = RowPrefetch.Group((byte*)source, (nint)features * sizeof(float), next, nextCount, i, 8, ahead);
            float* at = destination + i + ((nint)from * n);
            for (int c = from; c < to; c++, at += n)
            {
                if ((c - from) % lineFloats == 0)
                {
                    RowPrefetch.Lines(ahead, k, (nint)c * sizeof(float));
                }

                Avx2.GatherVector256(source + c, starts, 4).Store(at);
            }

            RowPrefetch.Lines(ahead, k, ((nint)to * sizeof(float)) - 1); // the line of the last feature
        }

        return i;
    }

    /// <summary>Four rows at a time, one gather per feature, requesting the next rows as <see cref="Columns8"/> does; returns the rows done.</summary>
    private static int Columns4(double* source, int features, int* index, int n, double* destination, int from, int to, int* next, int nextCount)
    {
        const int lineDoubles = RowPrefetch.LineBytes / sizeof(double);
        byte** ahead = stackalloc byte*[RowPrefetch.MaximumGroup];
        int i = 0;
        for (; i + 4 <= n; i += 4)
        {
            Vector128<int> starts = Vector128.Load(index + i) * features;
            int k = RowPrefetch.Group((byte*)source, (nint)features * sizeof(double), next, nextCount, i, 4, ahead);
            double* at = destination + i + ((nint)from * n);
            for (int c = from; c < to; c++, at += n)
            {
                if ((c - from) % lineDoubles == 0)
                {
                    RowPrefetch.Lines(ahead, k, (nint)c * sizeof(double));
                }

                Avx2.GatherVector256(source + c, starts, 8).Store(at);
            }

            RowPrefetch.Lines(ahead, k, ((nint)to * sizeof(double)) - 1);
        }

        return i;
    }

    /// <summary>The second core's part of a gather: the features from <see cref="From"/> on.</summary>
    private sealed class Job<T> : WorkItem
        where T : unmanaged
    {
        // One job object per element type: SecondCore is reserved before it is filled, so it is never shared.
        public static readonly Job<T> Instance = new();

        public T* Table;
        public int Features;
        public int* Rows;
        public int Count;
        public T* Batch;
        public int From;
        public int To;
        public int* Next;
        public int NextCount;

        public override void Execute() => Columns(Table, Features, Rows, Count, Batch, From, To, Next, NextCount);
    }
}
