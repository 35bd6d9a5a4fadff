using System.Numerics;
using NeuralNet.Kernels;

namespace NeuralNet.Layers;

using MathNet.Numerics.LinearAlgebra;

// The backward pass of a small layer above a dense layer cut between the cores, shared by the cores in two parts of its
// inputs (the units of the layer below, WorkSplit.BackwardInputHalves): its products are too small to share on their own,
// and the helper would otherwise idle through them and the layer below's activation gradient.
public sealed partial class DenseLayer<T>
{
    private InputHalves? _inputHalves;

    /// <summary>
    /// ∂L/∂W, ∂L/∂b and ∂L/∂X of this layer, and the layer below's ∂L/∂Z and ∂L/∂b made from ∂L/∂X by
    /// <paramref name="finisher"/>, the helper taking the inputs' columns from <see cref="WorkSplit.InputCut"/> on when it is
    /// free. Every element is summed by one core in the order of the whole product: the same bits whichever core did which part.
    /// </summary>
    private Matrix<T> BackwardInHalves(T[] dz, int rows, T[] x, DenseLayer<T> lower, ColumnFinisher finisher, bool biasGradientDone)
    {
        Matrix<T> dx = _inputGradientBuffers.For(rows)[0];
        T[] dxArray = _inputGradientBuffers.ArraysFor(rows)[0];
        InputHalves job = _inputHalves ??= new InputHalves(this);
        job.Set(dz, x, dxArray, finisher, rows);
        int cut = WorkSplit.InputCut(InputSize);
        bool shared = SecondCore.TryReserve();
        if (shared)
        {
            job.First = cut;
            SecondCore.Start(job);
        }

        try
        {
            BackwardColumns(dz, rows, x, dxArray, finisher, 0, shared ? cut : InputSize);
            if (!biasGradientDone)
            {
                SumColumns(dz, rows, 0, OutputSize, _biases.GradientArray); // ∂L/∂b = Σ over the batch of ∂L/∂Z
            }
        }
        finally
        {
            if (shared)
            {
                SecondCore.Wait(); // takes the helper's part back if it has not picked it up
            }
        }

        lower._fusedGradientOf = dxArray; // its Backward, next, finds ∂L/∂Z and ∂L/∂b made
        return dx;
    }

    /// <summary>
    /// The inputs' columns <c>J = [first, first + count)</c>: <c>∂L/∂W[:, J] = (∂L/∂Z)ᵀ·X[:, J]</c>, then
    /// <c>∂L/∂X[:, J] = (∂L/∂Z)·W[:, J]</c> and the layer below's finisher on them (its ∂L/∂Z reads X[:, J], its activations,
    /// which the first product has just brought into this core's cache).
    /// </summary>
    private void BackwardColumns(T[] dz, int rows, T[] x, T[] dx, ColumnFinisher finisher, int first, int count)
    {
        // ∂L/∂W[:, J] = (∂L/∂Z)ᵀ·X[:, J]: [out × batch]·[batch × |J|]
        Gemm.Multiply<T>(true, false, OutputSize, count, rows, dz, rows, x.AsSpan(first * rows), rows, _weights.GradientArray.AsSpan(first * OutputSize), OutputSize, accumulate: false);

        // ∂L/∂X[:, J] = (∂L/∂Z)·W[:, J]: [batch × out]·[out × |J|]
        Gemm.Multiply<T>(false, false, rows, count, OutputSize, dz, rows, _weights.ValueArray.AsSpan(first * OutputSize), OutputSize, dx.AsSpan(first * rows), rows, accumulate: false);
        finisher.Finish(first, count);
    }

    /// <summary>The helper's part of <see cref="BackwardInHalves"/>: the columns from <see cref="First"/> on.</summary>
    private sealed class InputHalves(DenseLayer<T> layer) : WorkItem
    {
        private T[] _dz = [], _x = [], _dx = [];
        private ColumnFinisher? _finisher;
        private int _rows;

        public int First { get; set; }

        public void Set(T[] dz, T[] x, T[] dx, ColumnFinisher finisher, int rows)
        {
            if (!ReferenceEquals(_dz, dz) || !ReferenceEquals(_x, x) || !ReferenceEquals(_dx, dx) || !ReferenceEquals(_finisher, finisher))
            {
                (_dz, _x, _dx, _finisher) = (dz, x, dx, finisher); // only when a buffer changes: a reference store costs a write barrier
            }

            _rows = rows;
        }

        public override void Execute() => layer.BackwardColumns(_dz, _rows, _x, _dx, _finisher!, First, layer.InputSize - First);
    }
}
