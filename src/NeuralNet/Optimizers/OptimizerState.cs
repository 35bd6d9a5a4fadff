using System.Numerics;
using NeuralNet.Kernels;

namespace NeuralNet.Optimizers;

/// <summary>What an optimizer keeps for one parameter between steps: a few arrays as long as the parameter (velocity, moments) and the parameter's own step count.</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class OptimizerState<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly T[][] _slots;
    private readonly int _offset;
    private readonly int _length;
    private OptimizerState<T>? _first;
    private OptimizerState<T>? _second;

    /// <summary>For a part updated on the second core: whether its checked update left every value finite.</summary>
    internal bool PartFinite { get; set; } = true;

    /// <summary>
    /// A bound on the magnitude of every value of slot 0 (SGD's velocity) that the optimizer keeps from step to step: 0 for a
    /// new state (its slots are zeros), +∞ when unknown (a state restored from a file). Only the optimizer writes the slots
    /// of its own states, so the bound it carries forward holds (<c>SgdOptimizer</c>).
    /// </summary>
    internal double SlotBound { get; set; }

    internal OptimizerState(int slots, int length)
    {
        _slots = new T[slots][];
        for (int i = 0; i < slots; i++)
        {
            _slots[i] = HugePages.Advise(AlignedArrays.Allocate<T>(length));
        }

        _length = length;
    }

    private OptimizerState(T[][] slots, int offset, int length)
    {
        _slots = slots;
        _offset = offset;
        _length = length;
    }

    /// <summary>How many state arrays there are.</summary>
    public int SlotCount => _slots.Length;

    /// <summary>Steps this parameter has taken (1 during its first update).</summary>
    public long Steps { get; internal set; }

    /// <summary>State array <paramref name="index"/>, initially all zeros.</summary>
    /// <param name="index">0 ≤ index &lt; <see cref="SlotCount"/>.</param>
    public Span<T> Slot(int index) => _slots[index].AsSpan(_offset, _length);

    /// <summary>
    /// A view of the values before (<paramref name="second"/> false) or from <paramref name="split"/> on, with
    /// this state's step count, for updating a parameter in two parts on two threads; made once, then reused.
    /// </summary>
    internal OptimizerState<T> Part(int split, bool second)
    {
        ref OptimizerState<T>? part = ref second ? ref _second : ref _first;
        if (part is null || part._length != (second ? _length - split : split))
        {
            part = second ? new OptimizerState<T>(_slots, split, _length - split) : new OptimizerState<T>(_slots, 0, split);
        }

        part.Steps = Steps;
        return part;
    }
}
