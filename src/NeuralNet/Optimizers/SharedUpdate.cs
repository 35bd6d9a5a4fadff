using System.Numerics;
using NeuralNet.Kernels;

namespace NeuralNet.Optimizers;

/// <summary>
/// Updates a large parameter in two halves, the second on <see cref="SecondCore"/>. An optimizer step reads
/// the values, gradients and state and writes two of them back (about 20 bytes per float value): for W2's
/// 100,000 weights that is 2 MB, more than one core's L2, so one core waits on memory and two go about
/// twice as fast.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal sealed class SharedUpdate<T> : WorkItem
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>Below this many values one core does the update: the hand-over costs a few microseconds.</summary>
    public const int MinimumLength = 1 << 15;

    // One job object per element type: SecondCore is reserved before it is filled, so it is never shared.
    private static readonly SharedUpdate<T> Job = new();

    private Optimizer<T>? _optimizer;
    private Parameter<T>? _parameter;
    private OptimizerState<T>? _state;
    private T _learningRate;
    private int _split;

    /// <summary>Where a parameter of <paramref name="length"/> values is cut: the caller takes the values before it, the helper the rest (whole cache lines each).</summary>
    public static int SplitPoint(int length) => length / 2 / 64 * 64;

    /// <summary>
    /// The input column at which the two-core step cuts a weight matrix of <paramref name="outputs"/> ×
    /// <paramref name="inputs"/> values (column-major: whole columns before it are the caller's), or 0 when it
    /// updates such a matrix on one core.
    /// </summary>
    public static int WeightColumnSplit(int inputs, int outputs)
    {
        int length = inputs * outputs;
        int column = SplitPoint(length) / outputs;
        return length >= MinimumLength && column > 0 && column < inputs ? column : 0;
    }

    /// <summary>
    /// Updates <paramref name="parameter"/> on two cores and returns true, or returns false (having done
    /// nothing) when it is too small or the second core is busy.
    /// </summary>
    public static bool TryRun(Optimizer<T> optimizer, Parameter<T> parameter, OptimizerState<T> state, T learningRate)
    {
        int length = parameter.Length;
        if (length < MinimumLength || !SecondCore.Exists || !SecondCore.TryReserve())
        {
            return false;
        }

        int split = SplitPoint(length);
        SharedUpdate<T> job = Job;
        (job._optimizer, job._parameter, job._learningRate, job._split) = (optimizer, parameter, learningRate, split);
        job._state = state.Part(split, second: true);
        OptimizerState<T> first = state.Part(split, second: false);
        SecondCore.Start(job);
        try
        {
            optimizer.UpdatePart(parameter.Values[..split], parameter.Gradients[..split], first, learningRate);
        }
        finally
        {
            SecondCore.Wait();
            (job._optimizer, job._parameter, job._state) = (null, null, null); // keep nothing of the caller's alive
        }

        return true;
    }

    /// <summary>Updates the second half (on the helper thread).</summary>
    public override void Execute()
        => _optimizer!.UpdatePart(_parameter!.Values[_split..], _parameter.Gradients[_split..], _state!, _learningRate);
}
