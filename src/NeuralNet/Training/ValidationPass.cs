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
    private readonly MetricAccumulator<T>? _metrics;
    private readonly Matrix<T>? _output;

    public ValidationPass(Trainer<T> trainer, TrainingSet<T> set)
    {
        _trainer = trainer;
        _set = set;
        _metrics = set.ValidationMetrics();
        _output = set.ValidationInputs is null ? null : Matrix<T>.Build.Dense(set.ValidationInputs.RowCount, trainer.Network.OutputSize);
    }

    public EpochRecord Record(int epoch, double learningRate, double trainingLoss, MetricAccumulator<T> training, Stopwatch clock, TimeSpan epochStart)
    {
        double? validationLoss = null;
        if (_set.ValidationInputs is not null && _output is not null && _metrics is not null)
        {
            _trainer.Network.Predict(_set.ValidationInputs, _output);
            ReadOnlySpan<T> output = DenseStorage.Of(_output), target = DenseStorage.Of(_set.ValidationTargets!);
            int rows = _output.RowCount;
            validationLoss = double.CreateChecked(_trainer.Loss.Value(output, target, default, rows, _output.ColumnCount));
            _metrics.Reset();
            _metrics.Add(output, target, rows, _output.ColumnCount, _set.ValidationTargets!.ColumnCount);
        }

        return new EpochRecord
        {
            Epoch = epoch,
            LearningRate = learningRate,
            TrainingLoss = trainingLoss,
            TrainingAccuracy = training.Accuracy,
            TrainingRmse = training.Rmse,
            TrainingRSquared = training.RSquared,
            ValidationLoss = validationLoss,
            ValidationAccuracy = _metrics?.Accuracy,
            ValidationRmse = _metrics?.Rmse,
            ValidationRSquared = _metrics?.RSquared,
            Duration = clock.Elapsed - epochStart,
            Elapsed = clock.Elapsed,
        };
    }
}
