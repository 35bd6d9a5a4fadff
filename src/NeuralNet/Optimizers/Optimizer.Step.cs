using System.Numerics;
using NeuralNet.Kernels;

namespace NeuralNet.Optimizers;

// The training step's update of every parameter: each parameter's undo copy and finiteness check in its update's pass,
// the large ones shared with the second core while the caller updates the small ones.
public abstract partial class Optimizer<T>
{
    /// <summary>
    /// The training step's update: as <see cref="Step(IReadOnlyList{Parameter{T}})"/>, and each parameter's values from
    /// before the step are copied to <paramref name="backup"/> (one array per parameter, in list order) and the new values
    /// checked finite, in the update's own pass for the built-in optimizers. With no <paramref name="backup"/> (the public
    /// <see cref="Step(IReadOnlyList{Parameter{T}})"/>), nothing is copied or checked.
    /// </summary>
    /// <remarks>
    /// The copy is written even when a step looks unable to overflow. A parameter updated without one cannot be put back,
    /// so before its pass the whole step would have to be known finite: the gradients' largest magnitude, the velocities'
    /// (kept from the last pass), and every old value finite. The last needs a read of the parameter itself, whose values
    /// are public and may be written between steps (no bound kept from the last pass holds then), and on W2's step that
    /// read and the gradients' cost about as much as the copy they would save (issue #14).
    /// </remarks>
    /// <returns>Whether every updated value is finite (if not, <paramref name="backup"/> holds the values to put back); true without a backup.</returns>
    internal bool StepChecked(IReadOnlyList<Parameter<T>> parameters, T[][]? backup)
    {
        // The per-step work is hoisted out of the per-parameter loop: a one-sample step updates a handful of tiny
        // parameters, where the bookkeeping around each update costs more than the update.
        OptimizerState<T>[] states = ReferenceEquals(parameters, _lastParameters) ? _lastStates : StatesFor(parameters);
        Iterations++;
        if (_clipValue is not null || _clipNorm is not null)
        {
            ClipGradients(parameters);
        }

        T lr = T.CreateChecked(_learningRate);
        bool decays = _weightDecay > 0;
        Parameter<T>[] list = _lastArray; // the same parameters, as an array: no interface call per parameter
        if (_allShort && backup is not null && !decays && TryStepShortChecked(list, states, backup, lr, out bool allFinite))
        {
            return allFinite; // a one-sample step's few tiny parameters, in one loop of the optimizer's own
        }

        T decay = decays ? T.CreateChecked(_weightDecay) : T.Zero;
        bool elementwise = UpdatesElementwise;
        bool finite = true;
        // A large parameter's second part runs on the helper while this thread updates its first part and then the other
        // parameters (the update is element-wise, so the order across parameters changes no bit); the step waits for the
        // helper once, at the end, or before it hands over the next large parameter (one shared update at a time).
        OptimizerState<T>? helperPart = null;
        try
        {
            for (int i = 0; i < list.Length; i++)
            {
                Parameter<T> p = list[i];
                Span<T> values = p.Values, gradients = p.Gradients;
                T[]? copy = backup?[i];
                if (decays)
                {
                    if (copy is not null)
                    {
                        values.CopyTo(copy); // before the decay changes the values
                        copy = [];
                    }

                    if (DecoupledWeightDecay)
                    {
                        System.Numerics.Tensors.TensorPrimitives.Multiply(values, T.One - lr * decay, values); // p ← p − ηλp
                    }
                    else
                    {
                        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(values, decay, gradients, gradients); // g ← g + λp
                    }
                }

                OptimizerState<T> state = states[i];
                state.Steps++;
                if (elementwise && WorkSplit.SharesUpdate(p.Length))
                {
                    if (helperPart is { } pending)
                    {
                        helperPart = null; // before the wait, which may throw: the clean-up below must not wait again
                        finite &= SharedUpdate<T>.Finish(pending); // the helper is needed for this parameter's part
                    }

                    if (SharedUpdate<T>.TryStart(this, p, state, lr, copy, out bool partFinite, out helperPart))
                    {
                        finite &= partFinite; // always true without a copy: the public Step checks nothing
                        continue;
                    }
                }

                if (copy is null)
                {
                    Update(values, gradients, state, lr);
                }
                else
                {
                    finite &= UpdateChecked(values, gradients, state, lr, copy);
                }
            }
        }
        finally
        {
            if (helperPart is not null)
            {
                finite &= SharedUpdate<T>.Finish(helperPart); // also when this thread's updates failed: the second core is released
            }
        }

        return finite;
    }
}
