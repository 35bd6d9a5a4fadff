using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using NeuralNet.Kernels;
using NeuralNet.Onnx;
using NeuralNet.Serialization;
using Tp = System.Numerics.Tensors.TensorPrimitives;

namespace NeuralNet.Layers;

using MathNet.Numerics.LinearAlgebra;

/// <summary>
/// Layer normalisation (PyTorch's <c>LayerNorm</c> over the last dimension): each sample's features are
/// normalised with that sample's own mean and (biased) variance, <c>y = γ·(x − μ)/√(σ² + ε) + β</c>, the
/// same in training and evaluation. Defaults as PyTorch's: <c>ε = 1e-5</c>, <c>γ = 1</c>, <c>β = 0</c>.
/// </summary>
/// <remarks>
/// Backward pass, per sample over its d features: <c>ĝ = g ⊙ γ</c>,
/// <c>∂L/∂x = 1/σ·(ĝ − Σĝ/d − x̂·Σ(ĝ·x̂)/d)</c>; per feature over the batch, <c>∂L/∂γ = Σ g·x̂</c>,
/// <c>∂L/∂β = Σ g</c>.
/// </remarks>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class LayerNormalization<T> : Layer<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private const int Y = 0, XHat = 1;
    private const int Mean = 0, InverseStd = 1, Sum = 2, SumXHat = 3;
    private readonly ScaleShift<T> _affine;
    private readonly Parameter<T> _scale;
    private readonly Parameter<T> _shift;
    private readonly BatchBuffers<T> _buffers;
    private readonly BatchBuffers<T> _rowBuffers;
    private readonly BatchBuffers<T> _inputGradientBuffers;
    private Matrix<T>[]? _last;

    /// <summary>Creates a layer normalisation layer.</summary>
    /// <param name="size">Features per sample (input and output), ≥ 1.</param>
    /// <param name="epsilon">Added to the variance before the square root, &gt; 0; PyTorch's default 1e-5.</param>
    public LayerNormalization(int size, double epsilon = 1e-5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        InputSize = size;
        Epsilon = ScaleShift<T>.CheckEpsilon(epsilon, nameof(epsilon));
        _affine = new ScaleShift<T>(size);
        (_scale, _shift) = (_affine.Scale, _affine.Shift);
        Parameters = [_scale, _shift];
        _buffers = new BatchBuffers<T>(size, 2);
        _rowBuffers = new BatchBuffers<T>(4, 1); // per sample: mean, 1/σ, and two sums of the backward pass
        _inputGradientBuffers = new BatchBuffers<T>(size, 1);
    }

    /// <inheritdoc />
    public override int InputSize { get; }

    /// <inheritdoc />
    public override int OutputSize => InputSize;

    /// <summary>The <c>ε</c> added to the variance.</summary>
    public double Epsilon { get; }

    /// <summary>The scale γ, then the shift β.</summary>
    public override IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <inheritdoc />
    public override string Kind => "layer_norm";

    /// <inheritdoc />
    public override Matrix<T> Forward(Matrix<T> input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        ShapeCheck.Columns(input, InputSize, nameof(input));
        int rows = input.RowCount;
        Matrix<T>[] buffers = _buffers.For(rows);
        T[] x = DenseStorage.Of(input), y = DenseStorage.Of(buffers[Y]), xHat = DenseStorage.Of(buffers[XHat]);
        T[] perRow = DenseStorage.Of(_rowBuffers.For(rows)[0]);
        Span<T> mean = perRow.AsSpan(Mean * rows, rows), inverseStd = perRow.AsSpan(InverseStd * rows, rows);
        T d = T.CreateChecked(InputSize);

        // The features of a sample are one row, strided in column-major storage: sum column by column.
        mean.Clear();
        for (int j = 0; j < InputSize; j++)
        {
            Tp.Add(mean, x.AsSpan(j * rows, rows), mean);
        }

        Tp.Divide(mean, d, mean);
        inverseStd.Clear();
        for (int j = 0; j < InputSize; j++)
        {
            Span<T> centred = xHat.AsSpan(j * rows, rows);
            Tp.Subtract(x.AsSpan(j * rows, rows), mean, centred);
            Tp.FusedMultiplyAdd(centred, centred, inverseStd, inverseStd); // Σ (x − μ)²
        }

        Tp.Divide(inverseStd, d, inverseStd);
        Tp.Add(inverseStd, T.CreateChecked(Epsilon), inverseStd);
        Tp.ReciprocalSqrt(inverseStd, inverseStd);
        for (int j = 0; j < InputSize; j++)
        {
            Span<T> xHatColumn = xHat.AsSpan(j * rows, rows);
            Tp.Multiply(xHatColumn, inverseStd, xHatColumn);
            Affine.Apply<T>(xHatColumn, _scale.Values[j], _shift.Values[j], y.AsSpan(j * rows, rows)); // y = γ·x̂ + β
        }

        _last = buffers;
        return buffers[Y];
    }

    /// <inheritdoc />
    public override Matrix<T>? Backward(Matrix<T> outputGradient, bool computeInputGradient = true)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        Matrix<T>[] buffers = _last ?? throw new InvalidOperationException("Backward was called before Forward: run a forward pass on a batch first.");
        int rows = buffers[Y].RowCount;
        ShapeCheck.Shape(outputGradient, rows, OutputSize, nameof(outputGradient));
        T[] g = DenseStorage.Of(outputGradient), xHat = DenseStorage.Of(buffers[XHat]);
        for (int j = 0; j < InputSize; j++)
        {
            ReadOnlySpan<T> gColumn = g.AsSpan(j * rows, rows);
            _scale.Gradients[j] = Tp.Dot(gColumn, xHat.AsSpan(j * rows, rows));
            _shift.Gradients[j] = Tp.Sum(gColumn);
        }

        if (!computeInputGradient)
        {
            return null;
        }

        Matrix<T> dxMatrix = _inputGradientBuffers.For(rows)[0];
        T[] dx = DenseStorage.Of(dxMatrix);
        T[] perRow = DenseStorage.Of(_rowBuffers.For(rows)[0]);
        Span<T> inverseStd = perRow.AsSpan(InverseStd * rows, rows), sum = perRow.AsSpan(Sum * rows, rows), sumXHat = perRow.AsSpan(SumXHat * rows, rows);
        sum.Clear();
        sumXHat.Clear();
        for (int j = 0; j < InputSize; j++)
        {
            Span<T> gHat = dx.AsSpan(j * rows, rows);
            Tp.Multiply(g.AsSpan(j * rows, rows), _scale.Values[j], gHat); // ĝ = g·γ
            Tp.Add(sum, gHat, sum);
            Tp.FusedMultiplyAdd(gHat, xHat.AsSpan(j * rows, rows), sumXHat, sumXHat);
        }

        T d = T.CreateChecked(InputSize);
        Tp.Divide(sum, d, sum);
        Tp.Divide(sumXHat, -d, sumXHat); // −mean(ĝ·x̂)
        for (int j = 0; j < InputSize; j++)
        {
            // ∂L/∂x = (ĝ − mean(ĝ) − x̂·mean(ĝ·x̂))/σ
            Span<T> column = dx.AsSpan(j * rows, rows);
            Tp.Subtract(column, sum, column);
            Tp.FusedMultiplyAdd(xHat.AsSpan(j * rows, rows), sumXHat, column, column);
            Tp.Multiply(column, inverseStd, column);
        }

        return dxMatrix;
    }

    /// <inheritdoc />
    public override void Predict(Matrix<T> input, Matrix<T> output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ShapeCheck.Columns(input, InputSize, nameof(input));
        ShapeCheck.Shape(output, input.RowCount, OutputSize, nameof(output));
        int rows = input.RowCount;
        T[] x = DenseStorage.Of(input), y = DenseStorage.Of(output);
        ShapeCheck.NotSharedWithAny(y, Parameters, "this layer", nameof(output)); // in place on the input is fine (each value is read before it is written); on its own scale and shift it is not
        ShapeCheck.NotSharedWithAny(y, State, "this layer", nameof(output), firstState: 0);
        T d = T.CreateChecked(InputSize), epsilon = T.CreateChecked(Epsilon);

        // No scratch of its own (Predict runs on many threads): one sample at a time, along its strided row.
        for (int r = 0; r < rows; r++)
        {
            T mean = T.Zero;
            for (int j = 0; j < InputSize; j++)
            {
                mean += x[j * rows + r];
            }

            mean /= d;
            T variance = T.Zero;
            for (int j = 0; j < InputSize; j++)
            {
                T centred = x[j * rows + r] - mean;
                variance = T.FusedMultiplyAdd(centred, centred, variance);
            }

            T inverseStd = T.One / T.Sqrt(variance / d + epsilon);
            for (int j = 0; j < InputSize; j++)
            {
                y[j * rows + r] = _scale.Values[j] * ((x[j * rows + r] - mean) * inverseStd) + _shift.Values[j];
            }
        }
    }

    /// <inheritdoc />
    public override JsonObject GetConfig() => new() { ["size"] = InputSize, ["epsilon"] = Epsilon };

    /// <inheritdoc />
    public override string ExportOnnx(OnnxGraph<T> graph, string input, string name)
    {
        ShapeCheck.ExportArguments(graph, input, name);
        _affine.AddInitializers(graph, name);
        graph.Node("LayerNormalization", [input, $"{name}.scale", $"{name}.shift"], $"{name}.y", ("axis", -1L), ("epsilon", (float)Epsilon));
        return $"{name}.y";
    }

    /// <summary>The shapes of the scale and shift a layer built from <paramref name="config"/> has.</summary>
    internal static LayerShapes.Set ShapesFromConfig(JsonElement config)
    {
        int size = (int)HeaderField.Integer(config, "size", 1, Array.MaxLength);
        return new([new(size, 1), new(size, 1)], []);
    }

    /// <summary>Rebuilds the layer from the settings <see cref="GetConfig"/> wrote.</summary>
    internal static LayerNormalization<T> FromConfig(JsonElement config) =>
        new((int)HeaderField.Integer(config, "size", 1, Array.MaxLength), HeaderField.Number(config, "epsilon"));

    /// <inheritdoc />
    public override string ToString() => $"LayerNorm({InputSize}, ε = {Epsilon})";
}
