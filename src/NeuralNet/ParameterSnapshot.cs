using System.Numerics;
using NeuralNet.Kernels;

namespace NeuralNet;

/// <summary>A copy of every parameter's values, to put back later (the last finite weights, the best epoch's weights and running statistics).</summary>
internal sealed class ParameterSnapshot<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly Parameter<T>[] _parameters; // an array: no interface call per parameter and step
    private readonly T[][] _copies;

    public ParameterSnapshot(IReadOnlyList<Parameter<T>> parameters)
    {
        _parameters = parameters.ToArray();
        _copies = parameters.Select(p => HugePages.Advise(AlignedArrays.Allocate<T>(p.Length))).ToArray();
    }

    /// <summary>The copies, one array per parameter (a training state keeps them).</summary>
    public T[][] Copies => _copies;

    /// <summary>
    /// Copies the values of <paramref name="copies"/> (one array per parameter, as long as it) into this snapshot; when
    /// it holds fewer arrays (a state saved with weights only), the other tensors keep their current values.
    /// </summary>
    public void Load(T[][] copies)
    {
        for (int i = 0; i < _copies.Length; i++)
        {
            if (i < copies.Length)
            {
                copies[i].CopyTo(_copies[i], 0);
            }
            else
            {
                _parameters[i].Values.CopyTo(_copies[i]);
            }
        }
    }

    /// <summary>A deep copy of the copies.</summary>
    public T[][] Clone() => _copies.Select(c => (T[])c.Clone()).ToArray();

    public void Capture()
    {
        Parameter<T>[] parameters = _parameters;
        T[][] copies = _copies;
        for (int i = 0; i < parameters.Length && i < copies.Length; i++)
        {
            parameters[i].ValueArray.AsSpan().CopyTo(copies[i]);
        }
    }

    /// <summary>
    /// Captures the current values if every one is finite, and returns whether it did: one check and
    /// one copy per step, the copy reading what the check has just brought into the cache.
    /// </summary>
    public bool CaptureIfFinite()
    {
        if (!AllFinite())
        {
            return false;
        }

        Capture();
        return true;
    }

    public void Restore()
    {
        for (int i = 0; i < _copies.Length; i++)
        {
            _copies[i].CopyTo(_parameters[i].Values);
        }
    }

    /// <summary>Whether every value of the parameters this snapshot copies is finite now.</summary>
    public bool AllFinite()
    {
        Parameter<T>[] parameters = _parameters;
        for (int i = 0; i < parameters.Length; i++)
        {
            if (!Elementwise.AllFinite<T>(parameters[i].ValueArray))
            {
                return false;
            }
        }

        return true;
    }
}
