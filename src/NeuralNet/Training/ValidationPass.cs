using System.Diagnostics;
using System.Numerics;
using NeuralNet.Kernels;

namespace NeuralNet.Training;

using MathNet.Numerics.LinearAlgebra;

/// <summary>Ends an epoch: the validation data's loss and metrics (evaluation mode), and the epoch's record.</summary>
internal sealed class ValidationPass<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly Trainer<T> _trainer;
    private readonly TrainingSet<T> _set;
    private readonly Matrix<T>? _output;

    public ValidationPass(Trainer<T> trainer, TrainingSet<T> set)
    {
        _trainer = trainer;
        _set = set;
        _output = set.ValidationInputs is null ? null : Matrix<T>.Build.Dense(set.ValidationInputs.RowCount, trainer.Network.OutputSize);
    }

    /// <summary>The epoch's record: <paramref name="metrics"/> hold the training batches' totals, read before they measure the validation data.</summary>
    public EpochRecord Record(int epoch, double learningRate, double trainingLoss, MetricSet<T> metrics, Stopwatch clock, TimeSpan epochStart)
    {
        double? validationLoss = null;
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        metrics.WriteResults(values);
        if (_set.ValidationInputs is not null && _output is not null)
        {
            _trainer.Network.Predict(_set.ValidationInputs, _output);
            ReadOnlySpan<T> output = DenseStorage.Of(_output), target = DenseStorage.Of(_set.ValidationTargets!);
            int rows = _output.RowCount;
            validationLoss = double.CreateChecked(_trainer.Loss.Value(output, target, default, rows, _output.ColumnCount));
            metrics.Reset();
            metrics.Add(output, target, rows, _output.ColumnCount, _set.ValidationTargets!.ColumnCount);
            metrics.WriteResults(values, "val_");
        }

        return Make(epoch, learningRate, trainingLoss, validationLoss, values, clock.Elapsed - epochStart, clock.Elapsed);
    }

    /// <summary>A record with <paramref name="metrics"/> (by column name), the accuracy, RMSE and R² properties filled from those names.</summary>
    internal static EpochRecord Make(int epoch, double learningRate, double trainingLoss, double? validationLoss, Dictionary<string, double> metrics, TimeSpan duration, TimeSpan elapsed)
    {
        double? Get(string name) => metrics.TryGetValue(name, out double v) ? v : null;
        return new EpochRecord
        {
            Epoch = epoch,
            LearningRate = learningRate,
            TrainingLoss = trainingLoss,
            TrainingAccuracy = Get("accuracy"),
            TrainingRmse = Get("rmse"),
            TrainingRSquared = Get("r2"),
            ValidationLoss = validationLoss,
            ValidationAccuracy = Get("val_accuracy"),
            ValidationRmse = Get("val_rmse"),
            ValidationRSquared = Get("val_r2"),
            Metrics = metrics,
            Duration = duration,
            Elapsed = elapsed,
        };
    }
}
