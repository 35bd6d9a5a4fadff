namespace NeuralNet.Training;

/// <summary>Why a training run ended.</summary>
public enum StopReason
{
    /// <summary>All <see cref="TrainingOptions.Epochs"/> epochs ran.</summary>
    MaxEpochs,

    /// <summary>The monitored metric stopped improving for <see cref="EarlyStopping.Patience"/> epochs.</summary>
    EarlyStopping,

    /// <summary>The epoch's training loss fell to <see cref="TrainingOptions.TargetLoss"/> or below.</summary>
    TargetLossReached,

    /// <summary>An <see cref="Trainer{T}.EpochCompleted"/> handler set <see cref="EpochCompletedEventArgs.Stop"/>.</summary>
    StoppedByCallback,

    /// <summary>The cancellation token was cancelled; training stopped between two batches.</summary>
    Cancelled,
}
