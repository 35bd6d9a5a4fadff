using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Kernels;

namespace NeuralNet.Training;

/// <summary>
/// Turns a pass of chunks into mini-batches, shuffling through a bounded buffer (the scheme of
/// tf.data's <c>shuffle</c>): the buffer fills with the first rows; then each new row takes the place
/// of a row drawn at random from it, which goes into the batch; at the end the buffer empties in
/// random order. Without a random source the rows go into batches in order, exactly as an in-memory
/// epoch without shuffling takes them. Memory: the buffer, one batch, the source's chunk.
/// </summary>
internal sealed class ShuffleBatcher<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly int _inputs;
    private readonly int _targets;
    private readonly int _batchSize;
    private readonly RandomSource? _random;
    private readonly T[] _buffer;
    private readonly int _capacity;
    private readonly Matrix<T> _x;
    private readonly Matrix<T> _y;
    private int _count;
    private int _filled;

    public ShuffleBatcher(int inputs, int targets, int batchSize, int bufferRows, RandomSource? random)
    {
        _inputs = inputs;
        _targets = targets;
        _batchSize = batchSize;
        _random = random;
        _capacity = random is null ? 0 : bufferRows;
        _buffer = new T[checked(_capacity * (inputs + targets))];
        _x = Matrix<T>.Build.Dense(batchSize, inputs);
        _y = Matrix<T>.Build.Dense(batchSize, targets);
    }

    /// <summary>The batches of one pass; each yielded pair is reused for the next batch (the last, smaller one is new).</summary>
    public IEnumerable<(Matrix<T> Inputs, Matrix<T> Targets)> Batches(IEnumerable<Dataset<T>> chunks, string sourceName)
    {
        _count = 0;
        _filled = 0;
        int width = _inputs + _targets;
        foreach (Dataset<T> chunk in chunks)
        {
            if (chunk is null || chunk.Features.ColumnCount != _inputs || chunk.Targets.ColumnCount != _targets)
            {
                throw new ArgumentException($"every chunk of {sourceName} must have {_inputs} input and {_targets} target columns (received {(chunk is null ? "null" : $"{chunk.Features.ColumnCount} and {chunk.Targets.ColumnCount}")}).", sourceName);
            }

            T[] x = DenseStorage.Of(chunk.Features), y = DenseStorage.Of(chunk.Targets);
            int rows = chunk.Count;
            for (int r = 0; r < rows; r++)
            {
                if (_random is null)
                {
                    TakeFromChunk(x, y, rows, r);
                }
                else if (_count < _capacity)
                {
                    StoreFromChunk(x, y, rows, r, _count++ * width);
                }
                else
                {
                    int j = _random.NextInt(_count);
                    TakeFromBuffer(j * width);
                    StoreFromChunk(x, y, rows, r, j * width); // the new row takes the drawn row's place
                }

                if (_filled == _batchSize)
                {
                    _filled = 0;
                    yield return (_x, _y);
                }
            }
        }

        while (_count > 0)
        {
            int j = _random!.NextInt(_count);
            TakeFromBuffer(j * width);
            _count--;
            Array.Copy(_buffer, _count * width, _buffer, j * width, width); // the last row fills the gap
            if (_filled == _batchSize)
            {
                _filled = 0;
                yield return (_x, _y);
            }
        }

        if (_filled > 0)
        {
            int n = _filled;
            _filled = 0;
            yield return (_x.SubMatrix(0, n, 0, _inputs), _y.SubMatrix(0, n, 0, _targets));
        }
    }

    private void TakeFromChunk(T[] x, T[] y, int rows, int r)
    {
        T[] bx = DenseStorage.Of(_x), by = DenseStorage.Of(_y);
        for (int c = 0; c < _inputs; c++)
        {
            bx[_filled + (c * _batchSize)] = x[r + (c * rows)];
        }

        for (int c = 0; c < _targets; c++)
        {
            by[_filled + (c * _batchSize)] = y[r + (c * rows)];
        }

        _filled++;
    }

    private void StoreFromChunk(T[] x, T[] y, int rows, int r, int at)
    {
        for (int c = 0; c < _inputs; c++)
        {
            _buffer[at + c] = x[r + (c * rows)];
        }

        for (int c = 0; c < _targets; c++)
        {
            _buffer[at + _inputs + c] = y[r + (c * rows)];
        }
    }

    private void TakeFromBuffer(int at)
    {
        T[] bx = DenseStorage.Of(_x), by = DenseStorage.Of(_y);
        for (int c = 0; c < _inputs; c++)
        {
            bx[_filled + (c * _batchSize)] = _buffer[at + c];
        }

        for (int c = 0; c < _targets; c++)
        {
            by[_filled + (c * _batchSize)] = _buffer[at + _inputs + c];
        }

        _filled++;
    }
}
