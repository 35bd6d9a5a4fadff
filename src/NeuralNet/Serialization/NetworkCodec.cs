using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using NeuralNet.Layers;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Serialization;

/// <summary>Encodes a network (and optionally an optimizer's state) into the model file format of FORMAT.md, and decodes it back.</summary>
internal static class NetworkCodec
{
    public static void Encode<T>(Stream stream, Network<T> network, Optimizer<T>? optimizer, Action<Utf8JsonWriter>? pipeline = null, TrainingState<T>? trainer = null)
        where T : struct, IFloatingPointIeee754<T>
    {
        // Everything is checked first: an unsavable layer, activation, element type or weight throws before a byte is written.
        byte[] header = EncodeHeader(network, optimizer, pipeline, trainer);
        foreach (T[][]? set in new[] { trainer?.BestWeights, trainer?.LastEpochWeights })
        {
            if (set is not null && (set.Length != network.Parameters.Count || set.Where((w, i) => w.Length != network.Parameters[i].Length).Any()))
            {
                throw new ArgumentException($"the training state holds weights for another network ({set.Length} parameters; this one has {network.Parameters.Count}).", nameof(trainer));
            }
        }

        for (int i = 0; i < network.Parameters.Count; i++)
        {
            if (!System.Numerics.Tensors.TensorPrimitives.IsFiniteAll<T>(network.Parameters[i].Values))
            {
                throw new ArgumentException($"network has non-finite values in its parameter {i} ({network.Parameters[i]}): training diverged, and a model with NaN or infinite weights cannot be saved.", nameof(network));
            }
        }

        foreach (Parameter<T> state in network.Layers.SelectMany(l => l.State))
        {
            if (!System.Numerics.Tensors.TensorPrimitives.IsFiniteAll<T>(state.Values))
            {
                throw new ArgumentException($"network has non-finite values in the layer state {state}: training diverged, and such a model cannot be saved.", nameof(network));
            }
        }

        using var writer = new ModelWriter(stream);
        writer.WriteBytes(ModelFileLayout.Magic);
        writer.WriteUInt32(ModelFileLayout.CurrentVersion);
        writer.WriteUInt32((uint)header.Length);
        writer.WriteBytes(header);
        foreach (Layer<T> layer in network.Layers)
        {
            foreach (Parameter<T> tensor in layer.Parameters.Concat(layer.State))
            {
                writer.WriteArray<T>(tensor.Values);
            }
        }

        if (optimizer is not null)
        {
            OptimizerCodec.WritePayload(writer, optimizer, network.Parameters);
        }

        if (trainer is not null)
        {
            TrainerStateCodec.WritePayload(writer, trainer);
        }

        writer.WriteChecksum();
    }

    public static (Network<T> Network, SavedOptimizer<T>? Optimizer, TrainingState<T>? Trainer) Decode<T>(Stream stream, long length)
        where T : struct, IFloatingPointIeee754<T>
        => Decode<T>(stream, length, out _);

    /// <summary>Decodes a model; <paramref name="pipeline"/> receives a copy of the header's optional <c>pipeline</c> object (version 2), or null.</summary>
    public static (Network<T> Network, SavedOptimizer<T>? Optimizer, TrainingState<T>? Trainer) Decode<T>(Stream stream, long length, out JsonElement? pipeline)
        where T : struct, IFloatingPointIeee754<T>
    {
        using var reader = new ModelReader(stream, length);
        using JsonDocument header = ReadPreamble(reader, out uint version);
        JsonElement root = header.RootElement;
        pipeline = null;
        if (version >= 2 && root.ValueKind == JsonValueKind.Object && root.TryGetProperty("pipeline", out JsonElement pipelineElement) && pipelineElement.ValueKind != JsonValueKind.Null)
        {
            pipeline = pipelineElement.Clone();
        }

        string elementType = HeaderField.String(root, "elementType");
        if (elementType != ModelFileLayout.ElementTypeName<T>())
        {
            throw new InvalidDataException($"The model file holds {HeaderField.Printable(elementType)} values but was loaded as Network<{typeof(T).Name}> ({ModelFileLayout.ElementTypeName<T>()}); load it with the matching element type.");
        }

        ulong seed = HeaderField.UnsignedInteger(root, "seed");
        var randomState = RandomStateCodec.Read(root, "random");
        JsonElement layersElement = HeaderField.Required(root, "layers", JsonValueKind.Array);
        if (layersElement.GetArrayLength() == 0)
        {
            throw new InvalidDataException("The model header lists no layers.");
        }

        JsonElement[] layerElements = layersElement.EnumerateArray().ToArray();
        var shapes = layerElements.Select(e => DeclaredShapes(e, version)).ToArray();
        long[] parameterLengths = shapes.SelectMany(s => s.Parameters).Select(s => s.Length).ToArray();
        long values = 0;
        SavedOptimizer<T>? optimizer = null;
        TrainerStateCodec.Saved? trainer = TrainerStateCodec.ReadHeader(root);
        try
        {
            values = checked(parameterLengths.Sum());
            if (trainer is not null)
            {
                values = checked(values + TrainerStateCodec.PayloadValues(trainer, values)); // best and last-epoch weights: trainable parameters only
            }

            values = checked(values + shapes.SelectMany(s => s.State).Sum(s => s.Length));
            if (root.TryGetProperty("optimizer", out JsonElement optimizerElement) && optimizerElement.ValueKind != JsonValueKind.Null)
            {
                (optimizer, long optimizerValues) = OptimizerCodec.ReadHeader<T>(optimizerElement, parameterLengths);
                values = checked(values + optimizerValues);
            }

            long bytes = checked(values * System.Runtime.InteropServices.Marshal.SizeOf<T>());
            if (bytes != reader.RemainingBeforeChecksum)
            {
                throw new InvalidDataException($"The model header describes {bytes} bytes of weights and state, but the file holds {reader.RemainingBeforeChecksum} before its checksum: it is truncated or damaged.");
            }
        }
        catch (OverflowException e)
        {
            throw new InvalidDataException("The model header describes more values than a file can hold.", e);
        }

        // Every size is now known to fit in the file: build the network and read the weights into it.
        Layer<T>[] layers = layerElements.Select(LayerRegistry.Create<T>).ToArray();
        Network<T> network = HeaderField.Construct("network", () => new Network<T>(seed, layers));
        if (randomState is { } state)
        {
            network.Random.State = state;
        }

        for (int i = 0; i < layers.Length; i++)
        {
            CheckShapes(layers[i], i, layers[i].Parameters, shapes[i].Parameters, "parameters");
            CheckShapes(layers[i], i, layers[i].State, shapes[i].State, "state");
            foreach (Parameter<T> tensor in layers[i].Parameters.Concat(layers[i].State))
            {
                reader.ReadInto<T>(tensor.Values);
                CheckFinite<T>(tensor.Values, tensor.Name);
            }
        }

        if (optimizer is not null)
        {
            OptimizerCodec.ReadPayload(reader, optimizer, parameterLengths);
        }

        TrainingState<T>? trainingState = trainer is null ? null : TrainerStateCodec.ReadPayload<T>(reader, trainer, parameterLengths);
        reader.VerifyChecksum();
        return (network, optimizer, trainingState);
    }

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

    /// <summary>The <c>[rows, columns]</c> of each tensor, as a layer entry lists them.</summary>
    private static JsonArray Shapes<T>(IReadOnlyList<Parameter<T>> tensors)
        where T : struct, IFloatingPointIeee754<T> =>
        new(tensors.Select(t => (JsonNode)new JsonArray(t.Rows, t.Columns)).ToArray());

    /// <summary>
    /// The shapes of a layer's parameters and state as its header entry declares them, read before any
    /// layer is built so that their sizes are checked against the file's length first. Version 1 had only
    /// dense and dropout layers and no such lists: their shapes follow from the sizes.
    /// </summary>
    private static (TensorShape[] Parameters, TensorShape[] State) DeclaredShapes(JsonElement layer, uint version)
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

    private static void CheckShapes<T>(Layer<T> layer, int index, IReadOnlyList<Parameter<T>> actual, TensorShape[] declared, string what)
        where T : struct, IFloatingPointIeee754<T>
    {
        if (actual.Count != declared.Length || actual.Where((t, i) => t.Rows != declared[i].Rows || t.Columns != declared[i].Columns).Any())
        {
            throw new InvalidDataException($"Layer {index} ({layer}) has {what} [{string.Join(", ", actual.Select(t => $"{t.Rows}×{t.Columns}"))}], but the model header declares [{string.Join(", ", declared.Select(t => $"{t.Rows}×{t.Columns}"))}].");
        }
    }

    private readonly record struct TensorShape(int Rows, int Columns)
    {
        public long Length => (long)Rows * Columns;
    }

    public static void CheckFinite<T>(ReadOnlySpan<T> values, string what)
        where T : struct, IFloatingPointIeee754<T>
    {
        foreach (T value in values)
        {
            if (!T.IsFinite(value))
            {
                throw new InvalidDataException($"The model file holds a non-finite {what} ({value}): it is damaged.");
            }
        }
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

    private static byte[] EncodeHeader<T>(Network<T> network, Optimizer<T>? optimizer, Action<Utf8JsonWriter>? pipeline, TrainingState<T>? trainer)
        where T : struct, IFloatingPointIeee754<T>
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("producer", $"NeuralNet {typeof(NetworkCodec).Assembly.GetName().Version}");
            json.WriteString("elementType", ModelFileLayout.ElementTypeName<T>());
            json.WriteNumber("seed", network.Random.Seed);
            RandomStateCodec.Write(json, "random", network.Random);
            json.WriteStartArray("layers");
            foreach (Layer<T> layer in network.Layers)
            {
                JsonObject entry = LayerRegistry.Describe(layer);
                entry["parameters"] = Shapes(layer.Parameters);
                entry["state"] = Shapes(layer.State);
                entry.WriteTo(json);
            }

            json.WriteEndArray();
            if (optimizer is null)
            {
                json.WriteNull("optimizer");
            }
            else
            {
                json.WritePropertyName("optimizer");
                OptimizerCodec.WriteHeader(json, optimizer, network.Parameters);
            }

            if (pipeline is not null)
            {
                json.WritePropertyName("pipeline");
                pipeline(json);
            }

            if (trainer is not null)
            {
                TrainerStateCodec.WriteHeader(json, trainer);
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
