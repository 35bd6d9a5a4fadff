using System.Numerics;
using System.Text.Json;
using NeuralNet.Data;

namespace NeuralNet.Serialization;

/// <summary>
/// The JSON form of the preprocessing steps (scalers, one-hot encoders) in a model file's header:
/// each step is an object with a <c>kind</c> and its fitted statistics as numbers (doubles in JSON
/// round-trip every float and double exactly).
/// </summary>
internal static class PreprocessingCodec
{
    /// <summary>The most columns or categories a saved step may list (the header's 16 MiB bound them anyway).</summary>
    private const int MaxEntries = 1 << 20;

    public static void WriteScaler<T>(Utf8JsonWriter json, FeatureScaler<T> scaler)
        where T : struct, IFloatingPointIeee754<T>
    {
        json.WriteStartObject();
        switch (scaler)
        {
            case StandardScaler<T>:
                json.WriteString("kind", "standard_scaler");
                break;
            case MinMaxScaler<T> minMax:
                json.WriteString("kind", "min_max_scaler");
                json.WriteNumber("low", minMax.Low);
                json.WriteNumber("high", minMax.High);
                break;
            default:
                throw new NotSupportedException($"The scaler {scaler.GetType().Name} cannot be saved: only StandardScaler and MinMaxScaler can.");
        }

        WriteNumbers(json, "center", scaler.Center);
        WriteNumbers(json, "scale", scaler.Scale);
        json.WriteEndObject();
    }

    public static FeatureScaler<T> ReadScaler<T>(JsonElement element)
        where T : struct, IFloatingPointIeee754<T>
    {
        string kind = HeaderField.String(element, "kind");
        T[] center = ReadNumbers<T>(element, "center");
        T[] scale = ReadNumbers<T>(element, "scale");
        if (center.Length != scale.Length)
        {
            throw new InvalidDataException($"The model header's scaler lists {center.Length} centers but {scale.Length} scales: one of each per column is expected.");
        }

        return kind switch
        {
            "standard_scaler" => HeaderField.Construct("standard scaler", () => StandardScaler<T>.FromAffine(center, scale)),
            "min_max_scaler" => ReadMinMax(element, center, scale),
            _ => throw new InvalidDataException($"The model header names an unknown scaler kind '{HeaderField.Printable(kind)}' (expected standard_scaler or min_max_scaler)."),
        };
    }

    public static void WriteEncoder(Utf8JsonWriter json, OneHotEncoder encoder)
    {
        json.WriteStartObject();
        json.WriteString("kind", "one_hot");
        json.WriteStartArray("categories");
        foreach (string category in encoder.Categories)
        {
            json.WriteStringValue(category);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static OneHotEncoder ReadEncoder(JsonElement element)
    {
        string kind = HeaderField.String(element, "kind");
        if (kind != "one_hot")
        {
            throw new InvalidDataException($"The model header names an unknown encoder kind '{HeaderField.Printable(kind)}' (expected one_hot).");
        }

        string[] categories = ReadStrings(element, "categories");
        return HeaderField.Construct("one-hot encoder", () => new OneHotEncoder(categories));
    }

    /// <summary>A required array of strings, at most <see cref="MaxEntries"/>.</summary>
    public static string[] ReadStrings(JsonElement parent, string name)
    {
        JsonElement array = HeaderField.Required(parent, name, JsonValueKind.Array);
        if (array.GetArrayLength() > MaxEntries)
        {
            throw new InvalidDataException($"The model header's '{name}' lists more than {MaxEntries} entries.");
        }

        var values = new string[array.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                throw new InvalidDataException($"The model header's '{name}' must list strings (found {item.ValueKind} at index {i}).");
            }

            try
            {
                values[i++] = item.GetString()!;
            }
            catch (InvalidOperationException e)
            {
                throw new InvalidDataException($"The model header's '{name}' holds an entry that is not a valid string (an escaped lone surrogate?).", e);
            }
        }

        return values;
    }

    private static FeatureScaler<T> ReadMinMax<T>(JsonElement element, T[] center, T[] scale)
        where T : struct, IFloatingPointIeee754<T>
    {
        double low = HeaderField.Number(element, "low"), high = HeaderField.Number(element, "high");
        return HeaderField.Construct("min-max scaler", () => MinMaxScaler<T>.FromAffine(center, scale, low, high));
    }

    private static void WriteNumbers<T>(Utf8JsonWriter json, string name, IReadOnlyList<T> values)
        where T : struct, IFloatingPointIeee754<T>
    {
        json.WriteStartArray(name);
        foreach (T value in values)
        {
            json.WriteNumberValue(double.CreateChecked(value));
        }

        json.WriteEndArray();
    }

    private static T[] ReadNumbers<T>(JsonElement parent, string name)
        where T : struct, IFloatingPointIeee754<T>
    {
        JsonElement array = HeaderField.Required(parent, name, JsonValueKind.Array);
        int count = array.GetArrayLength();
        if (count is 0 or > MaxEntries)
        {
            throw new InvalidDataException($"The model header's '{name}' must list 1 to {MaxEntries} numbers (found {count}).");
        }

        var values = new T[count];
        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetDouble(out double value) || !double.IsFinite(value))
            {
                throw new InvalidDataException($"The model header's '{name}' must list finite numbers (found {item.GetRawText()} at index {i}).");
            }

            T converted = T.CreateChecked(value);
            if (!T.IsFinite(converted))
            {
                throw new InvalidDataException($"The model header's '{name}' holds {value} at index {i}, outside the range of {typeof(T).Name}.");
            }

            values[i++] = converted;
        }

        return values;
    }
}
