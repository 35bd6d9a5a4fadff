using System.Numerics;
using NeuralNet.Layers;

namespace NeuralNet.Serialization;

/// <summary>
/// Exports a trained <see cref="Network{T}"/> to an ONNX model (IR version 7, opset 13), to run it in
/// ONNX Runtime, in Python or in a browser. The model has one input <c>input</c> of shape
/// <c>[batch, InputSize]</c> and one output <c>output</c> of shape <c>[batch, OutputSize]</c>, of
/// element type float (float networks) or double (double networks).
/// </summary>
/// <remarks>
/// Each dense layer becomes a <c>Gemm</c> (<c>Z = X·Wᵀ + b</c>, <c>transB = 1</c>) followed by its
/// activation: <c>Sigmoid</c>, <c>Tanh</c>, <c>Relu</c>, <c>LeakyRelu</c>, <c>Elu</c>, <c>Selu</c>,
/// <c>Softplus</c>, <c>Softmax</c> (axis 1), <c>Identity</c>; SiLU as <c>Sigmoid</c> and <c>Mul</c>;
/// GELU as <c>Div</c>, <c>Erf</c>, <c>Add</c> and <c>Mul</c>. Dropout layers are left out (at inference
/// they pass their input through). Activation parameters (leaky ReLU and ELU alpha) are stored as
/// 32-bit floats, as ONNX attributes are. ONNX Runtime implements LeakyRelu, Elu, Selu, Softplus and
/// Erf for float only, so double models express those through Max, Min, Exp, Log, Abs and Relu, and
/// compute GELU's erf in float between two <c>Cast</c>s (relative error about 1e-7).
/// </remarks>
public static class OnnxExporter
{
    /// <summary>Writes the ONNX model of <paramref name="network"/> to a file (atomically: temporary file, then rename).</summary>
    /// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="network">The network; its layers and activations must be built-in ones.</param>
    /// <param name="path">The <c>.onnx</c> file to write; replaced if it exists.</param>
    /// <exception cref="NotSupportedException">A layer or activation has no ONNX form here (it is named in the message), or <typeparamref name="T"/> is neither float nor double.</exception>
    public static void Export<T>(Network<T> network, string path)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ProtobufWriter model = Build(network);
        AtomicFile.Write(path, nameof(path), model.CopyTo);
    }

    /// <summary>Writes the ONNX model of <paramref name="network"/> to a stream at its current position (the stream is left open).</summary>
    /// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="network">The network; its layers and activations must be built-in ones.</param>
    /// <param name="stream">A writable stream.</param>
    /// <exception cref="NotSupportedException">A layer or activation has no ONNX form here (it is named in the message), or <typeparamref name="T"/> is neither float nor double.</exception>
    public static void Export<T>(Network<T> network, Stream stream)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        Build(network).CopyTo(stream);
    }

    /// <summary>The encoded model; everything is checked before a byte is written anywhere.</summary>
    private static ProtobufWriter Build<T>(Network<T> network)
        where T : struct, IFloatingPointIeee754<T>
    {
        _ = OnnxGraph<T>.DataType;
        var graph = new OnnxGraph<T>();
        AddNetwork(graph, network, "input", "output", string.Empty);
        return graph.ToModel(network.InputSize, network.OutputSize, $"{typeof(OnnxExporter).Assembly.GetName().Version}");
    }

    /// <summary>Adds the nodes computing <paramref name="output"/> = the network of <paramref name="input"/>; tensor names start with <paramref name="prefix"/>.</summary>
    internal static void AddNetwork<T>(OnnxGraph<T> graph, Network<T> network, string input, string output, string prefix)
        where T : struct, IFloatingPointIeee754<T>
    {
        int lastDense = -1;
        for (int i = 0; i < network.Layers.Count; i++)
        {
            lastDense = network.Layers[i] switch
            {
                DenseLayer<T> => i,
                DropoutLayer<T> => lastDense,
                Layer<T> other => throw new NotSupportedException($"The layer {other.GetType().Name} ({other}) cannot be exported to ONNX: only dense and dropout layers can."),
            };
        }

        string current = input;
        for (int i = 0; i <= lastDense; i++)
        {
            if (network.Layers[i] is not DenseLayer<T> dense)
            {
                continue; // dropout: the identity at inference
            }

            string layer = $"{prefix}layer{i}";
            graph.Initializer($"{layer}.weight", [dense.OutputSize, dense.InputSize], dense.Weights.ToRowMajorArray());
            graph.Initializer($"{layer}.bias", [dense.OutputSize], dense.Biases.ToArray());
            graph.Node("Gemm", [current, $"{layer}.weight", $"{layer}.bias"], $"{layer}.z", ("transB", 1L)); // Z = X·Wᵀ + b
            string a = i == lastDense ? output : $"{layer}.a";
            OnnxActivations.Add(graph, dense.Activation, $"{layer}.z", a);
            current = a;
        }

        if (lastDense < 0)
        {
            graph.Node("Identity", [current], output); // a network of dropout layers only
        }
    }
}
