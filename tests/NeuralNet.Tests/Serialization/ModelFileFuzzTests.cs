using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FluentAssertions;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Serialization;
using Xunit;

namespace NeuralNet.Tests.Serialization;

/// <summary>
/// Feeds thousands of damaged model files to the loader: every one must end in
/// <see cref="InvalidDataException"/> (or, when the damage was re-signed with a valid checksum and left a
/// consistent model, load and work: predict, and resume training without a non-finite weight), never any
/// other exception, a hang or a huge allocation. Several models are mutated: checkpoints of each built-in
/// optimizer, float and double, with and without dropout, and a network saved alone.
/// </summary>
public sealed class ModelFileFuzzTests
{
    /// <summary>Cases per fuzz test: 3000 by default (a few seconds); set NEURALNET_FUZZ_CASES for a longer hunt.</summary>
    private static readonly int Cases = int.TryParse(Environment.GetEnvironmentVariable("NEURALNET_FUZZ_CASES"), out int cases) && cases > 0 ? cases : 3000;

    private static readonly Model[] Models = CreateModels();

    private static byte[] Original => Models[0].Bytes;

    /// <summary>Replacement values for one header field: wrong kinds, out of every range, huge, tiny, non-finite-as-float, broken strings.</summary>
    private static readonly string[] FieldValues =
    [
        "-1", "0", "1", "2", "0.5", "-0.5", "1e-300", "1e39", "-1e39", "1e308", "-1e308", "1.7976931348623157e308",
        "2147483647", "2147483648", "4294967296", "9223372036854775807", "18446744073709551616", "1e2147483647",
        "\"x\"", "\"\"", "\"\\ud800\"", "\"relu\"", "null", "true", "false", "[]", "[1, 2, 3, 4]", "[0, 0, 0, 0]", "{}",
        "{\"\\udc00\": 1}",
    ];

    [Fact]
    public void Load_OfTruncatedFiles_AlwaysThrowsInvalidData()
    {
        foreach (Model model in Models)
        {
            for (int length = 0; length < model.Bytes.Length; length += model == Models[0] ? 1 : 7)
            {
                ExpectInvalidData(model, model.Bytes.AsSpan(0, length).ToArray(), $"{model.Name} truncated to {length} bytes");
            }
        }
    }

    [Fact]
    public void Load_OfRandomlyMutatedFiles_AlwaysThrowsInvalidData()
    {
        var random = new RandomSource(2026);
        for (int i = 0; i < Cases; i++)
        {
            Model model = Models[i % Models.Length];
            byte[] bytes = Mutate(model.Bytes, random, out string how);
            ExpectInvalidData(model, bytes, $"{model.Name}: {how}");
        }
    }

    [Fact]
    public void Load_OfMutatedFilesWithRecomputedChecksum_LoadsAndWorksOrThrowsInvalidData()
    {
        var random = new RandomSource(77);
        int rejected = 0;
        for (int i = 0; i < Cases; i++)
        {
            Model model = Models[i % Models.Length];
            byte[] bytes = Mutate(model.Bytes, random, out string how);
            if (bytes.Length > 32)
            {
                SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32), bytes.AsSpan(bytes.Length - 32));
            }

            rejected += LoadsAndWorksOrInvalidData(model, bytes, $"case {i}, {model.Name}: {how}") ? 0 : 1;
        }

        rejected.Should().BeGreaterThan(Cases / 4, "most damage to the header or sizes must be caught");
    }

    [Fact]
    public void Load_OfEditedHeaderFields_LoadsAndWorksOrThrowsInvalidData()
    {
        // Every field of every model's header, replaced by values of every kind and range, deleted, or duplicated:
        // whatever a checksum cannot catch (the file is re-signed after each edit).
        var random = new RandomSource(99);
        int cases = 0;
        foreach (Model model in Models)
        {
            (JsonNode root, byte[] payload) = Split(model.Bytes);
            int fields = Leaves(root).Count;
            for (int f = 0; f < fields; f++)
            {
                for (int v = 0; v < 5; v++)
                {
                    (string edited, string how) = EditField(root, f, random);
                    byte[] bytes = Compose(edited, payload);
                    LoadsAndWorksOrInvalidData(model, bytes, $"{model.Name}: {how}");
                    cases++;
                }
            }
        }

        cases.Should().BeGreaterThan(1000);
    }

    [Fact]
    public void Load_OfPayloadValuesSetToExtremes_LoadsAndWorksOrThrowsInvalidData()
    {
        // Weights and optimizer state re-signed with values no training gives: NaN, ±∞, huge, negative moments.
        var random = new RandomSource(5);
        foreach (Model model in Models)
        {
            int payloadStart = 16 + BitConverter.ToInt32(model.Bytes, 12);
            int size = model.IsFloat ? 4 : 8;
            int values = (model.Bytes.Length - 32 - payloadStart) / size;
            double[] extremes = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -1, -1e-30, 1e30, -1e30, 3e38, float.MaxValue, double.MaxValue];
            for (int c = 0; c < 300; c++)
            {
                byte[] bytes = (byte[])model.Bytes.Clone();
                int at = payloadStart + (size * random.NextInt(values));
                double value = extremes[random.NextInt(extremes.Length)];
                if (model.IsFloat)
                {
                    BitConverter.TryWriteBytes(bytes.AsSpan(at), (float)value);
                }
                else
                {
                    BitConverter.TryWriteBytes(bytes.AsSpan(at), value);
                }

                SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32), bytes.AsSpan(bytes.Length - 32));
                LoadsAndWorksOrInvalidData(model, bytes, $"{model.Name}: payload value at byte {at} set to {value}");
            }
        }
    }

    [Fact]
    public void Load_OfHeaderClaimingHugeLayers_ThrowsInvalidDataWithoutAllocating()
    {
        byte[] bytes = Recompose("\"outputs\": 8", "\"outputs\": 2000000000");

        long before = GC.GetAllocatedBytesForCurrentThread();
        Action load = () => NetworkSerializer.Load<double>(new MemoryStream(bytes));

        load.Should().Throw<InvalidDataException>();
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(10_000_000);
    }

    [Fact]
    public void Load_OfUnknownLayerOrActivationName_ThrowsInvalidDataNamingIt()
    {
        Action unknownLayer = () => NetworkSerializer.Load<double>(new MemoryStream(Recompose("\"kind\": \"dense\"", "\"kind\": \"System.IO.File\"")));
        Action unknownActivation = () => NetworkSerializer.Load<double>(new MemoryStream(Recompose("\"name\": \"tanh\"", "\"name\": \"swish2\"")));

        unknownLayer.Should().Throw<InvalidDataException>().WithMessage("*System.IO.File*");
        unknownActivation.Should().Throw<InvalidDataException>().WithMessage("*swish2*");
    }

    [Fact]
    public void Load_OfHeaderWithUnknownExtraFields_IgnoresThemAsFORMATmdPromises()
    {
        byte[] bytes = Recompose("\"elementType\"", "\"addedByALaterVersion\": { \"x\": [1, 2] },\n  \"elementType\"");

        Network<double> loaded = NetworkSerializer.Load<double>(new MemoryStream(bytes));

        loaded.ParameterCount.Should().Be(NetworkSerializer.Load<double>(new MemoryStream(Original)).ParameterCount);
    }

    private static Model[] CreateModels()
    {
        var sgdNetwork = new Network<double>(3,
            new DenseLayer<double>(4, 8, new Tanh<double>()),
            new DropoutLayer<double>(8, 0.5),
            new DenseLayer<double>(8, 2, new ELU<double>(0.5)));
        var sgd = new SgdOptimizer<double>(0.1, momentum: 0.9);
        sgdNetwork.TrainStep(SampleNetworks.Batch<double>(4, 4, 1), SampleNetworks.Batch<double>(4, 2, 2), new MeanSquaredError<double>(), sgd);

        var adamNetwork = new Network<double>(4, new DenseLayer<double>(3, 5, new LeakyReLU<double>(0.2)), new DenseLayer<double>(5, 3, new Softmax<double>()));
        var adam = new AdamOptimizer<double>(0.01) { ClipNorm = 1, ClipValue = 0.5 };
        Train(adamNetwork, adam, new CategoricalCrossEntropy<double>(), OneHot(3));

        var rmsNetwork = new Network<float>(5, new DenseLayer<float>(3, 4, new GELU<float>()), new DropoutLayer<float>(4, 0.25), new DenseLayer<float>(4, 1, new Sigmoid<float>()));
        var rms = new RmsPropOptimizer<float>(0.01, momentum: 0.5, centered: true);
        rmsNetwork.TrainStep(SampleNetworks.Batch<float>(6, 3, 3), MathNet.Numerics.LinearAlgebra.Matrix<float>.Build.Dense(6, 1, (r, _) => r % 2), new BinaryCrossEntropy<float>(), rms);

        var adamWNetwork = new Network<float>(6, new DenseLayer<float>(3, 3, new SiLU<float>()));
        var adamW = new AdamWOptimizer<float>(0.01, weightDecay: 0.1);
        adamWNetwork.TrainStep(SampleNetworks.Batch<float>(4, 3, 4), SampleNetworks.Batch<float>(4, 3, 5), new Huber<float>(0.5), adamW);

        var frozenNetwork = new Network<double>(8,
            new DenseLayer<double>(3, 4, new Tanh<double>()) { Regularization = new Regularization(l1: 1e-3, l2: 1e-2, biases: true) },
            new BatchNormalization<double>(4),
            new DenseLayer<double>(4, 2) { Regularization = new Regularization(l2: 0.1) });
        frozenNetwork.Layers[0].Frozen = true;
        frozenNetwork.Layers[2].Parameters[1].Frozen = true;
        var frozenAdam = new AdamOptimizer<double>(0.01);
        frozenNetwork.TrainStep(SampleNetworks.Batch<double>(5, 3, 6), SampleNetworks.Batch<double>(5, 2, 7), new MeanSquaredError<double>(), frozenAdam);

        return
        [
            new("sgd checkpoint", SampleNetworks.ToBytes(sgdNetwork, sgd), false, true),
            new("adam checkpoint", SampleNetworks.ToBytes(adamNetwork, adam), false, true),
            new("rmsprop float checkpoint", SampleNetworks.ToBytes(rmsNetwork, rms), true, true),
            new("adamw float checkpoint", SampleNetworks.ToBytes(adamWNetwork, adamW), true, true),
            new("network alone", SampleNetworks.ToBytes(SampleNetworks.EveryKind<double>()), false, false),
            new("regularised and frozen checkpoint", SampleNetworks.ToBytes(frozenNetwork, frozenAdam), false, true),
        ];
    }

    private static void Train(Network<double> network, Optimizer<double> optimizer, LossFunction<double> loss, MathNet.Numerics.LinearAlgebra.Matrix<double> target)
    {
        for (int i = 0; i < 3; i++)
        {
            network.TrainStep(SampleNetworks.Batch<double>(target.RowCount, network.InputSize, (ulong)i), target, loss, optimizer);
        }
    }

    private static MathNet.Numerics.LinearAlgebra.Matrix<double> OneHot(int classes) =>
        MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(6, classes, (r, c) => r % classes == c ? 1 : 0);

    /// <summary>Loads a (re-signed) mutant; if it loads, it must predict finite numbers for finite inputs and, for a checkpoint, resume a step.</summary>
    private static bool LoadsAndWorksOrInvalidData(Model model, byte[] bytes, string how)
    {
        try
        {
            if (model.IsFloat)
            {
                Work<float>(model, bytes);
            }
            else
            {
                Work<double>(model, bytes);
            }

            return true;
        }
        catch (InvalidDataException)
        {
            return false;
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"{how}: ended in {e.GetType().Name}: {e.Message}", e);
        }
    }

    private static void Work<T>(Model model, byte[] bytes)
        where T : struct, System.Numerics.IFloatingPointIeee754<T>
    {
        Network<T> network;
        Optimizer<T>? optimizer = null;
        if (model.HasOptimizer)
        {
            TrainingCheckpoint<T> checkpoint = NetworkSerializer.LoadCheckpoint<T>(new MemoryStream(bytes));
            (network, optimizer) = (checkpoint.Network, checkpoint.Optimizer);
        }
        else
        {
            network = NetworkSerializer.Load<T>(new MemoryStream(bytes));
        }

        // Finite but huge values (a weight of 1e308, an ELU alpha of 1e308) are valid content: predicting or
        // training with them may overflow, as it would with the network that had them. Values of a moderate size
        // must predict finite numbers and survive a resumed step.
        var input = SampleNetworks.Batch<T>(2, network.InputSize, 1);
        var output = network.Predict(input);
        bool moderate = Plausible(network, optimizer);
        if (moderate && !output.Enumerate().All(T.IsFinite))
        {
            throw new InvalidOperationException("a loaded model of moderate weights predicts non-finite numbers from finite inputs");
        }

        if (optimizer is not null && moderate)
        {
            // One resumed step with a small, finite gradient must keep every weight of a moderate size finite: state no
            // training produces (a negative second moment) would turn them into NaN here. (Finite but huge values, such
            // as a weight of 1e308, are valid content; a step may overflow them as training on them would.)
            network.TrainStep(input, output, new MeanSquaredError<T>(), optimizer);
            if (!network.Parameters.All(p => System.Numerics.Tensors.TensorPrimitives.IsFiniteAll<T>(p.Values)))
            {
                throw new InvalidOperationException("a loaded checkpoint's first resumed step made a weight non-finite");
            }
        }
    }

    /// <summary>Whether every weight, layer state value (running statistics), optimizer state value, learning rate, activation parameter and regularisation strength is of a moderate size (below 10³).</summary>
    private static bool Plausible<T>(Network<T> network, Optimizer<T>? optimizer)
        where T : struct, System.Numerics.IFloatingPointIeee754<T>
    {
        T limit = T.CreateChecked(1e3);
        bool Moderate(ReadOnlySpan<T> values) => values.IsEmpty || T.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(values)) < limit;
        bool ModerateActivation(Layer<T> layer) => layer is not DenseLayer<T> { Activation: ELU<T> { Alpha: >= 1e3 } };
        IEnumerable<Layer<T>> Walk(Layer<T> layer) => layer.Sublayers.SelectMany(Walk).Prepend(layer);
        return (optimizer is null || optimizer.LearningRate < 1e3)
            && network.Layers.All(ModerateActivation)
            && network.Layers.SelectMany(Walk).All(l => l.Regularization is null || (l.Regularization.L1 < 1e3 && l.Regularization.L2 < 1e3))
            && network.Layers.SelectMany(l => l.State).All(s => Moderate(s.Values))
            && network.Parameters.All(p => Moderate(p.Values) && (optimizer?.StateOf(p) is not { } state || Enumerable.Range(0, state.SlotCount).All(s => Moderate(state.Slot(s)))));
    }

    /// <summary>The original file with a text replaced in its header, its header length and checksum fixed.</summary>
    private static byte[] Recompose(string find, string replace)
    {
        int headerLength = BitConverter.ToInt32(Original, 12);
        string header = System.Text.Encoding.UTF8.GetString(Original, 16, headerLength);
        header.Should().Contain(find);
        return Compose(header.Replace(find, replace, StringComparison.Ordinal), Original.AsSpan(16 + headerLength, Original.Length - 32 - 16 - headerLength).ToArray());
    }

    /// <summary>Magic and version of the originals, the header, the payload and a fresh checksum.</summary>
    private static byte[] Compose(string header, byte[] payload)
    {
        byte[] headerBytes = System.Text.Encoding.UTF8.GetBytes(header);
        byte[] bytes = [.. Original.AsSpan(0, 12), .. BitConverter.GetBytes(headerBytes.Length), .. headerBytes, .. payload, .. new byte[32]];
        SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32), bytes.AsSpan(bytes.Length - 32));
        return bytes;
    }

    private static (JsonNode Header, byte[] Payload) Split(byte[] file)
    {
        int headerLength = BitConverter.ToInt32(file, 12);
        JsonNode header = JsonNode.Parse(file.AsSpan(16, headerLength))!;
        return (header, file.AsSpan(16 + headerLength, file.Length - 32 - 16 - headerLength).ToArray());
    }

    /// <summary>Every value in the header (objects, arrays and scalars) with its parent and key, in document order.</summary>
    private static List<(JsonNode? Parent, object Key)> Leaves(JsonNode root)
    {
        var found = new List<(JsonNode?, object)>();
        void Walk(JsonNode? node, JsonNode? parent, object key)
        {
            if (parent is not null)
            {
                found.Add((parent, key));
            }

            switch (node)
            {
                case JsonObject o:
                    foreach (KeyValuePair<string, JsonNode?> p in o.ToList())
                    {
                        Walk(p.Value, o, p.Key);
                    }

                    break;
                case JsonArray a:
                    for (int i = 0; i < a.Count; i++)
                    {
                        Walk(a[i], a, i);
                    }

                    break;
            }
        }

        Walk(root, null, string.Empty);
        return found;
    }

    /// <summary>A copy of the header with field <paramref name="index"/> replaced by a value of another kind or range, deleted, or renamed.</summary>
    private static (string Edited, string How) EditField(JsonNode root, int index, RandomSource random)
    {
        JsonNode copy = root.DeepClone();
        (JsonNode? parent, object key) = Leaves(copy)[index];
        int choice = random.NextInt(FieldValues.Length + 2);
        if (choice == FieldValues.Length && parent is JsonObject o1)
        {
            o1.Remove((string)key);
            return (copy.ToJsonString(), $"field '{key}' deleted");
        }

        if (choice == FieldValues.Length + 1 && parent is JsonObject o2)
        {
            JsonNode? value = o2[(string)key];
            o2.Remove((string)key);
            o2["\u00e9" + (string)key] = value;
            return (copy.ToJsonString(), $"field '{key}' renamed");
        }

        string raw = FieldValues[Math.Min(choice, FieldValues.Length - 1)];
        JsonNode? replacement;
        try
        {
            replacement = JsonNode.Parse(raw);
        }
        catch (System.Text.Json.JsonException)
        {
            replacement = null;
        }

        // Values JsonNode cannot hold (an escaped lone surrogate, 1e2147483647) go in as raw text through a marker.
        bool throughMarker = replacement is null || raw.Contains("\\u", StringComparison.Ordinal) || raw.Contains("e2147483647", StringComparison.Ordinal);
        JsonNode marker = JsonValue.Create("@@RAW@@")!;
        switch (parent)
        {
            case JsonObject o:
                o[(string)key] = throughMarker ? marker : replacement;
                break;
            case JsonArray a:
                a[(int)key] = throughMarker ? marker : replacement;
                break;
        }

        string text = copy.ToJsonString();
        return (throughMarker ? text.Replace("\"@@RAW@@\"", raw, StringComparison.Ordinal) : text, $"field '{key}' set to {raw}");
    }

    private static byte[] Mutate(byte[] original, RandomSource random, out string how)
    {
        byte[] bytes = (byte[])original.Clone();
        int headerEnd = 16 + BitConverter.ToInt32(original, 12);
        switch (random.NextInt(6))
        {
            case 0: // flip a few bits anywhere
                int flips = 1 + random.NextInt(8);
                for (int f = 0; f < flips; f++)
                {
                    bytes[random.NextInt(bytes.Length)] ^= (byte)(1 << random.NextInt(8));
                }

                how = $"{flips} bit flips";
                return bytes;
            case 1: // overwrite a byte of the preamble or header with any value
                int at = random.NextInt(headerEnd);
                byte value = (byte)random.NextInt(256);
                bytes[at] = value == bytes[at] ? (byte)~value : value;
                how = $"byte {at} set";
                return bytes;
            case 2: // cut a random range out
                int start = random.NextInt(bytes.Length), count = 1 + random.NextInt(Math.Min(64, bytes.Length - start));
                how = $"{count} bytes removed at {start}";
                return [.. bytes.AsSpan(0, start), .. bytes.AsSpan(start + count)];
            case 3: // insert random bytes
                int insertAt = random.NextInt(bytes.Length);
                byte[] extra = RandomBytes(random, 1 + random.NextInt(16));
                how = $"{extra.Length} bytes inserted at {insertAt}";
                return [.. bytes.AsSpan(0, insertAt), .. extra, .. bytes.AsSpan(insertAt)];
            case 4: // append bytes after the checksum
                byte[] tail = RandomBytes(random, 1 + random.NextInt(64));
                how = $"{tail.Length} bytes appended";
                return [.. bytes, .. tail];
            default: // a digit of the header changed: sizes, counts, rates, steps
                int[] digits = Enumerable.Range(16, headerEnd - 16).Where(i => bytes[i] is >= (byte)'0' and <= (byte)'9').ToArray();
                int d = digits[random.NextInt(digits.Length)];
                bytes[d] = (byte)('0' + ((bytes[d] - '0' + 1 + random.NextInt(9)) % 10));
                how = $"header digit {d} changed";
                return bytes;
        }
    }

    private static byte[] RandomBytes(RandomSource random, int count)
    {
        byte[] bytes = new byte[count];
        for (int e = 0; e < bytes.Length; e++)
        {
            bytes[e] = (byte)random.NextInt(256);
        }

        return bytes;
    }

    private static void ExpectInvalidData(Model model, byte[] bytes, string how)
    {
        try
        {
            if (model.IsFloat)
            {
                NetworkSerializer.Load<float>(new MemoryStream(bytes));
            }
            else
            {
                NetworkSerializer.Load<double>(new MemoryStream(bytes));
            }
        }
        catch (InvalidDataException)
        {
            return;
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"{how}: ended in {e.GetType().Name}: {e.Message}", e);
        }

        throw new InvalidOperationException($"{how}: the damaged file loaded without an error.");
    }

    private sealed record Model(string Name, byte[] Bytes, bool IsFloat, bool HasOptimizer);
}
