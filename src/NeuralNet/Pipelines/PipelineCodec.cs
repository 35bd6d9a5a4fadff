using System.Numerics;
using System.Text.Json;
using NeuralNet.Data;
using NeuralNet.Serialization;

namespace NeuralNet.Pipelines;

/// <summary>The model file header's <c>pipeline</c> object (format version 2, FORMAT.md): columns, input scaling, and the output decoding.</summary>
internal static class PipelineCodec
{
    public static void Write<T>(Utf8JsonWriter json, ModelPipeline<T> pipeline)
        where T : struct, IFloatingPointIeee754<T>
    {
        json.WriteStartObject();
        pipeline.WriteOutputs(json);
        json.WriteStartArray("columns");
        for (int c = 0; c < pipeline.ColumnNames.Count; c++)
        {
            json.WriteStartObject();
            json.WriteString("name", pipeline.ColumnNames[c]);
            if (pipeline.Categories[c] is { } encoder)
            {
                json.WritePropertyName("categories");
                PreprocessingCodec.WriteEncoder(json, encoder);
            }
            else
            {
                json.WriteNull("categories");
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (pipeline.InputScaler is null)
        {
            json.WriteNull("inputScaler");
        }
        else
        {
            json.WritePropertyName("inputScaler");
            PreprocessingCodec.WriteScaler(json, pipeline.InputScaler);
        }

        json.WriteEndObject();
    }

    public static ModelPipeline<T> Read<T>(JsonElement element, Network<T> network)
        where T : struct, IFloatingPointIeee754<T>
    {
        string task = HeaderField.String(element, "task");
        JsonElement columnsElement = HeaderField.Required(element, "columns", JsonValueKind.Array);
        if (columnsElement.GetArrayLength() == 0 || columnsElement.GetArrayLength() > network.InputSize)
        {
            throw new InvalidDataException($"The model header's pipeline must list 1 to {network.InputSize} columns, at most one per network input (found {columnsElement.GetArrayLength()}).");
        }

        var names = new List<string>();
        var categories = new List<OneHotEncoder?>();
        foreach (JsonElement column in columnsElement.EnumerateArray())
        {
            names.Add(HeaderField.String(column, "name"));
            JsonElement encoder = HeaderField.Required(column, "categories", column.TryGetProperty("categories", out JsonElement e) && e.ValueKind == JsonValueKind.Null ? JsonValueKind.Null : JsonValueKind.Object);
            categories.Add(encoder.ValueKind == JsonValueKind.Null ? null : PreprocessingCodec.ReadEncoder(encoder));
        }

        FeatureScaler<T>? inputScaler = OptionalScaler<T>(element, "inputScaler");
        return task switch
        {
            "classifier" => HeaderField.Construct("pipeline", () => new ClassifierPipeline<T>(network, PreprocessingCodec.ReadStrings(element, "classes"), inputScaler, names, categories)),
            "regressor" => ReadRegressor(element, network, inputScaler, names, categories),
            _ => throw new InvalidDataException($"The model header's pipeline has the task '{HeaderField.Printable(task)}' (expected classifier or regressor)."),
        };
    }

    private static RegressorPipeline<T> ReadRegressor<T>(JsonElement element, Network<T> network, FeatureScaler<T>? inputScaler, List<string> names, List<OneHotEncoder?> categories)
        where T : struct, IFloatingPointIeee754<T>
    {
        FeatureScaler<T>? targetScaler = OptionalScaler<T>(element, "targetScaler");
        return HeaderField.Construct("pipeline", () => new RegressorPipeline<T>(network, targetScaler, inputScaler, names, categories));
    }

    private static FeatureScaler<T>? OptionalScaler<T>(JsonElement element, string name)
        where T : struct, IFloatingPointIeee754<T>
    {
        if (element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return PreprocessingCodec.ReadScaler<T>(HeaderField.Required(element, name, JsonValueKind.Object));
    }
}
