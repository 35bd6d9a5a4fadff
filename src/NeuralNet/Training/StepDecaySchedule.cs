namespace NeuralNet.Training;

/// <summary>Step decay: the rate is multiplied by γ every <c>s</c> epochs, <c>η_e = η₀·γ^⌊e/s⌋</c> (PyTorch's <c>StepLR</c>).</summary>
public sealed class StepDecaySchedule : LearningRateSchedule
{
    /// <summary>Creates a step decay.</summary>
    /// <param name="stepSize">s ≥ 1, epochs between decays.</param>
    /// <param name="gamma">γ in (0, 1], the factor at each decay; default 0.1.</param>
    public StepDecaySchedule(int stepSize, double gamma = 0.1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stepSize, 1);
        StepSize = stepSize;
        Gamma = Check(gamma, 0, 1, false, true, nameof(gamma));
    }

    /// <summary>s, the epochs between decays.</summary>
    public int StepSize { get; }

    /// <summary>γ, the factor applied at each decay.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    public override double LearningRate(int epoch, double initialLearningRate) => initialLearningRate * Math.Pow(Gamma, epoch / StepSize); // η₀·γ^⌊e/s⌋
}
