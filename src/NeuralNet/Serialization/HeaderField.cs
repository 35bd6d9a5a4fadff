using System.Text.Json;

namespace NeuralNet.Serialization;

/// <summary>
/// Strict reads of the JSON header's fields: each either returns a value of the expected kind and
/// range or throws <see cref="InvalidDataException"/> naming the field, what was expected and what was found.
/// </summary>
internal static class HeaderField
{
    public static JsonElement Required(JsonElement parent, string name, JsonValueKind kind)
    {
        if (parent.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"The model header expected an object holding '{name}' (found {parent.ValueKind}).");
        }

        if (!parent.TryGetProperty(name, out JsonElement value))
        {
            throw new InvalidDataException($"The model header lacks the field '{name}'.");
        }

        if (value.ValueKind != kind)
        {
            throw new InvalidDataException($"The model header's field '{name}' must be {kind} (found {value.ValueKind}).");
        }

        return value;
    }

    public static string String(JsonElement parent, string name)
    {
        JsonElement value = Required(parent, name, JsonValueKind.String);
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidDataException($"The model header's field '{name}' is not a valid string (an escaped lone surrogate?).", e);
        }
    }

    /// <summary>A property's name, refusing an escaped lone surrogate the way <see cref="String"/> does.</summary>
    public static string NameOf(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidDataException("The model header holds a field name that is not a valid string (an escaped lone surrogate?).", e);
        }
    }

    public static long Integer(JsonElement parent, string name, long min, long max)
    {
        JsonElement value = Required(parent, name, JsonValueKind.Number);
        if (!value.TryGetInt64(out long result) || result < min || result > max)
        {
            throw new InvalidDataException($"The model header's field '{name}' must be an integer in [{min}, {max}] (found {value.GetRawText()}).");
        }

        return result;
    }

    public static ulong UnsignedInteger(JsonElement parent, string name)
    {
        JsonElement value = Required(parent, name, JsonValueKind.Number);
        return value.TryGetUInt64(out ulong result)
            ? result
            : throw new InvalidDataException($"The model header's field '{name}' must be an integer in [0, {ulong.MaxValue}] (found {value.GetRawText()}).");
    }

    public static double Number(JsonElement parent, string name)
    {
        JsonElement value = Required(parent, name, JsonValueKind.Number);
        return value.TryGetDouble(out double result) && double.IsFinite(result)
            ? result
            : throw new InvalidDataException($"The model header's field '{name}' must be a finite number (found {value.GetRawText()}).");
    }

    /// <summary>A number that may be <c>null</c> in the header.</summary>
    public static double? OptionalNumber(JsonElement parent, string name)
    {
        if (parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return Number(parent, name);
    }

    /// <summary>At most 64 characters of a name read from a file, for an error message.</summary>
    public static string Printable(string name) => name.Length <= 64 ? name : name[..64] + "…";

    /// <summary>Rethrows what a library constructor refused (an out-of-range rate or alpha) as a format error.</summary>
    public static TResult Construct<TResult>(string what, Func<TResult> create)
    {
        try
        {
            return create();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"The model header describes an invalid {what}: {e.Message}", e);
        }
    }
}
