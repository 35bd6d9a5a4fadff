using System.Diagnostics;
using System.Numerics;
using NeuralNet.Kernels;

namespace NeuralNet.Training;

using MathNet.Numerics.LinearAlgebra;

/// <summary>Ends an epoch: the validation data's loss and metrics (evaluation mode), chunk by chunk, and the epoch's record.</summary>
internal sealed class ValidationPass<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly Trainer<T> _trainer;
    private readonly EpochData<T> _data;
    private Matrix<T>? _output;

    public ValidationPass(Trainer<T> trainer, EpochData<T> data)
    {
        _trainer = trainer;
        _data = data;
    }

    /// <summary>The epoch's record: <paramref name="metrics"/> hold the training batches' totals, read before they measure the validation data.</summary>
    public EpochRecord Record(int epoch, double learningRate, double trainingLoss, MetricSet<T> metrics, Stopwatch clock, TimeSpan epochStart)
    {
        double? validationLoss = null;
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        metrics.WriteResults(values);
        if (_data.HasValidation)
        {
            metrics.Reset();
            double lossSum = 0, single = 0;
            long rows = 0, chunks = 0;
            foreach ((Matrix<T> inputs, Matrix<T> targets) in _data.ValidationChunks())
            {
                if (_output is null || _output.RowCount != inputs.RowCount)
                {
                    _output = Matrix<T>.Build.Dense(inputs.RowCount, _trainer.Network.OutputSize); // once in memory; per chunk size when streamed
                }

                _trainer.Network.Predict(inputs, _output);
                ReadOnlySpan<T> output = DenseStorage.Of(_output), target = DenseStorage.Of(targets);
                single = double.CreateChecked(_trainer.Loss.Value(output, target, default, inputs.RowCount, _output.ColumnCount));
                (lossSum, rows, chunks) = (lossSum + (single * inputs.RowCount), rows + inputs.RowCount, chunks + 1);
                metrics.Add(output, target, inputs.RowCount, _output.ColumnCount, targets.ColumnCount);
            }

            validationLoss = chunks == 1 ? single : lossSum / rows; // one chunk: its mean loss as it is
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
