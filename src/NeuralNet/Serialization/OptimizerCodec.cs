using System.Numerics;
using System.Text.Json;
using NeuralNet.Optimizers;

namespace NeuralNet.Serialization;

/// <summary>
/// Writes an optimizer's settings and per-parameter state, generically over its state slots, and
/// rebuilds the optimizers this library knows by name. Any optimizer's state can be saved; a kind this
/// codec cannot build is restored into an instance the caller supplies.
/// </summary>
internal static class OptimizerCodec
{
    /// <summary>The settings particular to one kind of optimizer, by name (booleans as 0 or 1).</summary>
    public static Dictionary<string, double> HyperParametersOf<T>(Optimizer<T> optimizer)
        where T : struct, IFloatingPointIeee754<T> => optimizer switch
        {
            SgdOptimizer<T> sgd => new() { ["momentum"] = sgd.Momentum, ["nesterov"] = sgd.Nesterov ? 1 : 0 },
            AdamOptimizer<T> adam => new() { ["beta1"] = adam.Beta1, ["beta2"] = adam.Beta2, ["epsilon"] = adam.Epsilon }, // AdamW too
            RmsPropOptimizer<T> rms => new() { ["alpha"] = rms.Alpha, ["epsilon"] = rms.Epsilon, ["momentum"] = rms.Momentum, ["centered"] = rms.Centered ? 1 : 0 },
            _ => [],
        };

    private static bool IsKnown(string name) => name is "sgd" or "adam" or "adamw" or "rmsprop";

    /// <summary>Builds an optimizer of the saved kind, or throws when this library cannot.</summary>
    public static Optimizer<T> Create<T>(SavedOptimizer<T> saved)
        where T : struct, IFloatingPointIeee754<T>
    {
        double Hyper(string name) => saved.HyperParameters.TryGetValue(name, out double value)
            ? value
            : throw new InvalidDataException($"The saved {saved.Name} optimizer lacks its setting '{name}'.");

        bool Flag(string name) => Hyper(name) switch
        {
            0 => false,
            1 => true,
            double other => throw new InvalidDataException($"The saved {saved.Name} optimizer's setting '{name}' must be 0 or 1 (found {other})."),
        };

        Optimizer<T> optimizer = saved.Name switch
        {
            "sgd" => HeaderField.Construct("sgd optimizer", () => new SgdOptimizer<T>(saved.LearningRate, Hyper("momentum"), Flag("nesterov"), saved.WeightDecay)),
            "adam" => HeaderField.Construct("adam optimizer", () => new AdamOptimizer<T>(saved.LearningRate, Hyper("beta1"), Hyper("beta2"), Hyper("epsilon"), saved.WeightDecay)),
            "adamw" => HeaderField.Construct("adamw optimizer", () => new AdamWOptimizer<T>(saved.LearningRate, Hyper("beta1"), Hyper("beta2"), Hyper("epsilon"), saved.WeightDecay)),
            "rmsprop" => HeaderField.Construct("rmsprop optimizer", () => new RmsPropOptimizer<T>(saved.LearningRate, Hyper("alpha"), Hyper("epsilon"), Hyper("momentum"), Flag("centered"), saved.WeightDecay)),
            _ => throw new InvalidDataException($"The file holds the state of a '{HeaderField.Printable(saved.Name)}' optimizer, which this version cannot create by itself; pass an optimizer of that kind to NetworkSerializer.Load to restore its state into it."),
        };
        if (optimizer.SlotCount != saved.SlotCount)
        {
            throw new InvalidDataException($"The saved {saved.Name} optimizer keeps {saved.SlotCount} state arrays per parameter, but one with its settings keeps {optimizer.SlotCount}.");
        }

        return optimizer;
    }

    /// <summary>Checks that <paramref name="optimizer"/> is of the saved kind, so the saved state means the same to it.</summary>
    public static void CheckMatches<T>(Optimizer<T> optimizer, SavedOptimizer<T> saved, string parameterName)
        where T : struct, IFloatingPointIeee754<T>
    {
        if (optimizer.Name != saved.Name || optimizer.SlotCount != saved.SlotCount)
        {
            throw new ArgumentException($"{parameterName} must be a '{saved.Name}' optimizer keeping {saved.SlotCount} state arrays per parameter, like the saved one (received '{optimizer.Name}' keeping {optimizer.SlotCount}).", parameterName);
        }

        if (IsKnown(saved.Name))
        {
            Create(saved); // the saved settings must make a valid optimizer before they are compared with the caller's
        }

        foreach ((string name, double value) in HyperParametersOf(optimizer))
        {
            if (saved.HyperParameters.TryGetValue(name, out double savedValue) && savedValue != value)
            {
                throw new ArgumentException($"{parameterName} must have {name} = {savedValue}, like the saved optimizer (received {value}).", parameterName);
            }
        }
    }

    /// <summary>Writes the header part; the slot arrays follow in the payload in the same parameter order.</summary>
    public static void WriteHeader<T>(Utf8JsonWriter json, Optimizer<T> optimizer, IReadOnlyList<Parameter<T>> parameters)
        where T : struct, IFloatingPointIeee754<T>
    {
        json.WriteStartObject();
        json.WriteString("name", optimizer.Name);
        json.WriteNumber("learningRate", optimizer.LearningRate);
        json.WriteNumber("weightDecay", optimizer.WeightDecay);
        WriteOptional(json, "clipNorm", optimizer.ClipNorm);
        WriteOptional(json, "clipValue", optimizer.ClipValue);
        json.WriteStartObject("hyperParameters");
        foreach ((string name, double value) in HyperParametersOf(optimizer))
        {
            json.WriteNumber(name, value);
        }

        json.WriteEndObject();
        json.WriteNumber("iterations", optimizer.Iterations);
        json.WriteNumber("slots", optimizer.SlotCount);
        json.WriteStartArray("states");
        foreach (Parameter<T> parameter in parameters)
        {
            if (optimizer.StateOf(parameter) is OptimizerState<T> state)
            {
                json.WriteStartObject();
                json.WriteNumber("steps", state.Steps);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNullValue();
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static void WritePayload<T>(ModelWriter writer, Optimizer<T> optimizer, IReadOnlyList<Parameter<T>> parameters)
        where T : struct, IFloatingPointIeee754<T>
    {
        foreach (Parameter<T> parameter in parameters)
        {
            if (optimizer.StateOf(parameter) is OptimizerState<T> state)
            {
                for (int s = 0; s < state.SlotCount; s++)
                {
                    writer.WriteArray<T>(state.Slot(s));
                }
            }
        }
    }

    /// <summary>Reads the header part and returns the payload bytes it announces.</summary>
    public static (SavedOptimizer<T> Saved, long PayloadValues) ReadHeader<T>(JsonElement element, IReadOnlyList<long> parameterLengths)
        where T : struct, IFloatingPointIeee754<T>
    {
        var hyper = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (JsonProperty property in HeaderField.Required(element, "hyperParameters", JsonValueKind.Object).EnumerateObject())
        {
            string name = HeaderField.NameOf(property);
            hyper[name] = property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetDouble(out double v) && double.IsFinite(v)
                ? v
                : throw new InvalidDataException($"The optimizer's setting '{HeaderField.Printable(name)}' must be a finite number (found {property.Value.ValueKind}).");
        }

        int slots = (int)HeaderField.Integer(element, "slots", 0, 16);
        JsonElement states = HeaderField.Required(element, "states", JsonValueKind.Array);
        if (states.GetArrayLength() != parameterLengths.Count)
        {
            throw new InvalidDataException($"The optimizer state lists {states.GetArrayLength()} parameters but the network has {parameterLengths.Count}.");
        }

        var steps = new long?[parameterLengths.Count];
        long values = 0;
        int i = 0;
        foreach (JsonElement state in states.EnumerateArray())
        {
            if (state.ValueKind != JsonValueKind.Null)
            {
                steps[i] = HeaderField.Integer(state, "steps", 0, long.MaxValue);
                values += slots * parameterLengths[i];
            }

            i++;
        }

        // The settings every optimizer shares are checked here with the rules of their setters, so that restoring them
        // into an optimizer later cannot fail half-way (a clipNorm of -1 used to escape as ArgumentOutOfRangeException).
        long iterations = HeaderField.Integer(element, "iterations", 0, long.MaxValue);
        for (int p = 0; p < steps.Length; p++)
        {
            if (steps[p] > iterations)
            {
                throw new InvalidDataException($"The optimizer state of parameter {p} has taken {steps[p]} steps, more than the optimizer's {iterations}: no training gives that.");
            }
        }

        var saved = new SavedOptimizer<T>
        {
            Name = HeaderField.String(element, "name"),
            LearningRate = Positive<T>(HeaderField.Number(element, "learningRate"), "learningRate"),
            WeightDecay = NonNegative<T>(HeaderField.Number(element, "weightDecay"), "weightDecay"),
            ClipNorm = HeaderField.OptionalNumber(element, "clipNorm") is double clipNorm ? Positive<T>(clipNorm, "clipNorm") : null,
            ClipValue = HeaderField.OptionalNumber(element, "clipValue") is double clipValue ? Positive<T>(clipValue, "clipValue") : null,
            HyperParameters = hyper,
            Iterations = iterations,
            SlotCount = slots,
            States = steps.Select(s => s is long n ? ((long, T[][])?)(n, []) : null).ToArray(),
        };
        return (saved, values);
    }

    /// <summary>Reads the slot arrays the header announced, in parameter order.</summary>
    public static void ReadPayload<T>(ModelReader reader, SavedOptimizer<T> saved, IReadOnlyList<long> parameterLengths)
        where T : struct, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < saved.States.Length; i++)
        {
            if (saved.States[i] is not (long steps, _))
            {
                continue;
            }

            var slots = new T[saved.SlotCount][];
            for (int s = 0; s < slots.Length; s++)
            {
                slots[s] = reader.ReadArray<T>(parameterLengths[i]);
                NetworkCodec.CheckFinite<T>(slots[s], "optimizer state");
            }

            saved.States[i] = (steps, slots);
        }
    }

    private static double Positive<T>(double value, string name)
        where T : struct, IFloatingPointIeee754<T> =>
        value > 0 && T.IsFinite(T.CreateChecked(value))
            ? value
            : throw new InvalidDataException($"The optimizer's setting '{name}' must be a number > 0, finite as {typeof(T).Name} (found {value}).");

    private static double NonNegative<T>(double value, string name)
        where T : struct, IFloatingPointIeee754<T> =>
        value >= 0 && T.IsFinite(T.CreateChecked(value))
            ? value
            : throw new InvalidDataException($"The optimizer's setting '{name}' must be a number ≥ 0, finite as {typeof(T).Name} (found {value}).");

    private static void WriteOptional(Utf8JsonWriter json, string name, double? value)
    {
        if (value is double v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
