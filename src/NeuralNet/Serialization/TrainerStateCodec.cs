using System.Globalization;
using System.Numerics;
using System.Text.Json;
using NeuralNet.Training;

namespace NeuralNet.Serialization;

/// <summary>
/// Writes and reads the optional top-level <c>trainer</c> object of a checkpoint (a
/// <see cref="TrainingState{T}"/>): counters and numbers in the header, the best and last-epoch weights
/// in the payload after the optimizer's state. See FORMAT.md, version 2.
/// </summary>
internal static class TrainerStateCodec
{
    /// <summary>The header part of a saved state, and how many weight sets follow in the payload.</summary>
    /// <remarks><c>WithState</c>: each weight set holds, after the parameters, every layer's state (running statistics).</remarks>
    internal sealed record Saved(int EpochsDone, double InitialLearningRate, double[] Schedule, TrainingStateEarly? EarlyStopping, int[]? ValidationRows, (ulong, ulong, ulong, ulong, double?)? ShuffleRandom, bool HasBest, bool HasLastEpoch, SavedCallback[] Callbacks, bool WithState = false);

    /// <summary>A callback's saved state (FORMAT.md: <c>trainer.callbacks</c>).</summary>
    internal sealed record SavedCallback(int Index, string Type, double[] State);

    /// <summary>Most callbacks a state may hold, and most numbers per callback.</summary>
    private const int MaxCallbacks = 1024, MaxCallbackNumbers = 65536;

    internal readonly record struct TrainingStateEarly(double BestValue, int BestEpoch, int EpochsWithoutImprovement);

    /// <param name="json">The header being written.</param>
    /// <param name="state">The state.</param>
    /// <param name="withState">Whether its weight sets hold every layer's state after the parameters (they do when the network has any).</param>
    public static void WriteHeader<T>(Utf8JsonWriter json, TrainingState<T> state, bool withState = false)
        where T : struct, IFloatingPointIeee754<T>
    {
        json.WriteStartObject("trainer");
        json.WriteNumber("epochsDone", state.EpochsDone);
        json.WriteNumber("initialLearningRate", state.InitialLearningRate);
        json.WriteStartArray("schedule");
        foreach (double value in state.ScheduleState)
        {
            WriteNumber(json, value);
        }

        json.WriteEndArray();
        if (state.EarlyStopping is { } early)
        {
            json.WriteStartObject("earlyStopping");
            json.WritePropertyName("bestValue");
            WriteNumber(json, early.BestValue);
            json.WriteNumber("bestEpoch", early.BestEpoch);
            json.WriteNumber("epochsWithoutImprovement", early.EpochsWithoutImprovement);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("earlyStopping");
        }

        if (state.ValidationRows is { } rows)
        {
            json.WriteStartArray("validationRows");
            foreach (int row in rows)
            {
                json.WriteNumberValue(row);
            }

            json.WriteEndArray();
        }
        else
        {
            json.WriteNull("validationRows");
        }

        if (state.ShuffleRandom is { } random)
        {
            var source = new RandomSource(1) { State = random };
            RandomStateCodec.Write(json, "shuffleRandom", source);
        }
        else
        {
            json.WriteNull("shuffleRandom");
        }

        if (state.Callbacks.Count > 0)
        {
            json.WriteStartArray("callbacks"); // only when some callback keeps a state: other checkpoints are as before
            foreach (TrainingState<T>.CallbackState callback in state.Callbacks)
            {
                json.WriteStartObject();
                json.WriteNumber("index", callback.Index);
                json.WriteString("type", callback.Type);
                json.WriteStartArray("state");
                foreach (double value in callback.Values)
                {
                    WriteNumber(json, value);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteBoolean("bestWeights", state.BestWeights is not null);
        json.WriteBoolean("lastEpochWeights", state.LastEpochWeights is not null);
        if (withState)
        {
            json.WriteBoolean("weightsWithState", true);
        }

        json.WriteEndObject();
    }

    public static void WritePayload<T>(ModelWriter writer, TrainingState<T> state)
        where T : struct, IFloatingPointIeee754<T>
    {
        foreach (T[][]? set in new[] { state.BestWeights, state.LastEpochWeights })
        {
            foreach (T[] values in set ?? [])
            {
                writer.WriteArray<T>(values);
            }
        }
    }

    /// <summary>Reads the <c>trainer</c> object; null when absent or null. Ranges are checked here, shapes against the data when training continues.</summary>
    public static Saved? ReadHeader(JsonElement root)
    {
        if (!root.TryGetProperty("trainer", out JsonElement element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"The model header's field 'trainer' must be an object or null (found {element.ValueKind}).");
        }

        int epochs = (int)HeaderField.Integer(element, "epochsDone", 0, int.MaxValue);
        double initial = HeaderField.Number(element, "initialLearningRate");
        if (initial <= 0)
        {
            throw new InvalidDataException($"The model header's field 'trainer.initialLearningRate' must be > 0 (found {initial}).");
        }

        double[] schedule = HeaderField.Required(element, "schedule", JsonValueKind.Array).EnumerateArray().Select(v => ReadNumber(v, "trainer.schedule")).ToArray();
        if (schedule.Length > 64)
        {
            throw new InvalidDataException($"The model header's field 'trainer.schedule' holds at most 64 numbers (found {schedule.Length}).");
        }

        TrainingStateEarly? early = null;
        if (element.TryGetProperty("earlyStopping", out JsonElement e) && e.ValueKind != JsonValueKind.Null)
        {
            early = new TrainingStateEarly(
                ReadNumber(e.TryGetProperty("bestValue", out JsonElement bestValue) ? bestValue : default, "trainer.earlyStopping.bestValue"),
                (int)HeaderField.Integer(e, "bestEpoch", 0, epochs),
                (int)HeaderField.Integer(e, "epochsWithoutImprovement", 0, epochs));
        }

        int[]? rows = null;
        if (element.TryGetProperty("validationRows", out JsonElement r) && r.ValueKind != JsonValueKind.Null)
        {
            rows = HeaderField.Required(element, "validationRows", JsonValueKind.Array).EnumerateArray()
                .Select(v => v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int row) && row >= 0 ? row : throw new InvalidDataException($"The model header's field 'trainer.validationRows' must hold row numbers ≥ 0 (found {v.GetRawText()})."))
                .ToArray();
            for (int i = 1; i < rows.Length; i++)
            {
                if (rows[i] <= rows[i - 1])
                {
                    throw new InvalidDataException($"The model header's field 'trainer.validationRows' must be ascending without repeats (found {rows[i - 1]} then {rows[i]}).");
                }
            }
        }

        return new Saved(epochs, initial, schedule, early, rows, RandomStateCodec.Read(element, "shuffleRandom"), Flag(element, "bestWeights"), Flag(element, "lastEpochWeights"), ReadCallbacks(element),
            element.TryGetProperty("weightsWithState", out _) && Flag(element, "weightsWithState"));
    }

    /// <summary>Reads the weight sets of the payload into a state for a network with parameters (then, <see cref="Saved.WithState"/>, state tensors) of <paramref name="lengths"/>.</summary>
    public static TrainingState<T> ReadPayload<T>(ModelReader reader, Saved saved, long[] lengths)
        where T : struct, IFloatingPointIeee754<T>
    {
        T[][]? Set(bool present)
        {
            if (!present)
            {
                return null;
            }

            var set = new T[lengths.Length][];
            for (int i = 0; i < lengths.Length; i++)
            {
                set[i] = reader.ReadArray<T>(lengths[i]);
                NetworkCodec.CheckFinite<T>(set[i], "saved trainer weight");
            }

            return set;
        }

        T[][]? best = Set(saved.HasBest), last = Set(saved.HasLastEpoch);
        var early = saved.EarlyStopping is { } e ? new TrainingState<T>.EarlyStoppingRecord(e.BestValue, e.BestEpoch, e.EpochsWithoutImprovement) : (TrainingState<T>.EarlyStoppingRecord?)null;
        var callbacks = saved.Callbacks.Select(c => new TrainingState<T>.CallbackState(c.Index, c.Type, c.State)).ToArray();
        return new TrainingState<T>(saved.EpochsDone, saved.InitialLearningRate, saved.Schedule, early, saved.ValidationRows, saved.ShuffleRandom, best, last, callbacks);
    }

    /// <summary>Values of the payload the state adds, for a network of <paramref name="setValues"/> values per weight set.</summary>
    public static long PayloadValues(Saved saved, long setValues) => checked(((saved.HasBest ? 1 : 0) + (saved.HasLastEpoch ? 1 : 0)) * setValues);

    /// <summary>The optional <c>trainer.callbacks</c> array: indices ascending without repeats, a type name, numbers (±∞ and NaN as strings).</summary>
    private static SavedCallback[] ReadCallbacks(JsonElement trainer)
    {
        if (!trainer.TryGetProperty("callbacks", out JsonElement array) || array.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        JsonElement[] entries = HeaderField.Required(trainer, "callbacks", JsonValueKind.Array).EnumerateArray().ToArray();
        if (entries.Length > MaxCallbacks)
        {
            throw new InvalidDataException($"The model header's field 'trainer.callbacks' holds at most {MaxCallbacks} entries (found {entries.Length}).");
        }

        var callbacks = new SavedCallback[entries.Length];
        for (int i = 0; i < entries.Length; i++)
        {
            int index = (int)HeaderField.Integer(entries[i], "index", i == 0 ? 0 : callbacks[i - 1].Index + 1, int.MaxValue - 1);
            string type = HeaderField.String(entries[i], "type");
            if (type.Length is 0 or > 256)
            {
                throw new InvalidDataException($"The model header's field 'trainer.callbacks[{i}].type' must be a name of 1 to 256 characters (found {type.Length}).");
            }

            JsonElement state = HeaderField.Required(entries[i], "state", JsonValueKind.Array);
            if (state.GetArrayLength() > MaxCallbackNumbers)
            {
                throw new InvalidDataException($"The model header's field 'trainer.callbacks[{i}].state' holds at most {MaxCallbackNumbers} numbers (found {state.GetArrayLength()}).");
            }

            callbacks[i] = new SavedCallback(index, type, state.EnumerateArray().Select(v => ReadNumber(v, $"trainer.callbacks[{i}].state", allowNaN: true)).ToArray());
        }

        return callbacks;
    }

    private static bool Flag(JsonElement parent, string name)
    {
        return parent.TryGetProperty(name, out JsonElement value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.ValueKind == JsonValueKind.True
            : throw new InvalidDataException($"The model header's field 'trainer.{name}' must be true or false.");
    }

    /// <summary>Finite numbers as JSON numbers; ±∞ (an early-stopping record before its first epoch) and NaN (a callback's state) as strings.</summary>
    private static void WriteNumber(Utf8JsonWriter json, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumberValue(value);
        }
        else
        {
            json.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static double ReadNumber(JsonElement value, string name, bool allowNaN = false)
    {
        if (value.ValueKind == JsonValueKind.Undefined)
        {
            throw new InvalidDataException($"The model header lacks the field '{name}'.");
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double number) && double.IsFinite(number))
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String && value.GetString() is "Infinity" or "-Infinity")
        {
            return value.GetString() == "Infinity" ? double.PositiveInfinity : double.NegativeInfinity;
        }

        if (allowNaN && value.ValueKind == JsonValueKind.String && value.GetString() == "NaN")
        {
            return double.NaN;
        }

        throw new InvalidDataException($"The model header's field '{name}' must be a finite number, \"Infinity\" or \"-Infinity\" (found {value.GetRawText()}).");
    }
}
