using System.Numerics;

namespace NeuralNet;

/// <summary>Sees each training batch's output inside the one training step, after the loss and before the backward phase (the trainer's metrics).</summary>
/// <typeparam name="T">The element type.</typeparam>
internal interface IBatchObserver<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>Called once per batch with the network's output and the batch's targets (column-major).</summary>
    void Observe(ReadOnlySpan<T> output, ReadOnlySpan<T> target, int rows, int outputs, int targetColumns);
}
