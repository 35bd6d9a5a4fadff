using System.Numerics;
using NeuralNet.Kernels;

namespace NeuralNet.Optimizers;

/// <summary>
/// Updates a large parameter in two parts, the second on <see cref="SecondCore"/>, where <see cref="WorkSplit"/> cuts it
/// (a large update is bound by one core's memory bandwidth, so two cores go about twice as fast).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal sealed class SharedUpdate<T> : WorkItem
    where T : struct, IFloatingPointIeee754<T>
{
    // One job object per element type: SecondCore is reserved before it is filled, so it is never shared.
    private static readonly SharedUpdate<T> Job = new();

    private Optimizer<T>? _optimizer;
    private Parameter<T>? _parameter;
    private OptimizerState<T>? _state;
    private T _learningRate;
    private int _split;
    private T[]? _backup; // the step's undo copy of the parameter, or null (the public Step keeps none)

    /// <summary>
    /// Starts the update of <paramref name="parameter"/> on two cores: hands the second part to the helper, updates the
    /// first on this thread, and returns true without waiting for the helper, so that the caller can update other
    /// parameters meanwhile; the caller must then call <see cref="Finish"/> with <paramref name="helperPart"/>, once,
    /// before it starts another shared update or returns. Returns false, having done nothing, when the parameter is too
    /// small or the second core is busy.
    /// </summary>
    /// <param name="optimizer">The optimizer whose rule updates both parts.</param>
    /// <param name="parameter">The parameter.</param>
    /// <param name="state">Its optimizer state (the parts are views of it).</param>
    /// <param name="learningRate">η for this step.</param>
    /// <param name="backup">The step's undo copy (as long as the parameter, or empty when the caller has copied), or null for none.</param>
    /// <param name="finite">Whether this thread's part came out finite (true without a copy).</param>
    /// <param name="helperPart">The helper's part of the state, which holds its answer after <see cref="Finish"/>.</param>
    public static bool TryStart(Optimizer<T> optimizer, Parameter<T> parameter, OptimizerState<T> state, T learningRate, T[]? backup, out bool finite, out OptimizerState<T>? helperPart)
    {
        finite = true;
        helperPart = null;
        int length = parameter.Length;
        if (!WorkSplit.SharesUpdate(length) || !SecondCore.TryReserve())
        {
            return false;
        }

        int split = WorkSplit.UpdateSplit(length);
        SharedUpdate<T> job = Job;
        (job._optimizer, job._parameter, job._learningRate, job._split, job._backup) = (optimizer, parameter, learningRate, split, backup);
        OptimizerState<T> second = job._state = state.Part(split, second: true);
        OptimizerState<T> first = state.Part(split, second: false);
        SecondCore.Start(job);
        try
        {
            finite = backup is null
                ? Run(optimizer, parameter.Values[..split], parameter.Gradients[..split], first, learningRate)
                : optimizer.UpdateChecked(parameter.Values[..split], parameter.Gradients[..split], first, learningRate, backup.Length == 0 ? default : backup.AsSpan(0, split));
        }
        catch
        {
            SecondCore.Wait(); // the reservation is released before the failure leaves (the caller will not call Finish)
            throw;
        }

        helperPart = second; // only now: the out argument is the caller's own variable, which its clean-up reads on a failure
        return true;
    }

    /// <summary>
    /// Waits for the helper's part of the update <see cref="TryStart"/> began (releasing the second core) and returns
    /// whether that part came out finite.
    /// </summary>
    /// <param name="helperPart">The <c>helperPart</c> <see cref="TryStart"/> gave.</param>
    public static bool Finish(OptimizerState<T> helperPart)
    {
        // No clearing of the job's fields after this: Wait releases the reservation, and another thread may already have
        // refilled this shared job and handed it to the helper (clearing then raced it: a NullReferenceException on the
        // helper thread). The fields hold the last caller's objects until the next use.
        SecondCore.Wait();
        return helperPart.PartFinite; // the helper's answer, in this parameter's own part (the job may be refilled by now)
    }

    /// <summary>Updates the second half (on the helper thread).</summary>
    public override void Execute()
        => _state!.PartFinite = _backup is null
            ? Run(_optimizer!, _parameter!.Values[_split..], _parameter.Gradients[_split..], _state, _learningRate)
            : _optimizer!.UpdateChecked(_parameter!.Values[_split..], _parameter.Gradients[_split..], _state, _learningRate, Tail(_backup, _split));

    private static Span<T> Tail(T[] backup, int split) => backup.Length == 0 ? default : backup.AsSpan(split);

    /// <summary>An unchecked part: the update alone (<see cref="Optimizer{T}.Step(IReadOnlyList{Parameter{T}})"/> checks nothing).</summary>
    private static bool Run(Optimizer<T> optimizer, Span<T> values, ReadOnlySpan<T> gradients, OptimizerState<T> state, T learningRate)
    {
        optimizer.UpdatePart(values, gradients, state, learningRate);
        return true;
    }
}
