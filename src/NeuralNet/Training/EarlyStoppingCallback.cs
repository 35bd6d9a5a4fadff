using System.Numerics;

namespace NeuralNet.Training;

/// <summary>
/// Early stopping as a callback (Keras's <c>EarlyStopping</c>): after each epoch, compares the monitored
/// metric with the best so far (as "lower is better"); after <see cref="EarlyStopping.Patience"/> epochs
/// without an improvement larger than <see cref="EarlyStopping.MinDelta"/> it stops the run with
/// <see cref="StopReason.EarlyStopping"/>; at the end it puts back the best epoch's weights if asked.
/// <see cref="TrainingOptions.EarlyStopping"/> adds one of these; add one to
/// <see cref="Trainer{T}.Callbacks"/> yourself instead to place it among your callbacks (a trainer takes
/// one early stopping, from either place).
/// </summary>
/// <remarks>Its record (best value and epoch, epochs without improvement, the best weights) is part of
/// <see cref="Trainer{T}.State"/> and of a checkpoint's trainer state, so a continued run goes on counting
/// as if it had never stopped; <see cref="TrainingHistory.BestEpoch"/> reports its best epoch.</remarks>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class EarlyStoppingCallback<T> : TrainingCallback<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly EarlyStopping _settings;
    private ParameterSnapshot<T>? _best;
    private string _monitor = "loss";
    private bool _higherIsBetter;
    private double _bestValue;
    private int _bestEpoch, _epochsWithoutImprovement;

    /// <summary>Creates the callback.</summary>
    /// <param name="settings">What to monitor, the patience, the smallest improvement, and whether to restore the best weights.</param>
    public EarlyStoppingCallback(EarlyStopping settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
    }

    /// <summary>The settings.</summary>
    public EarlyStopping Settings => _settings;

    /// <summary>The epoch with the best monitored value so far in the run (0 before any).</summary>
    public int BestEpoch => _bestEpoch;

    /// <summary>The weights after the last epoch, kept when the run ended by putting the best ones back.</summary>
    internal T[][]? LastEpochWeights { get; private set; }

    internal TrainingState<T>.EarlyStoppingRecord Record => new(_bestValue, _bestEpoch, _epochsWithoutImprovement);

    internal T[][]? BestWeights => _best?.Clone();

    /// <inheritdoc />
    public override void OnTrainBegin(TrainingContext<T> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _monitor = _settings.MonitorName ?? MonitoredColumn.Of(_settings.Monitor ?? (context.HasValidation ? TrainingMetric.ValidationLoss : TrainingMetric.TrainingLoss));
        _higherIsBetter = context.HigherIsBetter(_monitor, "early stopping");
        _best = _settings.RestoreBestWeights ? new ParameterSnapshot<T>(context.Network.WeightsAndState) : null; // running statistics too
        var saved = context.Resumed?.EarlyStopping ?? new TrainingState<T>.EarlyStoppingRecord(double.PositiveInfinity, 0, 0);
        (_bestValue, _bestEpoch, _epochsWithoutImprovement) = (saved.BestValue, saved.BestEpoch, saved.EpochsWithoutImprovement);
        if (context.Resumed?.BestWeights is { } weights)
        {
            _best?.Load(weights);
        }

        LastEpochWeights = null;
        context.BestEpoch = _bestEpoch;
    }

    /// <inheritdoc />
    public override void OnEpochEnd(TrainingContext<T> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        double value = (_higherIsBetter ? -1 : 1) * context.Record!.Value(_monitor)!.Value; // compared as "lower is better"
        if (!double.IsNaN(value) && (_bestEpoch == 0 || value < _bestValue - _settings.MinDelta))
        {
            (_bestValue, _bestEpoch, _epochsWithoutImprovement) = (value, context.Epoch, 0);
            _best?.Capture();
        }
        else if (++_epochsWithoutImprovement >= _settings.Patience)
        {
            context.Stop(StopReason.EarlyStopping);
        }

        context.BestEpoch = _bestEpoch;
    }

    /// <inheritdoc />
    public override void OnTrainEnd(TrainingContext<T> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        int lastCompleted = context.Record?.Epoch ?? context.Resumed?.EpochsDone ?? 0;
        if (_best is not null && _bestEpoch > 0 && _bestEpoch != lastCompleted)
        {
            var current = new ParameterSnapshot<T>(context.Network.WeightsAndState);
            current.Capture();
            LastEpochWeights = current.Copies; // a continued run goes on from here, not from the best weights
            _best.Restore();
        }
    }
}
