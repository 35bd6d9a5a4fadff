using System.Numerics;

namespace NeuralNet.Optimizers;

/// <summary>What an optimizer keeps for one parameter between steps: a few arrays as long as the parameter (velocity, moments) and the parameter's own step count.</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class OptimizerState<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly T[][] _slots;

    internal OptimizerState(int slots, int length)
    {
        _slots = new T[slots][];
        for (int i = 0; i < slots; i++)
        {
            _slots[i] = new T[length];
        }
    }

    /// <summary>How many state arrays there are.</summary>
    public int SlotCount => _slots.Length;

    /// <summary>Steps this parameter has taken (1 during its first update).</summary>
    public long Steps { get; internal set; }

    /// <summary>State array <paramref name="index"/>, initially all zeros.</summary>
    /// <param name="index">0 ≤ index &lt; <see cref="SlotCount"/>.</param>
    public Span<T> Slot(int index) => _slots[index];
}
