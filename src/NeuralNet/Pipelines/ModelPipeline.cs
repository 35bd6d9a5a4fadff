using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Kernels;
using NeuralNet.Serialization;

namespace NeuralNet.Pipelines;

/// <summary>
/// A trained model as it is deployed: the input preprocessing fitted on the training data, the
/// network, and the decoding of its outputs (class names for a <see cref="ClassifierPipeline{T}"/>,
/// target units for a <see cref="RegressorPipeline{T}"/>). It predicts from raw rows, saves to one
/// model file (<see cref="Save(string)"/>, loaded by <see cref="PipelineSerializer"/>) and exports to
/// one ONNX model (<see cref="ExportOnnx(string)"/>).
/// </summary>
/// <remarks>
/// <para>Input columns: each is numeric or categorical (a <see cref="OneHotEncoder"/>). The network's
/// input is the numeric columns in their order, rescaled by <see cref="InputScaler"/> (or passed
/// through when it is null), followed by the one-hot columns of each categorical column in order.</para>
/// <para>Raw rows come as a <see cref="Table"/> (named columns, checked against
/// <see cref="ColumnNames"/> in order; the only way in for categorical columns), a matrix, jagged or
/// rectangular array of the numeric columns, or one row as a span.</para>
/// <para>Prediction is safe from many threads at once, as <see cref="Network{T}.Predict(Matrix{T})"/> is.</para>
/// </remarks>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract class ModelPipeline<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly string[] _columnNames;
    private readonly OneHotEncoder?[] _categories;
    private readonly int[] _numericColumns;

    private protected ModelPipeline(Network<T> network, FeatureScaler<T>? inputScaler, IReadOnlyList<string>? columnNames, IReadOnlyList<OneHotEncoder?>? categories)
    {
        ArgumentNullException.ThrowIfNull(network);
        int columns = columnNames?.Count ?? categories?.Count ?? network.InputSize;
        _columnNames = columnNames?.ToArray() ?? Enumerable.Range(0, columns).Select(c => "x" + c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        _categories = categories?.ToArray() ?? new OneHotEncoder?[columns];
        if (_categories.Length != _columnNames.Length)
        {
            throw new ArgumentException($"categories must hold one entry per column (null for a numeric one): {_columnNames.Length} (received {_categories.Length}).", nameof(categories));
        }

        if (_columnNames.Any(string.IsNullOrEmpty) || _columnNames.Distinct(StringComparer.Ordinal).Count() != _columnNames.Length)
        {
            throw new ArgumentException($"column names must be distinct and not empty (received {string.Join(", ", _columnNames)}).", nameof(columnNames));
        }

        _numericColumns = Enumerable.Range(0, columns).Where(c => _categories[c] is null).ToArray();
        int encoded = _numericColumns.Length + _categories.Sum(e => e?.Count ?? 0);
        if (encoded != network.InputSize)
        {
            throw new ArgumentException($"the columns encode to {encoded} network inputs ({_numericColumns.Length} numeric, {encoded - _numericColumns.Length} one-hot) but the network takes {network.InputSize}.", nameof(network));
        }

        if (inputScaler is not null && (!inputScaler.IsFitted || inputScaler.ColumnCount != _numericColumns.Length))
        {
            throw new ArgumentException($"inputScaler must be fitted on the {_numericColumns.Length} numeric columns (received {(inputScaler.IsFitted ? $"one fitted on {inputScaler.ColumnCount}" : "an unfitted one")}).", nameof(inputScaler));
        }

        Network = network;
        InputScaler = inputScaler;
    }

    /// <summary>The network.</summary>
    public Network<T> Network { get; }

    /// <summary>The scaling of the numeric columns (fitted on the training rows only); null passes them through.</summary>
    public FeatureScaler<T>? InputScaler { get; }

    /// <summary>The raw input columns' names, in order.</summary>
    public IReadOnlyList<string> ColumnNames => _columnNames;

    /// <summary>Per input column, its one-hot encoder if it is categorical, else null.</summary>
    public IReadOnlyList<OneHotEncoder?> Categories => _categories;

    /// <summary>The number of numeric input columns (what a matrix or array input holds per row).</summary>
    public int NumericColumnCount => _numericColumns.Length;

    /// <summary>The network's inputs for raw rows given as a table (named columns, in <see cref="ColumnNames"/>' order).</summary>
    /// <param name="rows">The rows.</param>
    /// <exception cref="ArgumentException">The columns differ from <see cref="ColumnNames"/> (names or order), a numeric column holds text, or a categorical value was not seen in training.</exception>
    public Matrix<T> Transform(Table rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (!rows.ColumnNames.SequenceEqual(_columnNames, StringComparer.Ordinal))
        {
            throw new ArgumentException($"rows must have the pipeline's columns in its order: {string.Join(", ", _columnNames)} (received {string.Join(", ", rows.ColumnNames)}).", nameof(rows));
        }

        int n = rows.RowCount;
        var result = Matrix<T>.Build.Dense(n, Network.InputSize);
        T[] storage = DenseStorage.Of(result);
        for (int i = 0; i < _numericColumns.Length; i++)
        {
            TableColumn column = rows.Columns[_numericColumns[i]];
            if (!column.IsNumeric)
            {
                throw new ArgumentException($"the column '{column.Name}' must hold numbers, as in training (received text).", nameof(rows));
            }

            for (int r = 0; r < n; r++)
            {
                storage[r + (i * n)] = T.CreateChecked(column.Numbers[r]);
            }
        }

        ScaleNumeric(storage, n);
        int offset = _numericColumns.Length;
        for (int c = 0; c < _categories.Length; c++)
        {
            if (_categories[c] is not { } encoder)
            {
                continue;
            }

            TableColumn column = rows.Columns[c];
            for (int r = 0; r < n; r++)
            {
                int k = CategoryIndex(encoder, column, r, nameof(rows));
                storage[r + ((offset + k) * n)] = T.One;
            }

            offset += encoder.Count;
        }

        return result;
    }

    /// <summary>The network's inputs for raw rows of the numeric columns (a pipeline without categorical columns).</summary>
    /// <param name="rows">The rows, <c>samples × <see cref="NumericColumnCount"/></c>, finite.</param>
    public Matrix<T> Transform(Matrix<T> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        RequireNumericOnly(nameof(rows));
        ShapeCheck.Columns(rows, _numericColumns.Length, nameof(rows));
        ShapeCheck.Finite(rows, nameof(rows));
        Matrix<T> result = rows.Clone();
        ScaleNumeric(DenseStorage.Of(result), result.RowCount);
        return result;
    }

    /// <summary>The network's inputs for raw rows given as one array per sample.</summary>
    /// <param name="rows">One array of <see cref="NumericColumnCount"/> finite values per sample.</param>
    public Matrix<T> Transform(T[][] rows) => Transform(PlainInputs.Rows<T>(rows, nameof(rows)));

    /// <summary>The network's inputs for raw rows given as a rectangular array <c>[sample, column]</c>.</summary>
    /// <param name="rows">The rows, <c>[samples, <see cref="NumericColumnCount"/>]</c>, finite.</param>
    public Matrix<T> Transform(T[,] rows) => Transform(PlainInputs.Rows(rows, nameof(rows)));

    /// <summary>Saves the whole pipeline (preprocessing, network, output decoding) to one model file (format version 2; atomically: temporary file, then rename).</summary>
    /// <param name="path">The file to write; replaced if it exists.</param>
    public void Save(string path) => AtomicFile.Write(path, nameof(path), stream => NetworkCodec.Encode(stream, Network, null, json => PipelineCodec.Write(json, this)));

    /// <summary>Writes the whole pipeline to a stream at its current position (left open).</summary>
    /// <param name="stream">A writable stream.</param>
    public void Save(Stream stream)
    {
        ShapeCheck.Writable(stream, nameof(stream));
        NetworkCodec.Encode(stream, Network, null, json => PipelineCodec.Write(json, this));
    }

    /// <summary>
    /// Exports the whole pipeline to one ONNX model (opset 13, plus <c>ai.onnx.ml</c> for one-hot
    /// encoding) that runs on raw rows (atomically: temporary file, then rename). Inputs: <c>input</c>
    /// <c>[batch, NumericColumnCount]</c> of the numeric columns (float or double as <typeparamref name="T"/>;
    /// absent without numeric columns) and, per categorical column, a string tensor
    /// <c>[batch, 1]</c> named as the column. A classifier's outputs are <c>probabilities</c>
    /// <c>[batch, classes]</c> and <c>label</c> <c>[batch]</c>, the class names as strings; a regressor's
    /// is <c>output</c> <c>[batch, outputs]</c> in target units. Scaling is <c>Sub</c> and <c>Div</c>,
    /// one-hot encoding <c>ai.onnx.ml.OneHotEncoder</c> (an unseen category fails the run), the label
    /// <c>ArgMax</c> and <c>Gather</c> from the class names.
    /// </summary>
    /// <param name="path">The <c>.onnx</c> file to write; replaced if it exists.</param>
    public void ExportOnnx(string path) => PipelineOnnxExporter.Export(this, path);

    /// <summary>Exports the whole pipeline to ONNX (as <see cref="ExportOnnx(string)"/>), writing to a stream at its current position (left open).</summary>
    /// <param name="stream">A writable stream.</param>
    public void ExportOnnx(Stream stream) => PipelineOnnxExporter.Export(this, stream);

    /// <inheritdoc />
    public override string ToString()
        => $"{GetType().Name.Split('`')[0]}<{typeof(T).Name}>[{_columnNames.Length} columns ({_numericColumns.Length} numeric{(InputScaler is null ? "" : ", " + InputScaler.GetType().Name.Split('`')[0])}), {Network}]";

    /// <summary>The network's input for one raw row of numeric columns, written into <paramref name="destination"/>, allocating nothing.</summary>
    private protected void TransformRow(ReadOnlySpan<T> row, Span<T> destination, string parameterName)
    {
        RequireNumericOnly(parameterName);
        if (row.Length != _numericColumns.Length)
        {
            throw new ArgumentException($"{parameterName} must hold the {_numericColumns.Length} numeric columns ({string.Join(", ", _columnNames)}) (received {row.Length} values).", parameterName);
        }

        row.CopyTo(destination);
        InputScaler?.TransformRow(destination);
    }

    /// <summary>Writes the output decoding (classes or target scaling) into the pipeline's JSON object.</summary>
    internal abstract void WriteOutputs(System.Text.Json.Utf8JsonWriter json);

    private void ScaleNumeric(T[] storage, int rows)
    {
        if (InputScaler is null)
        {
            return;
        }

        for (int c = 0; c < _numericColumns.Length; c++)
        {
            T center = InputScaler.Center[c], scale = InputScaler.Scale[c];
            Span<T> column = storage.AsSpan(c * rows, rows);
            for (int r = 0; r < rows; r++)
            {
                column[r] = (column[r] - center) / scale; // x' = (x − center)/scale, as FeatureScaler.Transform
            }
        }
    }

    private static int CategoryIndex(OneHotEncoder encoder, TableColumn column, int row, string parameterName)
    {
        string value = column.TextAt(row);
        try
        {
            return encoder.IndexOf(value);
        }
        catch (ArgumentException)
        {
            throw new ArgumentException($"the column '{column.Name}' holds '{value}' at row {row}, a category not seen in training (known: {string.Join(", ", encoder.Categories)}).", parameterName);
        }
    }

    private void RequireNumericOnly(string parameterName)
    {
        if (_numericColumns.Length != _columnNames.Length)
        {
            throw new ArgumentException($"this pipeline has categorical columns ({string.Join(", ", _columnNames.Where((_, c) => _categories[c] is not null))}): give its rows as a Table with the columns {string.Join(", ", _columnNames)}.", parameterName);
        }
    }
}
