using System.Numerics;
using System.Text.Json;
using NeuralNet.Initializers;
using NeuralNet.Layers;

namespace NeuralNet.Serialization;

/// <summary>
/// Writes a built-in layer as its kind and sizes, and reads it back as a recipe: how many parameter
/// values it holds (checked against the file length first) and how to build it.
/// </summary>
internal static class LayerCodec
{
    private static readonly WeightInitializer[] KnownInitializers =
    [
        WeightInitializer.GlorotUniform, WeightInitializer.GlorotNormal, WeightInitializer.HeUniform, WeightInitializer.HeNormal,
        WeightInitializer.LeCunUniform, WeightInitializer.LeCunNormal, WeightInitializer.PyTorchUniform, WeightInitializer.Zeros,
    ];

    public static void Write<T>(Utf8JsonWriter json, Layer<T> layer)
        where T : struct, IFloatingPointIeee754<T>
    {
        json.WriteStartObject();
        switch (layer)
        {
            case DenseLayer<T> dense:
                json.WriteString("kind", "dense");
                json.WriteNumber("inputs", dense.InputSize);
                json.WriteNumber("outputs", dense.OutputSize);
                json.WritePropertyName("activation");
                ActivationCodec.Write(json, dense.Activation);
                json.WriteString("initializer", dense.Initializer.Name);
                break;
            case DropoutLayer<T> dropout:
                json.WriteString("kind", "dropout");
                json.WriteNumber("size", dropout.InputSize);
                json.WriteNumber("rate", dropout.Rate);
                if (dropout.Random is RandomSource random)
                {
                    RandomStateCodec.Write(json, "random", random);
                }

                break;
            default:
                throw new NotSupportedException($"The layer {layer.GetType().Name} is not a built-in one, so it cannot be saved: a loader could not rebuild it.");
        }

        json.WriteEndObject();
    }

    /// <summary>
    /// Reads one layer's description: the length of each of its parameters (in order), a function that
    /// builds it, and a function that restores its state once its network has taken it.
    /// </summary>
    public static (long[] ParameterLengths, Func<Layer<T>> Create, Action<Layer<T>> Restore) Read<T>(JsonElement element)
        where T : struct, IFloatingPointIeee754<T>
    {
        string kind = HeaderField.String(element, "kind");
        switch (kind)
        {
            case "dense":
            {
                int inputs = (int)HeaderField.Integer(element, "inputs", 1, Array.MaxLength);
                int outputs = (int)HeaderField.Integer(element, "outputs", 1, Array.MaxLength);
                long weights = (long)inputs * outputs;
                if (weights > Array.MaxLength)
                {
                    throw new InvalidDataException($"The model header describes a dense layer of {inputs} × {outputs} weights, more than an array can hold.");
                }

                var activation = ActivationCodec.Read<T>(HeaderField.Required(element, "activation", JsonValueKind.Object));
                string initializerName = HeaderField.String(element, "initializer");

                // An initializer the library does not know (a user's own) only mattered for the first draw: the weights are loaded.
                WeightInitializer initializer = Array.Find(KnownInitializers, i => i.Name == initializerName) ?? activation.DefaultInitializer;
                return ([weights, outputs], () => new DenseLayer<T>(inputs, outputs, activation, initializer), _ => { });
            }

            case "dropout":
            {
                int size = (int)HeaderField.Integer(element, "size", 1, Array.MaxLength);
                double rate = HeaderField.Number(element, "rate");
                HeaderField.Construct("dropout layer", () => new DropoutLayer<T>(1, rate));
                var random = RandomStateCodec.Read(element, "random");
                return ([], () => new DropoutLayer<T>(size, rate), layer =>
                {
                    if (random is { } state && layer is DropoutLayer<T> { Random: RandomSource source })
                    {
                        source.State = state; // after the network's Initialize, which forks the layer a fresh source
                    }
                });
            }

            default:
                throw new InvalidDataException($"The model uses the layer kind '{ActivationCodec.Printable(kind)}', which this version of NeuralNet does not know.");
        }
    }
}
