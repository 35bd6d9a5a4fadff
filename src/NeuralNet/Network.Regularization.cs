using System.Numerics;
using System.Runtime.CompilerServices;
using NeuralNet.Layers;
using Tp = System.Numerics.Tensors.TensorPrimitives;

namespace NeuralNet;

// Per-layer regularisation and freezing: the penalty the training step adds to the loss and the gradients,
// and the parameters it hands to the optimizer (those not frozen).
public sealed partial class Network<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>For each parameter, the layers that hold it, outermost first (a block, then the layer inside it).</summary>
    private readonly Layer<T>[][] _owners;
    private int _settingsVersion = -1;
    private (int Index, T L1, T L2)[] _regularized = [];
    private System.Collections.ObjectModel.ReadOnlyCollection<Parameter<T>> _trainable = Array.AsReadOnly(Array.Empty<Parameter<T>>());

    /// <summary>
    /// The penalty of every layer's <see cref="Layer{T}.Regularization"/> at the current weights,
    /// <c>Σ l1·|w| + l2·w²</c>: what the training step adds to the batch's loss (and its gradient to the
    /// parameters' gradients). Zero when no layer sets one.
    /// </summary>
    /// <returns>The penalty, ≥ 0.</returns>
    public T RegularizationPenalty()
    {
        Refresh();
        T penalty = T.Zero;
        foreach ((int index, T l1, T l2) in _regularized)
        {
            Span<T> values = _parameters[index].Values;
            penalty += l1 * Tp.SumOfMagnitudes<T>(values) + l2 * Tp.SumOfSquares<T>(values);
        }

        return penalty;
    }

    /// <summary>Whether any parameter is regularised, as of the last <see cref="Refresh"/>: the step skips the penalty otherwise.</summary>
    private bool HasRegularization => _regularized.Length > 0;

    /// <summary>
    /// The parameters the optimizer steps: those not frozen, in network order. The same list instance while no
    /// <see cref="Parameter{T}.Frozen"/> flag changes, so the optimizer's per-list cache holds and a step allocates nothing.
    /// </summary>
    internal IReadOnlyList<Parameter<T>> TrainableParameters()
    {
        Refresh();
        return _trainable;
    }

    /// <summary>Adds <c>l1·sign(w) + 2·l2·w</c> to the gradient of every regularised parameter (after the backward phase).</summary>
    private void AddRegularizationGradients()
    {
        Refresh();
        foreach ((int index, T l1, T l2) in _regularized)
        {
            Span<T> values = _parameters[index].Values, gradients = _parameters[index].Gradients;
            _parameters[index].StepGradientBound = double.NaN; // the penalty's gradient is not in the layer's bound
            if (l1 > T.Zero)
            {
                for (int j = 0; j < values.Length; j++)
                {
                    T w = values[j];
                    gradients[j] += w > T.Zero ? l1 : w < T.Zero ? -l1 : T.Zero; // l1·sign(w), 0 at 0
                }
            }

            if (l2 > T.Zero)
            {
                Tp.MultiplyAdd(values, l2 + l2, gradients, gradients); // g ← g + 2·l2·w
            }
        }
    }

    /// <summary>
    /// Recomputes the regularised parameters and the trainable list when any layer's <see cref="Layer{T}.Regularization"/>
    /// or any parameter's <see cref="Parameter{T}.Frozen"/> changed since the last time (one comparison per call otherwise:
    /// the one-sample training step runs millions of times a second).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Refresh()
    {
        int version = TrainingSettings.Version;
        if (version != _settingsVersion)
        {
            Recompute(version);
        }
    }

    /// <summary>The work of <see cref="Refresh"/> after a setting changed, out of line.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Recompute(int version)
    {
        var regularized = new List<(int, T, T)>();
        for (int i = 0; i < _parameters.Length; i++)
        {
            if (RegularizationOf(i) is { } r)
            {
                regularized.Add((i, T.CreateChecked(r.L1), T.CreateChecked(r.L2)));
            }
        }

        Parameter<T>[] trainable = _parameters.Where(p => !p.Frozen).ToArray();
        _regularized = [.. regularized];
        if (trainable.Length != _trainable.Count || trainable.Where((p, i) => !ReferenceEquals(p, _trainable[i])).Any())
        {
            _trainable = Array.AsReadOnly(trainable); // a new list only when it changed: the optimizer keys its cache on it
        }

        _settingsVersion = version;
    }

    /// <summary>The regularisation that applies to parameter <paramref name="index"/>: the innermost layer's that sets one, or null.</summary>
    private Regularization? RegularizationOf(int index)
    {
        Layer<T>[] owners = _owners[index];
        for (int j = owners.Length - 1; j >= 0; j--)
        {
            if (owners[j].Regularization is { } r)
            {
                return (r.L1 > 0 || r.L2 > 0) && (r.Biases || !_parameters[index].IsBias) ? r : null;
            }
        }

        return null;
    }
    private static Layer<T>[][] OwnersOf(Layer<T>[] layers, Parameter<T>[] parameters)
    {
        var index = new Dictionary<Parameter<T>, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < parameters.Length; i++)
        {
            index.TryAdd(parameters[i], i);
        }

        var owners = new Layer<T>[parameters.Length][];
        Array.Fill(owners, []);
        void Walk(Layer<T> layer, Layer<T>[] outer)
        {
            Layer<T>[] chain = [.. outer, layer];
            foreach (Parameter<T> parameter in layer.Parameters)
            {
                if (index.TryGetValue(parameter, out int i))
                {
                    owners[i] = chain; // a layer inside a block comes later and overrides the block's chain
                }
            }

            foreach (Layer<T> inner in layer.Sublayers)
            {
                Walk(inner, chain);
            }
        }

        foreach (Layer<T> layer in layers)
        {
            Walk(layer, []);
        }

        return owners;
    }
}
