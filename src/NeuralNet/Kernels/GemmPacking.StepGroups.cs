using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Kernels;

// A transposed op(B)'s steps copied into a full panel a group at a time: a step of a panel is nr values, 48 bytes for the
// Vector512 kernel's 12 floats, 24 for the Vector256 kernel's 6, 96 for 12 doubles, so copied one at a time its widest
// stores cross cache lines in turn. A group of steps fills whole 32- or 64-byte stores, none across a line when the
// panel starts on one.
internal static unsafe partial class GemmPacking
{
    /// <summary>
    /// Copies steps <c>[p0, p1)</c> of a full panel of <paramref name="nr"/> columns of a transposed op(B) (step p the nr
    /// values at <c>source + p·ldb</c>) in groups of steps whose values fill whole vector stores, where this processor and
    /// panel width have such a group; returns the step it stopped at, from which the caller copies the rest one by one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CopyStepGroups<T>(T* source, int ldb, int p0, int p1, int nr, T* panel)
        where T : unmanaged
        => typeof(T) == typeof(float) && Avx.IsSupported && nr == 12 ? TwelvesInPairs((float*)source, ldb, p0, p1, (float*)panel)
            : typeof(T) == typeof(float) && Avx.IsSupported && nr == 6 ? SixesInFours((float*)source, ldb, p0, p1, (float*)panel)
            : typeof(T) == typeof(double) && Vector512.IsHardwareAccelerated && nr == 12 ? TwelvesInPairs((double*)source, ldb, p0, p1, (double*)panel)
            : p0;

    /// <summary>Two steps of 12 floats in 3 32-byte stores, the middle one the first step's last 4 values and the second's first 4.</summary>
    private static int TwelvesInPairs(float* source, int ldb, int p0, int p1, float* panel)
    {
        int p = p0;
        for (; p + 2 <= p1; p += 2)
        {
            float* first = source + ((nint)p * ldb), second = first + ldb;
            float* d = panel + (p * 12);
            Avx.Store(d, Avx.LoadVector256(first));
            Avx.Store(d + 8, Vector256.Create(Sse.LoadVector128(first + 8), Sse.LoadVector128(second)));
            Avx.Store(d + 16, Avx.LoadVector256(second + 4));
        }

        return p;
    }

    /// <summary>Two steps of 12 doubles in 3 64-byte stores, as <see cref="TwelvesInPairs(float*, int, int, int, float*)"/>.</summary>
    private static int TwelvesInPairs(double* source, int ldb, int p0, int p1, double* panel)
    {
        int p = p0;
        for (; p + 2 <= p1; p += 2)
        {
            double* first = source + ((nint)p * ldb), second = first + ldb;
            double* d = panel + (p * 12);
            Vector512.Store(Vector512.Load(first), d);
            Vector512.Store(Vector512.Create(Vector256.Load(first + 8), Vector256.Load(second)), d + 8);
            Vector512.Store(Vector512.Load(second + 4), d + 16);
        }

        return p;
    }

    /// <summary>Four steps of 6 floats in 3 32-byte stores, each step's last 2 values joined in one half with the next step's first 2.</summary>
    private static int SixesInFours(float* source, int ldb, int p0, int p1, float* panel)
    {
        int p = p0;
        for (; p + 4 <= p1; p += 4)
        {
            float* s0 = source + ((nint)p * ldb), s1 = s0 + ldb, s2 = s1 + ldb, s3 = s2 + ldb;
            float* d = panel + (p * 6);
            Vector128<float> join01 = Vector128.Create(*(double*)(s0 + 4), *(double*)s1).AsSingle();
            Vector128<float> join23 = Vector128.Create(*(double*)(s2 + 4), *(double*)s3).AsSingle();
            Avx.Store(d, Vector256.Create(Sse.LoadVector128(s0), join01));
            Avx.Store(d + 8, Vector256.Create(Sse.LoadVector128(s1 + 2), Sse.LoadVector128(s2)));
            Avx.Store(d + 16, Vector256.Create(join23, Sse.LoadVector128(s3 + 2)));
        }

        return p;
    }
}
