using System.Numerics;
using System.Runtime.InteropServices;

namespace NeuralNet.Onnx;

/// <summary>
/// An ONNX graph under construction (nodes, initializers, one input and one output) and its encoding
/// as an ONNX <c>ModelProto</c>. Field numbers are those of onnx.proto (IR version 7, opset 17).
/// Each layer and activation adds its own nodes to it (<c>Layer&lt;T&gt;.ExportOnnx</c>,
/// <c>ActivationFunction&lt;T&gt;.ExportOnnx</c>); a user-written layer does the same.
/// </summary>
/// <typeparam name="T">The element type of the model's tensors, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class OnnxGraph<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>The ONNX IR version written.</summary>
    public const long IrVersion = 7;

    /// <summary>The opset of the default domain the nodes may use.</summary>
    public const long OpsetVersion = 17;
    private const long AttributeFloat = 1, AttributeInt = 2, AttributeInts = 7, AttributeStrings = 8;

    /// <summary>ONNX's TensorProto data types used beside <typeparamref name="T"/>.</summary>
    internal const long Int64Type = 7, StringType = 8;

    private readonly List<Action<ProtobufWriter>> _nodes = [];
    private readonly List<Action<ProtobufWriter>> _initializers = [];
    private readonly Dictionary<double, string> _constants = [];
    private readonly SortedSet<string> _domains = new(StringComparer.Ordinal);

    /// <summary>ONNX's TensorProto data type of <typeparamref name="T"/>: FLOAT = 1, DOUBLE = 11.</summary>
    internal static long DataType => typeof(T) == typeof(float) ? 1
        : typeof(T) == typeof(double) ? 11
        : throw new NotSupportedException($"Only float and double networks can be exported to ONNX (received {typeof(T).Name}).");

    /// <summary>Internal constructor: the exporter makes the graph and hands it to each layer.</summary>
    internal OnnxGraph()
    {
    }

    /// <summary>Adds a node; attributes are (name, value) pairs, a float value giving a FLOAT attribute and a long an INT one.</summary>
    /// <param name="opType">The ONNX operator, e.g. <c>Gemm</c>.</param>
    /// <param name="inputs">The names of its input tensors.</param>
    /// <param name="output">The name of its output tensor (unique in the graph).</param>
    /// <param name="attributes">Its attributes: a <see cref="float"/> value gives a FLOAT attribute, a <see cref="long"/> an INT one.</param>
    public void Node(string opType, string[] inputs, string output, params (string Name, object Value)[] attributes)
        => DomainNode(string.Empty, opType, inputs, output, attributes);

    /// <summary>As <see cref="Node"/>, for an operator of another domain than ONNX's own (e.g. <c>ai.onnx.ml</c>).</summary>
    internal void DomainNode(string domain, string opType, string[] inputs, string output, params (string Name, object Value)[] attributes)
    {
        ArgumentNullException.ThrowIfNull(opType);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(attributes);
        string name = $"{output}.{opType}";
        if (domain.Length > 0)
        {
            _domains.Add(domain);
        }

        _nodes.Add(node =>
        {
            foreach (string input in inputs)
            {
                node.String(1, input);
            }

            node.String(2, output).String(3, name).String(4, opType);
            if (domain.Length > 0)
            {
                node.String(7, domain);
            }

            foreach ((string attributeName, object value) in attributes)
            {
                node.Message(5, attribute =>
                {
                    attribute.String(1, attributeName);
                    _ = value switch
                    {
                        float f => attribute.Float(2, f).Int64(20, AttributeFloat),
                        long i => attribute.Int64(3, i).Int64(20, AttributeInt),
                        long[] ints => Ints(attribute, ints),
                        string[] strings => Strings(attribute, strings),
                        _ => throw new InvalidOperationException($"ONNX attribute {attributeName} has an unexpected type {value.GetType().Name}."),
                    };
                });
            }
        });
    }

    /// <summary>Adds a weight tensor of shape <paramref name="dims"/>, given in row-major order (ONNX's layout).</summary>
    /// <param name="name">The tensor's name (unique in the graph).</param>
    /// <param name="dims">Its shape; empty for a scalar.</param>
    /// <param name="rowMajor">Its values, row-major; copied.</param>
    public void Initializer(string name, long[] dims, T[] rowMajor)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(dims);
        ArgumentNullException.ThrowIfNull(rowMajor);
        byte[] raw = MemoryMarshal.AsBytes(rowMajor.AsSpan()).ToArray();
        if (!BitConverter.IsLittleEndian)
        {
            Endianness.Reverse(raw, Marshal.SizeOf<T>()); // raw_data is little-endian
        }

        _initializers.Add(tensor =>
        {
            foreach (long dim in dims)
            {
                tensor.Int64(1, dim);
            }

            tensor.Int64(2, DataType).String(8, name).Bytes(9, raw);
        });
    }

    /// <summary>Adds a 1-D tensor of strings (e.g. class names).</summary>
    internal void StringInitializer(string name, IReadOnlyList<string> values)
    {
        string[] copy = values.ToArray();
        _initializers.Add(tensor =>
        {
            tensor.Int64(1, copy.Length).Int64(2, StringType);
            foreach (string value in copy)
            {
                tensor.String(6, value);
            }

            tensor.String(8, name);
        });
    }

    /// <summary>Adds a tensor of 64-bit integers (e.g. a shape for Reshape), dims as given.</summary>
    internal void Int64Initializer(string name, long[] dims, long[] values)
    {
        byte[] raw = MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        if (!BitConverter.IsLittleEndian)
        {
            Endianness.Reverse(raw, sizeof(long));
        }

        _initializers.Add(tensor =>
        {
            foreach (long dim in dims)
            {
                tensor.Int64(1, dim);
            }

            tensor.Int64(2, Int64Type).String(8, name).Bytes(9, raw);
        });
    }

    /// <summary>Adds a 1-D tensor of numbers of <typeparamref name="T"/>.</summary>
    internal void VectorInitializer(string name, IReadOnlyList<T> values) => Initializer(name, [values.Count], values.ToArray());

    /// <summary>The name of a scalar constant of <typeparamref name="T"/> (created once per value).</summary>
    /// <param name="value">The constant's value.</param>
    /// <returns>The name of its tensor.</returns>
    public string Constant(double value)
    {
        if (!_constants.TryGetValue(value, out string? name))
        {
            name = $"const_{_constants.Count}";
            _constants[value] = name;
            Initializer(name, [], [T.CreateChecked(value)]);
        }

        return name;
    }

    /// <summary>Encodes the whole model: <c>ModelProto</c> with the graph, its input <c>input</c> [batch, inputs] and output <c>output</c> [batch, outputs].</summary>
    internal ProtobufWriter ToModel(int inputSize, int outputSize, string producerVersion) =>
        ToModel([("input", DataType, ["batch", (long)inputSize])], [("output", DataType, ["batch", (long)outputSize])], producerVersion);

    /// <summary>
    /// Encodes a model with several inputs and outputs: each (name, element type, dims) where a dim is a
    /// <see cref="long"/> size or a <see cref="string"/> symbol (e.g. <c>batch</c>).
    /// </summary>
    internal ProtobufWriter ToModel(IReadOnlyList<(string Name, long ElementType, object[] Dims)> inputs, IReadOnlyList<(string Name, long ElementType, object[] Dims)> outputs, string producerVersion)
    {
        var model = new ProtobufWriter();
        model.Int64(1, IrVersion)
            .String(2, "NeuralNet")
            .String(3, producerVersion)
            .Message(7, graph =>
            {
                foreach (Action<ProtobufWriter> node in _nodes)
                {
                    graph.Message(1, node);
                }

                graph.String(2, "neuralnet");
                foreach (Action<ProtobufWriter> initializer in _initializers)
                {
                    graph.Message(5, initializer);
                }

                foreach ((string name, long type, object[] dims) in inputs)
                {
                    graph.Message(11, value => ValueInfo(value, name, type, dims));
                }

                foreach ((string name, long type, object[] dims) in outputs)
                {
                    graph.Message(12, value => ValueInfo(value, name, type, dims));
                }
            })
            .Message(8, opset => opset.String(1, string.Empty).Int64(2, OpsetVersion));
        foreach (string domain in _domains)
        {
            model.Message(8, opset => opset.String(1, domain).Int64(2, 1));
        }

        return model;
    }

    private static ProtobufWriter Ints(ProtobufWriter attribute, long[] values)
    {
        foreach (long value in values)
        {
            attribute.Int64(8, value);
        }

        return attribute.Int64(20, AttributeInts);
    }

    private static ProtobufWriter Strings(ProtobufWriter attribute, string[] values)
    {
        foreach (string value in values)
        {
            attribute.String(9, value);
        }

        return attribute.Int64(20, AttributeStrings);
    }

    private static void ValueInfo(ProtobufWriter value, string name, long elementType, object[] dims) =>
        value.String(1, name).Message(2, type => type.Message(1, tensor => tensor
            .Int64(1, elementType)
            .Message(2, shape =>
            {
                foreach (object dim in dims)
                {
                    _ = dim is string symbol ? shape.Message(1, d => d.String(2, symbol)) : shape.Message(1, d => d.Int64(1, (long)dim));
                }
            })));
}
