using System.Numerics;
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Kernels;

namespace NeuralNet.Pipelines;

/// <summary>
/// A deployable regressor: input preprocessing, the network, and the inverse of the target scaling it
/// was trained with, so <see cref="Predict(Table)"/> speaks in the target's own units. Made by
/// <see cref="MlpRegressor{T}"/>, or from a network trained layer by layer.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class RegressorPipeline<T> : ModelPipeline<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>Creates a regressor pipeline.</summary>
    /// <param name="network">The trained network, one output per target.</param>
    /// <param name="targetScaler">The scaler the targets were fitted with (its inverse turns outputs into target units); null when the targets were not scaled.</param>
    /// <param name="inputScaler">The fitted scaling of the numeric columns; null to pass them through.</param>
    /// <param name="columnNames">The raw input columns' names; null for <c>x0, x1, …</c>.</param>
    /// <param name="categories">Per input column, its one-hot encoder if categorical, else null; null when every column is numeric.</param>
    public RegressorPipeline(Network<T> network, FeatureScaler<T>? targetScaler = null, FeatureScaler<T>? inputScaler = null, IReadOnlyList<string>? columnNames = null, IReadOnlyList<OneHotEncoder?>? categories = null)
        : base(network, inputScaler, columnNames, categories)
    {
        if (targetScaler is not null && (!targetScaler.IsFitted || targetScaler.ColumnCount != network.OutputSize))
        {
            throw new ArgumentException($"targetScaler must be fitted on the network's {network.OutputSize} outputs (received {(targetScaler.IsFitted ? $"one fitted on {targetScaler.ColumnCount}" : "an unfitted one")}).", nameof(targetScaler));
        }

        TargetScaler = targetScaler;
    }

    /// <summary>The scaling the targets were trained with; null when they were not scaled.</summary>
    public FeatureScaler<T>? TargetScaler { get; }

    /// <summary>Every output of each row, in target units.</summary>
    /// <param name="rows">Raw rows with the pipeline's columns in order.</param>
    /// <returns><c>samples × outputs</c>.</returns>
    public Matrix<T> PredictOutputs(Table rows) => Outputs(Transform(rows));

    /// <summary>Every output of each row of the numeric columns, in target units.</summary>
    /// <param name="rows">The rows, <c>samples × <see cref="ModelPipeline{T}.NumericColumnCount"/></c>, finite.</param>
    /// <returns><c>samples × outputs</c>.</returns>
    public Matrix<T> PredictOutputs(Matrix<T> rows) => Outputs(Transform(rows));

    /// <summary>The prediction of each row (a network with one output), in target units.</summary>
    /// <param name="rows">Raw rows with the pipeline's columns in order.</param>
    public T[] Predict(Table rows) => Single(PredictOutputs(rows));

    /// <summary>The prediction of each row of the numeric columns (a network with one output), in target units.</summary>
    /// <param name="rows">The rows, <c>samples × <see cref="ModelPipeline{T}.NumericColumnCount"/></c>, finite.</param>
    public T[] Predict(Matrix<T> rows) => Single(PredictOutputs(rows));

    /// <summary>The prediction of each row, given as one array per sample (a network with one output), in target units.</summary>
    /// <param name="rows">One array of <see cref="ModelPipeline{T}.NumericColumnCount"/> finite values per sample.</param>
    public T[] Predict(T[][] rows) => Single(Outputs(Transform(rows)));

    /// <summary>The prediction of each row, given as a rectangular array (a network with one output), in target units.</summary>
    /// <param name="rows">The rows, <c>[samples, <see cref="ModelPipeline{T}.NumericColumnCount"/>]</c>, finite.</param>
    public T[] Predict(T[,] rows) => Single(Outputs(Transform(rows)));

    /// <summary>The outputs of one row, in target units, into a caller's span; allocates nothing once the calling thread has predicted one row.</summary>
    /// <param name="row">The row's <see cref="ModelPipeline{T}.NumericColumnCount"/> raw values.</param>
    /// <param name="output">Receives the network's outputs in target units.</param>
    public void Predict(ReadOnlySpan<T> row, Span<T> output)
    {
        if (output.Length != Network.OutputSize)
        {
            throw new ArgumentException($"output must have room for {Network.OutputSize} outputs (received {output.Length}).", nameof(output));
        }

        Span<T> x = InputRow();
        TransformRow(row, x, nameof(row));
        Network.Predict(x, output);
        TargetScaler?.InverseTransformRow(output);
    }

    /// <summary>The coefficient of determination R² of the predictions on labelled rows (1 is perfect, 0 is as good as predicting the mean).</summary>
    /// <param name="rows">Raw rows with the pipeline's columns in order.</param>
    /// <param name="targets">The true value of each row.</param>
    public double Score(Table rows, IReadOnlyList<T> targets) => RSquared(Predict(rows), targets);

    /// <summary>R² of the predictions on labelled rows of the numeric columns.</summary>
    /// <param name="rows">One array of <see cref="ModelPipeline{T}.NumericColumnCount"/> finite values per sample.</param>
    /// <param name="targets">The true value of each row.</param>
    public double Score(T[][] rows, IReadOnlyList<T> targets) => RSquared(Predict(rows), targets);

    /// <summary>R² of the predictions on labelled rows of the numeric columns.</summary>
    /// <param name="rows">The rows, <c>samples × <see cref="ModelPipeline{T}.NumericColumnCount"/></c>, finite.</param>
    /// <param name="targets">The true value of each row.</param>
    public double Score(Matrix<T> rows, IReadOnlyList<T> targets) => RSquared(Predict(rows), targets);

    /// <inheritdoc />
    internal override void WriteOutputs(Utf8JsonWriter json)
    {
        json.WriteString("task", "regressor");
        if (TargetScaler is null)
        {
            json.WriteNull("targetScaler");
        }
        else
        {
            json.WritePropertyName("targetScaler");
            Serialization.PreprocessingCodec.WriteScaler(json, TargetScaler);
        }
    }

    private static double RSquared(T[] predicted, IReadOnlyList<T> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Count != predicted.Length)
        {
            throw new ArgumentException($"targets must hold one value per row: {predicted.Length} (received {targets.Count}).", nameof(targets));
        }

        double mean = targets.Average(double.CreateChecked);
        double residual = 0, total = 0;
        for (int i = 0; i < predicted.Length; i++)
        {
            double y = double.CreateChecked(targets[i]);
            double e = y - double.CreateChecked(predicted[i]);
            residual += e * e;
            total += (y - mean) * (y - mean);
        }

        return total == 0 ? (residual == 0 ? 1 : 0) : 1 - (residual / total); // R² = 1 − Σ(y − ŷ)²/Σ(y − ȳ)²
    }

    [ThreadStatic]
    private static T[]? t_input;

    private Span<T> InputRow()
    {
        T[]? buffer = t_input;
        if (buffer is null || buffer.Length < Network.InputSize)
        {
            buffer = new T[Network.InputSize];
            t_input = buffer;
        }

        return buffer.AsSpan(0, Network.InputSize);
    }

    private Matrix<T> Outputs(Matrix<T> encoded)
    {
        Matrix<T> output = Network.Predict(encoded);
        if (TargetScaler is not null)
        {
            T[] values = DenseStorage.Of(output);
            for (int c = 0; c < output.ColumnCount; c++)
            {
                T center = TargetScaler.Center[c], scale = TargetScaler.Scale[c];
                Span<T> column = values.AsSpan(c * output.RowCount, output.RowCount);
                for (int r = 0; r < column.Length; r++)
                {
                    column[r] = (column[r] * scale) + center; // x = x'·scale + center, as FeatureScaler.InverseTransform
                }
            }
        }

        return output;
    }

    private static T[] Single(Matrix<T> outputs)
    {
        if (outputs.ColumnCount != 1)
        {
            throw new InvalidOperationException($"Predict gives one value per row, but this network has {outputs.ColumnCount} outputs: use PredictOutputs.");
        }

        return DenseStorage.Of(outputs).ToArray();
    }
}
