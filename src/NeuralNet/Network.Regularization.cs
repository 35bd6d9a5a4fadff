using System.Numerics;
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
    private Parameter<T>[] _trainable = [];
    private IReadOnlyList<Parameter<T>> _trainableView = [];

    /// <summary>
    /// The penalty of every layer's <see cref="Layer{T}.Regularization"/> at the current weights,
    /// <c>Σ l1·|w| + l2·w²</c>: what the training step adds to the batch's loss (and its gradient to the
    /// parameters' gradients). Zero when no layer sets one.
    /// </summary>
    /// <returns>The penalty, ≥ 0.</returns>
    public T RegularizationPenalty()
    {
        T penalty = T.Zero;
        for (int i = 0; i < _parameters.Length; i++)
        {
            if (RegularizationOf(i) is { } r)
            {
                Span<T> values = _parameters[i].Values;
                penalty += T.CreateChecked(r.L1) * Tp.SumOfMagnitudes<T>(values) + T.CreateChecked(r.L2) * Tp.SumOfSquares<T>(values);
            }
        }

        return penalty;
    }

    /// <summary>Adds <c>l1·sign(w) + 2·l2·w</c> to the gradient of every regularised parameter (after the backward phase).</summary>
    private void AddRegularizationGradients()
    {
        for (int i = 0; i < _parameters.Length; i++)
        {
            if (RegularizationOf(i) is not { } r)
            {
                continue;
            }

            Span<T> values = _parameters[i].Values, gradients = _parameters[i].Gradients;
            if (r.L1 > 0)
            {
                T l1 = T.CreateChecked(r.L1);
                for (int j = 0; j < values.Length; j++)
                {
                    T w = values[j];
                    gradients[j] += w > T.Zero ? l1 : w < T.Zero ? -l1 : T.Zero; // l1·sign(w), 0 at 0
                }
            }

            if (r.L2 > 0)
            {
                Tp.MultiplyAdd(values, T.CreateChecked(2 * r.L2), gradients, gradients); // g ← g + 2·l2·w
            }
        }
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

    /// <summary>
    /// The parameters the optimizer steps: those not frozen, in network order. The same list instance while no
    /// <see cref="Parameter{T}.Frozen"/> flag changes, so the optimizer's per-list cache holds and a step allocates nothing.
    /// </summary>
    internal IReadOnlyList<Parameter<T>> TrainableParameters()
    {
        int k = 0;
        bool same = true;
        foreach (Parameter<T> parameter in _parameters)
        {
            if (!parameter.Frozen)
            {
                same &= k < _trainable.Length && ReferenceEquals(_trainable[k], parameter);
                k++;
            }
        }

        if (same && k == _trainable.Length)
        {
            return _trainableView;
        }

        _trainable = _parameters.Where(p => !p.Frozen).ToArray();
        _trainableView = Array.AsReadOnly(_trainable);
        return _trainableView;
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
