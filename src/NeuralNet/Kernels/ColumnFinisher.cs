namespace NeuralNet.Kernels;

/// <summary>
/// Work on a range of C's columns once a product has finished them (an epilogue: a layer's activation on its weighted
/// sums, or the layer below's activation gradient and bias gradient on ∂L/∂X): run by the thread that finished those
/// columns, while they are still in its cache, instead of as a pass of its own over all of C afterwards.
/// </summary>
/// <remarks>
/// Every product path calls <see cref="Finish"/> exactly once for every column of C, after that column's last sum:
/// the products shared in column groups (<see cref="ColumnGroupGemm{T}"/>) and in column strips (<see cref="ParallelGemm{T}"/>)
/// per group or strip, on whichever thread computed it; every other path once for all of C, on the caller, after the
/// product. So a finisher runs on both threads at once, on ranges that never overlap, and must touch only its own columns.
/// </remarks>
internal abstract class ColumnFinisher
{
    /// <summary>Columns <c>[firstColumn, firstColumn + columns)</c> of C hold their final values.</summary>
    /// <param name="firstColumn">The first finished column.</param>
    /// <param name="columns">How many columns, from <paramref name="firstColumn"/>, are finished.</param>
    public abstract void Finish(int firstColumn, int columns);
}
