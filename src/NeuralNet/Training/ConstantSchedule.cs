namespace NeuralNet.Training;

/// <summary>A constant learning rate: <c>η_e = η₀</c> (the default when no schedule is given).</summary>
public sealed class ConstantSchedule : LearningRateSchedule
{
    /// <inheritdoc />
    public override double LearningRate(int epoch, double initialLearningRate) => initialLearningRate; // η_e = η₀
}
