using System.Numerics;
using System.Text.Json;
using NeuralNet.Activations;

namespace NeuralNet.Serialization;

/// <summary>
/// Writes a built-in activation function as its name and parameters, and reads it back by mapping the
/// name to the built-in: no type named in a file is ever instantiated.
/// </summary>
internal static class ActivationCodec
{
    public static void Write<T>(Utf8JsonWriter json, ActivationFunction<T> activation)
        where T : struct, IFloatingPointIeee754<T>
    {
        json.WriteStartObject();
        json.WriteString("name", NameOf(activation));
        switch (activation)
        {
            case LeakyReLU<T> leaky:
                json.WriteNumber("alpha", leaky.Alpha);
                break;
            case ELU<T> elu:
                json.WriteNumber("alpha", elu.Alpha);
                break;
        }

        json.WriteEndObject();
    }

    public static ActivationFunction<T> Read<T>(JsonElement element)
        where T : struct, IFloatingPointIeee754<T>
    {
        string name = HeaderField.String(element, "name");
        return name switch
        {
            "identity" => new Identity<T>(),
            "sigmoid" => new Sigmoid<T>(),
            "tanh" => new Tanh<T>(),
            "relu" => new ReLU<T>(),
            "leaky_relu" => HeaderField.Construct("leaky_relu activation", () => new LeakyReLU<T>(HeaderField.Number(element, "alpha"))),
            "elu" => HeaderField.Construct("elu activation", () => new ELU<T>(HeaderField.Number(element, "alpha"))),
            "selu" => new SELU<T>(),
            "softplus" => new Softplus<T>(),
            "silu" => new SiLU<T>(),
            "gelu" => new GELU<T>(),
            "softmax" => new Softmax<T>(),
            _ => throw new InvalidDataException($"The model uses the activation '{Printable(name)}', which this version of NeuralNet does not know."),
        };
    }

    /// <summary>The saved name of a built-in activation; a user-defined one cannot be saved, since loading could not rebuild it.</summary>
    public static string NameOf<T>(ActivationFunction<T> activation)
        where T : struct, IFloatingPointIeee754<T> => activation switch
        {
            Identity<T> or Sigmoid<T> or Tanh<T> or ReLU<T> or LeakyReLU<T> or ELU<T> or SELU<T>
                or Softplus<T> or SiLU<T> or GELU<T> or Softmax<T> => activation.Name,
            _ => throw new NotSupportedException($"The activation {activation.GetType().Name} ('{activation.Name}') is not a built-in one, so it cannot be saved: a loader could not rebuild it."),
        };

    /// <summary>At most 64 characters of a name read from a file, for an error message.</summary>
    public static string Printable(string name) => name.Length <= 64 ? name : name[..64] + "…";
}
