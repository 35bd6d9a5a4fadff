using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace NeuralNet.Losses;

// From logits: the softmax folded into the loss (shifted exponentials, the value and the logits' gradient from them, together
// for the training step, and their per-thread scratch).
public sealed partial class CategoricalCrossEntropy<T>
    where T : struct, IFloatingPointIeee754<T>
{
    // Per-thread scratch for the row-wise maxima and sums of a batch of logits.
    [ThreadStatic]
    private static T[]? t_rowScratch;

    /// <summary>
    /// The value and the gradient from one pass of shifted exponentials, held in <paramref name="gradient"/> (where
    /// <see cref="Gradient(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, int, int)"/> holds them too): the
    /// value from the rows' maxima and sums as <see cref="Value(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, int, int)"/>
    /// takes it, then the gradient from the exponentials as that method finishes it. The exponentials are elementwise, so
    /// the sums are the same bits wherever they are held; every other operation is the separate calls' own. Class-index
    /// targets on rows that fill whole 512-bit vectors take the same operations in fewer passes (<see cref="IndexBlocks"/>).
    /// </summary>
    internal override bool TryValueAndGradient(
        ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, ReadOnlySpan<T> sampleWeights, Span<T> gradient, int rows, int columns, out T value)
    {
        if (!FromLogits)
        {
            value = T.Zero;
            return false;
        }

        bool indices = IsClassIndex(columns, target.Length / rows);
        if (indices && IndexBlocksFit(rows))
        {
            value = IndexBlocks(prediction, target, sampleWeights, gradient, RowScratch(5 * rows), rows, columns); // W2's case
            return true;
        }

        Span<T> scratch = RowScratch(5 * rows);
        Span<T> maxima = scratch[..rows], sums = scratch.Slice(rows, rows), logSums = scratch.Slice(2 * rows, rows);
        ShiftedExponentials(prediction, rows, columns, maxima, sums, gradient[..(rows * columns)]);
        value = LogitsValue(prediction, target, sampleWeights, maxima, sums, logSums, rows, columns, indices); // sums kept for the softmax
        GradientFromExponentials(target, sampleWeights, gradient, sums, scratch.Slice(3 * rows, rows), scratch.Slice(4 * rows, rows), rows, columns, indices, T.One / T.CreateChecked(rows));
        return true;
    }

    /// <summary>
    /// The mean loss from the rows' maxima and sums of shifted exponentials: <c>ln Σ e^z = max + ln Σ e^{z − max}</c>
    /// (written over <paramref name="maxima"/>, the logarithms of the sums into <paramref name="logSums"/>, which may be
    /// <paramref name="sums"/> itself), then <c>(1/N) Σ_n w_n ℓ_n</c> row by row in order.
    /// </summary>
    private T LogitsValue(
        ReadOnlySpan<T> logits, ReadOnlySpan<T> target, ReadOnlySpan<T> sampleWeights, Span<T> maxima, ReadOnlySpan<T> sums, Span<T> logSums, int rows, int columns, bool indices)
    {
        TensorPrimitives.Log(sums, logSums);
        TensorPrimitives.Add(maxima, logSums, maxima); // ln Σ e^z = max + ln Σ e^{z − max}
        if (!indices)
        {
            return WeightedMean(logits, target, sampleWeights, maxima, rows, columns, indices);
        }

        // One class a row: ℓ_n = −(z_{n,t_n} − ln Σ e^z), the same arithmetic as the general loop.
        T total = T.Zero;
        for (int r = 0; r < rows; r++)
        {
            total += WeightOf(sampleWeights, r) * -(logits[r + (int.CreateTruncating(target[r]) * rows)] - maxima[r]);
        }

        return total / T.CreateChecked(rows);
    }

    /// <summary>
    /// <c>∂L/∂z = w(softmax(z)·Σt − t)/N</c> with softmax = e^{z − max} / Σ e^{z − max}, column by column for all rows at
    /// once: the exponentials are held in the gradient until each row's sum is known.
    /// </summary>
    private static void LogitsGradient(
        ReadOnlySpan<T> logits, ReadOnlySpan<T> target, ReadOnlySpan<T> sampleWeights, Span<T> gradient, int rows, int columns, bool indices, T inverseN)
    {
        Span<T> scratch = RowScratch(4 * rows);
        Span<T> maxima = scratch[..rows], sums = scratch.Slice(rows, rows);
        ShiftedExponentials(logits, rows, columns, maxima, sums, gradient[..(rows * columns)]);
        GradientFromExponentials(target, sampleWeights, gradient, sums, scratch.Slice(2 * rows, rows), scratch.Slice(3 * rows, rows), rows, columns, indices, inverseN);
    }

    /// <summary>
    /// <c>g ← w(g / sums · Σt − t)/N</c> over the shifted exponentials in <paramref name="gradient"/>, column by column
    /// (<paramref name="targetSums"/> and <paramref name="scales"/> are a row's scratch each).
    /// </summary>
    private static void GradientFromExponentials(
        ReadOnlySpan<T> target, ReadOnlySpan<T> sampleWeights, Span<T> gradient, ReadOnlySpan<T> sums, Span<T> targetSums, Span<T> scales, int rows, int columns, bool indices, T inverseN)
    {
        for (int r = 0; r < rows; r++)
        {
            scales[r] = inverseN * WeightOf(sampleWeights, r); // w/N
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
