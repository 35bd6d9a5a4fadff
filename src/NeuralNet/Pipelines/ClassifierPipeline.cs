using System.Numerics;
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Kernels;
using NeuralNet.Layers;

namespace NeuralNet.Pipelines;

/// <summary>
/// A deployable classifier: input preprocessing, the network, and the class names its outputs stand
/// for. <see cref="Predict(Table)"/> gives class names, <see cref="PredictProbabilities(Table)"/> one
/// probability per class. Made by <see cref="MlpClassifier{T}"/>, or from a network trained layer by
/// layer.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class ClassifierPipeline<T> : ModelPipeline<T>
    where T : struct, IFloatingPointIeee754<T>
{
    [ThreadStatic]
    private static T[]? t_row;

    private readonly string[] _classes;
    private readonly bool _outputsProbabilities;

    /// <summary>Creates a classifier pipeline.</summary>
    /// <param name="network">The trained network: one output per class (softmax, or logits), or one output (sigmoid, or a logit) for two classes.</param>
    /// <param name="classes">The class names, in the order of the network's outputs (for one output: the class of 0, then of 1).</param>
    /// <param name="inputScaler">The fitted scaling of the numeric columns; null to pass them through.</param>
    /// <param name="columnNames">The raw input columns' names; null for <c>x0, x1, …</c>.</param>
    /// <param name="categories">Per input column, its one-hot encoder if categorical, else null; null when every column is numeric.</param>
    public ClassifierPipeline(Network<T> network, IReadOnlyList<string> classes, FeatureScaler<T>? inputScaler = null, IReadOnlyList<string>? columnNames = null, IReadOnlyList<OneHotEncoder?>? categories = null)
        : base(network, inputScaler, columnNames, categories)
    {
        ArgumentNullException.ThrowIfNull(classes);
        _classes = classes.ToArray();
        int expected = network.OutputSize == 1 ? 2 : network.OutputSize;
        if (_classes.Length != expected)
        {
            throw new ArgumentException($"classes must name {expected} classes for a network of {network.OutputSize} outputs (received {_classes.Length}).", nameof(classes));
        }

        if (_classes.Any(c => c is null) || _classes.Distinct(StringComparer.Ordinal).Count() != _classes.Length)
        {
            throw new ArgumentException($"class names must be distinct and not null (received {string.Join(", ", _classes)}).", nameof(classes));
        }

        ActivationFunction<T>? last = (network.Layers[^1] as DenseLayer<T>)?.Activation;
        _outputsProbabilities = network.OutputSize == 1 ? last is Sigmoid<T> : last is Softmax<T>;
    }

    /// <summary>The class names, in the order of the probability columns.</summary>
    public IReadOnlyList<string> Classes => _classes;

    /// <summary>The probability of each class for each row.</summary>
    /// <param name="rows">Raw rows with the pipeline's columns in order.</param>
    /// <returns><c>samples × classes</c>; each row sums to 1.</returns>
    public Matrix<T> PredictProbabilities(Table rows) => Probabilities(Transform(rows));

    /// <summary>The probability of each class for each row of the numeric columns.</summary>
    /// <param name="rows">The rows, <c>samples × <see cref="ModelPipeline{T}.NumericColumnCount"/></c>, finite.</param>
    /// <returns><c>samples × classes</c>; each row sums to 1.</returns>
    public Matrix<T> PredictProbabilities(Matrix<T> rows) => Probabilities(Transform(rows));

    /// <summary>The probability of each class for each row, given as one array per sample.</summary>
    /// <param name="rows">One array of <see cref="ModelPipeline{T}.NumericColumnCount"/> finite values per sample.</param>
    /// <returns><c>samples × classes</c>; each row sums to 1.</returns>
    public Matrix<T> PredictProbabilities(T[][] rows) => Probabilities(Transform(rows));

    /// <summary>The class probabilities of one row into a caller's span, allocating nothing once the calling thread has predicted one row.</summary>
    /// <param name="row">The row's <see cref="ModelPipeline{T}.NumericColumnCount"/> raw values.</param>
    /// <param name="probabilities">Receives one probability per class.</param>
    public void PredictProbabilities(ReadOnlySpan<T> row, Span<T> probabilities)
    {
        if (probabilities.Length != _classes.Length)
        {
            throw new ArgumentException($"probabilities must have room for {_classes.Length} classes (received {probabilities.Length}).", nameof(probabilities));
        }

        T[] input = RowBuffer(Network.InputSize + Network.OutputSize);
        Span<T> x = input.AsSpan(0, Network.InputSize), output = input.AsSpan(Network.InputSize, Network.OutputSize);
        TransformRow(row, x, nameof(row));
        Network.Predict(x, output);
        ToProbabilities(output, probabilities);
    }

    /// <summary>The class name of each row.</summary>
    /// <param name="rows">Raw rows with the pipeline's columns in order.</param>
    public string[] Predict(Table rows) => Names(PredictProbabilities(rows));

    /// <summary>The class name of each row of the numeric columns.</summary>
    /// <param name="rows">The rows, <c>samples × <see cref="ModelPipeline{T}.NumericColumnCount"/></c>, finite.</param>
    public string[] Predict(Matrix<T> rows) => Names(PredictProbabilities(rows));

    /// <summary>The class name of each row, given as one array per sample.</summary>
    /// <param name="rows">One array of <see cref="ModelPipeline{T}.NumericColumnCount"/> finite values per sample.</param>
    public string[] Predict(T[][] rows) => Names(PredictProbabilities(rows));

    /// <summary>The class name of each row, given as a rectangular array <c>[sample, column]</c>.</summary>
    /// <param name="rows">The rows, <c>[samples, <see cref="ModelPipeline{T}.NumericColumnCount"/>]</c>, finite.</param>
    public string[] Predict(T[,] rows) => Names(Probabilities(Transform(rows)));

    /// <summary>The class name of one row, allocating nothing once the calling thread has predicted one row (the name is one of <see cref="Classes"/>).</summary>
    /// <param name="row">The row's <see cref="ModelPipeline{T}.NumericColumnCount"/> raw values.</param>
    public string Predict(ReadOnlySpan<T> row)
    {
        T[] buffer = RowBuffer(Network.InputSize + Network.OutputSize + _classes.Length);
        Span<T> probabilities = buffer.AsSpan(Network.InputSize + Network.OutputSize, _classes.Length);
        Span<T> x = buffer.AsSpan(0, Network.InputSize), output = buffer.AsSpan(Network.InputSize, Network.OutputSize);
        TransformRow(row, x, nameof(row));
        Network.Predict(x, output);
        ToProbabilities(output, probabilities);
        int best = 0;
        for (int c = 1; c < probabilities.Length; c++)
        {
            if (probabilities[c] > probabilities[best])
            {
                best = c;
            }
        }

        return _classes[best];
    }

    /// <summary>The index in <see cref="Classes"/> of each row's most probable class (the first on ties).</summary>
    /// <param name="rows">Raw rows with the pipeline's columns in order.</param>
    public int[] PredictClassIndices(Table rows) => ClassLabels.FromScores(PredictProbabilities(rows));

    /// <summary>The accuracy on labelled rows: the share whose predicted class name equals the label.</summary>
    /// <param name="rows">Raw rows with the pipeline's columns in order.</param>
    /// <param name="labels">The true class name of each row.</param>
    public double Score(Table rows, IReadOnlyList<string> labels) => Accuracy(Predict(rows), labels);

    /// <summary>The accuracy on labelled rows of the numeric columns.</summary>
    /// <param name="rows">One array of <see cref="ModelPipeline{T}.NumericColumnCount"/> finite values per sample.</param>
    /// <param name="labels">The true class name of each row.</param>
    public double Score(T[][] rows, IReadOnlyList<string> labels) => Accuracy(Predict(rows), labels);

    /// <summary>The accuracy on labelled rows of the numeric columns.</summary>
    /// <param name="rows">The rows, <c>samples × <see cref="ModelPipeline{T}.NumericColumnCount"/></c>, finite.</param>
    /// <param name="labels">The true class name of each row.</param>
    public double Score(Matrix<T> rows, IReadOnlyList<string> labels) => Accuracy(Predict(rows), labels);

    /// <inheritdoc />
    internal override void WriteOutputs(Utf8JsonWriter json)
    {
        json.WriteString("task", "classifier");
        json.WriteStartArray("classes");
        foreach (string name in _classes)
        {
            json.WriteStringValue(name);
        }

        json.WriteEndArray();
    }

    /// <summary>Whether the network's output already is probabilities (softmax, or one sigmoid output).</summary>
    internal bool OutputsProbabilities => _outputsProbabilities;

    private static double Accuracy(string[] predicted, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count != predicted.Length)
        {
            throw new ArgumentException($"labels must hold one label per row: {predicted.Length} (received {labels.Count}).", nameof(labels));
        }

        int correct = 0;
        for (int i = 0; i < predicted.Length; i++)
        {
            correct += string.Equals(predicted[i], labels[i], StringComparison.Ordinal) ? 1 : 0;
        }

        return (double)correct / predicted.Length;
    }

    private static T[] RowBuffer(int length)
    {
        T[]? buffer = t_row;
        if (buffer is null || buffer.Length < length)
        {
            buffer = new T[Math.Max(length, 16)];
            t_row = buffer;
        }

        return buffer;
    }

    private string[] Names(Matrix<T> probabilities)
    {
        int[] indices = ClassLabels.FromScores(probabilities);
        return indices.Select(i => _classes[i]).ToArray();
    }

    private Matrix<T> Probabilities(Matrix<T> encoded)
    {
        Matrix<T> output = Network.Predict(encoded);
        int rows = output.RowCount;
        var result = Matrix<T>.Build.Dense(rows, _classes.Length);
        T[] from = DenseStorage.Of(output), to = DenseStorage.Of(result);
        if (Network.OutputSize == 1)
        {
            for (int r = 0; r < rows; r++)
            {
                T p = _outputsProbabilities ? from[r] : T.One / (T.One + T.Exp(-from[r])); // σ(z) for a logit
                to[r] = T.One - p;
                to[r + rows] = p;
            }

            return result;
        }

        from.AsSpan().CopyTo(to);
        if (!_outputsProbabilities)
        {
            new Softmax<T>().Forward(to, to, rows, _classes.Length);
        }

        return result;
    }

    private void ToProbabilities(ReadOnlySpan<T> output, Span<T> probabilities)
    {
        if (output.Length == 1)
        {
            T p = _outputsProbabilities ? output[0] : T.One / (T.One + T.Exp(-output[0]));
            probabilities[0] = T.One - p;
            probabilities[1] = p;
            return;
        }

        output.CopyTo(probabilities);
        if (!_outputsProbabilities)
        {
            T max = probabilities[0];
            foreach (T v in probabilities)
            {
                max = T.Max(max, v);
            }

            T sum = T.Zero;
            for (int c = 0; c < probabilities.Length; c++)
            {
                probabilities[c] = T.Exp(probabilities[c] - max);
                sum += probabilities[c];
            }

            for (int c = 0; c < probabilities.Length; c++)
            {
                probabilities[c] /= sum; // softmax of logits
            }
        }
    }
}
