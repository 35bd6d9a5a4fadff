using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuralNet.Losses;

// From logits with class-index targets, the training step's value and gradient a 512-bit vector of rows at a time.
public sealed partial class CategoricalCrossEntropy<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Whether <see cref="IndexBlocks"/> takes this batch: float or double rows that fill whole 512-bit vectors on a
    /// processor that has them. The blocks' own operations (maximum, difference, sum, quotient, product) are exact
    /// element by element whatever the vector width; the exponentials and logarithms stay the column path's own calls.
    /// </summary>
    internal static bool IndexBlocksFit(int rows)
        => (typeof(T) == typeof(float) || typeof(T) == typeof(double)) && Vector512.IsHardwareAccelerated && rows % Vector512<T>.Count == 0;

    /// <summary>
    /// The value and <c>∂L/∂z = w(softmax(z) − onehot)/N</c> for class-index targets with the column path's operations in
    /// its order, but where that path makes about thirty calls that each run down one column (the maxima, the
    /// differences, the sums, softmax − onehot), each pass here runs once over the batch a vector of rows at a time across
    /// every column, holding a row's maxima and sums in registers. The exponentials are one <c>TensorPrimitives.Exp</c>
    /// over the gradient buffer and the logarithms one <c>TensorPrimitives.Log</c> over the same scratch rows, the column
    /// path's very calls (so the same lanes share a vector). No call sits inside a pass: vectors held across a call go
    /// through the stack, whose 64-byte alignment differs from process to process, and a 512-bit value stored across
    /// two cache lines is not forwarded to the load that reads it back. Call only where <see cref="IndexBlocksFit"/>.
    /// </summary>
    private static T IndexBlocks(
        ReadOnlySpan<T> logits, ReadOnlySpan<T> classes, ReadOnlySpan<T> sampleWeights, Span<T> gradient, Span<T> scratch, int rows, int columns)
    {
        int n = rows * columns;
        Span<T> maxima = scratch[..rows], sums = scratch.Slice(rows, rows), logSums = scratch.Slice(2 * rows, rows), rowLosses = scratch.Slice(3 * rows, rows);
        ref T z = ref MemoryMarshal.GetReference(logits);
        ref T g = ref MemoryMarshal.GetReference(gradient);
        for (int r = 0; r < rows; r += Vector512<T>.Count)
        {
            Vector512<T> max = Vector512.LoadUnsafe(ref z, (nuint)r);
            for (int c = 1; c < columns; c++)
            {
                max = Vector512.Max(max, Vector512.LoadUnsafe(ref z, (nuint)((c * rows) + r))); // max_c z, from the first column
            }

            for (int c = 0; c < columns; c++)
            {
                nuint at = (nuint)((c * rows) + r);
                (Vector512.LoadUnsafe(ref z, at) - max).StoreUnsafe(ref g, at); // z − max
            }

            max.StoreUnsafe(ref MemoryMarshal.GetReference(maxima), (nuint)r);
        }

        TensorPrimitives.Exp(gradient[..n], gradient[..n]); // e^{z − max}, the batch in one call as the column path takes it
        for (int r = 0; r < rows; r += Vector512<T>.Count)
        {
            Vector512<T> sum = Vector512.LoadUnsafe(ref g, (nuint)r);
            for (int c = 1; c < columns; c++)
            {
                sum += Vector512.LoadUnsafe(ref g, (nuint)((c * rows) + r)); // Σ_c e^{z − max}, from the first column
            }

            sum.StoreUnsafe(ref MemoryMarshal.GetReference(sums), (nuint)r);
        }

        TensorPrimitives.Log(sums, logSums);
        LossesAndGradient(logits, classes, sampleWeights, gradient, maxima, sums, logSums, rowLosses, rows, columns);
        T total = T.Zero;
        for (int r = 0; r < rows; r++)
        {
            total += rowLosses[r]; // Σ_n w_n ℓ_n, row by row as the value's loop adds them
        }

        return total / T.CreateChecked(rows);
    }

    /// <summary>
    /// The last pass of <see cref="IndexBlocks"/>: each row's weighted loss <c>w·−(z_t − ln Σ e^z)</c> with
    /// <c>ln Σ e^z = max + ln Σ e^{z − max}</c> into <paramref name="rowLosses"/>, and the exponentials in
    /// <paramref name="gradient"/> turned into <c>(e / Σ − onehot)·(w/N)</c>.
    /// </summary>
    private static void LossesAndGradient(
        ReadOnlySpan<T> logits, ReadOnlySpan<T> classes, ReadOnlySpan<T> sampleWeights, Span<T> gradient,
        ReadOnlySpan<T> maxima, ReadOnlySpan<T> sums, ReadOnlySpan<T> logSums, Span<T> rowLosses, int rows, int columns)
    {
        ref T z = ref MemoryMarshal.GetReference(logits);
        ref T g = ref MemoryMarshal.GetReference(gradient);
        ref T weights = ref MemoryMarshal.GetReference(sampleWeights);
        bool weighted = !sampleWeights.IsEmpty;
        var inverseN = Vector512.Create(T.One / T.CreateChecked(rows));
        for (int r = 0; r < rows; r += Vector512<T>.Count)
        {
            Vector512<T> targets = Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(classes), (nuint)r);
            Vector512<T> sum = Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(sums), (nuint)r);
            Vector512<T> weight = weighted ? Vector512.LoadUnsafe(ref weights, (nuint)r) : Vector512<T>.One;
            Vector512<T> scale = inverseN * weight; // w/N
            Vector512<T> picked = Vector512<T>.Zero;
            for (int c = 0; c < columns; c++)
            {
                nuint at = (nuint)((c * rows) + r);
                Vector512<T> isTarget = Vector512.Equals(targets, Vector512.Create(T.CreateTruncating(c)));
                picked = Vector512.ConditionalSelect(isTarget, Vector512.LoadUnsafe(ref z, at), picked); // z_t
                Vector512<T> oneHot = Vector512.ConditionalSelect(isTarget, Vector512<T>.One, Vector512<T>.Zero);
                (((Vector512.LoadUnsafe(ref g, at) / sum) - oneHot) * scale).StoreUnsafe(ref g, at); // (softmax − onehot)·w/N
            }

            Vector512<T> logSumExp = Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(maxima), (nuint)r) + Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(logSums), (nuint)r); // ln Σ e^z = max + ln Σ e^{z − max}
            (weight * -(picked - logSumExp)).StoreUnsafe(ref MemoryMarshal.GetReference(rowLosses), (nuint)r); // w·−(z_t − ln Σ e^z)
        }
    }
}
