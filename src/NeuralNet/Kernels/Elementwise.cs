using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Kernels;

/// <summary>An element-wise function of one input, in a scalar and a SIMD form that compute the same formula.</summary>
/// <typeparam name="T">The element type.</typeparam>
internal interface IUnaryOperator<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>The function of one element (the ends of a span that fill no whole vector).</summary>
    T Invoke(T x);

    /// <summary>The function of one vector of elements.</summary>
    Vector<T> Invoke(Vector<T> x);
}

/// <summary>An element-wise function of two inputs, in a scalar and a SIMD form.</summary>
/// <typeparam name="T">The element type.</typeparam>
internal interface IBinaryOperator<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>The function of one pair of elements.</summary>
    T Invoke(T x, T y);

    /// <summary>The function of one pair of vectors.</summary>
    Vector<T> Invoke(Vector<T> x, Vector<T> y);
}

/// <summary>
/// An in-place update of a parameter from its gradient and one state value per element (an optimizer's rule),
/// in a scalar and a SIMD form.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal interface IUpdateOperator<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>Updates one value and its state from its gradient.</summary>
    void Invoke(ref T value, ref T state, T gradient);

    /// <summary>Updates one vector of values and their state from their gradients.</summary>
    void Invoke(ref Vector<T> value, ref Vector<T> state, Vector<T> gradient);
}

/// <summary>
/// The one element-wise SIMD loop of the library (the pattern of <c>System.Numerics.Tensors.TensorPrimitives</c>):
/// whole vectors with the operator's SIMD form, then the elements that fill no whole vector with its scalar form.
/// Activations and optimizers write only their operator. <c>Vector&lt;T&gt;</c> here and in every operator is
/// always <see cref="System.Numerics.Vector{T}"/>: nothing in <c>Kernels</c> imports MathNet's vectors. The training
/// step's checked updates (undo copy and finiteness check in the update's pass) are in <c>Elementwise.Checked.cs</c>.
/// </summary>
internal static partial class Elementwise
{
    /// <summary>
    /// <c>destination[i] = op(x[i])</c>; the spans are of equal length (destination may be x). Spans shorter than
    /// <paramref name="vectorsFrom"/> take the scalar form throughout: for a function whose two forms round differently
    /// (an exponential), a few values (one sample's units) then get the same bits on every processor, whatever its
    /// vector width, and skip the vector set-up.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Map<T, TOperator>(ReadOnlySpan<T> x, Span<T> destination, TOperator op, int vectorsFrom = 0)
        where T : struct, IFloatingPointIeee754<T>
        where TOperator : struct, IUnaryOperator<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && x.Length >= vectorsFrom)
        {
            ref T rx = ref MemoryMarshal.GetReference(x), rd = ref MemoryMarshal.GetReference(destination);
            for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                op.Invoke(Vector.LoadUnsafe(ref rx, (nuint)i)).StoreUnsafe(ref rd, (nuint)i);
            }
        }

        for (; i < x.Length; i++)
        {
            destination[i] = op.Invoke(x[i]);
        }
    }

    /// <summary><c>destination[i] = op(x[i], y[i])</c>; the spans are of equal length (destination may be x or y).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Map<T, TOperator>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination, TOperator op)
        where T : struct, IFloatingPointIeee754<T>
        where TOperator : struct, IBinaryOperator<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            ref T rx = ref MemoryMarshal.GetReference(x), ry = ref MemoryMarshal.GetReference(y);
            ref T rd = ref MemoryMarshal.GetReference(destination);
            for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                op.Invoke(Vector.LoadUnsafe(ref rx, (nuint)i), Vector.LoadUnsafe(ref ry, (nuint)i)).StoreUnsafe(ref rd, (nuint)i);
            }
        }

        for (; i < x.Length; i++)
        {
            destination[i] = op.Invoke(x[i], y[i]);
        }
    }

    /// <summary>Applies <paramref name="op"/> to every value, its state and its gradient, in one pass; the spans are of equal length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Update<T, TOperator>(Span<T> values, Span<T> state, ReadOnlySpan<T> gradients, TOperator op)
        where T : struct, IFloatingPointIeee754<T>
        where TOperator : struct, IUpdateOperator<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            ref T rp = ref MemoryMarshal.GetReference(values), rs = ref MemoryMarshal.GetReference(state);
            ref T rg = ref MemoryMarshal.GetReference(gradients);
            for (; i <= values.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                Vector<T> p = Vector.LoadUnsafe(ref rp, (nuint)i), s = Vector.LoadUnsafe(ref rs, (nuint)i);
                op.Invoke(ref p, ref s, Vector.LoadUnsafe(ref rg, (nuint)i));
                s.StoreUnsafe(ref rs, (nuint)i);
                p.StoreUnsafe(ref rp, (nuint)i);
            }
        }

        for (; i < values.Length; i++)
        {
            op.Invoke(ref values[i], ref state[i], gradients[i]);
        }
    }

    /// <summary>Whether every value is finite: x − x is 0 for finite x and NaN for ±∞ and NaN, so one vector sum tells.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllFinite<T>(ReadOnlySpan<T> values)
        where T : struct, IFloatingPointIeee754<T>
    {
        if (values.Length > 4)
        {
            return AllFiniteVectors(values);
        }

        T check = T.Zero; // a few values (one sample's inputs or targets): the same test inlined, without a call
        for (int i = 0; i < values.Length; i++)
        {
            check += values[i] - values[i];
        }

        return check == T.Zero;
    }

    /// <summary>
    /// <see cref="AllFinite{T}"/> for more than a few values: the vector pass of <see cref="FiniteMaxMagnitude{T}"/>, whose
    /// largest magnitude is NaN exactly when a value is not finite (one loop for both; the maximum adds two vector operations
    /// per vector loaded).
    /// </summary>
    private static bool AllFiniteVectors<T>(ReadOnlySpan<T> values)
        where T : struct, IFloatingPointIeee754<T>
        => !T.IsNaN(FiniteMaxMagnitude(values));
}
