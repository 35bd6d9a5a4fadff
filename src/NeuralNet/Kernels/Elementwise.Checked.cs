using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Kernels;

/// <summary>
/// The training step's updates: the element-wise update with the step's undo copy of the old values and the finiteness
/// check of the new ones riding in the same pass (a large copy streamed past the caches).
/// </summary>
internal static partial class Elementwise
{
    /// <summary>
    /// <see cref="Update{T, TOperator}"/> as the training step runs it: each old value is first copied to
    /// <paramref name="backup"/> (as long as <paramref name="values"/>; empty for no copy) and the new values are checked
    /// finite in the same pass, so the step's undo copy and its finiteness check cost no passes of their own. A large copy
    /// is written with streaming stores (<see cref="StreamsCopy{T}(int)"/>).
    /// </summary>
    /// <remarks>
    /// Always compiled by the JIT, on first use, and never taken from a ReadyToRun image (an application published
    /// ReadyToRun, or the benchmark runner's composite image): the precompiled loop ran W2's update of 100,352 weights
    /// measurably slower than the JIT's (the runners alternating; benchmarks/README.md has the figures). A
    /// momentum or Adam-style update of a large layer runs it every step, so its compile
    /// on first use is paid once; per-sample training of small layers takes other loops.
    /// </remarks>
    /// <returns>Whether every updated value is finite.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // the JIT's code, not the ReadyToRun image's: see the remarks
    public static unsafe bool UpdateChecked<T, TOperator>(Span<T> values, Span<T> state, ReadOnlySpan<T> gradients, TOperator op, Span<T> backup)
        where T : struct, IFloatingPointIeee754<T>
        where TOperator : struct, IUpdateOperator<T>
    {
        bool copy = !backup.IsEmpty;
        int i = 0;
        bool finite = true;
        fixed (byte* copyStart = MemoryMarshal.AsBytes(backup)) // pinned for the streaming stores' addresses
        {
            if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
            {
                bool streaming = copy && StreamsCopy<T>(values.Length);
                for (int head = streaming ? ElementsToAlignment<T>(copyStart, values.Length) : 0; i < head; i++)
                {
                    backup[i] = values[i];
                    op.Invoke(ref values[i], ref state[i], gradients[i]);
                    finite &= T.IsFinite(values[i]);
                }

                ref T rp = ref MemoryMarshal.GetReference(values), rs = ref MemoryMarshal.GetReference(state);
                ref T rg = ref MemoryMarshal.GetReference(gradients), rb = ref MemoryMarshal.GetReference(backup);
                Vector<T> check = Vector<T>.Zero; // NonFinite's marks of every new value
                for (; i <= values.Length - Vector<T>.Count; i += Vector<T>.Count)
                {
                    Vector<T> p = Vector.LoadUnsafe(ref rp, (nuint)i), s = Vector.LoadUnsafe(ref rs, (nuint)i);
                    CopyOld(p, copy, streaming, copyStart, ref rb, i);

                    op.Invoke(ref p, ref s, Vector.LoadUnsafe(ref rg, (nuint)i));
                    s.StoreUnsafe(ref rs, (nuint)i);
                    p.StoreUnsafe(ref rp, (nuint)i);
                    check = NonFinite(check, p);
                }

                finite &= EndOfVectors(check, streaming);
            }
        }

        for (; i < values.Length; i++)
        {
            if (copy)
            {
                backup[i] = values[i];
            }

            op.Invoke(ref values[i], ref state[i], gradients[i]);
            finite &= T.IsFinite(values[i]);
        }

        return finite;
    }

    /// <summary>
    /// <see cref="StepChecked{T, TOperator}"/> for a few values, each copied to <paramref name="backup"/>, inlined into the
    /// caller: whole vectors without the streaming and alignment set-up of the long loop (which costs more than a
    /// one-sample step's update of a small layer), then the scalar form for the rest. Only for an operator whose scalar and
    /// SIMD forms give the same bits, so that the length never changes a result.
    /// </summary>
    /// <returns>Whether every updated value is finite.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool ShortStepChecked<T, TOperator>(Span<T> values, ReadOnlySpan<T> gradients, TOperator op, Span<T> backup)
        where T : struct, IFloatingPointIeee754<T>
        where TOperator : struct, IBinaryOperator<T>
    {
        if (gradients.Length < values.Length || backup.Length < values.Length)
        {
            ThrowShorter();
        }

        ref T rp = ref MemoryMarshal.GetReference(values), rg = ref MemoryMarshal.GetReference(gradients);
        ref T rb = ref MemoryMarshal.GetReference(backup);
        nint i = 0, length = values.Length;
        bool finite = true; // each scalar value's own test (integer operations on its bits): no chain of float additions
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            Vector<T> check = Vector<T>.Zero; // NonFinite's marks of every new value
            for (; i <= length - Vector<T>.Count; i += Vector<T>.Count)
            {
                Vector<T> p = Vector.LoadUnsafe(ref rp, (nuint)i);
                p.StoreUnsafe(ref rb, (nuint)i);
                p = op.Invoke(p, Vector.LoadUnsafe(ref rg, (nuint)i));
                p.StoreUnsafe(ref rp, (nuint)i);
                check = NonFinite(check, p);
            }

            finite = Vector.EqualsAll(check, Vector<T>.Zero);
        }

        for (; i < length; i++)
        {
            T p = Unsafe.Add(ref rp, i);
            Unsafe.Add(ref rb, i) = p;
            p = op.Invoke(p, Unsafe.Add(ref rg, i));
            Unsafe.Add(ref rp, i) = p;
            finite &= T.IsFinite(p);
        }

        return finite;
    }

    /// <summary>
    /// <c>check | (p − p)</c>: p − p is +0 (no bit set) for finite p and NaN for ±∞ and NaN, so the OR of every new value's
    /// is zero exactly when all were finite (compare it with zero once, after the loop). An OR takes one cycle a vector,
    /// where a sum of the same values waited on each addition, a chain longer than an update loop's loads and stores.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector<T> NonFinite<T>(Vector<T> check, Vector<T> p)
        where T : struct, IFloatingPointIeee754<T>
        => check | (p - p);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowShorter() => throw new ArgumentException("the gradients and the undo copy must hold as many values as the parameter.");

    /// <summary>
    /// <c>values[i] = op(values[i], gradients[i])</c> (an update without state) as the training step runs it: old values
    /// copied to <paramref name="backup"/> (empty for no copy; streamed when large, <see cref="StreamsCopy{T}(int)"/>) and
    /// new ones checked finite in the same pass. Spans shorter than <paramref name="vectorsFrom"/> take the scalar form
    /// throughout.
    /// </summary>
    /// <returns>Whether every updated value is finite.</returns>
    public static unsafe bool StepChecked<T, TOperator>(Span<T> values, ReadOnlySpan<T> gradients, TOperator op, Span<T> backup, int vectorsFrom = 0)
        where T : struct, IFloatingPointIeee754<T>
        where TOperator : struct, IBinaryOperator<T>
    {
        bool copy = !backup.IsEmpty;
        int i = 0;
        bool finite = true;
        fixed (byte* copyStart = MemoryMarshal.AsBytes(backup)) // pinned for the streaming stores' addresses
        {
            if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && values.Length >= vectorsFrom)
            {
                bool streaming = copy && StreamsCopy<T>(values.Length);
                for (int head = streaming ? ElementsToAlignment<T>(copyStart, values.Length) : 0; i < head; i++)
                {
                    T old = values[i];
                    backup[i] = old;
                    values[i] = op.Invoke(old, gradients[i]);
                    finite &= T.IsFinite(values[i]);
                }

                ref T rp = ref MemoryMarshal.GetReference(values), rg = ref MemoryMarshal.GetReference(gradients);
                ref T rb = ref MemoryMarshal.GetReference(backup);
                Vector<T> check = Vector<T>.Zero; // NonFinite's marks of every new value
                for (; i <= values.Length - Vector<T>.Count; i += Vector<T>.Count)
                {
                    Vector<T> p = Vector.LoadUnsafe(ref rp, (nuint)i);
                    CopyOld(p, copy, streaming, copyStart, ref rb, i);

                    p = op.Invoke(p, Vector.LoadUnsafe(ref rg, (nuint)i));
                    p.StoreUnsafe(ref rp, (nuint)i);
                    check = NonFinite(check, p);
                }

                finite &= EndOfVectors(check, streaming);
            }
        }

        for (; i < values.Length; i++)
        {
            T p = values[i];
            if (copy)
            {
                backup[i] = p;
            }

            p = op.Invoke(p, gradients[i]);
            values[i] = p;
            finite &= T.IsFinite(p);
        }

        return finite;
    }

    /// <summary>
    /// Whether an undo copy of <paramref name="length"/> values is written with streaming (non-temporal) stores: when it
    /// fills at least a sixteenth of the L2 cache a core reports (<see cref="MachineProfile.L2Bytes"/>; never under
    /// <see cref="SmallestStreamedCopyBytes"/>), the processor has 32-byte streaming stores matching <c>Vector&lt;T&gt;</c>,
    /// and it is not AMD's (<see cref="MachineProfile.IsAmd"/>). Such a copy is read back only when a step diverges, and
    /// beside the parameter, its gradient, the optimizer's state and the step's other buffers it does not stay in L2 until
    /// the next step anyway: streamed, its lines are not first read (no read-for-ownership) and it evicts nothing. On AMD's
    /// Zen cores the L3 is filled by what L2 evicts, so a copy stored through the cache waits in L3 for the next step's
    /// stores, while a streamed one goes to memory (benchmarks/README.md has the measurements on both kinds
    /// of processor). The values copied are the same either way.
    /// A copy under 32 KB is refused before the cache is looked at: a one-sample step asks for each of its tiny parameters,
    /// and a static property of another class costs precompiled (ReadyToRun) code a helper call per read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool StreamsCopy<T>(int length)
        where T : struct
        => Avx.IsSupported && Vector<byte>.Count == Vector256<byte>.Count
            && (long)length * Unsafe.SizeOf<T>() >= SmallestStreamedCopyBytes
            && (long)length * Unsafe.SizeOf<T>() >= MachineProfile.L2Bytes / StreamedShareOfL2
            && !MachineProfile.IsAmd;

    /// <summary>The smallest undo copy <see cref="StreamsCopy{T}(int)"/> may stream, whatever the cache.</summary>
    internal const long SmallestStreamedCopyBytes = 1 << 15;

    /// <summary>A copy of at least 1/this of the L2 cache is streamed (<see cref="StreamsCopy{T}(int)"/>).</summary>
    internal const int StreamedShareOfL2 = 16;

    /// <summary>Elements before <paramref name="start"/> + i is 32-byte aligned (at most <paramref name="length"/>).</summary>
    private static unsafe int ElementsToAlignment<T>(byte* start, int length)
        where T : struct
        => Math.Min(length, (int)((32 - ((nuint)start & 31)) & 31) / Unsafe.SizeOf<T>());

    /// <summary>The undo copy of one vector of old values at element <paramref name="i"/>: streamed, stored, or none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void CopyOld<T>(Vector<T> old, bool copy, bool streaming, byte* copyStart, ref T backup, int i)
        where T : struct
    {
        if (streaming)
        {
            Stream(old, copyStart + ((nuint)i * (nuint)Unsafe.SizeOf<T>()));
        }
        else if (copy)
        {
            old.StoreUnsafe(ref backup, (nuint)i);
        }
    }

    /// <summary>
    /// After the vectors: fences a streamed copy (in memory before the step goes on: another core may restore from it)
    /// and returns whether the vectors' check (the bits of p − p OR-ed: no bit set) says every value was finite.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool EndOfVectors<T>(Vector<T> check, bool streaming)
        where T : struct, IFloatingPointIeee754<T>
    {
        if (streaming)
        {
            Sse.StoreFence();
        }

        return Vector.EqualsAll(check, Vector<T>.Zero);
    }

    /// <summary>One vector to a 32-byte aligned address, past the caches (the bits as they are, whatever T).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Stream<T>(Vector<T> value, byte* destination)
        where T : struct
        => Avx.StoreAlignedNonTemporal((float*)destination, value.AsVector256().AsSingle());
}
