using System.Numerics;

namespace NeuralNet.Training;

/// <summary>
/// <see cref="TrainingOptions.EarlyStopping"/> as a callback: after each epoch, compares the monitored
/// metric with the best so far (as "lower is better"); after <see cref="EarlyStopping.Patience"/> epochs
/// without an improvement larger than <see cref="EarlyStopping.MinDelta"/> it stops the run; at the end
/// it puts back the best epoch's weights if asked. Its record is part of the trainer's state, so a
/// continued run goes on counting.
/// </summary>
internal sealed class EarlyStoppingCallback<T>(EarlyStopping settings) : TrainingCallback<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private ParameterSnapshot<T>? _best;
    private TrainingMetric _monitor;
    private double _bestValue;
    private int _bestEpoch, _epochsWithoutImprovement;

    /// <summary>The epoch with the best monitored value (0 before any).</summary>
    public int BestEpoch => _bestEpoch;

    /// <summary>The weights after the last epoch, kept when the run ended by putting the best ones back.</summary>
    public T[][]? LastEpochWeights { get; private set; }

    public TrainingState<T>.EarlyStoppingRecord Record => new(_bestValue, _bestEpoch, _epochsWithoutImprovement);

    public T[][]? BestWeights => _best?.Clone();

    public override void OnTrainBegin(TrainingContext<T> context)
    {
        _monitor = settings.Monitor ?? (context.HasValidation ? TrainingMetric.ValidationLoss : TrainingMetric.TrainingLoss);
        _best = settings.RestoreBestWeights ? new ParameterSnapshot<T>(context.Network.Parameters) : null;
        var saved = context.Resumed?.EarlyStopping ?? new TrainingState<T>.EarlyStoppingRecord(double.PositiveInfinity, 0, 0);
        (_bestValue, _bestEpoch, _epochsWithoutImprovement) = (saved.BestValue, saved.BestEpoch, saved.EpochsWithoutImprovement);
        if (context.Resumed?.BestWeights is { } weights)
        {
            _best?.Load(weights);
        }

        LastEpochWeights = null;
        context.BestEpoch = _bestEpoch;
    }

    public override void OnEpochEnd(TrainingContext<T> context)
    {
        double value = (EpochRecord.HigherIsBetter(_monitor) ? -1 : 1) * context.Record!.Value(_monitor)!.Value; // compared as "lower is better"
        if (!double.IsNaN(value) && (_bestEpoch == 0 || value < _bestValue - settings.MinDelta))
        {
            (_bestValue, _bestEpoch, _epochsWithoutImprovement) = (value, context.Epoch, 0);
            _best?.Capture();
        }
        else if (++_epochsWithoutImprovement >= settings.Patience)
        {
            context.Stop(StopReason.EarlyStopping);
        }

        context.BestEpoch = _bestEpoch;
    }

    public override void OnTrainEnd(TrainingContext<T> context)
    {
        int lastCompleted = context.Record?.Epoch ?? context.Resumed?.EpochsDone ?? 0;
        if (_best is not null && _bestEpoch > 0 && _bestEpoch != lastCompleted)
        {
            var current = new ParameterSnapshot<T>(context.Network.Parameters);
            current.Capture();
            LastEpochWeights = current.Copies; // a continued run goes on from here, not from the best weights
            _best.Restore();
        }
    }
}
