namespace NeuralNet.Training;

/// <summary>
/// Training produced a loss or weights that are not finite (NaN or ±∞), usually from a learning rate
/// that is too high. The network keeps the last finite weights it had; the optimizer's state
/// (momentum, moments) may hold the bad step, so call <c>Reset</c> on it before training again.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public TrainingDivergedException()
        : base("training diverged: the loss or the weights became NaN or infinite.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public TrainingDivergedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public TrainingDivergedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a batch.</summary>
    /// <param name="epoch">The epoch, from 1.</param>
    /// <param name="batch">The batch within the epoch, from 1.</param>
    /// <param name="loss">The loss of that batch.</param>
    /// <param name="message">The message.</param>
    public TrainingDivergedException(int epoch, int batch, double loss, string message)
        : base(message)
    {
        Epoch = epoch;
        Batch = batch;
        Loss = loss;
    }

    /// <summary>The epoch in which training diverged, from 1 (0 when unknown).</summary>
    public int Epoch { get; }

    /// <summary>The batch within that epoch, from 1 (0 when unknown).</summary>
    public int Batch { get; }

    /// <summary>The loss of that batch (NaN or infinite when the loss itself diverged).</summary>
    public double Loss { get; }
}
