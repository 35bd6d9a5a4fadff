using System.Numerics;
using NeuralNet.Activations;
using NeuralNet.Kernels;

namespace NeuralNet.Layers;

// The element-wise passes a large batch runs inside the products (ColumnFinisher): the activation on Z as the forward
// product finishes each group of its columns, and this layer's ∂L/∂Z and ∂L/∂b as the layer above's ∂L/∂X product
// finishes each group of its columns. Each group is then still in the cache of the core that computed it, where a pass of
// its own afterwards read it back from wherever it was (on W3, 1024-unit layers over 256 rows: the ReLU and its gradient
// ~0.06-0.08 ms a pass on both cores, the bias gradient ~0.055 ms on one, against ~0.016 ms when the data is in the cache).
public sealed partial class DenseLayer<T>
{
    /// <summary>
    /// Whether a batch of <paramref name="rows"/> has the activation and its gradient made inside the products: an
    /// activation that may run on ranges of columns with the same bits (<see cref="ActivationFunction{T}.MapsColumnRanges"/>)
    /// on a batch whose separate pass would be shared by both cores (<see cref="WorkSplit.SharesUpdate"/>). Smaller
    /// batches keep the separate passes, unchanged.
    /// </summary>
    private bool FusesColumns(int rows) => FinishesColumns(rows) && WorkSplit.SharesUpdate(rows * OutputSize);

    /// <summary>Whether this layer's activation and its gradient may be made on ranges of columns for a batch of <paramref name="rows"/>.</summary>
    private bool FinishesColumns(int rows) => rows > 1 && FusedPasses && Activation.MapsColumnRanges;

    /// <summary>False runs the separate passes at every batch size (the tests compare the two: the same bits).</summary>
    internal bool FusedPasses { get; set; } = true;

    /// <summary>The forward finisher, set for this batch's buffers: <c>activated = f(z)</c> on each range of finished columns.</summary>
    private ActivationColumns ActivationFinisherFor(T[] z, T[] activated, int rows)
    {
        ActivationColumns finisher = _activationColumns ??= new ActivationColumns(Activation);
        finisher.Set(z, activated, rows);
        return finisher;
    }

    /// <summary>
    /// The finisher that makes this layer's <c>∂L/∂Z</c> and <c>∂L/∂b</c> from <paramref name="outputGradient"/>
    /// (<c>∂L/∂A</c>, the layer above's <c>∂L/∂X</c> buffer, <paramref name="rows"/> × this layer's outputs) column range
    /// by column range, or null when this layer does not take it (a small batch, an activation that needs the whole
    /// batch, no forward pass of that batch size). <paramref name="inHalves"/>: for the layer above's backward pass cut in
    /// two halves of the columns (<see cref="WorkSplit.BackwardInputHalves"/>), at any batch size that pass takes.
    /// </summary>
    private GradientColumns? TakesFusedGradient(T[] outputGradient, int rows, bool inHalves = false)
    {
        if (!(inHalves ? FinishesColumns(rows) : FusesColumns(rows)) || _last is not { } last || last[A].RowCount != rows || outputGradient.Length != rows * OutputSize)
        {
            return null;
        }

        T[][] arrays = _lastArrays!;
        GradientColumns finisher = _gradientColumns ??= new GradientColumns(Activation, _biases.GradientArray);
        finisher.Set(arrays[Z], arrays[A], outputGradient, arrays[DZ], rows);
        return finisher;
    }

    /// <summary><c>a = f(z)</c> on ranges of finished columns (<see cref="ColumnFinisher"/>), on either core.</summary>
    private sealed class ActivationColumns(ActivationFunction<T> activation) : ColumnFinisher
    {
        private T[] _z = [], _a = [];
        private int _rows;

        public void Set(T[] z, T[] a, int rows)
        {
            if (!ReferenceEquals(_z, z))
            {
                (_z, _a) = (z, a); // only when the batch size changes: a reference store costs a write barrier
            }

            _rows = rows;
        }

        public override void Finish(int firstColumn, int columns)
        {
            int start = firstColumn * _rows, length = columns * _rows;
            activation.ForwardOwnBuffers(_z.AsSpan(start, length), _a.AsSpan(start, length), _rows, columns);
        }
    }

    /// <summary>
    /// <c>∂L/∂Z = ∂L/∂A ⊙ f'(Z)</c> and <c>∂L/∂b</c> (each column's sum, as the layer's own pass sums it) on ranges of
    /// finished columns of <c>∂L/∂A</c> (<see cref="ColumnFinisher"/>), on either core.
    /// </summary>
    private sealed class GradientColumns(ActivationFunction<T> activation, T[] biasGradient) : ColumnFinisher
    {
        private T[] _z = [], _a = [], _g = [], _dz = [];
        private int _rows;

        public void Set(T[] z, T[] a, T[] g, T[] dz, int rows)
        {
            if (!ReferenceEquals(_g, g) || !ReferenceEquals(_z, z))
            {
                (_z, _a, _g, _dz) = (z, a, g, dz);
            }

            _rows = rows;
        }

        public override void Finish(int firstColumn, int columns)
        {
            int rows = _rows, start = firstColumn * rows, length = columns * rows;
            // Where f' can be read from the activations, they stand in for Z: the layer above's weight gradient has just read
            // them (on this core, when that layer's pass is cut in halves), and Z need not come into this core's cache.
            T[] z = activation.DerivativeFromActivation ? _a : _z;
            activation.BackwardOwnBuffers(z.AsSpan(start, length), _a.AsSpan(start, length), _g.AsSpan(start, length), _dz.AsSpan(start, length), rows, columns);
            SumColumns(_dz, rows, firstColumn, columns, biasGradient);
        }
    }

    /// <summary>∂L/∂b for columns [first, first + count): <c>db_j = Σ_i ∂L/∂Z_ij</c>, each column of ∂L/∂Z contiguous.</summary>
    private static void SumColumns(T[] dz, int rows, int first, int count, T[] db)
    {
        for (int j = first; j < first + count; j++)
        {
            db[j] = System.Numerics.Tensors.TensorPrimitives.Sum<T>(dz.AsSpan(j * rows, rows));
        }
    }
}
