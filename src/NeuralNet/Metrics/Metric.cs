namespace NeuralNet.Metrics;

/// <summary>
/// A quantity measured on a network's outputs against the targets, batch by batch (Keras's
/// <c>Metric</c>): <see cref="Reset"/> starts a pass, <see cref="Update"/> adds a batch,
/// <see cref="Result"/> gives the value of the pass. The trainer measures each metric of
/// <c>TrainingOptions.Metrics</c> every epoch on the training batches (as they were trained) and on the
/// validation data, recording them in the <c>EpochRecord</c> and the history as <see cref="Name"/> and
/// <c>val_</c> + <see cref="Name"/>; <c>Trainer.Evaluate</c> measures them on any data.
/// </summary>
/// <remarks>
/// <para>Write your own by deriving from this class: keep running totals in fields, clear them in
/// <see cref="Reset"/>, add to them in <see cref="Update"/> (which runs once per training batch: keep it
/// free of allocation once your buffers exist) and compute the value in <see cref="Result"/>.
/// Override <see cref="Mismatch"/> to refuse, before training, a network or loss it does not apply to.</para>
/// <para>A metric object holds the running totals of one pass at a time: the training and validation
/// passes of a run use it one after the other. Do not give one object to two trainers that run at once.</para>
/// </remarks>
public abstract class Metric
{
    /// <summary>The column name in the history (e.g. <c>accuracy</c>); validation values are recorded as <c>val_</c> + this name. Unique within a run.</summary>
    public abstract string Name { get; }

    /// <summary>Whether a higher value is better (accuracy, R²) rather than a lower one (errors); default true.</summary>
    public virtual bool HigherIsBetter => true;

    /// <summary>Whether the metric reads class labels (<see cref="MetricBatch.PredictedClasses"/>, <see cref="MetricBatch.ActualClasses"/>), so needs a classification loss; default false.</summary>
    public virtual bool NeedsClasses => false;

    /// <summary>Starts a new pass: clears the running totals.</summary>
    public abstract void Reset();

    /// <summary>Adds a batch of outputs and targets to the running totals.</summary>
    /// <param name="batch">The batch: outputs, targets and, for a classifier, the predicted and actual classes.</param>
    public abstract void Update(in MetricBatch batch);

    /// <summary>The value over every batch added since <see cref="Reset"/> (NaN when it is undefined, e.g. nothing added).</summary>
    public abstract double Result();

    /// <summary>
    /// Why this metric cannot be measured on a network with <paramref name="outputs"/> outputs trained
    /// with a classification (<paramref name="classifier"/> true) or regression loss, or null when it can.
    /// The trainer throws <see cref="ArgumentException"/> with this reason before training. The base
    /// refuses a metric that <see cref="NeedsClasses"/> on a regression loss.
    /// </summary>
    /// <param name="outputs">The network's outputs.</param>
    /// <param name="classifier">Whether the loss is a classification loss (categorical or binary cross-entropy).</param>
    public virtual string? Mismatch(int outputs, bool classifier)
        => NeedsClasses && !classifier ? $"the metric '{Name}' measures classes, which a regression loss does not give: use it with CategoricalCrossEntropy or BinaryCrossEntropy, or choose mae, rmse or r2" : null;

    /// <summary>The name, for printing.</summary>
    public override string ToString() => Name;
}
