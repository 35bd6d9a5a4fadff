using System.Numerics;
using NeuralNet.Kernels;

namespace NeuralNet;

using MathNet.Numerics.LinearAlgebra;

// Prediction: the forward phase in evaluation mode, on buffers of its own per thread (never the training buffers).
public sealed partial class Network<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>Predicts a batch: the forward phase in evaluation mode, into a new matrix.</summary>
    /// <param name="input">The batch, <c>batch × <see cref="InputSize"/></c>, finite values.</param>
    /// <returns>The outputs, <c>batch × <see cref="OutputSize"/></c>.</returns>
    public Matrix<T> Predict(Matrix<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ShapeCheck.BatchFits(input.RowCount, _layers, _widestLayer, nameof(input));
        var output = Matrix<T>.Build.Dense(input.RowCount, OutputSize);
        Predict(input, output);
        return output;
    }

    /// <summary>Predicts one sample.</summary>
    /// <param name="input">The sample's <see cref="InputSize"/> features.</param>
    /// <returns>Its <see cref="OutputSize"/> outputs.</returns>
    public Vector<T> Predict(Vector<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Count != InputSize)
        {
            throw new ArgumentException($"input must have {InputSize} features (received {input.Count}).", nameof(input));
        }

        return Predict(input.ToRowMatrix()).Row(0);
    }

    /// <summary>Predicts a batch given as one array per sample.</summary>
    /// <param name="input">One array of <see cref="InputSize"/> finite features per sample.</param>
    /// <returns>One array of <see cref="OutputSize"/> outputs per sample.</returns>
    public T[][] Predict(T[][] input) => Predict(PlainInputs.Rows<T>(input, nameof(input))).ToRowArrays();

    /// <summary>Predicts a batch given as a rectangular array <c>[sample, feature]</c>.</summary>
    /// <param name="input">The batch, <c>[batch, <see cref="InputSize"/>]</c>, finite values.</param>
    /// <returns>The outputs, <c>[batch, <see cref="OutputSize"/>]</c>.</returns>
    public T[,] Predict(T[,] input) => Predict(PlainInputs.Rows(input, nameof(input))).ToArray();

    /// <summary>Predicts a sequence of samples (e.g. rows read from a file or a query), in order.</summary>
    /// <param name="input">The samples, each <see cref="InputSize"/> finite features.</param>
    /// <returns>One array of <see cref="OutputSize"/> outputs per sample.</returns>
    public T[][] Predict(IEnumerable<IReadOnlyList<T>> input) => Predict(PlainInputs.Rows(input, nameof(input))).ToRowArrays();

    /// <summary>
    /// Predicts one sample into a caller-supplied span. Once the calling thread has predicted one sample
    /// with this network's sizes, further calls allocate nothing.
    /// </summary>
    /// <param name="input">The sample's <see cref="InputSize"/> finite features.</param>
    /// <param name="output">Receives its <see cref="OutputSize"/> outputs.</param>
    public void Predict(ReadOnlySpan<T> input, Span<T> output)
    {
        if (input.Length != InputSize)
        {
            throw new ArgumentException($"input must have {InputSize} features (received {input.Length}).", nameof(input));
        }

        if (output.Length != OutputSize)
        {
            throw new ArgumentException($"output must have room for {OutputSize} outputs (received {output.Length}).", nameof(output));
        }

        ShapeCheck.Finite(input, 1, nameof(input));
        (Matrix<T> x, Matrix<T> y) = PredictionBuffers<T>.SingleRow(InputSize, OutputSize);
        input.CopyTo(DenseStorage.Of(x)); // one row: the column-major storage is the row itself
        Matrix<T>[] hidden = PredictionBuffers<T>.For(_layers, 1);
        Matrix<T> current = x;
        for (int i = 0; i < _layers.Length; i++)
        {
            Matrix<T> next = i == _layers.Length - 1 ? y : hidden[i];
            _layers[i].Predict(current, next);
            current = next;
        }

        DenseStorage.Of(y).AsSpan(0, OutputSize).CopyTo(output);
    }

    /// <summary>
    /// Predicts a batch into a caller-supplied matrix. Once a thread has predicted a batch of this size,
    /// further calls allocate nothing.
    /// </summary>
    /// <param name="input">The batch, <c>batch × <see cref="InputSize"/></c>, finite values.</param>
    /// <param name="output">Receives the outputs: a dense <c>batch × <see cref="OutputSize"/></c> matrix of its own (sharing
    /// storage with <paramref name="input"/>, a parameter or a running statistic is refused with <see cref="ArgumentException"/>).</param>
    public void Predict(Matrix<T> input, Matrix<T> output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ShapeCheck.Columns(input, InputSize, nameof(input));
        ShapeCheck.Finite(input, nameof(input));
        ShapeCheck.Shape(output, input.RowCount, OutputSize, nameof(output));
        if (!DenseStorage.IsDense(output))
        {
            throw new ArgumentException("output must be a dense matrix (Matrix<T>.Build.Dense).", nameof(output));
        }

        T[] result = DenseStorage.Of(output);
        ShapeCheck.NotShared(result, DenseStorage.Of(input), "input", nameof(output));
        ShapeCheck.NotSharedWithAny(result, WeightsAndState, "the network", nameof(output), _parameters.Length); // running statistics too

        ShapeCheck.BatchFits(input.RowCount, _layers, _widestLayer, nameof(input));

        Matrix<T>[] hidden = PredictionBuffers<T>.For(_layers, input.RowCount);
        Matrix<T> current = input;
        for (int i = 0; i < _layers.Length; i++)
        {
            Matrix<T> next = i == _layers.Length - 1 ? output : hidden[i];
            _layers[i].Predict(current, next);
            current = next;
        }
    }
}
