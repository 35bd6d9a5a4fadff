using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

namespace NeuralNet.Kernels;

/// <summary>
/// The Vector128 micro-kernel: a tile of C of 2 vectors × <see cref="Columns"/> columns, <c>C_tile (+)= Â·B̂</c> over
/// <c>kc</c> steps of packed panels (Â: 2 vectors per step, B̂: <see cref="Columns"/> values per step). On Arm64 the tile
/// is 12 columns wide (24 accumulators); elsewhere (x86 without AVX2) it is 4 (8 accumulators).
/// </summary>
/// <remarks>
/// Why the width differs. A core keeps <c>pipes × latency</c> multiply-adds in flight only if the tile has that many
/// independent accumulators: Arm cores with four 128-bit FMA pipes of latency 4 (Apple's M cores, Neoverse V1 and V2) need
/// 16, and a tile of 8 could use at most half of them. Arm64 has 32 vector registers, room for 24 accumulators, the two
/// vectors of Â and B̂'s values; x86's SSE has 16, where a tile of 8 is what fits. On Arm64 each step loads its 12 values
/// of B̂ as whole vectors and multiplies by their lanes (FMLA by element), 2 + 12/<c>Count</c> loads for 24 multiply-adds,
/// instead of a broadcast load per column. Neither shape changes a sum: each element of C is a fused multiply-add chain
/// over the steps of k in order.
/// </remarks>
internal static unsafe class MicroKernel128
{
    /// <summary>Columns of C per tile: 12 on Arm64, 4 elsewhere (the JIT folds the test).</summary>
    public static int Columns
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => AdvSimd.Arm64.IsSupported ? 12 : 4;
    }

    /// <summary>Multiplies the packed panels into the full tile at <paramref name="c"/> (column stride <paramref name="ldc"/>); adds to it when <paramref name="add"/> is set, else overwrites it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<T>(int kc, T* a, T* b, T* c, int ldc, bool add)
        where T : unmanaged
    {
        if (AdvSimd.Arm64.IsSupported && (typeof(T) == typeof(float) || typeof(T) == typeof(double)))
        {
            RunByLanes(kc, a, b, c, ldc, add);
        }
        else
        {
            RunFour(kc, a, b, c, ldc, add);
        }
    }

    /// <summary>The Arm64 tile of 2 vectors × 12 columns: B̂'s values loaded four at a time and multiplied by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunByLanes<T>(int kc, T* a, T* b, T* c, int ldc, bool add)
        where T : unmanaged
    {
        int w = Vector128<T>.Count;
        Vector128<T> c00 = default; Vector128<T> c10 = default; Vector128<T> c01 = default; Vector128<T> c11 = default;
        Vector128<T> c02 = default; Vector128<T> c12 = default; Vector128<T> c03 = default; Vector128<T> c13 = default;
        Vector128<T> c04 = default; Vector128<T> c14 = default; Vector128<T> c05 = default; Vector128<T> c15 = default;
        Vector128<T> c06 = default; Vector128<T> c16 = default; Vector128<T> c07 = default; Vector128<T> c17 = default;
        Vector128<T> c08 = default; Vector128<T> c18 = default; Vector128<T> c09 = default; Vector128<T> c19 = default;
        Vector128<T> c0a = default; Vector128<T> c1a = default; Vector128<T> c0b = default; Vector128<T> c1b = default;
        for (int p = 0; p < kc; p++)
        {
            Vector128<T> a0 = Vector128.Load(a);
            Vector128<T> a1 = Vector128.Load(a + w);
            (Vector128<T> low, Vector128<T> high) = LoadFour(b);
            c00 = FmaByColumn(c00, a0, low, high, 0);
            c10 = FmaByColumn(c10, a1, low, high, 0);
            c01 = FmaByColumn(c01, a0, low, high, 1);
            c11 = FmaByColumn(c11, a1, low, high, 1);
            c02 = FmaByColumn(c02, a0, low, high, 2);
            c12 = FmaByColumn(c12, a1, low, high, 2);
            c03 = FmaByColumn(c03, a0, low, high, 3);
            c13 = FmaByColumn(c13, a1, low, high, 3);
            (low, high) = LoadFour(b + 4);
            c04 = FmaByColumn(c04, a0, low, high, 0);
            c14 = FmaByColumn(c14, a1, low, high, 0);
            c05 = FmaByColumn(c05, a0, low, high, 1);
            c15 = FmaByColumn(c15, a1, low, high, 1);
            c06 = FmaByColumn(c06, a0, low, high, 2);
            c16 = FmaByColumn(c16, a1, low, high, 2);
            c07 = FmaByColumn(c07, a0, low, high, 3);
            c17 = FmaByColumn(c17, a1, low, high, 3);
            (low, high) = LoadFour(b + 8);
            c08 = FmaByColumn(c08, a0, low, high, 0);
            c18 = FmaByColumn(c18, a1, low, high, 0);
            c09 = FmaByColumn(c09, a0, low, high, 1);
            c19 = FmaByColumn(c19, a1, low, high, 1);
            c0a = FmaByColumn(c0a, a0, low, high, 2);
            c1a = FmaByColumn(c1a, a1, low, high, 2);
            c0b = FmaByColumn(c0b, a0, low, high, 3);
            c1b = FmaByColumn(c1b, a1, low, high, 3);
            a += 2 * w;
            b += 12;
        }

        Store(c, c00, c10, w, add);
        Store(c + ldc, c01, c11, w, add);
        Store(c + (2 * (nint)ldc), c02, c12, w, add);
        Store(c + (3 * (nint)ldc), c03, c13, w, add);
        Store(c + (4 * (nint)ldc), c04, c14, w, add);
        Store(c + (5 * (nint)ldc), c05, c15, w, add);
        Store(c + (6 * (nint)ldc), c06, c16, w, add);
        Store(c + (7 * (nint)ldc), c07, c17, w, add);
        Store(c + (8 * (nint)ldc), c08, c18, w, add);
        Store(c + (9 * (nint)ldc), c09, c19, w, add);
        Store(c + (10 * (nint)ldc), c0a, c1a, w, add);
        Store(c + (11 * (nint)ldc), c0b, c1b, w, add);
    }

    /// <summary>The 4-column tile of 8 accumulators, with a broadcast of each value of B̂.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunFour<T>(int kc, T* a, T* b, T* c, int ldc, bool add)
        where T : unmanaged
    {
        int w = Vector128<T>.Count;
        Vector128<T> c00 = default; Vector128<T> c10 = default; Vector128<T> c01 = default; Vector128<T> c11 = default;
        Vector128<T> c02 = default; Vector128<T> c12 = default; Vector128<T> c03 = default; Vector128<T> c13 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector128<T> a0 = Vector128.Load(a);
            Vector128<T> a1 = Vector128.Load(a + w);
            Vector128<T> bj;
            bj = Vector128.Create(b[0]);
            c00 = VectorFma.Fma(a0, bj, c00);
            c10 = VectorFma.Fma(a1, bj, c10);
            bj = Vector128.Create(b[1]);
            c01 = VectorFma.Fma(a0, bj, c01);
            c11 = VectorFma.Fma(a1, bj, c11);
            bj = Vector128.Create(b[2]);
            c02 = VectorFma.Fma(a0, bj, c02);
            c12 = VectorFma.Fma(a1, bj, c12);
            bj = Vector128.Create(b[3]);
            c03 = VectorFma.Fma(a0, bj, c03);
            c13 = VectorFma.Fma(a1, bj, c13);
            a += 2 * w;
            b += 4;
        }

        Store(c, c00, c10, w, add);
        Store(c + ldc, c01, c11, w, add);
        Store(c + (2 * ldc), c02, c12, w, add);
        Store(c + (3 * ldc), c03, c13, w, add);
    }

    /// <summary>Four values of B̂ as vectors: one of floats (<c>high</c> unused), or two of doubles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<T> Low, Vector128<T> High) LoadFour<T>(T* b)
        where T : unmanaged
        => (Vector128.Load(b), Vector128<T>.Count == 4 ? default : Vector128.Load(b + 2));

    /// <summary><c>acc + a·b_j</c> for value <paramref name="j"/> (0-3) of the four loaded by <see cref="LoadFour{T}"/>, fused: FMLA by element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<T> FmaByColumn<T>(Vector128<T> acc, Vector128<T> a, Vector128<T> low, Vector128<T> high, [ConstantExpected(Max = 3)] byte j)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            return AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(acc.AsSingle(), a.AsSingle(), low.AsSingle(), j).As<float, T>();
        }

        // Value j of four doubles is lane j & 1 of the low or the high vector. Every caller passes a literal, so after
        // inlining the lane is a constant (the analyzer cannot see that through j's range of 0-3).
#pragma warning disable CA1857
        Vector128<double> values = (j < 2 ? low : high).AsDouble();
        return AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(acc.AsDouble(), a.AsDouble(), values, (byte)(j & 1)).As<double, T>();
#pragma warning restore CA1857
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(T* c, Vector128<T> low, Vector128<T> high, int w, bool add)
        where T : unmanaged
    {
        if (add)
        {
            low += Vector128.Load(c);
            high += Vector128.Load(c + w);
        }

        low.Store(c);
        high.Store(c + w);
    }
}
