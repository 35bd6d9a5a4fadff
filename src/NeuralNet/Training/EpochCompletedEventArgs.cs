namespace NeuralNet.Training;

/// <summary>The data of <see cref="Trainer{T}.EpochCompleted"/>: the epoch's record, and a way to stop training.</summary>
public sealed class EpochCompletedEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    /// <param name="record">The epoch just completed.</param>
    public EpochCompletedEventArgs(EpochRecord record) => Record = record ?? throw new ArgumentNullException(nameof(record));

    /// <summary>The epoch just completed.</summary>
    public EpochRecord Record { get; }

    /// <summary>Set to true to end training after this epoch (<see cref="StopReason.StoppedByCallback"/>).</summary>
    public bool Stop { get; set; }
}
