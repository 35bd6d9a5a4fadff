using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralNet.Kernels;

/// <summary>
/// Flushing subnormal values to zero. A value that decays geometrically (an optimizer's velocity while its gradient
/// stays exactly 0, e.g. the weights of an input that is 0 in every sample of the batch) passes through the
/// subnormal range for ~150 steps (float) before reaching 0, and on many processors every multiply that reads or
/// writes a subnormal is many times slower than one that does not (benchmarks/README.md has the
/// measurement). Values that are not subnormal pass unchanged, so results are the same to the bit wherever no
/// subnormal occurs; a subnormal becomes a zero of the same sign (what a processor's flush-to-zero mode does).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal static class Subnormal<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>
    /// The smallest positive normal value: 2^−126 for float, 2^−1022 for double (0 for other types: nothing is flushed).
    /// A constant the compiler folds, not a static field: precompiled (ReadyToRun) code reads a generic class's static
    /// field through a helper call, which inside an update's vector loop cost a call and the spill of every vector
    /// register per vector.
    /// </summary>
    public static T MinNormal
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if (typeof(T) == typeof(float))
            {
                float value = BitConverter.Int32BitsToSingle(0x0080_0000);
                return Unsafe.As<float, T>(ref value);
            }

            if (typeof(T) == typeof(double))
            {
                double value = BitConverter.Int64BitsToDouble(0x0010_0000_0000_0000);
                return Unsafe.As<double, T>(ref value);
            }

            return T.Zero;
        }
    }

    /// <summary><paramref name="x"/>, or a zero of its sign when it is subnormal.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Flush(T x) => T.Abs(x) < MinNormal ? T.CopySign(T.Zero, x) : x;

    /// <summary>Each element of <paramref name="x"/>, or a zero of its sign where it is subnormal (NaN stays NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Flush(Vector<T> x)
    {
        var sign = new Vector<T>(T.NegativeZero); // only the sign bits set
        return Vector.ConditionalSelect(Vector.LessThan(Vector.Abs(x), new Vector<T>(MinNormal)), x & sign, x);
    }
}
