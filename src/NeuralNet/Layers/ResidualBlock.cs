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
/// A residual block: a sequence of layers <c>F</c> whose output is added to the block's input,
/// <c>y = F(x) + x</c> (He et al., 2016), or <c>y = F(x) + P(x)</c> with a projection <c>P</c> when
/// <c>F</c> changes the number of features. Usable anywhere a layer is, inside another block too.
/// </summary>
/// <remarks>
/// Backward pass: <c>∂L/∂x = ∂F/∂x·g + g</c> (or <c>+ ∂P/∂x·g</c>). Its <see cref="Parameters"/> and
/// <see cref="State"/> are its layers' in order, then the projection's.
/// </remarks>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The per-thread prediction buffers hold only managed matrices; a layer is not disposable, and the ThreadLocal is collected with the block.")]
public sealed class ResidualBlock<T> : Layer<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly Layer<T>[] _layers;
    private readonly BatchBuffers<T> _outputBuffers;
    private readonly BatchBuffers<T> _inputGradientBuffers;
    private readonly ThreadLocal<Matrix<T>[]?> _predictionBuffers = new();
    private Matrix<T>? _lastInput;

    /// <summary>Creates a block <c>y = F(x) + x</c>, with a dense projection (no activation) of the input when <c>F</c> changes the number of features.</summary>
    /// <param name="layers">The layers of <c>F</c>, in order; each one's input size must equal the previous one's output size.</param>
    public ResidualBlock(params Layer<T>[] layers)
        : this(layers, projection: null)
    {
    }

    /// <summary>Creates a block <c>y = F(x) + P(x)</c>.</summary>
    /// <param name="layers">The layers of <c>F</c>, in order; each one's input size must equal the previous one's output size.</param>
    /// <param name="projection">
    /// <c>P</c>, from the block's inputs to <c>F</c>'s outputs; null for the identity when the sizes agree, or a
    /// dense layer without activation when they differ.
    /// </param>
    public ResidualBlock(IReadOnlyList<Layer<T>> layers, Layer<T>? projection)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0)
        {
            throw new ArgumentException("a residual block needs at least one layer (received none).", nameof(layers));
        }

        for (int i = 0; i < layers.Count; i++)
        {
            if (layers[i] is null)
            {
                throw new ArgumentException($"layers must not contain null (index {i}).", nameof(layers));
            }

            if (i > 0 && layers[i].InputSize != layers[i - 1].OutputSize)
            {
                throw new ArgumentException($"layer {i} ({layers[i]}) takes {layers[i].InputSize} inputs but layer {i - 1} ({layers[i - 1]}) gives {layers[i - 1].OutputSize} outputs.", nameof(layers));
            }
        }

        InputSize = layers[0].InputSize;
        OutputSize = layers[^1].OutputSize;
        if (projection is not null && (projection.InputSize != InputSize || projection.OutputSize != OutputSize))
        {
            throw new ArgumentException($"the projection must map the block's {InputSize} inputs to its {OutputSize} outputs (received {projection}).", nameof(projection));
        }

        Projection = projection ?? (InputSize == OutputSize ? null : new DenseLayer<T>(InputSize, OutputSize));
        _layers = [.. layers];
        Layer<T>[] all = Projection is null ? _layers : [.. _layers, Projection];
        if (all.Distinct(ReferenceEqualityComparer.Instance).Count() != all.Length)
        {
            throw new ArgumentException("each layer may appear only once in a residual block.", nameof(layers));
        }

        Sublayers = Array.AsReadOnly(all);
        Layers = Array.AsReadOnly(_layers);
        Parameters = Array.AsReadOnly(all.SelectMany(l => l.Parameters).ToArray());
        State = Array.AsReadOnly(all.SelectMany(l => l.State).ToArray());
        _outputBuffers = new BatchBuffers<T>(OutputSize, 1);
        _inputGradientBuffers = new BatchBuffers<T>(InputSize, 1);
    }

    /// <inheritdoc />
    public override int InputSize { get; }

    /// <inheritdoc />
    public override int OutputSize { get; }

    /// <summary>The layers of <c>F</c>, in order.</summary>
    public IReadOnlyList<Layer<T>> Layers { get; }

    /// <summary>The projection <c>P</c> of the input; null for the identity.</summary>
    public Layer<T>? Projection { get; }

    /// <summary>The layers of <c>F</c>, then the projection if there is one.</summary>
    public override IReadOnlyList<Layer<T>> Sublayers { get; }

    /// <inheritdoc />
    public override IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <inheritdoc />
    public override IReadOnlyList<Parameter<T>> State { get; }

    /// <inheritdoc />
    public override string Kind => "residual";

    /// <inheritdoc />
    public override Matrix<T> Forward(Matrix<T> input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        ShapeCheck.Columns(input, InputSize, nameof(input));
        Matrix<T> current = input;
        foreach (Layer<T> layer in _layers)
        {
            current = layer.Forward(current, training);
        }

        Matrix<T> output = _outputBuffers.For(input.RowCount)[0];
        Matrix<T> skip = Projection is null ? input : Projection.Forward(input, training);
        Tp.Add(DenseStorage.Of(current), DenseStorage.Of(skip), DenseStorage.Of(output)); // y = F(x) + x
        _lastInput = input;
        return output;
    }

    /// <inheritdoc />
    public override Matrix<T>? Backward(Matrix<T> outputGradient, bool computeInputGradient = true)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        Matrix<T> input = _lastInput ?? throw new InvalidOperationException("Backward was called before Forward: run a forward pass on a batch first.");
        ShapeCheck.Shape(outputGradient, input.RowCount, OutputSize, nameof(outputGradient));
        Matrix<T>? gradient = outputGradient;
        for (int i = _layers.Length - 1; i >= 0; i--)
        {
            gradient = _layers[i].Backward(gradient!, computeInputGradient: i > 0 || computeInputGradient);
        }

        Matrix<T>? skipGradient = Projection is null ? outputGradient : Projection.Backward(outputGradient, computeInputGradient);
        if (!computeInputGradient)
        {
            return null;
        }

        Matrix<T> dx = _inputGradientBuffers.For(input.RowCount)[0];
        Tp.Add(DenseStorage.Of(gradient!), DenseStorage.Of(skipGradient!), DenseStorage.Of(dx)); // ∂L/∂x = ∂F/∂x·g + g
        return dx;
    }

    /// <inheritdoc />
    public override void Predict(Matrix<T> input, Matrix<T> output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ShapeCheck.Columns(input, InputSize, nameof(input));
        ShapeCheck.Shape(output, input.RowCount, OutputSize, nameof(output));

        // Each thread keeps its own intermediate outputs (one per layer but the last, and the projection's).
        int rows = input.RowCount;
        Matrix<T>[]? hidden = _predictionBuffers.Value;
        if (hidden is null || hidden[0].RowCount != rows)
        {
            hidden = new Matrix<T>[_layers.Length];
            for (int i = 0; i < _layers.Length - 1; i++)
            {
                hidden[i] = Matrix<T>.Build.Dense(rows, _layers[i].OutputSize);
            }

            hidden[^1] = Matrix<T>.Build.Dense(rows, OutputSize);
            _predictionBuffers.Value = hidden;
        }

        Matrix<T> current = input;
        for (int i = 0; i < _layers.Length; i++)
        {
            Matrix<T> next = i == _layers.Length - 1 ? output : hidden[i];
            _layers[i].Predict(current, next);
            current = next;
        }

        Matrix<T> skip = input;
        if (Projection is not null)
        {
            skip = hidden[^1];
            Projection.Predict(input, skip);
        }

        Tp.Add(DenseStorage.Of(output), DenseStorage.Of(skip), DenseStorage.Of(output));
    }

    /// <inheritdoc />
    public override JsonObject GetConfig() => new()
    {
        ["inputs"] = InputSize,
        ["outputs"] = OutputSize,
        ["layers"] = new JsonArray(_layers.Select(l => (JsonNode)LayerRegistry.Describe(l)).ToArray()),
        ["projection"] = Projection is null ? null : LayerRegistry.Describe(Projection),
    };

    /// <inheritdoc />
    public override string ExportOnnx(OnnxGraph<T> graph, string input, string name)
    {
        ShapeCheck.ExportArguments(graph, input, name);
        string current = input;
        for (int i = 0; i < _layers.Length; i++)
        {
            current = _layers[i].ExportOnnx(graph, current, $"{name}.{i}");
        }

        string skip = Projection is null ? input : Projection.ExportOnnx(graph, input, $"{name}.projection");
        graph.Node("Add", [current, skip], $"{name}.y"); // y = F(x) + x
        return $"{name}.y";
    }

    /// <summary>
    /// The shapes of the parameters and state a block built from <paramref name="config"/> has: its layers' in order, then the
    /// projection's (a dense one when none is given and the sizes differ); null when a layer inside is of a user's kind.
    /// </summary>
    internal static LayerShapes.Set? ShapesFromConfig(JsonElement config)
    {
        int inputs = (int)HeaderField.Integer(config, "inputs", 1, Array.MaxLength);
        int outputs = (int)HeaderField.Integer(config, "outputs", 1, Array.MaxLength);
        List<LayerShapes.Set?> inner = HeaderField.Required(config, "layers", JsonValueKind.Array).EnumerateArray().Select(LayerRegistry.ExpectedShapes<T>).ToList();
        if (config.TryGetProperty("projection", out JsonElement p) && p.ValueKind != JsonValueKind.Null)
        {
            inner.Add(LayerRegistry.ExpectedShapes<T>(p));
        }
        else if (inputs != outputs)
        {
            inner.Add(new LayerShapes.Set([new(outputs, inputs), new(outputs, 1)], []));
        }

        return inner.Any(s => s is null) ? null : new([.. inner.SelectMany(s => s!.Value.Parameters)], [.. inner.SelectMany(s => s!.Value.State)]);
    }

    /// <summary>Rebuilds the block, its layers through <see cref="LayerRegistry"/>, from the settings <see cref="GetConfig"/> wrote.</summary>
    internal static ResidualBlock<T> FromConfig(JsonElement config)
    {
        int inputs = (int)HeaderField.Integer(config, "inputs", 1, Array.MaxLength);
        int outputs = (int)HeaderField.Integer(config, "outputs", 1, Array.MaxLength);
        Layer<T>[] layers = HeaderField.Required(config, "layers", JsonValueKind.Array).EnumerateArray().Select(LayerRegistry.Create<T>).ToArray();
        Layer<T>? projection = config.TryGetProperty("projection", out JsonElement p) && p.ValueKind != JsonValueKind.Null ? LayerRegistry.Create<T>(p) : null;
        var block = new ResidualBlock<T>(layers, projection);
        if (block.InputSize != inputs || block.OutputSize != outputs)
        {
            throw new InvalidDataException($"The model header describes a residual block of {inputs} → {outputs} features whose layers make {block.InputSize} → {block.OutputSize}.");
        }

        return block;
    }

    /// <inheritdoc />
    protected override void Initialize(RandomSource random)
    {
        foreach (Layer<T> layer in Sublayers)
        {
            layer.InitializeFor(random);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"Residual({InputSize} → {OutputSize}: {string.Join(", ", _layers.Select(l => l.ToString()))}{(Projection is null ? string.Empty : $" + projection")})";
}
