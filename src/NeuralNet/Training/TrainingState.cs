using System.Numerics;

namespace NeuralNet.Training;

/// <summary>
/// Where a training run stands after its last completed epoch, beyond the network's weights and the
/// optimizer's state: what a <see cref="Trainer{T}"/> needs to continue exactly as if it had never
/// stopped. <see cref="Trainer{T}.State"/> holds it after every <c>Fit</c>; a checkpoint saved with
/// <c>NetworkSerializer.Save(network, path, optimizer, state)</c> carries it in the model file.
/// </summary>
/// <remarks>
/// It holds: the epochs done; η₀, the learning rate the run started from; the schedule's own state
/// (the plateau schedule's reductions, best value, counters); the early-stopping record (best value
/// and epoch, epochs without improvement, the best weights when they are to be restored); the rows
/// held out by <see cref="TrainingOptions.ValidationSplit"/>; the state of each callback of
/// <see cref="Trainer{T}.Callbacks"/> that keeps one (<see cref="ModelCheckpoint{T}"/>'s best value, a
/// callback of your own through <see cref="TrainingCallback{T}.SaveState"/>); the position of
/// <see cref="TrainingOptions.Random"/> when the run shuffled from a source of its own (the network's
/// own source is saved with the network); and, when the run ended by putting back the best weights,
/// the weights of its last epoch, from which training continues.
/// </remarks>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class TrainingState<T>
    where T : struct, IFloatingPointIeee754<T>
{
    internal TrainingState(
        int epochsDone, double initialLearningRate, double[] scheduleState, EarlyStoppingRecord? earlyStopping,
        int[]? validationRows, (ulong, ulong, ulong, ulong, double?)? shuffleRandom, T[][]? bestWeights, T[][]? lastEpochWeights,
        IReadOnlyList<CallbackState>? callbacks = null)
    {
        Callbacks = callbacks ?? [];
        EpochsDone = epochsDone;
        InitialLearningRate = initialLearningRate;
        ScheduleState = scheduleState;
        EarlyStopping = earlyStopping;
        ValidationRows = validationRows;
        ShuffleRandom = shuffleRandom;
        BestWeights = bestWeights;
        LastEpochWeights = lastEpochWeights;
    }

    /// <summary>The epochs completed so far in this run; the next <c>Fit</c> starts at epoch <c>EpochsDone + 1</c>.</summary>
    public int EpochsDone { get; }

    /// <summary>η₀: the optimizer's learning rate when the run started, from which the schedule computes every epoch's rate.</summary>
    public double InitialLearningRate { get; }

    /// <summary>The schedule's own state (empty for the schedules that are a function of the epoch alone).</summary>
    internal double[] ScheduleState { get; }

    /// <summary>The early-stopping record, or null when the run had no early stopping.</summary>
    internal EarlyStoppingRecord? EarlyStopping { get; }

    /// <summary>The training rows held out for validation by the split, ascending; null when no split was drawn.</summary>
    internal int[]? ValidationRows { get; }

    /// <summary>The position of <see cref="TrainingOptions.Random"/>, or null when the run shuffled from the network's own source.</summary>
    internal (ulong S0, ulong S1, ulong S2, ulong S3, double? SpareGaussian)? ShuffleRandom { get; }

    /// <summary>The best epoch's weights (one array per network parameter, then one per layer state tensor: running statistics), when they are to be restored at the end.</summary>
    internal T[][]? BestWeights { get; }

    /// <summary>The weights (and layer state, as <see cref="BestWeights"/>) after the last epoch when the run ended by putting the best ones back; training continues from these.</summary>
    internal T[][]? LastEpochWeights { get; }

    /// <summary>The states of the trainer's own callbacks that keep one (<see cref="TrainingCallback{T}.SaveState"/>), by their place in <see cref="Trainer{T}.Callbacks"/>.</summary>
    internal IReadOnlyList<CallbackState> Callbacks { get; }

    /// <summary>A callback's saved state: its index in <see cref="Trainer{T}.Callbacks"/>, its type's name, its numbers.</summary>
    internal sealed record CallbackState(int Index, string Type, double[] Values);

    /// <summary>The early-stopping counters: the best monitored value (as "lower is better"), its epoch, the epochs since.</summary>
    internal readonly record struct EarlyStoppingRecord(double BestValue, int BestEpoch, int EpochsWithoutImprovement);
}
