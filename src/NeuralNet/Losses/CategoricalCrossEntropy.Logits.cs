using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace NeuralNet.Losses;

// From logits: the softmax folded into the loss (shifted exponentials, the logits' gradient, and their per-thread scratch).
public sealed partial class CategoricalCrossEntropy<T>
    where T : struct, IFloatingPointIeee754<T>
{
    // Per-thread scratch for the row-wise maxima and sums of a batch of logits.
    [ThreadStatic]
    private static T[]? t_rowScratch;

    /// <summary>
    /// <c>∂L/∂z = w(softmax(z)·Σt − t)/N</c> with softmax = e^{z − max} / Σ e^{z − max}, column by column for all rows at
    /// once: the exponentials are held in the gradient until each row's sum is known.
    /// </summary>
    private static void LogitsGradient(
        ReadOnlySpan<T> logits, ReadOnlySpan<T> target, ReadOnlySpan<T> sampleWeights, Span<T> gradient, int rows, int columns, bool indices, T inverseN)
    {
        Span<T> scratch = RowScratch(4 * rows);
        Span<T> maxima = scratch[..rows], sums = scratch.Slice(rows, rows), targetSums = scratch.Slice(2 * rows, rows), scales = scratch.Slice(3 * rows, rows);
        ShiftedExponentials(logits, rows, columns, maxima, sums, gradient[..(rows * columns)]);
        for (int r = 0; r < rows; r++)
        {
            scales[r] = inverseN * WeightOf(sampleWeights, r);
        }

        if (indices)
        {
            // softmax − onehot, then · w/N, in one pass down each column (Σt = 1)
            for (int c = 0; c < columns; c++)
            {
                SoftmaxMinusOneHot(gradient.Slice(c * rows, rows), sums, target[..rows], scales, T.CreateTruncating(c));
            }

            return;
        }

        targetSums.Clear();
        for (int c = 0; c < columns; c++)
        {
            TensorPrimitives.Add(targetSums, target.Slice(c * rows, rows), targetSums);
        }

        for (int c = 0; c < columns; c++)
        {
            Span<T> g = gradient.Slice(c * rows, rows);
            TensorPrimitives.Divide(g, sums, g); // softmax
            TensorPrimitives.Multiply(g, targetSums, g);
            TensorPrimitives.Subtract(g, target.Slice(c * rows, rows), g); // softmax·Σt − t
            TensorPrimitives.Multiply(g, scales, g); // · w/N
        }
    }

    /// <summary>
    /// <c>g ← (g / sums − [target = c])·scales</c> down one column: the softmax from the exponentials in <paramref name="g"/>,
    /// one subtracted in the rows whose class index is <paramref name="c"/> (x − 0 = x elsewhere), times w/N. Each
    /// operation is the IEEE one, so the bits are those of the separate passes.
    /// </summary>
    private static void SoftmaxMinusOneHot(Span<T> g, ReadOnlySpan<T> sums, ReadOnlySpan<T> classes, ReadOnlySpan<T> scales, T c)
    {
        int r = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var cs = new Vector<T>(c);
            for (; r + Vector<T>.Count <= g.Length; r += Vector<T>.Count)
            {
                Vector<T> softmax = new Vector<T>(g[r..]) / new Vector<T>(sums[r..]);
                Vector<T> oneHot = Vector.ConditionalSelect(Vector.Equals(new Vector<T>(classes[r..]), cs), Vector<T>.One, Vector<T>.Zero);
                ((softmax - oneHot) * new Vector<T>(scales[r..])).CopyTo(g[r..]);
            }
        }

        for (; r < g.Length; r++)
        {
            g[r] = ((g[r] / sums[r]) - (classes[r] == c ? T.One : T.Zero)) * scales[r];
        }
    }

    /// <summary>
    /// Each row's maximum logit into <paramref name="maxima"/>, Σ_c e^{z_c − max} into <paramref name="sums"/>, and the
    /// exponentials into <paramref name="exponentials"/> (rows × columns like the logits). The batch is column-major, so
    /// each operation runs down one contiguous column (SIMD across the rows) and the exponentials of the whole batch are
    /// one call when a column fills a 512-bit vector; the sums add the columns in order, as from zero.
    /// </summary>
    private static void ShiftedExponentials(
        ReadOnlySpan<T> logits, int rows, int columns, Span<T> maxima, Span<T> sums, Span<T> exponentials)
    {
        logits[..rows].CopyTo(maxima);
        for (int c = 1; c < columns; c++)
        {
            TensorPrimitives.Max(maxima, logits.Slice(c * rows, rows), maxima);
        }

        for (int c = 0; c < columns; c++)
        {
            TensorPrimitives.Subtract(logits.Slice(c * rows, rows), maxima, exponentials.Slice(c * rows, rows));
        }

        if (rows * Unsafe.SizeOf<T>() >= 64)
        {
            TensorPrimitives.Exp(exponentials, exponentials); // each column alone would take the same widest-vector path
        }
        else
        {
            for (int c = 0; c < columns; c++)
            {
                // Shorter than a 512-bit vector, each column takes a narrower path (or the scalar one, whose last bit can
                // differ): column by column, as always.
                Span<T> e = exponentials.Slice(c * rows, rows);
                TensorPrimitives.Exp(e, e);
            }
        }

        exponentials[..rows].CopyTo(sums); // 0 + e = e: an exponential is never −0
        for (int c = 1; c < columns; c++)
        {
            TensorPrimitives.Add(sums, exponentials.Slice(c * rows, rows), sums);
        }
    }

    /// <summary>This thread's scratch of at least <paramref name="length"/> values (grown once per size: nothing allocated per batch).</summary>
    private static Span<T> RowScratch(int length)
        => (t_rowScratch is { } scratch && scratch.Length >= length ? scratch : t_rowScratch = new T[length]).AsSpan(0, length);
}
