using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NeuralNet.Kernels;

namespace NeuralNet.Layers;

// One sample through a small layer (per-sample training, millions of steps a second): the three products as loops over
// the layer's own arrays, without the product's dispatch and bounds set-up per call. Each value is the sum, in the same
// order and from the same start, that SmallGemm.Tiny forms for these products, so the same bits; where the values of one
// sum's terms lie side by side in memory (W's columns, one per input; a one-unit layer's row), vectors compute several
// such sums at once, each lane the same unfused multiplies and adds in the same order.
public sealed partial class DenseLayer<T>
{
    /// <summary>
    /// Whether a one-sample batch takes the loops below: every product of such a batch is tiny (<see cref="SmallGemm.TinyWork"/>
    /// multiply-adds at most, where <see cref="Gemm"/> runs the same plain loops). Larger layers keep the product's other paths.
    /// </summary>
    private bool TinySample
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (long)InputSize * OutputSize <= SmallGemm.TinyWork;
    }

    /// <summary>
    /// Z = x·Wᵀ + b for one sample: <c>z_j = ((b_j + x_0·W_j0) + x_1·W_j1) + …</c>, the bias first and then the inputs in
    /// order (as the bias fill and the accumulating tiny product form it); W's column p holds W_jp for every j side by side.
    /// </summary>
    private void OneSampleSum(ReadOnlySpan<T> x, Span<T> z)
    {
        int outputs = OutputSize, inputs = InputSize;
        x = x[..inputs];
        ref T zs = ref MemoryMarshal.GetReference(z[..outputs]);
        ref T b = ref MemoryMarshal.GetReference(_biases.ValueArray.AsSpan(0, outputs));
        ref T w = ref MemoryMarshal.GetReference(_weights.ValueArray.AsSpan(0, outputs * inputs)); // column-major [outputs × inputs]: W_jp at j + p·outputs
        int j = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            for (; j <= outputs - Vector<T>.Count; j += Vector<T>.Count)
            {
                Vector<T> sum = Vector.LoadUnsafe(ref b, (nuint)j);
                for (int p = 0; p < x.Length; p++)
                {
                    sum += new Vector<T>(x[p]) * Vector.LoadUnsafe(ref w, (nuint)(j + (p * outputs)));
                }

                sum.StoreUnsafe(ref zs, (nuint)j);
            }
        }

        for (; j < outputs; j++)
        {
            T sum = Unsafe.Add(ref b, j);
            ref T row = ref Unsafe.Add(ref w, j);
            for (int p = 0; p < x.Length; p++)
            {
                sum += x[p] * Unsafe.Add(ref row, p * outputs);
            }

            Unsafe.Add(ref zs, j) = sum;
        }
    }

    /// <summary>
    /// The backward pass of one sample from ∂L/∂Z (<paramref name="dz"/>): <c>∂L/∂W_ip = 0 + dz_i·x_p</c>,
    /// <c>∂L/∂b = dz</c>, and when asked <c>∂L/∂x_p = ((0 + dz_0·W_0p) + dz_1·W_1p) + …</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // into both backward passes, as BackwardFrom
    private MathNet.Numerics.LinearAlgebra.Matrix<T>? OneSampleBackward(T[] dz, bool computeInputGradient)
    {
        if (!ReferenceEquals(_lastActivationInputGradient, dz))
        {
            _lastActivationInputGradient = dz; // only when it changes, as in BackwardFrom
        }

        int outputs = OutputSize, inputs = InputSize;
        ReadOnlySpan<T> d = dz.AsSpan(0, outputs);
        OneSampleWeightGradient(d, DenseStorage.Of(_lastInput!).AsSpan(0, inputs), _weights.GradientArray.AsSpan(0, outputs * inputs));
        Span<T> db = _biases.GradientArray.AsSpan(0, outputs);
        for (int j = 0; j < db.Length && j < d.Length; j++)
        {
            db[j] = d[j]; // one sample's few values: a loop, not a memmove call
        }

        if (!computeInputGradient)
        {
            return null;
        }

        OneSampleInputGradient(d, _weights.ValueArray.AsSpan(0, outputs * inputs), _inputGradientBuffers.ArraysFor(1)[0].AsSpan(0, inputs));
        return _inputGradientBuffers.For(1)[0];
    }

    /// <summary>∂L/∂W = dzᵀ·x: column p of ∂L/∂W (<c>outputs</c> values side by side) is <c>0 + dz·x_p</c>.</summary>
    private static void OneSampleWeightGradient(ReadOnlySpan<T> dz, ReadOnlySpan<T> x, Span<T> gradient)
    {
        int outputs = dz.Length;
        ref T g = ref MemoryMarshal.GetReference(gradient[..(outputs * x.Length)]);
        ref T d = ref MemoryMarshal.GetReference(dz);
        if (outputs == 1)
        {
            // One unit: ∂L/∂W is a row, x scaled by dz_0, x's values side by side as ∂L/∂W's.
            OneSampleScaled(dz[0], x, gradient[..x.Length]);
            return;
        }

        for (int p = 0; p < x.Length; p++)
        {
            T xp = x[p];
            ref T column = ref Unsafe.Add(ref g, p * outputs);
            int i = 0;
            if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
            {
                var scale = new Vector<T>(xp);
                for (; i <= outputs - Vector<T>.Count; i += Vector<T>.Count)
                {
                    (Vector<T>.Zero + (Vector.LoadUnsafe(ref d, (nuint)i) * scale)).StoreUnsafe(ref column, (nuint)i);
                }
            }

            for (; i < outputs; i++)
            {
                Unsafe.Add(ref column, i) = T.Zero + (Unsafe.Add(ref d, i) * xp); // the tiny product's sum of one term, from zero
            }
        }
    }

    /// <summary>∂L/∂x = dz·W: <c>∂L/∂x_p = ((0 + dz_0·W_0p) + dz_1·W_1p) + …</c>, a sum down W's column p.</summary>
    private static void OneSampleInputGradient(ReadOnlySpan<T> dz, ReadOnlySpan<T> w, Span<T> dx)
    {
        int outputs = dz.Length;
        if (outputs == 1)
        {
            OneSampleScaled(dz[0], w[..dx.Length], dx); // one unit: W is a row, its values side by side as ∂L/∂x's
            return;
        }

        w = w[..(outputs * dx.Length)];
        for (int p = 0; p < dx.Length; p++)
        {
            ReadOnlySpan<T> column = w.Slice(p * outputs, outputs);
            T sum = T.Zero;
            for (int i = 0; i < column.Length && i < dz.Length; i++)
            {
                sum += dz[i] * column[i];
            }

            dx[p] = sum;
        }
    }

    /// <summary><c>result_q = 0 + (s·v_q)</c>: a one-term sum from zero, as the tiny product forms it (its sign of zero included).</summary>
    private static void OneSampleScaled(T s, ReadOnlySpan<T> v, Span<T> result)
    {
        ref T r = ref MemoryMarshal.GetReference(result[..v.Length]);
        ref T vs = ref MemoryMarshal.GetReference(v);
        int q = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var scale = new Vector<T>(s);
            for (; q <= v.Length - Vector<T>.Count; q += Vector<T>.Count)
            {
                (Vector<T>.Zero + (scale * Vector.LoadUnsafe(ref vs, (nuint)q))).StoreUnsafe(ref r, (nuint)q);
            }
        }

        for (; q < v.Length; q++)
        {
            Unsafe.Add(ref r, q) = T.Zero + (s * Unsafe.Add(ref vs, q));
        }
    }
}
