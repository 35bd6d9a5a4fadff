using System.Numerics;
using NeuralNet.Kernels;

namespace NeuralNet.Training;

using MathNet.Numerics.LinearAlgebra;

/// <summary>
/// Copies the rows of one mini-batch into preallocated matrices: one set for the full batch size and
/// one for the epoch's last, smaller batch, so nothing is allocated per batch.
/// </summary>
/// <remarks>
/// The inputs are kept row-major (one transposed copy per <c>Fit</c>): MathNet stores them
/// column-major, where one sample's features lie a whole column apart, so gathering shuffled rows
/// straight from it touches a new cache line for every value. Row-major, a sample is one contiguous
/// read.
/// </remarks>
internal sealed class BatchGatherer<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly T[] _inputsByRow;
    private readonly int _features;
    private readonly T[] _targets;
    private readonly T[]? _weights;
    private readonly int _rows;
    private readonly Buffers _full;
    private readonly Buffers? _last;

    public BatchGatherer(Matrix<T> inputs, Matrix<T> targets, T[]? weights, int samples, int batchSize)
    {
        _inputsByRow = DenseStorage.Of(inputs.Transpose()); // column-major storage of Xᵀ is X row by row
        _features = inputs.ColumnCount;
        _targets = DenseStorage.Of(targets);
        _weights = weights;
        _rows = inputs.RowCount;
        BatchSize = Math.Min(batchSize, samples);
        _full = new Buffers(BatchSize, inputs.ColumnCount, targets.ColumnCount, weights is not null);
        int remainder = samples % BatchSize;
        _last = remainder == 0 ? null : new Buffers(remainder, inputs.ColumnCount, targets.ColumnCount, weights is not null);
        Batches = (samples / BatchSize) + (remainder == 0 ? 0 : 1);
    }

    public int BatchSize { get; }

    public int Batches { get; }

    /// <summary>Gathers rows <c>order[start..start+size)</c> of the source matrices, and requests the inputs of the batch after it.</summary>
    public (Matrix<T> Inputs, Matrix<T> Targets, Vector<T>? Weights) Gather(ReadOnlySpan<int> order, int batch)
    {
        int start = batch * BatchSize;
        Buffers b = start + BatchSize <= order.Length ? _full : _last!;
        ReadOnlySpan<int> rows = order.Slice(start, b.Rows);
        int after = start + b.Rows;
        ReadOnlySpan<int> next = order.Slice(after, Math.Min(BatchSize, order.Length - after)); // the epoch's next batch, empty after its last
        CopyRows(DenseStorage.Of(b.Inputs), rows, next);
        Copy(_targets, DenseStorage.Of(b.Targets), rows, b.Targets.ColumnCount);
        if (_weights is not null)
        {
            T[] w = DenseStorage.Of(b.Weights!);
            for (int i = 0; i < rows.Length; i++)
            {
                w[i] = _weights[rows[i]];
            }
        }

        return (b.Inputs, b.Targets, b.Weights);
    }

    /// <summary>Each sampled row is read contiguously from the row-major copy and written down its batch column; the next batch's rows are then requested (<see cref="RowGather"/>).</summary>
    private void CopyRows(T[] destination, ReadOnlySpan<int> rows, ReadOnlySpan<int> next) => RowGather.Gather<T>(_inputsByRow, _features, rows, destination, next);

    private void Copy(T[] source, T[] destination, ReadOnlySpan<int> rows, int columns)
    {
        int n = rows.Length;
        for (int c = 0; c < columns; c++)
        {
            int from = c * _rows, to = c * n;
            for (int i = 0; i < n; i++)
            {
                destination[to + i] = source[from + rows[i]];
            }
        }
    }

    private sealed class Buffers(int rows, int inputColumns, int targetColumns, bool weighted)
    {
        public int Rows { get; } = rows;

        public Matrix<T> Inputs { get; } = Matrix<T>.Build.Dense(rows, inputColumns, Kernels.AlignedArrays.Allocate<T>(rows * inputColumns));

        public Matrix<T> Targets { get; } = Matrix<T>.Build.Dense(rows, targetColumns);

        public Vector<T>? Weights { get; } = weighted ? Vector<T>.Build.Dense(rows) : null;
    }
}
