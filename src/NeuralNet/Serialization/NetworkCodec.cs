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
        // A trainer's weight sets hold the layers' state after the parameters (restore-best puts running statistics back too); older states hold parameters only.
        bool withState = network.WeightsAndState.Count > network.Parameters.Count && (trainer?.BestWeights ?? trainer?.LastEpochWeights)?.Length == network.WeightsAndState.Count;
        byte[] header = EncodeHeader(network, optimizer, pipeline, trainer, withState);
        foreach (T[][]? set in new[] { trainer?.BestWeights, trainer?.LastEpochWeights })
        {
            if (set is not null && (!network.FitsWeightSet(set) || set.Length != (withState ? network.WeightsAndState.Count : network.Parameters.Count)))
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
        using JsonDocument header = ModelHeader.ReadPreamble(reader, out uint version);
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
        var shapes = layerElements.Select(e => LayerShapes.Declared(e, version)).ToArray();
        int[][] frozen = layerElements.Select((e, i) => version >= 2 ? LayerTrainingCodec.ReadFrozen(e, shapes[i].Parameters.Length) : []).ToArray();
        long[] parameterLengths = shapes.SelectMany(s => s.Parameters).Select(s => s.Length).ToArray();
        long values = 0;
        SavedOptimizer<T>? optimizer = null;
        TrainerStateCodec.Saved? trainer = TrainerStateCodec.ReadHeader(root);
        try
        {
            values = checked(parameterLengths.Sum());
            if (trainer is not null)
            {
                long stateValues = checked(shapes.SelectMany(s => s.State).Sum(s => s.Length));
                values = checked(values + TrainerStateCodec.PayloadValues(trainer, trainer.WithState ? checked(values + stateValues) : values)); // best and last-epoch weights (with the layers' state)
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

        // Every declared size is now known to fit in the file, and every built-in layer's settings must make exactly the declared shapes.
        for (int i = 0; version >= 2 && i < layerElements.Length; i++)
        {
            if (LayerRegistry.ExpectedShapes<T>(layerElements[i]) is { } expected)
            {
                LayerShapes.CheckDeclared(i, HeaderField.String(layerElements[i], "kind"), expected, shapes[i]);
            }
        }

        // Build the network and read the weights into it.
        Layer<T>[] layers = layerElements.Select(LayerRegistry.Create<T>).ToArray();
        Network<T> network = HeaderField.Construct("network", () => new Network<T>(seed, layers));
        if (randomState is { } state)
        {
            network.Random.State = state;
        }

        for (int i = 0; i < layers.Length; i++)
        {
            LayerShapes.Check(layers[i], i, layers[i].Parameters, shapes[i].Parameters, "parameters");
            LayerShapes.Check(layers[i], i, layers[i].State, shapes[i].State, "state");
            foreach (Parameter<T> tensor in layers[i].Parameters.Concat(layers[i].State))
            {
                reader.ReadInto<T>(tensor.Values);
                CheckFinite<T>(tensor.Values, tensor.Name);
            }

            if (layers[i].ImpossibleState() is string problem)
            {
                throw new InvalidDataException($"Layer {i} ({layers[i]}) cannot hold the state the file gives it: {problem}.");
            }

            foreach (int f in frozen[i])
            {
                layers[i].Parameters[f].Frozen = true;
            }
        }

        if (optimizer is not null)
        {
            OptimizerCodec.ReadPayload(reader, optimizer, parameterLengths);
        }

        long[] setLengths = trainer is { WithState: true } ? [.. parameterLengths, .. shapes.SelectMany(s => s.State).Select(s => s.Length)] : parameterLengths;
        TrainingState<T>? trainingState = trainer is null ? null : TrainerStateCodec.ReadPayload<T>(reader, trainer, setLengths);
        reader.VerifyChecksum();
        return (network, optimizer, trainingState);
    }

    /// <summary>Throws <see cref="InvalidDataException"/> when a value read from the file is NaN or infinite.</summary>
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

    private static byte[] EncodeHeader<T>(Network<T> network, Optimizer<T>? optimizer, Action<Utf8JsonWriter>? pipeline, TrainingState<T>? trainer, bool weightsWithState)
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
                entry["parameters"] = LayerShapes.Of(layer.Parameters);
                entry["state"] = LayerShapes.Of(layer.State);
                LayerTrainingCodec.WriteFrozen(entry, layer);
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
                TrainerStateCodec.WriteHeader(json, trainer, weightsWithState);
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
