using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Kernels;

// The direct path's tiles for processors whose widest kernel is the Vector256 one (AVX2 and FMA: 16 vector registers, so
// a tile is at most 2 vectors × 6 columns, 12 sums, as MicroKernel256's), and their masked loads and stores of C's last
// rows. The arithmetic is the Vector512 tiles' (DirectGemm.Tiles.cs), a vector of half the width.
internal static unsafe partial class DirectGemm
{
    /// <summary>All rows of C for the columns of <typeparamref name="TWidth"/> (at most 6) with the Vector256 tiles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Columns256<T, TWidth>(int m, int kc, T* a, int lda, T* b, nint bp, nint bj, T* c, int ldc, bool add)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TWidth : struct, IWidth
    {
        if (TWidth.Count > 6)
        {
            throw new UnreachableException("Vector256 tiles are at most 6 columns wide (DirectGemm.Run balances them so).");
        }

        int w = Vector256<T>.Count;
        int i = 0;
        for (; i + (2 * w) <= m; i += 2 * w)
        {
            TwoVectors256<T, TWidth>(kc, a + i, lda, b, bp, bj, c + i, ldc, add);
        }

        for (; i < m; i += w)
        {
            OneVector256<T, TWidth>(kc, a + i, lda, b, bp, bj, c + i, ldc, add, Math.Min(w, m - i));
        }
    }

    /// <summary>The Vector256 counterpart of <see cref="TwoVectors{T, TWidth}"/>: two full vectors of rows × up to 6 columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TwoVectors256<T, TWidth>(int kc, T* a, int lda, T* b, nint bp, nint bj, T* c, int ldc, bool add)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TWidth : struct, IWidth
    {
        int w = Vector256<T>.Count;
        Vector256<T> c00 = default, c10 = default, c01 = default, c11 = default, c02 = default, c12 = default;
        Vector256<T> c03 = default, c13 = default, c04 = default, c14 = default, c05 = default, c15 = default;
        T* b1 = b + bj, b2 = b + (2 * bj), b3 = b + (3 * bj), b4 = b + (4 * bj), b5 = b + (5 * bj);
        nint ahead = (nint)PrefetchSteps * lda;
        nint o = 0;
        int p = 0;
        for (; p + 2 <= kc; p += 2, o += 2 * bp)
        {
            // Two steps a loop, o the running offset of op(B)'s step: a tile of 8-float vectors does a third of the
            // Vector512 tile's multiply-adds a step, so the loop's own instructions weigh more (same sums, in order).
            if (TWidth.Count >= 4)
            {
                Sse.Prefetch0(a + ahead);
                Sse.Prefetch0(a + ahead + lda);
            }

            {
                Vector256<T> a0 = Vector256.Load(a), a1 = Vector256.Load(a + w), s;
                s = Vector256.Create(b[o]);
                c00 = VectorFma.Fma(a0, s, c00);
                c10 = VectorFma.Fma(a1, s, c10);
                if (TWidth.Count > 1)
                {
                    s = Vector256.Create(b1[o]);
                    c01 = VectorFma.Fma(a0, s, c01);
                    c11 = VectorFma.Fma(a1, s, c11);
                }
                if (TWidth.Count > 2)
                {
                    s = Vector256.Create(b2[o]);
                    c02 = VectorFma.Fma(a0, s, c02);
                    c12 = VectorFma.Fma(a1, s, c12);
                }
                if (TWidth.Count > 3)
                {
                    s = Vector256.Create(b3[o]);
                    c03 = VectorFma.Fma(a0, s, c03);
                    c13 = VectorFma.Fma(a1, s, c13);
                }
                if (TWidth.Count > 4)
                {
                    s = Vector256.Create(b4[o]);
                    c04 = VectorFma.Fma(a0, s, c04);
                    c14 = VectorFma.Fma(a1, s, c14);
                }
                if (TWidth.Count > 5)
                {
                    s = Vector256.Create(b5[o]);
                    c05 = VectorFma.Fma(a0, s, c05);
                    c15 = VectorFma.Fma(a1, s, c15);
                }
            }

            a += lda;
            {
                Vector256<T> a0 = Vector256.Load(a), a1 = Vector256.Load(a + w), s;
                s = Vector256.Create(b[o + bp]);
                c00 = VectorFma.Fma(a0, s, c00);
                c10 = VectorFma.Fma(a1, s, c10);
                if (TWidth.Count > 1)
                {
                    s = Vector256.Create(b1[o + bp]);
                    c01 = VectorFma.Fma(a0, s, c01);
                    c11 = VectorFma.Fma(a1, s, c11);
                }
                if (TWidth.Count > 2)
                {
                    s = Vector256.Create(b2[o + bp]);
                    c02 = VectorFma.Fma(a0, s, c02);
                    c12 = VectorFma.Fma(a1, s, c12);
                }
                if (TWidth.Count > 3)
                {
                    s = Vector256.Create(b3[o + bp]);
                    c03 = VectorFma.Fma(a0, s, c03);
                    c13 = VectorFma.Fma(a1, s, c13);
                }
                if (TWidth.Count > 4)
                {
                    s = Vector256.Create(b4[o + bp]);
                    c04 = VectorFma.Fma(a0, s, c04);
                    c14 = VectorFma.Fma(a1, s, c14);
                }
                if (TWidth.Count > 5)
                {
                    s = Vector256.Create(b5[o + bp]);
                    c05 = VectorFma.Fma(a0, s, c05);
                    c15 = VectorFma.Fma(a1, s, c15);
                }
            }

            a += lda;
        }

        if (p < kc) // an odd last step
        {
            Vector256<T> a0 = Vector256.Load(a), a1 = Vector256.Load(a + w), s;
            s = Vector256.Create(b[o]);
            c00 = VectorFma.Fma(a0, s, c00);
            c10 = VectorFma.Fma(a1, s, c10);
            if (TWidth.Count > 1)
            {
                s = Vector256.Create(b1[o]);
                c01 = VectorFma.Fma(a0, s, c01);
                c11 = VectorFma.Fma(a1, s, c11);
            }
            if (TWidth.Count > 2)
            {
                s = Vector256.Create(b2[o]);
                c02 = VectorFma.Fma(a0, s, c02);
                c12 = VectorFma.Fma(a1, s, c12);
            }
            if (TWidth.Count > 3)
            {
                s = Vector256.Create(b3[o]);
                c03 = VectorFma.Fma(a0, s, c03);
                c13 = VectorFma.Fma(a1, s, c13);
            }
            if (TWidth.Count > 4)
            {
                s = Vector256.Create(b4[o]);
                c04 = VectorFma.Fma(a0, s, c04);
                c14 = VectorFma.Fma(a1, s, c14);
            }
            if (TWidth.Count > 5)
            {
                s = Vector256.Create(b5[o]);
                c05 = VectorFma.Fma(a0, s, c05);
                c15 = VectorFma.Fma(a1, s, c15);
            }
        }

        Store(c, c00, c10, w, add);
        if (TWidth.Count > 1) Store(c + ldc, c01, c11, w, add);
        if (TWidth.Count > 2) Store(c + (2 * ldc), c02, c12, w, add);
        if (TWidth.Count > 3) Store(c + (3 * ldc), c03, c13, w, add);
        if (TWidth.Count > 4) Store(c + (4 * ldc), c04, c14, w, add);
        if (TWidth.Count > 5) Store(c + (5 * ldc), c05, c15, w, add);
    }

    /// <summary>The Vector256 counterpart of <see cref="OneVector{T, TWidth}"/>: one vector of rows, the first <paramref name="rows"/> C's.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OneVector256<T, TWidth>(int kc, T* a, int lda, T* b, nint bp, nint bj, T* c, int ldc, bool add, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TWidth : struct, IWidth
    {
        Vector256<T> mask = Mask256<T>(rows);
        bool full = rows == Vector256<T>.Count;
        Vector256<T> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        T* b1 = b + bj, b2 = b + (2 * bj), b3 = b + (3 * bj), b4 = b + (4 * bj), b5 = b + (5 * bj);
        for (int p = 0; p < kc; p++, a += lda)
        {
            Vector256<T> a0 = full ? Vector256.Load(a) : MaskLoad(a, mask);
            nint o = p * bp;
            c0 = VectorFma.Fma(a0, Vector256.Create(b[o]), c0);
            if (TWidth.Count > 1) c1 = VectorFma.Fma(a0, Vector256.Create(b1[o]), c1);
            if (TWidth.Count > 2) c2 = VectorFma.Fma(a0, Vector256.Create(b2[o]), c2);
            if (TWidth.Count > 3) c3 = VectorFma.Fma(a0, Vector256.Create(b3[o]), c3);
            if (TWidth.Count > 4) c4 = VectorFma.Fma(a0, Vector256.Create(b4[o]), c4);
            if (TWidth.Count > 5) c5 = VectorFma.Fma(a0, Vector256.Create(b5[o]), c5);
        }

        Store(c, c0, mask, full, add);
        if (TWidth.Count > 1) Store(c + ldc, c1, mask, full, add);
        if (TWidth.Count > 2) Store(c + (2 * ldc), c2, mask, full, add);
        if (TWidth.Count > 3) Store(c + (3 * ldc), c3, mask, full, add);
        if (TWidth.Count > 4) Store(c + (4 * ldc), c4, mask, full, add);
        if (TWidth.Count > 5) Store(c + (5 * ldc), c5, mask, full, add);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(T* c, Vector256<T> low, Vector256<T> high, int w, bool add)
        where T : unmanaged
    {
        if (add)
        {
            low = Vector256.Load(c) + low;
            high = Vector256.Load(c + w) + high;
        }

        low.Store(c);
        high.Store(c + w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(T* c, Vector256<T> sum, Vector256<T> mask, bool full, bool add)
        where T : unmanaged
    {
        if (full)
        {
            (add ? Vector256.Load(c) + sum : sum).Store(c);
            return;
        }

        MaskStore(c, mask, add ? MaskLoad(c, mask) + sum : sum);
    }

    /// <summary>All bits set in the first <paramref name="rows"/> lanes of a Vector256.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Mask256<T>(int rows)
        where T : unmanaged
        => typeof(T) == typeof(float)
            ? Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(rows)).As<int, T>()
            : Vector256.LessThan(Vector256<long>.Indices, Vector256.Create((long)rows)).As<long, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> MaskLoad<T>(T* address, Vector256<T> mask)
        where T : unmanaged
        => typeof(T) == typeof(float)
            ? Avx.MaskLoad((float*)address, mask.AsSingle()).As<float, T>()
            : Avx.MaskLoad((double*)address, mask.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MaskStore<T>(T* address, Vector256<T> mask, Vector256<T> values)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            Avx.MaskStore((float*)address, mask.AsSingle(), values.AsSingle());
        }
        else
        {
            Avx.MaskStore((double*)address, mask.AsDouble(), values.AsDouble());
        }
    }
}
