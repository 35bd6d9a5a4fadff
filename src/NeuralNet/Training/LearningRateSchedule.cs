namespace NeuralNet.Training;

/// <summary>
/// How the learning rate changes from epoch to epoch. The trainer asks for the rate at the start of
/// each epoch and sets it on the optimizer; the initial rate η₀ is the optimizer's
/// <c>LearningRate</c> when training starts.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate for <paramref name="epoch"/>.</summary>
    /// <param name="epoch">The epoch, from 0.</param>
    /// <param name="initialLearningRate">η₀, the optimizer's rate when training started.</param>
    public abstract double LearningRate(int epoch, double initialLearningRate);

    /// <summary>Called by the trainer after each epoch; schedules that react to the metrics (plateau) override it.</summary>
    /// <param name="record">The epoch just completed.</param>
    public virtual void EpochCompleted(EpochRecord record)
    {
    }

    /// <summary>
    /// Called by the trainer when a run starts or continues, before <see cref="Reset"/> or
    /// <see cref="RestoreState"/>, with the run's metrics (the history's columns) and whether it has
    /// validation data: a schedule that watches a column learns its direction here.
    /// </summary>
    internal virtual void Begin(IReadOnlyList<Metrics.Metric> metrics, bool hasValidation)
    {
    }

    /// <summary>Forgets what was learnt from earlier epochs; the trainer calls it when training starts.</summary>
    public virtual void Reset()
    {
    }

    /// <summary>What the schedule has learnt from earlier epochs, as numbers (empty for a schedule that is a function of the epoch alone), to save with a training checkpoint.</summary>
    internal virtual double[] SaveState() => [];

    /// <summary>Puts back what <see cref="SaveState"/> returned; throws <see cref="ArgumentException"/> when it does not fit.</summary>
    internal virtual void RestoreState(ReadOnlySpan<double> state)
    {
        if (!state.IsEmpty)
        {
            throw new ArgumentException($"the schedule {GetType().Name} keeps no state (received {state.Length} numbers).", nameof(state));
        }
    }

    /// <summary>Checks a constructor argument that must be finite and in a range.</summary>
    internal static double Check(double value, double min, double max, bool minInclusive, bool maxInclusive, string parameterName)
    {
        bool ok = double.IsFinite(value)
            && (minInclusive ? value >= min : value > min)
            && (maxInclusive ? value <= max : value < max);
        string range = $"{(minInclusive ? "[" : "(")}{min}, {(double.IsPositiveInfinity(max) ? "∞" : max.ToString(System.Globalization.CultureInfo.InvariantCulture))}{(maxInclusive ? "]" : ")")}";
        return ok ? value : throw new ArgumentOutOfRangeException(parameterName, value, $"{parameterName} must be in {range} (received {value}).");
    }
}
