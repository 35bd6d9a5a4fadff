using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using X86Fma = System.Runtime.Intrinsics.X86.Fma;

namespace NeuralNet.Kernels;

/// <summary>
/// Fused multiply-add <c>x·y + acc</c> on vectors of float or double, in one rounding where the
/// processor has FMA and as a multiply then an add where it has not (the type tests fold at JIT time).
/// </summary>
internal static class VectorFma
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Fma<T>(Vector512<T> x, Vector512<T> y, Vector512<T> acc)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector512.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), acc.AsSingle()).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Vector512.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), acc.AsDouble()).As<double, T>();
        }

        return (x * y) + acc;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Fma<T>(Vector256<T> x, Vector256<T> y, Vector256<T> acc)
    {
        if (X86Fma.IsSupported && typeof(T) == typeof(float))
        {
            return Vector256.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), acc.AsSingle()).As<float, T>();
        }

        if (X86Fma.IsSupported && typeof(T) == typeof(double))
        {
            return Vector256.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), acc.AsDouble()).As<double, T>();
        }

        return (x * y) + acc;
    }

    /// <summary>Whether <see cref="Fma{T}(Vector128{T}, Vector128{T}, Vector128{T})"/> rounds once (x86 FMA, or Arm AdvSimd).</summary>
    public static bool Fused128
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => X86Fma.IsSupported || AdvSimd.IsSupported;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Fma<T>(Vector128<T> x, Vector128<T> y, Vector128<T> acc)
    {
        if (Fused128 && typeof(T) == typeof(float))
        {
            return Vector128.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), acc.AsSingle()).As<float, T>();
        }

        if (Fused128 && typeof(T) == typeof(double))
        {
            return Vector128.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), acc.AsDouble()).As<double, T>();
        }

        return (x * y) + acc;
    }
}
