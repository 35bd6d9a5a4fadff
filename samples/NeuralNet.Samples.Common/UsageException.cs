namespace NeuralNet.Samples;

/// <summary>
/// A problem the person running a sample can fix: a bad option, a missing data set. The sample prints
/// its message on one line and exits with code 2 (<see cref="SampleApp.UsageExitCode"/>).
/// </summary>
public sealed class UsageException : Exception
{
    /// <summary>Creates the exception with the message to print.</summary>
    /// <param name="message">One line that says what is wrong and how to fix it.</param>
    public UsageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with an empty message (prefer the message overload).</summary>
    public UsageException()
        : base("invalid usage")
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">One line that says what is wrong and how to fix it.</param>
    /// <param name="innerException">The underlying error.</param>
    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
