using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuralNet.Kernels;

// The passes that tell a training step how large its values are, so that it can prove an update finite before making it
// (Optimizer.StepChecked): the largest magnitude with the finiteness check, and the sum C += S with it.
internal static partial class Elementwise
{
    /// <summary>
    /// <c>max |x|</c> over <paramref name="values"/> (0 for none) when every value is finite, NaN otherwise: the test of
    /// <see cref="AllFinite{T}"/> (<c>x − x</c> is 0 exactly when x is finite) and the largest magnitude, in one pass.
    /// </summary>
    public static T FiniteMaxMagnitude<T>(ReadOnlySpan<T> values)
        where T : struct, IFloatingPointIeee754<T>
    {
        int i = 0;
        T largest = T.Zero, check = T.Zero;
        ref T start = ref MemoryMarshal.GetReference(values);
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && values.Length >= 4 * Vector512<T>.Count)
        {
            // Four of each, so that no addition or maximum waits on the one before (as AllFinite's sums).
            int w = Vector512<T>.Count;
            Vector512<T> s0 = Vector512<T>.Zero, s1 = s0, s2 = s0, s3 = s0, m0 = s0, m1 = s0, m2 = s0, m3 = s0;
            for (; i <= values.Length - (4 * w); i += 4 * w)
            {
                Vector512<T> v0 = Vector512.LoadUnsafe(ref start, (nuint)i), v1 = Vector512.LoadUnsafe(ref start, (nuint)(i + w));
                Vector512<T> v2 = Vector512.LoadUnsafe(ref start, (nuint)(i + (2 * w))), v3 = Vector512.LoadUnsafe(ref start, (nuint)(i + (3 * w)));
                s0 += v0 - v0;
                s1 += v1 - v1;
                s2 += v2 - v2;
                s3 += v3 - v3;
                m0 = Vector512.MaxNative(m0, Vector512.Abs(v0)); // the instruction's maximum: a NaN is caught by the sums
                m1 = Vector512.MaxNative(m1, Vector512.Abs(v1));
                m2 = Vector512.MaxNative(m2, Vector512.Abs(v2));
                m3 = Vector512.MaxNative(m3, Vector512.Abs(v3));
            }

            if (!Vector512.EqualsAll((s0 + s1) + (s2 + s3), Vector512<T>.Zero))
            {
                return T.NaN;
            }

            Vector512<T> m = Vector512.MaxNative(Vector512.MaxNative(m0, m1), Vector512.MaxNative(m2, m3));
            for (int lane = 0; lane < w; lane++)
            {
                largest = T.Max(largest, m.GetElement(lane));
            }
        }
        else if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && values.Length >= Vector<T>.Count)
        {
            Vector<T> sum = Vector<T>.Zero, m = Vector<T>.Zero;
            for (; i <= values.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                Vector<T> v = Vector.LoadUnsafe(ref start, (nuint)i);
                sum += v - v;
                m = Vector.MaxNative(m, Vector.Abs(v));
            }

            if (!Vector.EqualsAll(sum, Vector<T>.Zero))
            {
                return T.NaN;
            }

            for (int lane = 0; lane < Vector<T>.Count; lane++)
            {
                largest = T.Max(largest, m[lane]);
            }
        }

        for (; i < values.Length; i++)
        {
            T x = Unsafe.Add(ref start, i);
            check += x - x;
            largest = T.Max(largest, T.Abs(x));
        }

        return check == T.Zero ? largest : T.NaN;
    }

    /// <summary>
    /// <c>c ← c + s</c> element by element (the same additions as <c>TensorPrimitives.Add</c>), returning whether every sum
    /// is finite (<c>c − c</c> summed, as <see cref="AllFinite{T}"/>).
    /// </summary>
    public static bool AddFinite<T>(Span<T> c, ReadOnlySpan<T> s)
        where T : struct, IFloatingPointIeee754<T>
    {
        if (s.Length < c.Length)
        {
            throw new ArgumentException("the addend must be as long as the sum.", nameof(s));
        }

        int i = 0;
        T check = T.Zero;
        ref T rc = ref MemoryMarshal.GetReference(c);
        ref T rs = ref MemoryMarshal.GetReference(s);
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            int w = Vector512<T>.Count;
            Vector512<T> s0 = Vector512<T>.Zero, s1 = s0;
            for (; i <= c.Length - (2 * w); i += 2 * w)
            {
                Vector512<T> c0 = Vector512.LoadUnsafe(ref rc, (nuint)i) + Vector512.LoadUnsafe(ref rs, (nuint)i);
                Vector512<T> c1 = Vector512.LoadUnsafe(ref rc, (nuint)(i + w)) + Vector512.LoadUnsafe(ref rs, (nuint)(i + w));
                c0.StoreUnsafe(ref rc, (nuint)i);
                c1.StoreUnsafe(ref rc, (nuint)(i + w));
                s0 += c0 - c0;
                s1 += c1 - c1;
            }

            check = Vector512.Sum(s0 + s1); // 0, or NaN once any sum was not finite
        }
        else if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            Vector<T> sum = Vector<T>.Zero;
            for (; i <= c.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                Vector<T> v = Vector.LoadUnsafe(ref rc, (nuint)i) + Vector.LoadUnsafe(ref rs, (nuint)i);
                v.StoreUnsafe(ref rc, (nuint)i);
                sum += v - v;
            }

            check = Vector.Sum(sum);
        }

        for (; i < c.Length; i++)
        {
            T v = Unsafe.Add(ref rc, i) + Unsafe.Add(ref rs, i);
            Unsafe.Add(ref rc, i) = v;
            check += v - v;
        }

        return check == T.Zero;
    }
}
