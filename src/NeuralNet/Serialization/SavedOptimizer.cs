using System.Numerics;
using NeuralNet.Optimizers;

namespace NeuralNet.Serialization;

/// <summary>An optimizer as read from a file, before it is applied: its settings and every parameter's state.</summary>
internal sealed class SavedOptimizer<T>
    where T : struct, IFloatingPointIeee754<T>
{
    public required string Name { get; init; }

    public required double LearningRate { get; init; }

    public required double WeightDecay { get; init; }

    public required double? ClipNorm { get; init; }

    public required double? ClipValue { get; init; }

    /// <summary>The settings of one kind of optimizer (e.g. SGD's momentum), by name.</summary>
    public required IReadOnlyDictionary<string, double> HyperParameters { get; init; }

    public required long Iterations { get; init; }

    public required int SlotCount { get; init; }

    /// <summary>Per network parameter: null when it was never stepped, else its step count and slot arrays.</summary>
    public required (long Steps, T[][] Slots)?[] States { get; init; }

    /// <summary>
    /// Checks the saved state against what <paramref name="optimizer"/>'s update rule can have produced (e.g. Adam's
    /// second moments are averages of squares, never negative: a negative one turns every weight into NaN at the
    /// next step), before anything of <paramref name="optimizer"/> changes.
    /// </summary>
    public void CheckStateFor(Optimizer<T> optimizer)
    {
        for (int i = 0; i < States.Length; i++)
        {
            if (States[i] is not (_, T[][] slots))
            {
                continue;
            }

            if (optimizer.ImpossibleState(slots) is string impossible)
            {
                throw new InvalidDataException($"The saved {Name} optimizer's state of parameter {i} cannot come from training: {impossible}. The file is damaged.");
            }
        }
    }

    /// <summary>Writes the saved settings and state into <paramref name="optimizer"/>, replacing whatever it had.</summary>
    public void ApplyTo(Optimizer<T> optimizer, IReadOnlyList<Parameter<T>> parameters)
    {
        optimizer.Reset();
        optimizer.LearningRate = LearningRate;
        optimizer.WeightDecay = WeightDecay;
        optimizer.ClipNorm = ClipNorm;
        optimizer.ClipValue = ClipValue;
        for (int i = 0; i < parameters.Count; i++)
        {
            if (States[i] is not (long steps, T[][] slots))
            {
                continue;
            }

            var state = new OptimizerState<T>(SlotCount, parameters[i].Length) { Steps = steps };
            for (int s = 0; s < SlotCount; s++)
            {
                slots[s].CopyTo(state.Slot(s));
            }

            optimizer.RestoreState(parameters[i], state, Iterations);
        }
    }
}
