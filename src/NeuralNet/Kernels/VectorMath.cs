using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralNet.Kernels;

/// <summary>
/// The SIMD forms of the functions that <see cref="System.Numerics.Vector"/> offers only for float and double, for any
/// element type the vector loops run on (other types never reach them: <c>Vector&lt;T&gt;.IsSupported</c> is false).
/// </summary>
internal static class VectorMath
{
    /// <summary>e^x per element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Exp<T>(Vector<T> x)
        where T : struct, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            return Vector.Exp(x.As<T, float>()).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Vector.Exp(x.As<T, double>()).As<double, T>();
        }

        var values = new T[Vector<T>.Count]; // never reached: no other element type has vectors
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = T.Exp(x[i]);
        }

        return new Vector<T>(values);
    }

    /// <summary>
    /// e^x of one value: <see cref="Math.Exp"/> for double, <see cref="MathF.Exp"/> for float (what <c>T.Exp</c> calls for
    /// them, so the same bits), named directly. Precompiled (ReadyToRun) code cannot inline <c>double.Exp</c> from
    /// another assembly and would make a call into it, and from there into <see cref="Math.Exp"/>, for every value.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Exp<T>(T x)
        where T : struct, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            double e = Math.Exp(Unsafe.As<T, double>(ref x));
            return Unsafe.As<double, T>(ref e);
        }

        if (typeof(T) == typeof(float))
        {
            float e = MathF.Exp(Unsafe.As<T, float>(ref x));
            return Unsafe.As<float, T>(ref e);
        }

        return T.Exp(x);
    }
}
