using System.Numerics;
using System.Text.Json;
using NeuralNet.Data;

namespace NeuralNet.Serialization;

/// <summary>
/// Saves one fitted preprocessing step (a <see cref="StandardScaler{T}"/>, a
/// <see cref="MinMaxScaler{T}"/> or a <see cref="OneHotEncoder"/>) to a file of its own and loads it
/// back, so a model trained on scaled data can be deployed without its training data. The file is the
/// model file's container (FORMAT.md, version 2): its header holds the element type and a
/// <c>preprocessing</c> object, and there is no payload.
/// </summary>
/// <remarks>As strict as model files: any damage raises <see cref="InvalidDataException"/> only.</remarks>
public static class PreprocessingSerializer
{
    /// <summary>Saves a fitted scaler (atomically: temporary file, then rename).</summary>
    /// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="scaler">A fitted <see cref="StandardScaler{T}"/> or <see cref="MinMaxScaler{T}"/>.</param>
    /// <param name="path">The file to write; replaced if it exists.</param>
    public static void Save<T>(FeatureScaler<T> scaler, string path)
        where T : struct, IFloatingPointIeee754<T>
    {
        byte[] header = ScalerHeader(scaler);
        AtomicFile.Write(path, nameof(path), stream => WriteContainer(stream, header));
    }

    /// <summary>Writes a fitted scaler to a stream at its current position (left open).</summary>
    /// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="scaler">A fitted <see cref="StandardScaler{T}"/> or <see cref="MinMaxScaler{T}"/>.</param>
    /// <param name="stream">A writable stream.</param>
    public static void Save<T>(FeatureScaler<T> scaler, Stream stream)
        where T : struct, IFloatingPointIeee754<T>
    {
        ShapeCheck.Writable(stream, nameof(stream));
        WriteContainer(stream, ScalerHeader(scaler));
    }

    /// <summary>Saves a one-hot encoder's categories (atomically: temporary file, then rename).</summary>
    /// <param name="encoder">The encoder.</param>
    /// <param name="path">The file to write; replaced if it exists.</param>
    public static void Save(OneHotEncoder encoder, string path)
    {
        byte[] header = EncoderHeader(encoder);
        AtomicFile.Write(path, nameof(path), stream => WriteContainer(stream, header));
    }

    /// <summary>Writes a one-hot encoder's categories to a stream at its current position (left open).</summary>
    /// <param name="encoder">The encoder.</param>
    /// <param name="stream">A writable stream.</param>
    public static void Save(OneHotEncoder encoder, Stream stream)
    {
        ShapeCheck.Writable(stream, nameof(stream));
        WriteContainer(stream, EncoderHeader(encoder));
    }

    /// <summary>Loads a scaler saved by <see cref="Save{T}(FeatureScaler{T}, string)"/>: it transforms bit for bit as the saved one.</summary>
    /// <typeparam name="T">The element type the scaler was saved with.</typeparam>
    /// <param name="path">The file.</param>
    /// <returns>The fitted <see cref="StandardScaler{T}"/> or <see cref="MinMaxScaler{T}"/>.</returns>
    /// <exception cref="InvalidDataException">The file is not a valid saved scaler of element type <typeparamref name="T"/>.</exception>
    public static FeatureScaler<T> LoadScaler<T>(string path)
        where T : struct, IFloatingPointIeee754<T>
        => ReadFile(path, ReadScaler<T>);

    /// <summary>Loads a scaler from a stream, from its current position to its end (left open).</summary>
    /// <typeparam name="T">The element type the scaler was saved with.</typeparam>
    /// <param name="stream">A readable, seekable stream.</param>
    /// <returns>The fitted <see cref="StandardScaler{T}"/> or <see cref="MinMaxScaler{T}"/>.</returns>
    /// <exception cref="InvalidDataException">The stream does not hold a valid saved scaler of element type <typeparamref name="T"/>.</exception>
    public static FeatureScaler<T> LoadScaler<T>(Stream stream)
        where T : struct, IFloatingPointIeee754<T>
        => ReadStream(stream, ReadScaler<T>);

    /// <summary>Loads a one-hot encoder saved by <see cref="Save(OneHotEncoder, string)"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The encoder, with the saved categories in their order.</returns>
    /// <exception cref="InvalidDataException">The file is not a valid saved one-hot encoder.</exception>
    public static OneHotEncoder LoadOneHotEncoder(string path) => ReadFile(path, ReadEncoder);

    /// <summary>Loads a one-hot encoder from a stream, from its current position to its end (left open).</summary>
    /// <param name="stream">A readable, seekable stream.</param>
    /// <returns>The encoder, with the saved categories in their order.</returns>
    /// <exception cref="InvalidDataException">The stream does not hold a valid saved one-hot encoder.</exception>
    public static OneHotEncoder LoadOneHotEncoder(Stream stream) => ReadStream(stream, ReadEncoder);

    private static byte[] ScalerHeader<T>(FeatureScaler<T> scaler)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(scaler);
        if (!scaler.IsFitted)
        {
            throw new ArgumentException($"scaler must be fitted before it is saved (received an unfitted {scaler.GetType().Name.Split('`')[0]}).", nameof(scaler));
        }

        return Header(ModelFileLayout.ElementTypeName<T>(), json => PreprocessingCodec.WriteScaler(json, scaler));
    }

    private static byte[] EncoderHeader(OneHotEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        return Header(null, json => PreprocessingCodec.WriteEncoder(json, encoder));
    }

    private static byte[] Header(string? elementType, Action<Utf8JsonWriter> step)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("producer", $"NeuralNet {typeof(PreprocessingSerializer).Assembly.GetName().Version}");
            if (elementType is not null)
            {
                json.WriteString("elementType", elementType);
            }

            json.WritePropertyName("preprocessing");
            step(json);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteContainer(Stream stream, byte[] header)
    {
        using var writer = new ModelWriter(stream);
        writer.WriteBytes(ModelFileLayout.Magic);
        writer.WriteUInt32(ModelFileLayout.CurrentVersion);
        writer.WriteUInt32((uint)header.Length);
        writer.WriteBytes(header);
        writer.WriteChecksum();
    }

    private static FeatureScaler<T> ReadScaler<T>(JsonElement root)
        where T : struct, IFloatingPointIeee754<T>
    {
        string elementType = HeaderField.String(root, "elementType");
        if (elementType != ModelFileLayout.ElementTypeName<T>())
        {
            throw new InvalidDataException($"The file holds a {HeaderField.Printable(elementType)} scaler but was loaded as {typeof(T).Name} ({ModelFileLayout.ElementTypeName<T>()}); load it with the matching element type.");
        }

        return PreprocessingCodec.ReadScaler<T>(HeaderField.Required(root, "preprocessing", JsonValueKind.Object));
    }

    private static OneHotEncoder ReadEncoder(JsonElement root)
        => PreprocessingCodec.ReadEncoder(HeaderField.Required(root, "preprocessing", JsonValueKind.Object));

    private static TResult ReadFile<TResult>(string path, Func<JsonElement, TResult> read)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Read(stream, stream.Length, read);
    }

    private static TResult ReadStream<TResult>(Stream stream, Func<JsonElement, TResult> read)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead || !stream.CanSeek)
        {
            throw new ArgumentException("stream must be readable and seekable.", nameof(stream));
        }

        return Read(stream, stream.Length - stream.Position, read);
    }

    private static TResult Read<TResult>(Stream stream, long length, Func<JsonElement, TResult> read)
    {
        using var reader = new ModelReader(stream, length);
        using JsonDocument header = ModelHeader.ReadPreamble(reader, out uint version);
        if (version < 2)
        {
            throw new InvalidDataException($"The file has format version {version}, which holds networks only; preprocessing steps are saved from version 2 on.");
        }

        TResult result = read(header.RootElement);
        reader.VerifyChecksum(); // also refuses any payload: a step file has none
        return result;
    }
}
