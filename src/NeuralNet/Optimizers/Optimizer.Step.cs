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
    /// A parameter whose update provably stays finite is updated without a copy (<see cref="UpdateStaysFinite"/>): its
    /// layer bounded every element of its gradient and found every one of its values finite in this step's forward pass
    /// (<see cref="Parameter{T}.StepGradientBound"/>), and the optimizer bounds what it keeps (SGD's velocity). Such a
    /// parameter is updated last, once every other parameter came out finite, so that a step that is undone never changed
    /// it. On W2's step the first layer's weights are such a parameter: their copy was 200 KB a core of writes every
    /// step; on W3's both 1024 × 1024 layers' weights, hidden one included: 4 MB each (the costs are measured in
    /// benchmarks/README.md). The results are the same bits either way.
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
        bool bounded = backup is not null && !decays && _clipValue is null && _clipNorm is null && !CopiesEveryUpdate; // the gradients as their layers bounded them
        bool finite = true;
        int deferredCount = 0;
        int[] deferred = _deferred;
        double[] deferredBounds = _deferredBounds;
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
                double bound = p.StepGradientBound;
                p.StepGradientBound = double.NaN; // this step's only
                if (bounded && UpdateStaysFinite(states[i], bound, lr))
                {
                    // No undo copy: updated after every other parameter, once they all came out finite, so that it is
                    // never changed in a step that is undone.
                    deferred[deferredCount] = i;
                    deferredBounds[deferredCount++] = bound;
                    continue;
                }

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
                NoteUpdate(state, bounded ? bound : double.NaN);
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

            if (deferredCount > 0)
            {
                if (helperPart is { } pending)
                {
                    helperPart = null;
                    finite &= SharedUpdate<T>.Finish(pending); // every copied parameter's answer, before any deferred one changes
                }

                if (!finite)
                {
                    for (int d = 0; d < deferredCount; d++)
                    {
                        list[deferred[d]].Values.CopyTo(backup![deferred[d]]); // not updated: the undo that follows leaves it so
                    }

                    return false;
                }

                for (int d = 0; d < deferredCount; d++)
                {
                    Parameter<T> p = list[deferred[d]];
                    OptimizerState<T> state = states[deferred[d]];
                    state.Steps++;
                    UncopiedUpdates++;
                    NoteUpdate(state, deferredBounds[d]);
                    if (elementwise && WorkSplit.SharesUpdate(p.Length))
                    {
                        if (helperPart is { } previous)
                        {
                            helperPart = null;
                            _ = SharedUpdate<T>.Finish(previous); // unchecked: true
                        }

                        if (SharedUpdate<T>.TryStart(this, p, state, lr, null, out _, out helperPart))
                        {
                            continue;
                        }
                    }

                    Update(p.Values, p.Gradients, state, lr); // finite: UpdateStaysFinite proved it
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

    /// <summary>Parameters updated without an undo copy so far (<see cref="UpdateStaysFinite"/>): for the tests.</summary>
    internal long UncopiedUpdates { get; private set; }

    /// <summary>
    /// Whether <see cref="StepChecked"/> copies every parameter before its update, even one that provably stays finite
    /// (<see cref="UpdateStaysFinite"/>): for the tests and the benchmark runner's comparison; the results are the same bits.
    /// </summary>
    internal static bool CopiesEveryUpdate { get; set; }

    /// <summary>
    /// Whether this step's update of a parameter provably leaves every value finite, so that it needs no undo copy: given
    /// <paramref name="gradientBound"/>, a bound on the magnitude of every element of its gradient that the layer set when it
    /// could also tell every value of the parameter finite (<see cref="Parameter{T}.StepGradientBound"/>; NaN otherwise), and
    /// what the optimizer keeps in <paramref name="state"/>. False unless the optimizer can prove it (the built-in SGD).
    /// </summary>
    internal virtual bool UpdateStaysFinite(OptimizerState<T> state, double gradientBound, T learningRate) => false;

    /// <summary>
    /// Called as each parameter's update is made, with its gradient's bound (NaN when unknown): what the optimizer keeps in
    /// <paramref name="state"/> to bound the next update (SGD's bound on its velocity).
    /// </summary>
    internal virtual void NoteUpdate(OptimizerState<T> state, double gradientBound)
    {
    }
}
