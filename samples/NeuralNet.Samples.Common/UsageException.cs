namespace NeuralNet.Samples;

/// <summary>
/// A problem the person running a sample can fix: a bad option, a missing data set. The sample prints
/// its message on one line and exits with code 2 (<see cref="SampleApp.UsageExitCode"/>).
/// </summary>
/// <param name="message">One line that says what is wrong and how to fix it.</param>
#pragma warning disable CA1032 // only the samples throw it, always with a message
public sealed class UsageException(string message) : Exception(message);
#pragma warning restore CA1032
