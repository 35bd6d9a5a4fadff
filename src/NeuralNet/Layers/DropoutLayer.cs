using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Kernels;
using NeuralNet.Onnx;
using NeuralNet.Serialization;

namespace NeuralNet.Layers;

/// <summary>
/// Inverted dropout: while training, each input is zeroed with probability <c>p</c> and the survivors
/// are scaled by <c>1/(1 − p)</c>, so the expected output equals the input; in evaluation and
/// <see cref="Layer{T}.Predict"/> it passes its input through unchanged. Masks come from the
/// network's seeded random source.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class DropoutLayer<T> : Layer<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private const int Output = 0, Mask = 1;
    private readonly BatchBuffers<T> _buffers;
    private readonly BatchBuffers<T> _inputGradientBuffers;
    private RandomSource? _random;
    private Matrix<T>[]? _last;
    private bool _lastWasTraining;
    private (ulong, ulong, ulong, ulong, double?)? _savedRandomState;

    /// <summary>Creates a dropout layer.</summary>
    /// <param name="size">Features per sample (input and output).</param>
    /// <param name="rate">The probability <c>p</c> of dropping each input, in [0, 1).</param>
    public DropoutLayer(int size, double rate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (!(rate >= 0 && rate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, $"rate must be in [0, 1) (received {rate}).");
        }

        InputSize = size;
        Rate = rate;
        _buffers = new BatchBuffers<T>(size, 2);
        _inputGradientBuffers = new BatchBuffers<T>(size, 1);
    }

    /// <inheritdoc />
    public override int InputSize { get; }

    /// <inheritdoc />
    public override int OutputSize => InputSize;

    /// <summary>The probability of dropping each input while training.</summary>
    public double Rate { get; }

    /// <summary>The source of the masks (null until a network takes the layer); saved with a model so training resumes exactly.</summary>
    internal RandomSource? Random => _random;

    /// <inheritdoc />
    public override Matrix<T> Forward(Matrix<T> input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        ShapeCheck.Columns(input, InputSize, nameof(input));
        Matrix<T>[] buffers = _buffers.For(input.RowCount);
        T[] x = DenseStorage.Of(input), y = DenseStorage.Of(buffers[Output]), mask = DenseStorage.Of(buffers[Mask]);
        _last = buffers;
        _lastWasTraining = training && Rate > 0;
        if (!_lastWasTraining)
        {
            x.AsSpan().CopyTo(y);
            return buffers[Output];
        }

        RandomSource random = _random ?? throw new InvalidOperationException("A dropout layer must belong to a Network before it trains: the network gives it its seeded random source.");
        T keep = T.One / T.CreateChecked(1 - Rate);
        for (int i = 0; i < x.Length; i++)
        {
            mask[i] = random.NextDouble() < Rate ? T.Zero : keep; // 0 with probability p, else 1/(1 − p)
            y[i] = x[i] * mask[i];
        }

        return buffers[Output];
    }

    /// <inheritdoc />
    public override Matrix<T>? Backward(Matrix<T> outputGradient, bool computeInputGradient = true)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        Matrix<T>[] buffers = _last ?? throw new InvalidOperationException("Backward was called before Forward: run a forward pass on a batch first.");
        ShapeCheck.Shape(outputGradient, buffers[Output].RowCount, OutputSize, nameof(outputGradient));
        if (!computeInputGradient)
        {
            return null;
        }

        Matrix<T> dx = _inputGradientBuffers.For(outputGradient.RowCount)[0];
        T[] g = DenseStorage.Of(outputGradient), result = DenseStorage.Of(dx);
        if (_lastWasTraining)
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply<T>(g, DenseStorage.Of(buffers[Mask]), result); // ∂L/∂x = ∂L/∂y ⊙ mask
        }
        else
        {
            g.AsSpan().CopyTo(result);
        }

        return dx;
    }

    /// <inheritdoc />
    public override void Predict(Matrix<T> input, Matrix<T> output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ShapeCheck.Columns(input, InputSize, nameof(input));
        ShapeCheck.Shape(output, input.RowCount, OutputSize, nameof(output));
        input.CopyTo(output);
    }

    /// <inheritdoc />
    protected override void Initialize(RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        _random = random.Fork();
        if (_savedRandomState is { } state)
        {
            _random.State = state; // a loaded layer continues the mask sequence where the saved one stopped
            _savedRandomState = null;
        }
    }

    /// <inheritdoc />
    public override string Kind => "dropout";

    /// <inheritdoc />
    public override JsonObject GetConfig()
    {
        var config = new JsonObject { ["size"] = InputSize, ["rate"] = Rate };
        if (_random is not null)
        {
            config["random"] = RandomStateCodec.ToJson(_random);
        }

        return config;
    }

    /// <inheritdoc />
    public override string ExportOnnx(OnnxGraph<T> graph, string input, string name)
    {
        ShapeCheck.ExportArguments(graph, input, name);
        return input; // the identity at inference
    }

    /// <summary>A dropout layer has no parameters and no state.</summary>
    internal static LayerShapes.Set ShapesFromConfig(JsonElement config) => new([], []);

    /// <summary>Rebuilds a dropout layer from the settings <see cref="GetConfig"/> wrote; its mask source's position is restored when a network takes it.</summary>
    internal static DropoutLayer<T> FromConfig(JsonElement config)
    {
        int size = (int)HeaderField.Integer(config, "size", 1, Array.MaxLength);
        double rate = HeaderField.Number(config, "rate");
        return new DropoutLayer<T>(size, rate) { _savedRandomState = RandomStateCodec.Read(config, "random") };
    }

    /// <inheritdoc />
    public override string ToString() => $"Dropout({InputSize}, p = {Rate})";
}
