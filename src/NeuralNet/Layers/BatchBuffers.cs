using System.Numerics;
using System.Runtime.CompilerServices;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Kernels;

namespace NeuralNet.Layers;

/// <summary>
/// The matrices a layer's training passes write into, sized for one batch size. A layer keeps two
/// sets, so that an epoch's full batches and its last smaller batch each keep their own and nothing
/// is allocated once both exist.
/// </summary>
internal sealed class BatchBuffers<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly int _columns;
    private readonly int _count;
    private Set? _current;
    private Set? _previous;

    public BatchBuffers(int columns, int count)
    {
        _columns = columns;
        _count = count;
    }

    /// <summary>The buffers for <paramref name="rows"/> rows, made on first use of that size.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Matrix<T>[] For(int rows)
    {
        Set? current = _current;
        return current is not null && current.Rows == rows ? current.Matrices : Other(rows); // a step's usual case, inlined
    }

    /// <summary>
    /// The storage arrays (column-major) of the buffers <see cref="For"/> gives for <paramref name="rows"/> rows, in the same
    /// order: a layer's pass reads them here instead of asking each matrix for its storage (several times a step).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T[][] ArraysFor(int rows)
    {
        Set? current = _current;
        if (current is null || current.Rows != rows)
        {
            Other(rows);
            current = _current!;
        }

        return current.Arrays;
    }

    /// <summary>The other set, or a new one for a batch size not seen yet (the last set but one is dropped).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private Matrix<T>[] Other(int rows)
    {
        if (_previous is not null && _previous.Rows == rows)
        {
            (_current, _previous) = (_previous, _current);
            return _current!.Matrices;
        }

        ShapeCheck.Product(rows, _columns, "a layer's batch buffers hold rows × features", "input");
        var matrices = new Matrix<T>[_count];
        for (int i = 0; i < _count; i++)
        {
            matrices[i] = Matrix<T>.Build.Dense(rows, _columns, AlignedArrays.Allocate<T>(rows * _columns)); // each starting a cache line
        }

        _previous = _current;
        _current = new Set(rows, matrices, Array.ConvertAll(matrices, m => HugePages.Advise(DenseStorage.Of(m))));
        return matrices;
    }

    private sealed record Set(int Rows, Matrix<T>[] Matrices, T[][] Arrays);
}
