using System.Text.Json;
using System.Text.Json.Nodes;

namespace NeuralNet.Serialization;

/// <summary>
/// Writes and reads the state of a <see cref="RandomSource"/> (the network's, a dropout layer's), so that a
/// loaded model continues the same random sequence (shuffling, dropout masks) as if it had never been saved.
/// </summary>
internal static class RandomStateCodec
{
    /// <summary>Writes <c>"name": { "state": [s0, s1, s2, s3], "spareGaussian": x | null }</c>.</summary>
    public static void Write(Utf8JsonWriter json, string name, RandomSource random)
    {
        (ulong s0, ulong s1, ulong s2, ulong s3, double? spare) = random.State;
        json.WriteStartObject(name);
        json.WriteStartArray("state");
        json.WriteNumberValue(s0);
        json.WriteNumberValue(s1);
        json.WriteNumberValue(s2);
        json.WriteNumberValue(s3);
        json.WriteEndArray();
        if (spare is double value)
        {
            json.WriteNumber("spareGaussian", value);
        }
        else
        {
            json.WriteNull("spareGaussian");
        }

        json.WriteEndObject();
    }

    /// <summary>The same object as <see cref="Write"/> writes, as a JSON node.</summary>
    public static JsonObject ToJson(RandomSource random)
    {
        (ulong s0, ulong s1, ulong s2, ulong s3, double? spare) = random.State;
        return new JsonObject { ["state"] = new JsonArray(s0, s1, s2, s3), ["spareGaussian"] = spare };
    }

    /// <summary>Reads the state written by <see cref="Write"/> under <paramref name="name"/>; null when the field is absent or null.</summary>
    public static (ulong, ulong, ulong, ulong, double?)? Read(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out JsonElement element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        JsonElement state = HeaderField.Required(element, "state", JsonValueKind.Array);
        ulong[] words = state.EnumerateArray()
            .Select(w => w.ValueKind == JsonValueKind.Number && w.TryGetUInt64(out ulong word) ? word : throw new InvalidDataException($"The random state '{name}' must hold 64-bit unsigned integers (found {w.ValueKind})."))
            .ToArray();
        if (words.Length != 4 || (words[0] | words[1] | words[2] | words[3]) == 0)
        {
            throw new InvalidDataException($"The random state '{name}' must be four 64-bit words, not all zero (found {words.Length} words).");
        }

        return (words[0], words[1], words[2], words[3], HeaderField.OptionalNumber(element, "spareGaussian"));
    }
}
