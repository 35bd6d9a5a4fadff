using System.Numerics;
using System.Text.Json;
using NeuralNet.Activations;
using NeuralNet.Layers;

namespace NeuralNet.Serialization;

/// <summary>The built-in layer kinds, listed once: each layer reads its own settings (<c>FromConfig</c> beside its <c>GetConfig</c>).</summary>
internal static class BuiltInLayers<T>
    where T : struct, IFloatingPointIeee754<T>
{
    public static readonly Dictionary<string, Func<JsonElement, Layer<T>>> Factories = new(StringComparer.Ordinal)
    {
        ["dense"] = DenseLayer<T>.FromConfig,
        ["dropout"] = DropoutLayer<T>.FromConfig,
        ["batch_norm"] = BatchNormalization<T>.FromConfig,
        ["layer_norm"] = LayerNormalization<T>.FromConfig,
        ["residual"] = ResidualBlock<T>.FromConfig,
    };

    /// <summary>Each built-in kind's parameter and state shapes, computed from its settings before anything is built.</summary>
    public static readonly Dictionary<string, Func<JsonElement, LayerShapes.Set?>> Shapes = new(StringComparer.Ordinal)
    {
        ["dense"] = c => DenseLayer<T>.ShapesFromConfig(c),
        ["dropout"] = c => DropoutLayer<T>.ShapesFromConfig(c),
        ["batch_norm"] = c => BatchNormalization<T>.ShapesFromConfig(c),
        ["layer_norm"] = c => LayerNormalization<T>.ShapesFromConfig(c),
        ["residual"] = ResidualBlock<T>.ShapesFromConfig,
    };
}

/// <summary>The built-in activation functions, listed once, with the type each name stands for.</summary>
internal static class BuiltInActivations<T>
    where T : struct, IFloatingPointIeee754<T>
{
    public static readonly Dictionary<string, (Type Type, Func<JsonElement, ActivationFunction<T>> Create)> Factories = new(StringComparer.Ordinal)
    {
        ["identity"] = (typeof(Identity<T>), _ => new Identity<T>()),
        ["sigmoid"] = (typeof(Sigmoid<T>), _ => new Sigmoid<T>()),
        ["tanh"] = (typeof(Tanh<T>), _ => new Tanh<T>()),
        ["relu"] = (typeof(ReLU<T>), _ => new ReLU<T>()),
        ["leaky_relu"] = (typeof(LeakyReLU<T>), c => new LeakyReLU<T>(HeaderField.Number(c, "alpha"))),
        ["elu"] = (typeof(ELU<T>), c => new ELU<T>(HeaderField.Number(c, "alpha"))),
        ["selu"] = (typeof(SELU<T>), _ => new SELU<T>()),
        ["softplus"] = (typeof(Softplus<T>), _ => new Softplus<T>()),
        ["silu"] = (typeof(SiLU<T>), _ => new SiLU<T>()),
        ["gelu"] = (typeof(GELU<T>), _ => new GELU<T>()),
        ["softmax"] = (typeof(Softmax<T>), _ => new Softmax<T>()),
    };
}
