using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralNet.Kernels;

/// <summary>
/// An element-wise map over a large batch (an activation or its gradient over <c>rows × units</c> values) shared by the
/// calling thread and <see cref="SecondCore"/>: such a pass moves a value per few instructions, so one core's memory
/// bandwidth bounds it and two go about twice as fast.
/// </summary>
/// <remarks>
/// The values are cut into chunks of whole cache lines (<see cref="WorkSplit.MapChunk"/>) that both threads claim in
/// turn, so a helper slowed or stopped by another process on its core (common on a virtual machine) takes fewer of them
/// instead of making the caller wait for a fixed half. Every chunk starts on a multiple of every vector width, so each
/// runs the same vector loop over the same values and only the last has the scalar tail the whole span would have
/// had: the same bits as one <see cref="Elementwise"/> map, whoever maps which chunk. When the helper is busy (another
/// caller's work) the caller maps everything itself.
/// </remarks>
internal abstract unsafe class SharedMap : WorkItem
{
    private int _length, _chunk, _next;

    /// <summary>Maps the values <c>[start, start + count)</c>.</summary>
    protected abstract void Map(int start, int count);

    /// <summary>
    /// Whether <paramref name="length"/> values are worth sharing and the helper could be reserved for them. The caller
    /// fills the job only after this (the job object is one per element type and operator: another thread's caller may
    /// be using it until the reservation is ours), then calls <see cref="Share"/>.
    /// </summary>
    protected static bool TryReserve(int length) => WorkSplit.SharesUpdate(length) && SecondCore.TryReserve();

    /// <summary>Maps all <paramref name="length"/> values on both threads, the helper reserved by <see cref="TryReserve"/>.</summary>
    protected void Share(int length)
    {
        (_length, _chunk, _next) = (length, WorkSplit.MapChunk(length), 0);
        SecondCore.Start(this);
        try
        {
            Claim();
        }
        finally
        {
            SecondCore.Wait(); // releases the reservation: the job is not touched after it
        }
    }

    /// <summary>Claims chunks (on the helper thread).</summary>
    public override void Execute() => Claim();

    /// <summary>Maps the next unclaimed chunk until none is left.</summary>
    private void Claim()
    {
        for (int chunk; (chunk = Interlocked.Increment(ref _next) - 1) * (long)_chunk < _length;)
        {
            int start = chunk * _chunk;
            Map(start, Math.Min(_chunk, _length - start));
        }
    }
}

/// <summary><c>destination[i] = op(x[i])</c> over a large span on both cores (<see cref="SharedMap"/>).</summary>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TOperator">The unary operator.</typeparam>
internal sealed unsafe class SharedMap<T, TOperator> : SharedMap
    where T : struct, IFloatingPointIeee754<T>
    where TOperator : struct, IUnaryOperator<T>
{
    // One job object per element type and operator: SecondCore is reserved before it is filled (TryReserve), so two callers never share it.
    private static readonly SharedMap<T, TOperator> Job = new();

    private byte* _x;
    private byte* _destination;
    private TOperator _op;

    /// <summary>
    /// <c>destination[i] = op(x[i])</c> on two cores and true, or false (having done nothing) when the span is too small
    /// to share (<see cref="WorkSplit.SharesUpdate"/>) or the helper is busy. The spans are of equal length (destination may be x).
    /// </summary>
    public static bool TryRun(ReadOnlySpan<T> x, Span<T> destination, TOperator op)
    {
        if (!TryReserve(x.Length))
        {
            return false;
        }

        fixed (byte* px = MemoryMarshal.AsBytes(x), pd = MemoryMarshal.AsBytes(destination)) // pinned until both threads are done
        {
            SharedMap<T, TOperator> job = Job;
            job._x = px;
            job._destination = pd;
            job._op = op;
            job.Share(x.Length);
        }

        return true;
    }

    /// <inheritdoc />
    protected override void Map(int start, int count)
    {
        nint offset = (nint)start * Unsafe.SizeOf<T>();
        Elementwise.Map(new ReadOnlySpan<T>(_x + offset, count), new Span<T>(_destination + offset, count), _op);
    }
}

/// <summary><c>destination[i] = op(x[i], y[i])</c> over large spans on both cores (<see cref="SharedMap"/>): an activation's gradient.</summary>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TOperator">The binary operator.</typeparam>
internal sealed unsafe class SharedMap2<T, TOperator> : SharedMap
    where T : struct, IFloatingPointIeee754<T>
    where TOperator : struct, IBinaryOperator<T>
{
    private static readonly SharedMap2<T, TOperator> Job = new();

    private byte* _x;
    private byte* _y;
    private byte* _destination;
    private TOperator _op;

    /// <summary>
    /// <c>destination[i] = op(x[i], y[i])</c> on two cores and true, or false (having done nothing) when the spans are too
    /// small to share or the helper is busy. The spans are of equal length (destination may be x or y).
    /// </summary>
    public static bool TryRun(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination, TOperator op)
    {
        if (!TryReserve(x.Length))
        {
            return false;
        }

        fixed (byte* px = MemoryMarshal.AsBytes(x), py = MemoryMarshal.AsBytes(y), pd = MemoryMarshal.AsBytes(destination))
        {
            SharedMap2<T, TOperator> job = Job;
            job._x = px;
            job._y = py;
            job._destination = pd;
            job._op = op;
            job.Share(x.Length);
        }

        return true;
    }

    /// <inheritdoc />
    protected override void Map(int start, int count)
    {
        nint offset = (nint)start * Unsafe.SizeOf<T>();
        Elementwise.Map(new ReadOnlySpan<T>(_x + offset, count), new ReadOnlySpan<T>(_y + offset, count), new Span<T>(_destination + offset, count), _op);
    }
}

/// <summary>
/// Whether every value of a large span is finite, checked on both cores in the chunks of <see cref="SharedMap"/>: a
/// training step's check of a large batch, which comes from memory (a data set is seldom in the cache), so one core's
/// bandwidth bounds it. The answer is a yes or no, the same whoever checks which chunk.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal sealed unsafe class SharedAllFinite<T> : SharedMap
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>
    /// The fewest values shared: 2^18 (a megabyte of floats, W3's batch of 256 × 1024). Below it one core checks alone:
    /// W2's batch (64 × 784, 200 KB) keeps its step without a hand-off, which was not measured to pay there.
    /// </summary>
    internal const int MinimumLength = 1 << 18;

    private static readonly SharedAllFinite<T> Job = new();

    private byte* _x;
    private int* _notFinite; // the caller's answer, on its stack: the job may be refilled by another caller once it returns

    /// <summary>
    /// Checks <paramref name="x"/> on two cores and returns true, with <paramref name="finite"/> the answer; returns false
    /// (having checked nothing) when the span is shorter than <see cref="MinimumLength"/> or the helper is busy.
    /// </summary>
    public static bool TryRun(ReadOnlySpan<T> x, out bool finite)
    {
        finite = true;
        if (x.Length < MinimumLength || !TryReserve(x.Length))
        {
            return false;
        }

        int notFinite = 0;
        fixed (byte* px = MemoryMarshal.AsBytes(x))
        {
            SharedAllFinite<T> job = Job;
            job._x = px;
            job._notFinite = &notFinite;
            job.Share(x.Length);
        }

        finite = Volatile.Read(ref notFinite) == 0;
        return true;
    }

    /// <inheritdoc />
    protected override void Map(int start, int count)
    {
        if (!Elementwise.AllFinite(new ReadOnlySpan<T>(_x + ((nint)start * Unsafe.SizeOf<T>()), count)))
        {
            Volatile.Write(ref *_notFinite, 1);
        }
    }
}
