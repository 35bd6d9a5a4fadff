namespace NeuralNet.Training;

/// <summary>
/// Cosine annealing from η₀ down to η_min over T epochs, <c>η_e = η_min + (η₀ − η_min)·(1 + cos(π·e/T))/2</c>,
/// then η_min (PyTorch's <c>CosineAnnealingLR</c> without restarts). With η_min = 0, epochs from T on keep the rate of epoch T − 1, since a rate must be &gt; 0.
/// </summary>
public sealed class CosineAnnealingSchedule : LearningRateSchedule
{
    /// <summary>Creates a cosine annealing schedule.</summary>
    /// <param name="periodEpochs">T ≥ 1, the epochs to reach η_min (usually the number of epochs).</param>
    /// <param name="minLearningRate">η_min ≥ 0; default 0.</param>
    public CosineAnnealingSchedule(int periodEpochs, double minLearningRate = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(periodEpochs, 1);
        PeriodEpochs = periodEpochs;
        MinLearningRate = Check(minLearningRate, 0, double.PositiveInfinity, true, false, nameof(minLearningRate));
    }

    /// <summary>T, the epochs from η₀ to η_min.</summary>
    public int PeriodEpochs { get; }

    /// <summary>η_min, the final rate.</summary>
    public double MinLearningRate { get; }

    /// <inheritdoc />
    public override double LearningRate(int epoch, double initialLearningRate)
    {
        // The optimizer needs η > 0: with η_min = 0 the epochs from T on keep the rate of epoch T − 1.
        double e = Math.Min(epoch, MinLearningRate > 0 ? PeriodEpochs : PeriodEpochs - 1);
        return MinLearningRate + ((initialLearningRate - MinLearningRate) * (1 + Math.Cos(Math.PI * e / PeriodEpochs)) / 2); // η_min + (η₀ − η_min)(1 + cos(πe/T))/2
    }
}
