using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralNet.Kernels;

/// <summary>
/// An element-wise map over a large batch (an activation or its gradient over <c>rows × units</c> values) in two parts,
/// the second on <see cref="SecondCore"/>, cut where <see cref="WorkSplit.UpdateSplit"/> cuts an update: such a pass
/// moves a value per few instructions, so one core's memory bandwidth bounds it and two go about twice as fast.
/// </summary>
/// <remarks>
/// The cut falls on a whole cache line (a multiple of every vector width), so each part runs the same vector loop over
/// the same values and only the last part has the scalar tail the whole span would have had: the same bits as one
/// <see cref="Elementwise"/> map. When the helper is busy (another caller's work, or this map runs inside a shared
/// multiply) the caller maps everything itself.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TOperator">The unary operator.</typeparam>
internal sealed unsafe class SharedMap<T, TOperator> : WorkItem
    where T : struct, IFloatingPointIeee754<T>
    where TOperator : struct, IUnaryOperator<T>
{
    // One job object per element type and operator: SecondCore is reserved before it is filled, so it is never shared.
    private static readonly SharedMap<T, TOperator> Job = new();

    private void* _x;
    private void* _destination;
    private int _length;
    private TOperator _op;

    /// <summary>
    /// <c>destination[i] = op(x[i])</c> on two cores and true, or false (having done nothing) when the span is too small
    /// to share or the helper is busy. The spans are of equal length (destination may be x).
    /// </summary>
    public static bool TryRun(ReadOnlySpan<T> x, Span<T> destination, TOperator op)
    {
        if (!WorkSplit.SharesUpdate(x.Length) || !SecondCore.TryReserve())
        {
            return false;
        }

        int split = WorkSplit.UpdateSplit(x.Length);
        fixed (byte* px = MemoryMarshal.AsBytes(x), pd = MemoryMarshal.AsBytes(destination)) // pinned until the helper is done
        {
            SharedMap<T, TOperator> job = Job;
            job._x = px + ((nint)split * Unsafe.SizeOf<T>());
            job._destination = pd + ((nint)split * Unsafe.SizeOf<T>());
            job._length = x.Length - split;
            job._op = op;
            SecondCore.Start(job);
            try
            {
                Elementwise.Map(x[..split], destination[..split], op);
            }
            finally
            {
                SecondCore.Wait(); // releases the reservation: the job is not touched after it
            }
        }

        return true;
    }

    /// <summary>Maps the second part (on the helper thread).</summary>
    public override void Execute() => Elementwise.Map(new ReadOnlySpan<T>(_x, _length), new Span<T>(_destination, _length), _op);
}

/// <summary>
/// <see cref="SharedMap{T, TOperator}"/> for a binary operator: <c>destination[i] = op(x[i], y[i])</c> (an activation's
/// gradient from the weighted sums and the gradient of its output), the same cut and the same bits as one map.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TOperator">The binary operator.</typeparam>
internal sealed unsafe class SharedMap2<T, TOperator> : WorkItem
    where T : struct, IFloatingPointIeee754<T>
    where TOperator : struct, IBinaryOperator<T>
{
    private static readonly SharedMap2<T, TOperator> Job = new();

    private void* _x;
    private void* _y;
    private void* _destination;
    private int _length;
    private TOperator _op;

    /// <summary>
    /// <c>destination[i] = op(x[i], y[i])</c> on two cores and true, or false (having done nothing) when the spans are too
    /// small to share or the helper is busy. The spans are of equal length (destination may be x or y).
    /// </summary>
    public static bool TryRun(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination, TOperator op)
    {
        if (!WorkSplit.SharesUpdate(x.Length) || !SecondCore.TryReserve())
        {
            return false;
        }

        int split = WorkSplit.UpdateSplit(x.Length);
        fixed (byte* px = MemoryMarshal.AsBytes(x), py = MemoryMarshal.AsBytes(y), pd = MemoryMarshal.AsBytes(destination))
        {
            SharedMap2<T, TOperator> job = Job;
            job._x = px + ((nint)split * Unsafe.SizeOf<T>());
            job._y = py + ((nint)split * Unsafe.SizeOf<T>());
            job._destination = pd + ((nint)split * Unsafe.SizeOf<T>());
            job._length = x.Length - split;
            job._op = op;
            SecondCore.Start(job);
            try
            {
                Elementwise.Map(x[..split], y[..split], destination[..split], op);
            }
            finally
            {
                SecondCore.Wait();
            }
        }

        return true;
    }

    /// <summary>Maps the second part (on the helper thread).</summary>
    public override void Execute()
        => Elementwise.Map(new ReadOnlySpan<T>(_x, _length), new ReadOnlySpan<T>(_y, _length), new Span<T>(_destination, _length), _op);
}
