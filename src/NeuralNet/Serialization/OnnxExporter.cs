using System.Numerics;
using NeuralNet.Layers;
using NeuralNet.Onnx;

namespace NeuralNet.Serialization;

/// <summary>
/// Exports a trained <see cref="Network{T}"/> to an ONNX model (IR version 7, opset 17), to run it in
/// ONNX Runtime, in Python or in a browser. The model has one input <c>input</c> of shape
/// <c>[batch, InputSize]</c> and one output <c>output</c> of shape <c>[batch, OutputSize]</c>, of
/// element type float (float networks) or double (double networks).
/// </summary>
/// <remarks>
/// Each layer adds its own nodes (<see cref="Layer{T}.ExportOnnx"/>), so a user-written layer that
/// overrides it is exported too; the last layer's output goes through an <c>Identity</c> named
/// <c>output</c>. Each dense layer becomes a <c>Gemm</c> (<c>Z = X·Wᵀ + b</c>, <c>transB = 1</c>) followed by its
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
    /// <param name="network">The network; each of its layers and activations must have an ONNX form (<see cref="Layer{T}.ExportOnnx"/>).</param>
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
    /// <param name="network">The network; each of its layers and activations must have an ONNX form (<see cref="Layer{T}.ExportOnnx"/>).</param>
    /// <param name="stream">A writable stream.</param>
    /// <exception cref="NotSupportedException">A layer or activation has no ONNX form here (it is named in the message), or <typeparamref name="T"/> is neither float nor double.</exception>
    public static void Export<T>(Network<T> network, Stream stream)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ShapeCheck.Writable(stream, nameof(stream));
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
        string current = input;
        for (int i = 0; i < network.Layers.Count; i++)
        {
            current = network.Layers[i].ExportOnnx(graph, current, $"{prefix}layer{i}");
        }

        graph.Node("Identity", [current], output);
    }
}
