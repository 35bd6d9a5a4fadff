using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using NeuralNet.Layers;

namespace NeuralNet.Serialization;

/// <summary>
/// The per-layer training settings of format version 2 (FORMAT.md): the optional <c>regularization</c>
/// (<c>{ "l1", "l2", "biases" }</c>, in every layer entry, nested ones too) and <c>frozen</c> (in the network's
/// layer entries: <c>true</c> when every parameter of the layer is frozen, else the ascending indices of the
/// frozen ones in the entry's <c>parameters</c> list).
/// </summary>
internal static class LayerTrainingCodec
{
    public const string RegularizationKey = "regularization";
    public const string FrozenKey = "frozen";

    /// <summary>Adds <c>regularization</c> to a layer's description when the layer sets one.</summary>
    public static void WriteRegularization<T>(JsonObject entry, Layer<T> layer)
        where T : struct, IFloatingPointIeee754<T>
    {
        if (layer.Regularization is { } r)
        {
            entry[RegularizationKey] = new JsonObject { ["l1"] = r.L1, ["l2"] = r.L2, ["biases"] = r.Biases };
        }
    }

    /// <summary>The <c>regularization</c> of a layer's description, or null when absent or null.</summary>
    public static Regularization? ReadRegularization(JsonElement entry)
    {
        if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty(RegularizationKey, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"A layer's '{RegularizationKey}' must be an object {{ \"l1\", \"l2\", \"biases\" }} or null (found {value.ValueKind}).");
        }

        double l1 = HeaderField.Number(value, "l1"), l2 = HeaderField.Number(value, "l2");
        if (!value.TryGetProperty("biases", out JsonElement biases) || biases.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw new InvalidDataException($"A layer's '{RegularizationKey}.biases' must be true or false.");
        }

        return HeaderField.Construct("regularization", () => new Regularization(l1, l2, biases.ValueKind == JsonValueKind.True));
    }

    /// <summary>Adds <c>frozen</c> to a network layer's entry when any of its parameters is frozen.</summary>
    public static void WriteFrozen<T>(JsonObject entry, Layer<T> layer)
        where T : struct, IFloatingPointIeee754<T>
    {
        int[] frozen = Enumerable.Range(0, layer.Parameters.Count).Where(i => layer.Parameters[i].Frozen).ToArray();
        if (frozen.Length > 0)
        {
            entry[FrozenKey] = frozen.Length == layer.Parameters.Count ? true : new JsonArray(frozen.Select(i => (JsonNode)i).ToArray());
        }
    }

    /// <summary>
    /// The indices of the frozen parameters a network layer's entry declares, checked against its
    /// <paramref name="parameterCount"/> declared parameters before anything is built; empty when absent.
    /// </summary>
    public static int[] ReadFrozen(JsonElement entry, int parameterCount)
    {
        if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty(FrozenKey, out JsonElement value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.False)
        {
            return [];
        }

        if (value.ValueKind == JsonValueKind.True)
        {
            return Enumerable.Range(0, parameterCount).ToArray();
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > parameterCount)
        {
            throw new InvalidDataException($"A layer's '{FrozenKey}' must be true, false, or the ascending indices of frozen parameters among its {parameterCount} (found {Describe(value)}).");
        }

        int[] indices = value.EnumerateArray().Select(v =>
            v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i) && i >= 0 && i < parameterCount
                ? i
                : throw new InvalidDataException($"A layer's '{FrozenKey}' lists {Describe(v)}, but the layer has parameters 0 to {parameterCount - 1}.")).ToArray();
        for (int i = 1; i < indices.Length; i++)
        {
            if (indices[i] <= indices[i - 1])
            {
                throw new InvalidDataException($"A layer's '{FrozenKey}' indices must be ascending without repeats (found {indices[i - 1]} then {indices[i]}).");
            }
        }

        return indices;
    }

    private static string Describe(JsonElement value)
    {
        string text = value.GetRawText();
        return text.Length <= 64 ? text : text[..64] + "…";
    }
}
