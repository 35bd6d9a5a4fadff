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
/// Batch normalisation over features (PyTorch's <c>BatchNorm1d</c>): in training each feature is
/// normalised with the batch's mean and (biased) variance, <c>y = γ·(x − μ_B)/√(σ²_B + ε) + β</c>, and
/// the running statistics move towards the batch's, <c>μ ← (1 − m)·μ + m·μ_B</c>,
/// <c>σ² ← (1 − m)·σ² + m·σ²_B·n/(n − 1)</c> (the unbiased variance, as PyTorch); in evaluation and
/// <see cref="Predict"/> the running statistics are used instead. Defaults as PyTorch's: momentum
/// <c>m = 0.1</c>, <c>ε = 1e-5</c>, <c>γ = 1</c>, <c>β = 0</c>, running mean 0 and variance 1.
/// </summary>
/// <remarks>
/// Backward pass (training), per feature over the batch of n: <c>∂L/∂γ = Σ g·x̂</c>, <c>∂L/∂β = Σ g</c>,
/// <c>∂L/∂x = γ/(n·√(σ²_B + ε))·(n·g − Σ g − x̂·Σ g·x̂)</c>. The running statistics are the layer's
/// <see cref="State"/>: saved with the model and in checkpoints, never trained. A training batch needs
/// at least two samples (as in PyTorch): one sample has no variance.
/// </remarks>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class BatchNormalization<T> : Layer<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private const int Y = 0, XHat = 1;
    private readonly ScaleShift<T> _affine;
    private readonly Parameter<T> _scale;
    private readonly Parameter<T> _shift;
    private readonly Parameter<T> _runningMean;
    private readonly Parameter<T> _runningVariance;
    private readonly BatchBuffers<T> _buffers;
    private readonly BatchBuffers<T> _inputGradientBuffers;
    private readonly T[] _inverseStd;
    private Matrix<T>[]? _last;
    private bool _lastWasTraining;

    /// <summary>Creates a batch normalisation layer.</summary>
    /// <param name="size">Features per sample (input and output), ≥ 1.</param>
    /// <param name="momentum">How far the running statistics move towards each batch's, in (0, 1]; PyTorch's default 0.1.</param>
    /// <param name="epsilon">Added to the variance before the square root, &gt; 0; PyTorch's default 1e-5.</param>
    public BatchNormalization(int size, double momentum = 0.1, double epsilon = 1e-5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (!(momentum > 0 && momentum <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, $"momentum must be in (0, 1] (received {momentum}).");
        }

        InputSize = size;
        Momentum = momentum;
        Epsilon = ScaleShift<T>.CheckEpsilon(epsilon, nameof(epsilon));
        _affine = new ScaleShift<T>(size);
        (_scale, _shift) = (_affine.Scale, _affine.Shift);
        _runningMean = new Parameter<T>("running_mean", size, 1);
        _runningVariance = new Parameter<T>("running_variance", size, 1);
        _runningVariance.Values.Fill(T.One);
        Parameters = [_scale, _shift];
        State = [_runningMean, _runningVariance];
        _buffers = new BatchBuffers<T>(size, 2);
        _inputGradientBuffers = new BatchBuffers<T>(size, 1);
        _inverseStd = new T[size];
    }

    /// <inheritdoc />
    public override int InputSize { get; }

    /// <inheritdoc />
    public override int OutputSize => InputSize;

    /// <summary>The momentum <c>m</c> of the running statistics.</summary>
    public double Momentum { get; }

    /// <summary>The <c>ε</c> added to the variance.</summary>
    public double Epsilon { get; }

    /// <summary>The scale γ, then the shift β.</summary>
    public override IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>The running mean, then the running variance (PyTorch's <c>running_mean</c>, <c>running_var</c>).</summary>
    public override IReadOnlyList<Parameter<T>> State { get; }

    /// <summary>The running mean of each feature, bound to the layer.</summary>
    public Span<T> RunningMean => _runningMean.Values;

    /// <summary>The running variance of each feature, bound to the layer.</summary>
    public Span<T> RunningVariance => _runningVariance.Values;

    /// <inheritdoc />
    public override string Kind => "batch_norm";

    /// <inheritdoc />
    public override Matrix<T> Forward(Matrix<T> input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        ShapeCheck.Columns(input, InputSize, nameof(input));
        int rows = input.RowCount;
        if (training && rows < 2)
        {
            throw new ArgumentException($"batch normalisation needs at least 2 samples per training batch to estimate a variance (received {rows}).", nameof(input));
        }

        Matrix<T>[] buffers = _buffers.For(rows);
        T[] x = DenseStorage.Of(input), y = DenseStorage.Of(buffers[Y]), xHat = DenseStorage.Of(buffers[XHat]);
        T epsilon = T.CreateChecked(Epsilon), n = T.CreateChecked(rows);
        T momentum = T.CreateChecked(Momentum), keep = T.One - momentum, unbiased = n / (n - T.One);
        Span<T> scale = _scale.Values, shift = _shift.Values, runningMean = _runningMean.Values, runningVariance = _runningVariance.Values;
        for (int j = 0; j < InputSize; j++)
        {
            ReadOnlySpan<T> column = x.AsSpan(j * rows, rows);
            Span<T> xHatColumn = xHat.AsSpan(j * rows, rows);
            T mean, variance;
            if (training)
            {
                mean = Tp.Sum(column) / n;
                Tp.Subtract(column, mean, xHatColumn);
                variance = Tp.SumOfSquares<T>(xHatColumn) / n; // biased, for normalising
                runningMean[j] = keep * runningMean[j] + momentum * mean;
                runningVariance[j] = keep * runningVariance[j] + momentum * variance * unbiased;
            }
            else
            {
                mean = runningMean[j];
                variance = runningVariance[j];
                Tp.Subtract(column, mean, xHatColumn);
            }

            T inverseStd = T.One / T.Sqrt(variance + epsilon);
            _inverseStd[j] = inverseStd;
            Tp.Multiply(xHatColumn, inverseStd, xHatColumn);
            Affine.Apply<T>(xHatColumn, scale[j], shift[j], y.AsSpan(j * rows, rows)); // y = γ·x̂ + β
        }

        _last = buffers;
        _lastWasTraining = training;
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
        T[]? dx = computeInputGradient ? DenseStorage.Of(_inputGradientBuffers.For(rows)[0]) : null;
        T n = T.CreateChecked(rows);
        Span<T> scale = _scale.Values, dScale = _scale.Gradients, dShift = _shift.Gradients;
        for (int j = 0; j < InputSize; j++)
        {
            ReadOnlySpan<T> gColumn = g.AsSpan(j * rows, rows), xHatColumn = xHat.AsSpan(j * rows, rows);
            T sumG = Tp.Sum(gColumn), sumGXHat = Tp.Dot(gColumn, xHatColumn);
            dScale[j] = sumGXHat;
            dShift[j] = sumG;
            if (dx is null)
            {
                continue;
            }

            Span<T> dxColumn = dx.AsSpan(j * rows, rows);
            T factor = scale[j] * _inverseStd[j];
            if (!_lastWasTraining)
            {
                Tp.Multiply(gColumn, factor, dxColumn); // the statistics are constants in evaluation
                continue;
            }

            // ∂L/∂x = γ/(n·σ)·(n·g − Σg − x̂·Σ g·x̂) = (γ/σ)·(g − Σg/n − x̂·(Σ g·x̂)/n)
            Affine.Apply(xHatColumn, -sumGXHat / n, -sumG / n, dxColumn);
            Tp.Add(dxColumn, gColumn, dxColumn);
            Tp.Multiply(dxColumn, factor, dxColumn);
        }

        return dx is null ? null : _inputGradientBuffers.For(rows)[0];
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
        ShapeCheck.NotSharedWithAny(y, Parameters, "this layer", nameof(output)); // in place on the input is fine (each value is read before it is written); on its own scale, shift and running statistics it is not
        ShapeCheck.NotSharedWithAny(y, State, "this layer", nameof(output), firstState: 0);
        T epsilon = T.CreateChecked(Epsilon);
        for (int j = 0; j < InputSize; j++)
        {
            // y = a·x + b with a = γ/√(σ² + ε), b = β − a·μ
            T a = _scale.Values[j] / T.Sqrt(_runningVariance.Values[j] + epsilon);
            T b = _shift.Values[j] - a * _runningMean.Values[j];
            Affine.Apply<T>(x.AsSpan(j * rows, rows), a, b, y.AsSpan(j * rows, rows));
        }
    }

    /// <inheritdoc />
    public override JsonObject GetConfig() => new() { ["size"] = InputSize, ["momentum"] = Momentum, ["epsilon"] = Epsilon };

    /// <inheritdoc />
    public override string ExportOnnx(OnnxGraph<T> graph, string input, string name)
    {
        ShapeCheck.ExportArguments(graph, input, name);
        _affine.AddInitializers(graph, name);
        graph.Initializer($"{name}.mean", [InputSize], _runningMean.Values.ToArray());
        graph.Initializer($"{name}.var", [InputSize], _runningVariance.Values.ToArray());
        graph.Node("BatchNormalization", [input, $"{name}.scale", $"{name}.shift", $"{name}.mean", $"{name}.var"], $"{name}.y",
            ("epsilon", (float)Epsilon), ("momentum", (float)(1 - Momentum))); // ONNX's momentum weighs the old running value
        return $"{name}.y";
    }

    /// <summary>The shapes of the scale and shift, and of the running mean and variance, a layer built from <paramref name="config"/> has.</summary>
    internal static LayerShapes.Set ShapesFromConfig(JsonElement config)
    {
        int size = (int)HeaderField.Integer(config, "size", 1, Array.MaxLength);
        return new([new(size, 1), new(size, 1)], [new(size, 1), new(size, 1)]);
    }

    /// <inheritdoc />
    internal override string? ImpossibleState()
    {
        int at = Tp.IndexOfMin<T>(_runningVariance.Values);
        return at >= 0 && _runningVariance.Values[at] < T.Zero
            ? $"its running variance holds {_runningVariance.Values[at]} at index {at}, but a variance is never negative"
            : null;
    }

    /// <summary>Rebuilds the layer from the settings <see cref="GetConfig"/> wrote.</summary>
    internal static BatchNormalization<T> FromConfig(JsonElement config) =>
        new((int)HeaderField.Integer(config, "size", 1, Array.MaxLength), HeaderField.Number(config, "momentum"), HeaderField.Number(config, "epsilon"));

    /// <inheritdoc />
    public override string ToString() => $"BatchNorm({InputSize}, momentum = {Momentum}, ε = {Epsilon})";
}
