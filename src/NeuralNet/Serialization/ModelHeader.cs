using System.Text.Json;

namespace NeuralNet.Serialization;

/// <summary>The container's preamble (magic, version, length-prefixed JSON header), shared by model files and preprocessing-step files.</summary>
internal static class ModelHeader
{
    /// <summary>Reads and checks the magic, version and JSON header (the same for model files and preprocessing-step files).</summary>
    public static JsonDocument ReadPreamble(ModelReader reader, out uint version)
    {
        Span<byte> magic = stackalloc byte[ModelFileLayout.Magic.Length];
        reader.ReadBytes(magic);
        if (!magic.SequenceEqual(ModelFileLayout.Magic))
        {
            throw new InvalidDataException("This is not a NeuralNet model file: its first bytes are not the format's magic number.");
        }

        version = reader.ReadUInt32();
        if (version is 0 or > ModelFileLayout.CurrentVersion)
        {
            throw new InvalidDataException($"The model file has format version {version}; this version of NeuralNet reads versions 1 to {ModelFileLayout.CurrentVersion}.");
        }

        uint headerLength = reader.ReadUInt32();
        if (headerLength is 0 or > ModelFileLayout.MaxHeaderBytes)
        {
            throw new InvalidDataException($"The model header must be 1 to {ModelFileLayout.MaxHeaderBytes} bytes long (found {headerLength}).");
        }

        if (headerLength > reader.RemainingBeforeChecksum)
        {
            throw new InvalidDataException($"The model file is too short for its {headerLength}-byte header: it is truncated.");
        }

        byte[] headerBytes = new byte[headerLength];
        reader.ReadBytes(headerBytes);
        return ParseHeader(headerBytes);
    }

    private static JsonDocument ParseHeader(byte[] bytes)
    {
        // The JSON reader checks the structure but not the UTF-8 inside strings; reading such a string later would throw something else.
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            throw new InvalidDataException("The model header is not valid UTF-8: the file is damaged.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The model header is not valid JSON: {e.Message}", e);
        }

        try
        {
            // An escaped lone surrogate ("\ud800") is valid JSON but not a valid string: any later lookup of a
            // property name or string would throw InvalidOperationException, so every one is decoded here once.
            CheckStrings(document.RootElement);
        }
        catch (InvalidOperationException e)
        {
            document.Dispose();
            throw new InvalidDataException("The model header holds a name or string that is not valid text (an escaped lone surrogate): the file is damaged.", e);
        }

        return document;
    }

    private static void CheckStrings(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    _ = property.Name;
                    CheckStrings(property.Value);
                }

                break;
            case JsonValueKind.Array:
                foreach (JsonElement item in element.EnumerateArray())
                {
                    CheckStrings(item);
                }

                break;
            case JsonValueKind.String:
                _ = element.GetString();
                break;
        }
    }
}
