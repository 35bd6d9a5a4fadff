using System.Collections.Concurrent;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using NeuralNet.Activations;
using NeuralNet.Layers;

namespace NeuralNet.Serialization;

/// <summary>Builds a user-written layer from the settings its <see cref="Layer{T}.GetConfig"/> wrote.</summary>
public interface ILayerFactory
{
    /// <summary>Builds the layer of element type <typeparamref name="T"/> from its settings.</summary>
    /// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="config">The settings, as <see cref="Layer{T}.GetConfig"/> wrote them (plus <c>kind</c>).</param>
    /// <returns>A new layer; its parameters and state are then read from the file into it.</returns>
    Layer<T> Create<T>(JsonObject config)
        where T : struct, IFloatingPointIeee754<T>;
}

/// <summary>Builds a user-written activation function from the settings its <see cref="ActivationFunction{T}.GetConfig"/> wrote.</summary>
public interface IActivationFactory
{
    /// <summary>Builds the function of element type <typeparamref name="T"/> from its settings.</summary>
    /// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="config">The settings, as <see cref="ActivationFunction{T}.GetConfig"/> wrote them (plus <c>name</c>).</param>
    /// <returns>A new activation function.</returns>
    ActivationFunction<T> Create<T>(JsonObject config)
        where T : struct, IFloatingPointIeee754<T>;
}

/// <summary>
/// The one place that maps a saved layer kind or activation name to the code that rebuilds it: the
/// built-in layers and activations, and those a user registers. The model file, the ONNX export and
/// the model summary all read what layers say about themselves (<see cref="Layer{T}.Kind"/>,
/// <see cref="Layer{T}.GetConfig"/>, <see cref="Layer{T}.State"/>, <see cref="Layer{T}.ExportOnnx"/>);
/// only loading needs this registry. No type named in a file is ever instantiated: only registered
/// names are accepted.
/// </summary>
public static class LayerRegistry
{
    private static readonly ConcurrentDictionary<string, ILayerFactory> UserLayers = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, IActivationFactory> UserActivations = new(StringComparer.Ordinal);

    /// <summary>Registers the factory of a user-written layer kind, so models holding it load.</summary>
    /// <param name="kind">The kind, as the layer's <see cref="Layer{T}.Kind"/> gives it; not a built-in one.</param>
    /// <param name="factory">Builds the layer from its settings.</param>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is a built-in kind or already registered to another factory.</exception>
    public static void Register(string kind, ILayerFactory factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(factory);
        if (BuiltInLayers<double>.Factories.ContainsKey(kind))
        {
            throw new ArgumentException($"'{kind}' is a built-in layer kind; choose another name for your layer.", nameof(kind));
        }

        if (UserLayers.GetOrAdd(kind, factory) != factory)
        {
            throw new ArgumentException($"The layer kind '{kind}' is already registered to another factory.", nameof(kind));
        }
    }

    /// <summary>Registers the factory of a user-written activation function, so models using it load.</summary>
    /// <param name="name">The name, as the function's <see cref="ActivationFunction{T}.Name"/> gives it; not a built-in one.</param>
    /// <param name="factory">Builds the function from its settings.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is a built-in name or already registered to another factory.</exception>
    public static void Register(string name, IActivationFactory factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        if (BuiltInActivations<double>.Factories.ContainsKey(name))
        {
            throw new ArgumentException($"'{name}' is a built-in activation; choose another name for your function.", nameof(name));
        }

        if (UserActivations.GetOrAdd(name, factory) != factory)
        {
            throw new ArgumentException($"The activation '{name}' is already registered to another factory.", nameof(name));
        }
    }

    /// <summary>The layer as the model file stores it: <c>{ "kind": …, settings…, "regularization" if it has one }</c>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="layer">The layer.</param>
    /// <returns>A new JSON object.</returns>
    /// <exception cref="NotSupportedException">The layer does not describe itself, or its kind is neither built in nor registered (a loader could not rebuild it).</exception>
    public static JsonObject Describe<T>(Layer<T> layer)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(layer);
        string kind = layer.Kind;
        if (!BuiltInLayers<T>.Factories.ContainsKey(kind) && !UserLayers.ContainsKey(kind))
        {
            throw new NotSupportedException($"The layer {layer.GetType().Name} ({layer}) has the kind '{kind}', which is neither built in nor registered, so it cannot be saved: a loader could not rebuild it (LayerRegistry.Register).");
        }

        JsonObject description = Merge("kind", kind, layer.GetConfig(), "layer", ["parameters", "state", LayerTrainingCodec.RegularizationKey, LayerTrainingCodec.FrozenKey]);
        LayerTrainingCodec.WriteRegularization(description, layer);
        return description;
    }

    /// <summary>The activation function as the model file stores it: <c>{ "name": …, settings… }</c>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="activation">The function.</param>
    /// <returns>A new JSON object.</returns>
    /// <exception cref="NotSupportedException">Its name is neither built in nor registered (a loader could not rebuild it).</exception>
    public static JsonObject Describe<T>(ActivationFunction<T> activation)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(activation);
        string name = activation.Name;
        bool builtIn = BuiltInActivations<T>.Factories.TryGetValue(name, out var create) && create.Type == activation.GetType();
        if (!builtIn && !UserActivations.ContainsKey(name))
        {
            throw new NotSupportedException($"The activation {activation.GetType().Name} ('{name}') is neither built in nor registered, so it cannot be saved: a loader could not rebuild it (LayerRegistry.Register).");
        }

        return Merge("name", name, activation.GetConfig(), "activation", []);
    }

    /// <summary>Builds a layer from its description (as <see cref="Describe{T}(Layer{T})"/> gives it): a residual block builds its inner layers so.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="description">The layer's description.</param>
    /// <returns>A new layer, its parameters not yet loaded.</returns>
    /// <exception cref="InvalidDataException">The kind is unknown or its settings are invalid.</exception>
    public static Layer<T> Create<T>(JsonObject description)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(description);
        using JsonDocument document = JsonDocument.Parse(description.ToJsonString());
        return Create<T>(document.RootElement);
    }

    /// <summary>Builds an activation function from its description (as <see cref="Describe{T}(ActivationFunction{T})"/> gives it).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="description">The function's description.</param>
    /// <returns>A new activation function.</returns>
    /// <exception cref="InvalidDataException">The name is unknown or its settings are invalid.</exception>
    public static ActivationFunction<T> CreateActivation<T>(JsonObject description)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(description);
        using JsonDocument document = JsonDocument.Parse(description.ToJsonString());
        return CreateActivation<T>(document.RootElement);
    }

    internal static Layer<T> Create<T>(JsonElement description)
        where T : struct, IFloatingPointIeee754<T>
    {
        string kind = HeaderField.String(description, "kind");
        Regularization? regularization = LayerTrainingCodec.ReadRegularization(description);
        Layer<T> layer;
        if (BuiltInLayers<T>.Factories.TryGetValue(kind, out var builtIn))
        {
            layer = HeaderField.Construct($"{kind} layer", () => builtIn(description));
        }
        else if (UserLayers.TryGetValue(kind, out ILayerFactory? factory))
        {
            layer = FromUserCode($"{kind} layer", () => factory.Create<T>(JsonObject.Create(description)!));
        }
        else
        {
            throw new InvalidDataException($"The model uses the layer kind '{HeaderField.Printable(kind)}', which is neither built in nor registered (LayerRegistry.Register).");
        }

        layer.Regularization = regularization;
        return layer;
    }

    /// <summary>
    /// The shapes of the parameters and state the layer <paramref name="description"/> describes will have, from its settings
    /// alone (nothing is built or allocated); null for a user's kind, whose factory alone knows them.
    /// </summary>
    internal static LayerShapes.Set? ExpectedShapes<T>(JsonElement description)
        where T : struct, IFloatingPointIeee754<T>
    {
        string kind = HeaderField.String(description, "kind");
        return BuiltInLayers<T>.Shapes.TryGetValue(kind, out var shapes) ? shapes(description) : null;
    }

    internal static ActivationFunction<T> CreateActivation<T>(JsonElement description)
        where T : struct, IFloatingPointIeee754<T>
    {
        string name = HeaderField.String(description, "name");
        if (BuiltInActivations<T>.Factories.TryGetValue(name, out var builtIn))
        {
            return HeaderField.Construct($"{name} activation", () => builtIn.Create(description));
        }

        if (UserActivations.TryGetValue(name, out IActivationFactory? factory))
        {
            return FromUserCode($"{name} activation", () => factory.Create<T>(JsonObject.Create(description)!));
        }

        throw new InvalidDataException($"The model uses the activation '{HeaderField.Printable(name)}', which is neither built in nor registered (LayerRegistry.Register).");
    }

    /// <summary>Whatever a user's factory throws on bad settings becomes the file's error.</summary>
    private static TResult FromUserCode<TResult>(string what, Func<TResult> create)
    {
        try
        {
            return create() ?? throw new InvalidDataException($"The factory of the {what} returned null.");
        }
        catch (Exception e) when (e is not InvalidDataException and not OutOfMemoryException)
        {
            throw new InvalidDataException($"The model header describes an invalid {what}: {e.Message}", e);
        }
    }

    private static JsonObject Merge(string nameKey, string name, JsonObject config, string what, string[] reserved)
    {
        var description = new JsonObject { [nameKey] = name };
        foreach ((string key, JsonNode? value) in config)
        {
            if (key == nameKey || reserved.Contains(key))
            {
                throw new InvalidOperationException($"The {what} '{name}' uses the reserved key '{key}' in its settings.");
            }

            description[key] = value?.DeepClone();
        }

        return description;
    }
}
