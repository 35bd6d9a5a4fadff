using System.Numerics;
using System.Text.Json;
using NeuralNet.Serialization;

namespace NeuralNet.Pipelines;

/// <summary>
/// Loads a pipeline saved by <see cref="ModelPipeline{T}.Save(string)"/>: one model file (format
/// version 2) whose header holds the network and a <c>pipeline</c> object (columns, categories,
/// input scaling, class names or target scaling). The loaded pipeline predicts bit for bit as the saved one.
/// </summary>
/// <remarks>As strict as <see cref="NetworkSerializer"/>: any damage raises <see cref="InvalidDataException"/> only.
/// A pipeline file is also a model file: <see cref="NetworkSerializer.Load{T}(string)"/> reads its network.</remarks>
public static class PipelineSerializer
{
    /// <summary>Loads a classifier or regressor pipeline.</summary>
    /// <typeparam name="T">The element type it was saved with.</typeparam>
    /// <param name="path">The file.</param>
    /// <returns>A <see cref="ClassifierPipeline{T}"/> or a <see cref="RegressorPipeline{T}"/>.</returns>
    /// <exception cref="InvalidDataException">The file is not a valid pipeline of element type <typeparamref name="T"/> (a network saved alone holds no pipeline).</exception>
    public static ModelPipeline<T> Load<T>(string path)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Decode<T>(stream, stream.Length);
    }

    /// <summary>Loads a pipeline from a stream, from its current position to its end (left open).</summary>
    /// <typeparam name="T">The element type it was saved with.</typeparam>
    /// <param name="stream">A readable, seekable stream.</param>
    /// <returns>A <see cref="ClassifierPipeline{T}"/> or a <see cref="RegressorPipeline{T}"/>.</returns>
    /// <exception cref="InvalidDataException">The stream does not hold a valid pipeline of element type <typeparamref name="T"/>.</exception>
    public static ModelPipeline<T> Load<T>(Stream stream)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead || !stream.CanSeek)
        {
            throw new ArgumentException("stream must be readable and seekable.", nameof(stream));
        }

        return Decode<T>(stream, stream.Length - stream.Position);
    }

    /// <summary>Loads a classifier pipeline.</summary>
    /// <typeparam name="T">The element type it was saved with.</typeparam>
    /// <param name="path">The file.</param>
    /// <exception cref="InvalidDataException">The file is not a valid classifier pipeline of element type <typeparamref name="T"/>.</exception>
    public static ClassifierPipeline<T> LoadClassifier<T>(string path)
        where T : struct, IFloatingPointIeee754<T>
        => Load<T>(path) as ClassifierPipeline<T> ?? throw new InvalidDataException("The file holds a regressor pipeline, not a classifier: load it with LoadRegressor.");

    /// <summary>Loads a regressor pipeline.</summary>
    /// <typeparam name="T">The element type it was saved with.</typeparam>
    /// <param name="path">The file.</param>
    /// <exception cref="InvalidDataException">The file is not a valid regressor pipeline of element type <typeparamref name="T"/>.</exception>
    public static RegressorPipeline<T> LoadRegressor<T>(string path)
        where T : struct, IFloatingPointIeee754<T>
        => Load<T>(path) as RegressorPipeline<T> ?? throw new InvalidDataException("The file holds a classifier pipeline, not a regressor: load it with LoadClassifier.");

    private static ModelPipeline<T> Decode<T>(Stream stream, long length)
        where T : struct, IFloatingPointIeee754<T>
    {
        (Network<T> network, _, _) = NetworkCodec.Decode<T>(stream, length, out JsonElement? pipeline);
        if (pipeline is not { } element)
        {
            throw new InvalidDataException("The model file holds a network only, no pipeline: load it with NetworkSerializer.Load, or save a ModelPipeline to get one.");
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"The model header's field 'pipeline' must be Object (found {element.ValueKind}).");
        }

        return PipelineCodec.Read(element, network);
    }
}
