namespace NeuralNet.Training;

/// <summary>Exponential decay: the rate is multiplied by γ every epoch, <c>η_e = η₀·γ^e</c> (PyTorch's <c>ExponentialLR</c>).</summary>
public sealed class ExponentialDecaySchedule : LearningRateSchedule
{
    /// <summary>Creates an exponential decay.</summary>
    /// <param name="gamma">γ in (0, 1], e.g. 0.95.</param>
    public ExponentialDecaySchedule(double gamma) => Gamma = Check(gamma, 0, 1, false, true, nameof(gamma));

    /// <summary>γ, the factor applied each epoch.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    public override double LearningRate(int epoch, double initialLearningRate) => initialLearningRate * Math.Pow(Gamma, epoch); // η₀·γ^e
}
