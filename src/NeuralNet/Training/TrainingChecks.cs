using System.Numerics;

namespace NeuralNet.Training;

/// <summary>
/// The checks of a run's settings that need the whole run in view (a continued run's saved state, the
/// callbacks, the monitored metrics), made before anything changes, in memory and streamed alike.
/// </summary>
internal static class TrainingChecks<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>Checks that a saved state fits this network and data before a continued run changes anything.</summary>
    internal static void CheckResumable(TrainingState<T>? state, Network<T> network, TrainingOptions options, bool split, int heldOut, int rows, string inputs)
    {
        if (state is null)
        {
            return;
        }

        const string Fix = "set Trainer.State to null to start a new run";
        if (split && state.ValidationRows is { } saved && (saved.Length != heldOut || saved.Any(r => r >= rows)))
        {
            throw new ArgumentException($"the run being continued held out {saved.Length} validation rows of its data; this data ({rows} rows, split {options.ValidationSplit}) is not that data: pass the same training data, or {Fix}.", inputs);
        }

        foreach (T[][]? weights in new[] { state.BestWeights, state.LastEpochWeights })
        {
            if (weights is not null && !network.FitsWeightSet(weights))
            {
                throw new ArgumentException($"the training state holds weights for another network ({weights.Length} parameters; this network has {network.Parameters.Count}): {Fix}.", nameof(state));
            }
        }

        if (state.ShuffleRandom is not null && options.Random is null)
        {
            throw new ArgumentException($"the run being continued shuffled from TrainingOptions.Random: set a RandomSource there to continue its sequence, or {Fix}.", nameof(options));
        }

        try
        {
            if (options.Schedule is { } schedule)
            {
                double[] keep = schedule.SaveState(); // try the saved state on, then put the schedule back: Run restores it for real
                schedule.RestoreState(state.ScheduleState);
                schedule.RestoreState(keep);
            }
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"the training state does not fit the schedule {options.Schedule!.GetType().Name}: {e.Message} ({Fix}).", nameof(options), e);
        }
    }

    /// <summary>No null callback, one early stopping per run, and every monitored metric recorded by the run (in memory or streamed).</summary>
    internal static void CheckCallbacksAndMonitors(Trainer<T> trainer, bool hasValidation, IReadOnlyList<Metrics.Metric> metrics, string optionsName)
    {
        const string callbacksName = nameof(trainer.Callbacks);
        CheckCallbacks(trainer, callbacksName);
        foreach (EarlyStoppingCallback<T> early in trainer.Callbacks.OfType<EarlyStoppingCallback<T>>())
        {
            CheckMonitor(early.Settings, hasValidation, trainer.IsClassifier, metrics, callbacksName);
        }

        foreach (ModelCheckpoint<T> checkpoint in trainer.Callbacks.OfType<ModelCheckpoint<T>>())
        {
            CheckColumn(checkpoint.MonitorName ?? (checkpoint.Monitor is { } metric ? MonitoredColumn.Of(metric) : null), hasValidation, metrics, callbacksName, nameof(ModelCheckpoint<T>));
        }

        if (trainer.Options.EarlyStopping is { } settings)
        {
            CheckMonitor(settings, hasValidation, trainer.IsClassifier, metrics, optionsName);
        }

        if (trainer.Options.Schedule is ReduceOnPlateauSchedule plateau)
        {
            CheckMonitor(plateau.Monitor, hasValidation, trainer.IsClassifier, optionsName);
            CheckColumn(plateau.Column(hasValidation), hasValidation, metrics, optionsName, nameof(ReduceOnPlateauSchedule));
        }
    }

    private static void CheckMonitor(EarlyStopping settings, bool hasValidation, bool classifier, IReadOnlyList<Metrics.Metric> metrics, string paramName)
    {
        if (settings.Monitor is not null && settings.MonitorName is not null)
        {
            throw new ArgumentException($"early stopping monitors one column: set Monitor ({settings.Monitor}) or MonitorName ('{settings.MonitorName}'), not both.", paramName);
        }

        CheckMonitor(settings.Monitor, hasValidation, classifier, paramName);
        CheckColumn(settings.MonitorName ?? (settings.Monitor is { } metric ? MonitoredColumn.Of(metric) : null), hasValidation, metrics, paramName, "early stopping");
    }

    /// <summary>Refuses a monitored column the run does not record (a metric not chosen, or a validation column without validation data), naming the columns it does.</summary>
    private static void CheckColumn(string? column, bool hasValidation, IReadOnlyList<Metrics.Metric> metrics, string paramName, string who)
    {
        if (column is not null && MonitoredColumn.HigherIsBetter(column, metrics, hasValidation) is null)
        {
            string names = string.Join(", ", metrics.Select(m => m.Name).Prepend("loss"));
            throw new ArgumentException($"{who}: the monitored column '{column}' is not recorded by this run: it records {names}{(hasValidation ? ", and val_ + each" : " (and val_ + each with validation data)")}.", paramName);
        }
    }

    private static void CheckCallbacks(Trainer<T> trainer, string callbacksName)
    {
        IList<TrainingCallback<T>> callbacks = trainer.Callbacks;
        if (callbacks.Any(c => c is null))
        {
            throw new ArgumentException("Trainer.Callbacks must not hold null.", callbacksName);
        }

        int earlyStoppings = callbacks.OfType<EarlyStoppingCallback<T>>().Count() + (trainer.Options.EarlyStopping is null ? 0 : 1);
        if (earlyStoppings > 1)
        {
            throw new ArgumentException($"a run takes one early stopping (received {earlyStoppings}: TrainingOptions.EarlyStopping and EarlyStoppingCallback in Trainer.Callbacks count alike); keep one.", callbacksName);
        }
    }

    private static void CheckMonitor(TrainingMetric? monitor, bool hasValidation, bool classifier, string options)
    {
        if (monitor is null or TrainingMetric.TrainingLoss)
        {
            return;
        }

        if (!hasValidation)
        {
            throw new ArgumentException($"the monitored metric {monitor} needs validation data: pass it to Fit or set ValidationSplit.", options);
        }

        bool classification = monitor == TrainingMetric.ValidationAccuracy;
        bool regression = monitor is TrainingMetric.ValidationRmse or TrainingMetric.ValidationRSquared;
        if ((classification && !classifier) || (regression && classifier))
        {
            throw new ArgumentException($"the monitored metric {monitor} is not recorded for a {(classifier ? "classification" : "regression")} loss.", options);
        }
    }
}
