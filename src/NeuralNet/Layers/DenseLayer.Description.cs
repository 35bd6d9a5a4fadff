using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using NeuralNet.Activations;
using NeuralNet.Initializers;
using NeuralNet.Onnx;
using NeuralNet.Serialization;

namespace NeuralNet.Layers;

// The dense layer's self-description (its kind and settings for the model file, its ONNX nodes, its text) and its initial weights, drawn by its initializer.
public sealed partial class DenseLayer<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override string Kind => "dense";

    /// <inheritdoc />
    public override JsonObject GetConfig() => new()
    {
        ["inputs"] = InputSize,
        ["outputs"] = OutputSize,
        ["activation"] = LayerRegistry.Describe(Activation),
        ["initializer"] = Initializer.Name,
    };

    /// <inheritdoc />
    public override string ExportOnnx(OnnxGraph<T> graph, string input, string name)
    {
        ShapeCheck.ExportArguments(graph, input, name);
        graph.Initializer($"{name}.weight", [OutputSize, InputSize], Weights.ToRowMajorArray());
        graph.Initializer($"{name}.bias", [OutputSize], _biases.ValueArray);
        graph.Node("Gemm", [input, $"{name}.weight", $"{name}.bias"], $"{name}.z", ("transB", 1L)); // Z = X·Wᵀ + b
        Activation.ExportOnnx(graph, $"{name}.z", $"{name}.a");
        return $"{name}.a";
    }

    /// <summary>The shapes of the weights and biases a dense layer built from <paramref name="config"/> has, read before building it.</summary>
    internal static LayerShapes.Set ShapesFromConfig(JsonElement config)
    {
        (int inputs, int outputs) = Sizes(config);
        return new([new(outputs, inputs), new(outputs, 1)], []);
    }

    /// <summary>Rebuilds a dense layer from the settings <see cref="GetConfig"/> wrote.</summary>
    internal static DenseLayer<T> FromConfig(JsonElement config)
    {
        (int inputs, int outputs) = Sizes(config);
        ActivationFunction<T> activation = LayerRegistry.CreateActivation<T>(HeaderField.Required(config, "activation", JsonValueKind.Object));
        string initializerName = HeaderField.String(config, "initializer");

        // An initializer the library does not know (a user's own) only mattered for the first draw: the weights are loaded.
        WeightInitializer initializer = WeightInitializer.Known.FirstOrDefault(i => i.Name == initializerName) ?? activation.DefaultInitializer;
        return new DenseLayer<T>(inputs, outputs, activation, initializer);
    }

    /// <inheritdoc />
    public override string ToString() => $"Dense({InputSize} → {OutputSize}, {Activation.Name})";

    private static (int Inputs, int Outputs) Sizes(JsonElement config)
    {
        int inputs = (int)HeaderField.Integer(config, "inputs", 1, Array.MaxLength);
        int outputs = (int)HeaderField.Integer(config, "outputs", 1, Array.MaxLength);
        if ((long)inputs * outputs > Array.MaxLength)
        {
            throw new InvalidDataException($"The model header describes a dense layer of {inputs} × {outputs} weights, more than an array can hold.");
        }

        return (inputs, outputs);
    }

    /// <inheritdoc />
    protected override void Initialize(RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Initializer.Initialize<T>(_weights.Values, InputSize, OutputSize, random);
        _biases.Values.Clear();
    }
}
