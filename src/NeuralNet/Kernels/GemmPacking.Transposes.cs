using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Kernels;

// The in-register transposes that pack an op(B) stored by columns (untransposed: a panel's step lies across its stored
// columns) and a transposed op(A): 8 × 8 floats, 4 × 4 floats and 4 × 4 doubles at a time, a panel of 12 floats or of 6
// floats or doubles in one pass, and pairs of float columns interleaved (the last two of the Vector256 kernel's six at a
// panel's end). A transposed op(B), whose steps are already contiguous, is copied (GemmPacking.StepGroups.cs).
internal static unsafe partial class GemmPacking
{
    /// <summary>
    /// The 8-step runs of 4 stored columns at <paramref name="s"/> (<paramref name="ld"/> apart), half transposed: qi holds
    /// the 4 columns' values of step i in its low half and of step i + 4 in its high half. The first two stages of every
    /// float transpose below; the third, which puts halves together, is each one's own.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FourColumns(float* s, nint ld, out Vector256<float> q0, out Vector256<float> q1, out Vector256<float> q2, out Vector256<float> q3)
    {
        Vector256<float> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + ld);
        Vector256<float> r2 = Avx.LoadVector256(s + (2 * ld)), r3 = Avx.LoadVector256(s + (3 * ld));
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        q0 = Avx.Shuffle(t0, t2, 0x44);
        q1 = Avx.Shuffle(t0, t2, 0xEE);
        q2 = Avx.Shuffle(t1, t3, 0x44);
        q3 = Avx.Shuffle(t1, t3, 0xEE);
    }

    /// <summary>
    /// Packs 8 stored columns (stride <paramref name="ldb"/>, contiguous in k) into 8 adjacent lanes of a
    /// panel whose steps are <paramref name="stride"/> apart, 8 steps of k at a time by an in-register 8×8
    /// transpose; returns how many steps it packed (the rest, fewer than 8, remain).
    /// </summary>
    private static int TransposeEights(float* source, int ldb, int kc, float* panel, int stride)
    {
        int p = 0;
        for (; p + 8 <= kc; p += 8)
        {
            FourColumns(source + p, ldb, out Vector256<float> u0, out Vector256<float> u1, out Vector256<float> u2, out Vector256<float> u3);
            FourColumns(source + p + (4 * (nint)ldb), ldb, out Vector256<float> u4, out Vector256<float> u5, out Vector256<float> u6, out Vector256<float> u7);
            float* d = panel + ((nint)p * stride);
            Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
            Avx.Store(d + stride, Avx.Permute2x128(u1, u5, 0x20));
            Avx.Store(d + (2 * stride), Avx.Permute2x128(u2, u6, 0x20));
            Avx.Store(d + (3 * stride), Avx.Permute2x128(u3, u7, 0x20));
            Avx.Store(d + (4 * stride), Avx.Permute2x128(u0, u4, 0x31));
            Avx.Store(d + (5 * stride), Avx.Permute2x128(u1, u5, 0x31));
            Avx.Store(d + (6 * stride), Avx.Permute2x128(u2, u6, 0x31));
            Avx.Store(d + (7 * stride), Avx.Permute2x128(u3, u7, 0x31));
        }

        return p;
    }

    /// <summary>
    /// Packs 4 stored columns (stride <paramref name="ldb"/>, contiguous in k) into 4 adjacent lanes of a panel whose
    /// steps are <paramref name="stride"/> apart, by in-register 4×4 transposes, 8 steps of k at a time like
    /// <see cref="TransposeEights"/>, so both leave the same steps for the scalar loop; returns how many it packed.
    /// </summary>
    private static int TransposeFours(float* source, int ldb, int kc, float* panel, int stride)
    {
        int p = 0;
        for (; p + 8 <= kc; p += 8)
        {
            Four(source + p, ldb, panel + ((nint)p * stride), stride);
            Four(source + p + 4, ldb, panel + ((nint)(p + 4) * stride), stride);
        }

        return p;

        static void Four(float* s, int ldb, float* d, int stride)
        {
            Vector128<float> r0 = Sse.LoadVector128(s), r1 = Sse.LoadVector128(s + ldb);
            Vector128<float> r2 = Sse.LoadVector128(s + (2 * (nint)ldb)), r3 = Sse.LoadVector128(s + (3 * (nint)ldb));
            Vector128<float> t0 = Sse.UnpackLow(r0, r1), t1 = Sse.UnpackHigh(r0, r1), t2 = Sse.UnpackLow(r2, r3), t3 = Sse.UnpackHigh(r2, r3);
            Sse.Store(d, Sse.MoveLowToHigh(t0, t2));
            Sse.Store(d + stride, Sse.MoveHighToLow(t2, t0));
            Sse.Store(d + (2 * stride), Sse.MoveLowToHigh(t1, t3));
            Sse.Store(d + (3 * stride), Sse.MoveHighToLow(t3, t1));
        }
    }

    /// <summary>
    /// The double counterpart of <see cref="TransposeFours(float*, int, int, float*, int)"/>: 4 stored columns into 4
    /// adjacent lanes of a panel, by in-register 4×4 transposes of Vector256, 8 steps of k at a time.
    /// </summary>
    private static int TransposeFours(double* source, int ld, int kc, double* panel, int stride)
    {
        int p = 0;
        for (; p + 8 <= kc; p += 8)
        {
            Four(source + p, ld, panel + ((nint)p * stride), stride);
            Four(source + p + 4, ld, panel + ((nint)(p + 4) * stride), stride);
        }

        return p;

        static void Four(double* s, int ld, double* d, int stride)
        {
            Vector256<double> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + ld);
            Vector256<double> r2 = Avx.LoadVector256(s + (2 * (nint)ld)), r3 = Avx.LoadVector256(s + (3 * (nint)ld));
            Vector256<double> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
            Avx.Store(d, Avx.Permute2x128(t0, t2, 0x20));
            Avx.Store(d + stride, Avx.Permute2x128(t1, t3, 0x20));
            Avx.Store(d + (2 * stride), Avx.Permute2x128(t0, t2, 0x31));
            Avx.Store(d + (3 * stride), Avx.Permute2x128(t1, t3, 0x31));
        }
    }

    /// <summary>
    /// Packs 12 stored float columns into a panel of 12 lanes (the Vector512 kernel's), all twelve per 8 steps of k: an
    /// 8 × 8 transpose of columns 0-7 and a 4 × 8 one of columns 8-11 leave each step's three 4-value pieces in register
    /// halves, which go out pairwise in 12 32-byte stores, one after the other, none across a cache line when the panel
    /// starts on 32 bytes (two passes, 8 columns then 4, stored 48-byte steps in 8 + 4 lanes, half of the 32-byte stores
    /// across a line). Returns how many steps it packed (the rest, fewer than 8, remain).
    /// </summary>
    private static int TransposeTwelves(float* source, int ld, int kc, float* panel)
    {
        int p = 0;
        for (; p + 8 <= kc; p += 8)
        {
            // a_i, b_i, c_i: columns 0-3, 4-7 and 8-11 of step i in the low half and of step i + 4 in the high half.
            float* s = source + p;
            FourColumns(s, ld, out Vector256<float> a0, out Vector256<float> a1, out Vector256<float> a2, out Vector256<float> a3);
            FourColumns(s + (4 * (nint)ld), ld, out Vector256<float> b0, out Vector256<float> b1, out Vector256<float> b2, out Vector256<float> b3);
            FourColumns(s + (8 * (nint)ld), ld, out Vector256<float> c0, out Vector256<float> c1, out Vector256<float> c2, out Vector256<float> c3);
            float* d = panel + ((nint)p * 12);
            Avx.Store(d, Avx.Permute2x128(a0, b0, 0x20));
            Avx.Store(d + 8, Avx.Permute2x128(c0, a1, 0x20));
            Avx.Store(d + 16, Avx.Permute2x128(b1, c1, 0x20));
            Avx.Store(d + 24, Avx.Permute2x128(a2, b2, 0x20));
            Avx.Store(d + 32, Avx.Permute2x128(c2, a3, 0x20));
            Avx.Store(d + 40, Avx.Permute2x128(b3, c3, 0x20));
            Avx.Store(d + 48, Avx.Permute2x128(a0, b0, 0x31));
            Avx.Store(d + 56, Avx.Permute2x128(c0, a1, 0x31));
            Avx.Store(d + 64, Avx.Permute2x128(b1, c1, 0x31));
            Avx.Store(d + 72, Avx.Permute2x128(a2, b2, 0x31));
            Avx.Store(d + 80, Avx.Permute2x128(c2, a3, 0x31));
            Avx.Store(d + 88, Avx.Permute2x128(b3, c3, 0x31));
        }

        return p;
    }

    /// <summary>
    /// Packs 12 stored double columns into a panel of 12 lanes (the Vector512 kernel's), all twelve per 8 steps of k: the
    /// columns, each on its own page for a large op(B), are read as 12 streams at once rather than in three passes of 4,
    /// and more streams in flight hide more of memory's latency (measured with the runner's kernel-probe: benchmarks/README.md).
    /// </summary>
    private static int TransposeTwelves(double* source, int ld, int kc, double* panel)
    {
        int p = 0;
        for (; p + 8 <= kc; p += 8)
        {
            for (int j = 0; j < 12; j += 4)
            {
                TransposeFours(source + p + (j * (nint)ld), ld, 8, panel + (p * 12) + j, 12);
            }
        }

        return p;
    }

    /// <summary>
    /// Packs 6 stored columns into a panel of 6 lanes (the Vector256 kernel's), 8 steps of k at a time by an in-register 8 × 8
    /// transpose of the 6 columns' 8-step runs: each step's 6 values go out in one 32-byte store whose last 2 lanes the next
    /// step's store overwrites, 8 stores for the 48 values where 4 × 4 transposes and pairs took 16. The 8 steps that end
    /// the panel are stored without that overlap (<see cref="TransposeSixesLast"/>), so nothing past the panel is written: the
    /// next panel may be another thread's piece. Returns how many steps it packed (the rest, fewer than 8, remain).
    /// </summary>
    private static int TransposeSixes(float* source, int ld, int kc, float* panel)
    {
        int p = 0;
        for (; p + 8 < kc; p += 8)
        {
            // u0-u3: columns 0-3 of steps (0, 4), (1, 5), (2, 6), (3, 7) in their two halves; t4, t5 and their upper pairs
            // moved down: columns 4-5 of the same steps in the low two lanes of each half.
            float* s = source + p;
            FourColumns(s, ld, out Vector256<float> u0, out Vector256<float> u1, out Vector256<float> u2, out Vector256<float> u3);
            Vector256<float> r4 = Avx.LoadVector256(s + (4 * (nint)ld)), r5 = Avx.LoadVector256(s + (5 * (nint)ld));
            Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
            Vector256<float> v1 = Avx.Shuffle(t4, t4, 0xEE), v3 = Avx.Shuffle(t5, t5, 0xEE);
            float* d = panel + ((nint)p * 6);
            Avx.Store(d, Avx.Permute2x128(u0, t4, 0x20));
            Avx.Store(d + 6, Avx.Permute2x128(u1, v1, 0x20));
            Avx.Store(d + 12, Avx.Permute2x128(u2, t5, 0x20));
            Avx.Store(d + 18, Avx.Permute2x128(u3, v3, 0x20));
            Avx.Store(d + 24, Avx.Permute2x128(u0, t4, 0x31));
            Avx.Store(d + 30, Avx.Permute2x128(u1, v1, 0x31));
            Avx.Store(d + 36, Avx.Permute2x128(u2, t5, 0x31));
            Avx.Store(d + 42, Avx.Permute2x128(u3, v3, 0x31));
        }

        return p + 8 <= kc ? p + TransposeSixesLast(source + p, ld, panel + ((nint)p * 6)) : p;
    }

    /// <summary>8 steps of <see cref="TransposeSixes(float*, int, int, float*)"/> that write only their 48 values: 4 columns by a 4 × 4 transpose and 2 interleaved.</summary>
    private static int TransposeSixesLast(float* source, int ld, float* panel)
    {
        TransposeFours(source, ld, 8, panel, 6);
        TransposeTwos(source + (4 * (nint)ld), ld, 8, panel + 4, 6);
        return 8;
    }

    /// <summary>
    /// Packs 6 stored double columns into a panel of 6 lanes (the Vector256 kernel's), 4 steps of k at a time: the columns'
    /// 4-step runs unpacked in pairs leave each step's three 2-value pieces in register halves, which go out in 6
    /// contiguous 32-byte stores, none across a cache line when the panel starts on 32 bytes (a 4 × 4 transpose and pairs
    /// took 8 stores, two of them across a line). Returns how many steps it packed (the rest, fewer than 4, remain).
    /// </summary>
    private static int TransposeSixes(double* source, int ld, int kc, double* panel)
    {
        int p = 0;
        for (; p + 4 <= kc; p += 4)
        {
            double* s = source + p;
            Vector256<double> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + ld), r2 = Avx.LoadVector256(s + (2 * (nint)ld));
            Vector256<double> r3 = Avx.LoadVector256(s + (3 * (nint)ld)), r4 = Avx.LoadVector256(s + (4 * (nint)ld)), r5 = Avx.LoadVector256(s + (5 * (nint)ld));

            // t0, t2, t4: columns (0, 1), (2, 3), (4, 5) of step 0 in the low half and of step 2 in the high half; t1, t3, t5
            // the same of steps 1 and 3.
            Vector256<double> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3);
            Vector256<double> t3 = Avx.UnpackHigh(r2, r3), t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
            double* d = panel + ((nint)p * 6);
            Avx.Store(d, Avx.Permute2x128(t0, t2, 0x20));
            Avx.Store(d + 4, Avx.Permute2x128(t4, t1, 0x20));
            Avx.Store(d + 8, Avx.Permute2x128(t3, t5, 0x20));
            Avx.Store(d + 12, Avx.Permute2x128(t0, t2, 0x31));
            Avx.Store(d + 16, Avx.Permute2x128(t4, t1, 0x31));
            Avx.Store(d + 20, Avx.Permute2x128(t3, t5, 0x31));
        }

        return p;
    }

    /// <summary>
    /// Packs 2 stored columns into 2 adjacent lanes of a panel whose steps are <paramref name="stride"/> apart: four steps
    /// of each column loaded, interleaved, and stored two lanes a step; 8 steps of k at a time like the others.
    /// </summary>
    private static int TransposeTwos(float* source, int ld, int kc, float* panel, int stride)
    {
        int p = 0;
        for (; p + 8 <= kc; p += 8)
        {
            for (int q = p; q < p + 8; q += 4)
            {
                Vector128<float> r0 = Sse.LoadVector128(source + q), r1 = Sse.LoadVector128(source + ld + q);
                Vector128<float> low = Sse.UnpackLow(r0, r1), high = Sse.UnpackHigh(r0, r1);
                float* d = panel + ((nint)q * stride);
                Sse.StoreLow(d, low);
                Sse.StoreHigh(d + stride, low);
                Sse.StoreLow(d + (2 * stride), high);
                Sse.StoreHigh(d + (3 * stride), high);
            }
        }

        return p;
    }

    /// <summary>
    /// <c>panel[i + p·stride] = a[p + i·lda]</c> for rows i &lt; m and steps p &lt; k: a transposed op(A) copied so that each
    /// of its columns is contiguous, eight (float) or four (double) rows at a time by in-register transposes.
    /// </summary>
    internal static void Transpose<T>(T* a, int lda, int m, int k, T* panel, int stride)
        where T : unmanaged
    {
        int i = 0, group = typeof(T) == typeof(float) ? 8 : 4;
        for (; i + group <= m && Avx.IsSupported && (typeof(T) == typeof(float) || typeof(T) == typeof(double)); i += group)
        {
            int p0 = typeof(T) == typeof(float)
                ? TransposeEights((float*)(a + ((nint)i * lda)), lda, k, (float*)(panel + i), stride)
                : TransposeFours((double*)(a + ((nint)i * lda)), lda, k, (double*)(panel + i), stride);
            for (int r = i; r < i + group; r++)
            {
                for (int p = p0; p < k; p++)
                {
                    panel[r + ((nint)p * stride)] = a[p + ((nint)r * lda)];
                }
            }
        }

        for (; i < m; i++)
        {
            for (int p = 0; p < k; p++)
            {
                panel[i + ((nint)p * stride)] = a[p + ((nint)i * lda)];
            }
        }
    }
}
