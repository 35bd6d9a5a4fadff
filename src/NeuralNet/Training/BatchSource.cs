using System.Numerics;
using NeuralNet.Data;

namespace NeuralNet.Training;

/// <summary>
/// Training data read in chunks, one pass per epoch, instead of held in memory as one matrix: a CSV
/// file read a few thousand rows at a time (<see cref="BatchSources.FromCsv{T}(string, string, int)"/>),
/// or any sequence of chunks the caller writes (<see cref="BatchSources.FromChunks{T}"/>).
/// <see cref="Trainer{T}.Fit(BatchSource{T}, BatchSource{T}?, int, CancellationToken)"/> trains from it
/// through a bounded shuffle buffer, so memory does not grow with the data.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract class BatchSource<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>The number of input columns of every chunk.</summary>
    public abstract int InputColumns { get; }

    /// <summary>The number of target columns of every chunk.</summary>
    public abstract int TargetColumns { get; }

    /// <summary>
    /// Reads one pass over the data, in order, as chunks of rows (any number of rows ≥ 1 each). Called
    /// once per epoch; a chunk may be reused by the source once the next one is requested.
    /// </summary>
    public abstract IEnumerable<Dataset<T>> ReadChunks();
}
