using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using NeuralNet.Layers;

namespace NeuralNet.Serialization;

/// <summary>The <c>[rows, columns]</c> shapes of each layer's parameters and state: written in its header entry, read and checked against the file before any layer is built.</summary>
internal static class LayerShapes
{
    /// <summary>The <c>[rows, columns]</c> of each tensor, as a layer entry lists them.</summary>
    public static JsonArray Of<T>(IReadOnlyList<Parameter<T>> tensors)
        where T : struct, IFloatingPointIeee754<T> =>
        new(tensors.Select(t => (JsonNode)new JsonArray(t.Rows, t.Columns)).ToArray());

    /// <summary>
    /// The shapes of a layer's parameters and state as its header entry declares them, read before any
    /// layer is built so that their sizes are checked against the file's length first. Version 1 had only
    /// dense and dropout layers and no such lists: their shapes follow from the sizes.
    /// </summary>
    public static (TensorShape[] Parameters, TensorShape[] State) Declared(JsonElement layer, uint version)
    {
        if (version >= 2)
        {
            return (ReadShapes(layer, "parameters"), ReadShapes(layer, "state"));
        }

        string kind = HeaderField.String(layer, "kind");
        switch (kind)
        {
            case "dense":
                int inputs = (int)HeaderField.Integer(layer, "inputs", 1, Array.MaxLength);
                int outputs = (int)HeaderField.Integer(layer, "outputs", 1, Array.MaxLength);
                if ((long)inputs * outputs > Array.MaxLength)
                {
                    throw new InvalidDataException($"The model header describes a dense layer of {inputs} × {outputs} weights, more than an array can hold.");
                }

                return ([new(outputs, inputs), new(outputs, 1)], []);
            case "dropout":
                return ([], []);
            default:
                throw new InvalidDataException($"The model uses the layer kind '{HeaderField.Printable(kind)}', which format version 1 does not have.");
        }
    }

    private static TensorShape[] ReadShapes(JsonElement layer, string name)
    {
        JsonElement list = HeaderField.Required(layer, name, JsonValueKind.Array);
        return list.EnumerateArray().Select(shape =>
        {
            if (shape.ValueKind != JsonValueKind.Array || shape.GetArrayLength() != 2
                || shape[0].ValueKind != JsonValueKind.Number || shape[1].ValueKind != JsonValueKind.Number // TryGetInt32 throws on other kinds
                || !shape[0].TryGetInt32(out int rows) || !shape[1].TryGetInt32(out int columns)
                || rows < 1 || columns < 1 || (long)rows * columns > Array.MaxLength)
            {
                throw new InvalidDataException($"A layer's '{name}' must list [rows, columns] pairs of positive sizes that fit an array (found {shape.GetRawText()}).");
            }

            return new TensorShape(rows, columns);
        }).ToArray();
    }

    public static void Check<T>(Layer<T> layer, int index, IReadOnlyList<Parameter<T>> actual, TensorShape[] declared, string what)
        where T : struct, IFloatingPointIeee754<T>
    {
        if (actual.Count != declared.Length || actual.Where((t, i) => t.Rows != declared[i].Rows || t.Columns != declared[i].Columns).Any())
        {
            throw new InvalidDataException($"Layer {index} ({layer}) has {what} [{string.Join(", ", actual.Select(t => $"{t.Rows}×{t.Columns}"))}], but the model header declares [{string.Join(", ", declared.Select(t => $"{t.Rows}×{t.Columns}"))}].");
        }
    }

    /// <summary>The shapes of a layer's parameters and of its state.</summary>
    public readonly record struct Set(TensorShape[] Parameters, TensorShape[] State);

    /// <summary>
    /// Refuses a layer entry whose declared shapes are not those its settings make (<paramref name="expected"/>), before the
    /// layer is built: a forged file could otherwise declare small shapes, pass the length check, and make the layer allocate
    /// what its settings say.
    /// </summary>
    public static void CheckDeclared(int index, string kind, Set expected, (TensorShape[] Parameters, TensorShape[] State) declared)
    {
        if (!expected.Parameters.SequenceEqual(declared.Parameters) || !expected.State.SequenceEqual(declared.State))
        {
            throw new InvalidDataException($"Layer {index} ({HeaderField.Printable(kind)}) declares parameters {Text(declared.Parameters)} and state {Text(declared.State)}, but its settings make parameters {Text(expected.Parameters)} and state {Text(expected.State)}.");
        }
    }

    private static string Text(TensorShape[] shapes) => $"[{string.Join(", ", shapes.Select(t => $"{t.Rows}×{t.Columns}"))}]";

    public readonly record struct TensorShape(int Rows, int Columns)
    {
        public long Length => (long)Rows * Columns;
    }
}
