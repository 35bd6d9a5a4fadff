using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralNet.Kernels;

/// <summary>
/// Flushing subnormal values to zero. A value that decays geometrically (an optimizer's velocity while its gradient
/// stays exactly 0, e.g. the weights of an input that is 0 in every sample of the batch) passes through the
/// subnormal range for ~150 steps (float) before reaching 0, and on many processors every multiply that reads or
/// writes a subnormal is many times slower than one that does not (the README's performance section has the
/// measurement). Values that are not subnormal pass unchanged, so results are the same to the bit wherever no
/// subnormal occurs; a subnormal becomes a zero of the same sign (what a processor's flush-to-zero mode does).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal static class Subnormal<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>The smallest positive normal value: 2^−126 for float, 2^−1022 for double (ε · 2^mantissa bits).</summary>
    public static readonly T MinNormal =
        typeof(T) == typeof(float) ? T.CreateTruncating(1.1754943508222875e-38)
        : typeof(T) == typeof(double) ? T.CreateTruncating(2.2250738585072014e-308)
        : T.Zero;

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
