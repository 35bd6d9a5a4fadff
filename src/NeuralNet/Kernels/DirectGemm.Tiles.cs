using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Kernels;

// The tiles of the direct path: two vectors or one (masked) of rows × a width of columns, their sums in registers while
// the depth runs, and the masked loads and stores of C's last rows.
internal static unsafe partial class DirectGemm
{
    /// <summary>Steps of the depth ahead at which a tile requests op(A)'s lines (its columns are lda apart, often on pages of their own).</summary>
    private const int PrefetchSteps = 32;

    /// <summary>A tile of two full vectors of rows × <typeparamref name="TWidth"/> columns (the micro-kernel's tile, unpacked).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TwoVectors<T, TWidth>(int kc, T* a, int lda, T* b, nint bp, nint bj, T* c, int ldc, bool add)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TWidth : struct, IWidth
    {
        int w = Vector512<T>.Count;
        Vector512<T> c00 = default, c10 = default, c01 = default, c11 = default, c02 = default, c12 = default, c03 = default, c13 = default;
        Vector512<T> c04 = default, c14 = default, c05 = default, c15 = default, c06 = default, c16 = default, c07 = default, c17 = default;
        T* b1 = b + bj, b2 = b + (2 * bj), b3 = b + (3 * bj), b4 = b + (4 * bj), b5 = b + (5 * bj), b6 = b + (6 * bj), b7 = b + (7 * bj);
        nint ahead = (nint)PrefetchSteps * lda;
        for (int p = 0; p < kc; p++, a += lda)
        {
            if (TWidth.Count >= 4)
            {
                // op(A)'s lines PrefetchSteps columns on: its columns lie lda apart, which the hardware does not foresee.
                // (Narrower tiles do too few multiply-adds a step to spare the loads.)
                Sse.Prefetch0(a + ahead);
                Sse.Prefetch0(a + ahead + w);
            }

            Vector512<T> a0 = Vector512.Load(a), a1 = Vector512.Load(a + w), s;
            nint o = p * bp;
            s = Vector512.Create(b[o]);
            c00 = VectorFma.Fma(a0, s, c00);
            c10 = VectorFma.Fma(a1, s, c10);
            if (TWidth.Count > 1)
            {
                s = Vector512.Create(b1[o]);
                c01 = VectorFma.Fma(a0, s, c01);
                c11 = VectorFma.Fma(a1, s, c11);
            }

            if (TWidth.Count > 2)
            {
                s = Vector512.Create(b2[o]);
                c02 = VectorFma.Fma(a0, s, c02);
                c12 = VectorFma.Fma(a1, s, c12);
            }

            if (TWidth.Count > 3)
            {
                s = Vector512.Create(b3[o]);
                c03 = VectorFma.Fma(a0, s, c03);
                c13 = VectorFma.Fma(a1, s, c13);
            }

            if (TWidth.Count > 4)
            {
                s = Vector512.Create(b4[o]);
                c04 = VectorFma.Fma(a0, s, c04);
                c14 = VectorFma.Fma(a1, s, c14);
            }

            if (TWidth.Count > 5)
            {
                s = Vector512.Create(b5[o]);
                c05 = VectorFma.Fma(a0, s, c05);
                c15 = VectorFma.Fma(a1, s, c15);
            }

            if (TWidth.Count > 6)
            {
                s = Vector512.Create(b6[o]);
                c06 = VectorFma.Fma(a0, s, c06);
                c16 = VectorFma.Fma(a1, s, c16);
            }

            if (TWidth.Count > 7)
            {
                s = Vector512.Create(b7[o]);
                c07 = VectorFma.Fma(a0, s, c07);
                c17 = VectorFma.Fma(a1, s, c17);
            }
        }

        Store(c, c00, c10, w, add);
        if (TWidth.Count > 1) Store(c + ldc, c01, c11, w, add);
        if (TWidth.Count > 2) Store(c + (2 * ldc), c02, c12, w, add);
        if (TWidth.Count > 3) Store(c + (3 * ldc), c03, c13, w, add);
        if (TWidth.Count > 4) Store(c + (4 * ldc), c04, c14, w, add);
        if (TWidth.Count > 5) Store(c + (5 * ldc), c05, c15, w, add);
        if (TWidth.Count > 6) Store(c + (6 * ldc), c06, c16, w, add);
        if (TWidth.Count > 7) Store(c + (7 * ldc), c07, c17, w, add);
    }

    /// <summary>A tile of one vector of rows, of which the first <paramref name="rows"/> are C's (the others masked off), × <typeparamref name="TWidth"/> columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OneVector<T, TWidth>(int kc, T* a, int lda, T* b, nint bp, nint bj, T* c, int ldc, bool add, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TWidth : struct, IWidth
    {
        Vector512<T> mask = Mask<T>(rows);
        bool full = rows == Vector512<T>.Count;
        Vector512<T> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        T* b1 = b + bj, b2 = b + (2 * bj), b3 = b + (3 * bj), b4 = b + (4 * bj), b5 = b + (5 * bj), b6 = b + (6 * bj), b7 = b + (7 * bj);
        for (int p = 0; p < kc; p++, a += lda)
        {
            Vector512<T> a0 = full ? Vector512.Load(a) : MaskLoad(a, mask);
            nint o = p * bp;
            c0 = VectorFma.Fma(a0, Vector512.Create(b[o]), c0);
            if (TWidth.Count > 1) c1 = VectorFma.Fma(a0, Vector512.Create(b1[o]), c1);
            if (TWidth.Count > 2) c2 = VectorFma.Fma(a0, Vector512.Create(b2[o]), c2);
            if (TWidth.Count > 3) c3 = VectorFma.Fma(a0, Vector512.Create(b3[o]), c3);
            if (TWidth.Count > 4) c4 = VectorFma.Fma(a0, Vector512.Create(b4[o]), c4);
            if (TWidth.Count > 5) c5 = VectorFma.Fma(a0, Vector512.Create(b5[o]), c5);
            if (TWidth.Count > 6) c6 = VectorFma.Fma(a0, Vector512.Create(b6[o]), c6);
            if (TWidth.Count > 7) c7 = VectorFma.Fma(a0, Vector512.Create(b7[o]), c7);
        }

        Store(c, c0, mask, full, add);
        if (TWidth.Count > 1) Store(c + ldc, c1, mask, full, add);
        if (TWidth.Count > 2) Store(c + (2 * ldc), c2, mask, full, add);
        if (TWidth.Count > 3) Store(c + (3 * ldc), c3, mask, full, add);
        if (TWidth.Count > 4) Store(c + (4 * ldc), c4, mask, full, add);
        if (TWidth.Count > 5) Store(c + (5 * ldc), c5, mask, full, add);
        if (TWidth.Count > 6) Store(c + (6 * ldc), c6, mask, full, add);
        if (TWidth.Count > 7) Store(c + (7 * ldc), c7, mask, full, add);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(T* c, Vector512<T> low, Vector512<T> high, int w, bool add)
        where T : unmanaged
    {
        if (add)
        {
            low = Vector512.Load(c) + low; // C + the block's sum, as the micro-kernel adds it
            high = Vector512.Load(c + w) + high;
        }

        low.Store(c);
        high.Store(c + w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(T* c, Vector512<T> sum, Vector512<T> mask, bool full, bool add)
        where T : unmanaged
    {
        if (full)
        {
            (add ? Vector512.Load(c) + sum : sum).Store(c);
            return;
        }

        MaskStore(c, mask, add ? MaskLoad(c, mask) + sum : sum); // only C's rows are read or written
    }

    /// <summary>All bits set in the first <paramref name="rows"/> lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Mask<T>(int rows)
        where T : unmanaged
        => typeof(T) == typeof(float)
            ? Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(rows)).As<int, T>()
            : Vector512.LessThan(Vector512<long>.Indices, Vector512.Create((long)rows)).As<long, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> MaskLoad<T>(T* address, Vector512<T> mask)
        where T : unmanaged
        => typeof(T) == typeof(float)
            ? Avx512F.MaskLoad((float*)address, mask.AsSingle(), Vector512<float>.Zero).As<float, T>()
            : Avx512F.MaskLoad((double*)address, mask.AsDouble(), Vector512<double>.Zero).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MaskStore<T>(T* address, Vector512<T> mask, Vector512<T> values)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            Avx512F.MaskStore((float*)address, mask.AsSingle(), values.AsSingle());
        }
        else
        {
            Avx512F.MaskStore((double*)address, mask.AsDouble(), values.AsDouble());
        }
    }

    /// <summary>A tile's width in columns, as a type so that each width compiles to its own code with unused sums removed.</summary>
    private interface IWidth
    {
        static abstract int Count { get; }
    }

    private readonly struct One : IWidth { public static int Count => 1; }

    private readonly struct Two : IWidth { public static int Count => 2; }

    private readonly struct Three : IWidth { public static int Count => 3; }

    private readonly struct Four : IWidth { public static int Count => 4; }

    private readonly struct Five : IWidth { public static int Count => 5; }

    private readonly struct Six : IWidth { public static int Count => 6; }

    private readonly struct Seven : IWidth { public static int Count => 7; }

    private readonly struct Eight : IWidth { public static int Count => 8; }
}
