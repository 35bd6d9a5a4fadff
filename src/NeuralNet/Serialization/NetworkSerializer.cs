using System.Numerics;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Serialization;

/// <summary>
/// Saves a <see cref="Network{T}"/> (architecture, activations, weights, biases, element type) and
/// optionally the state of the optimizer training it to one self-describing, versioned, checksummed
/// file, and loads it back. The format is described in FORMAT.md beside this file.
/// </summary>
/// <remarks>
/// <para>Saving to a path writes a temporary file in the same folder and renames it over the target,
/// so a crash never leaves a half-written model. Save while no other thread trains the network.</para>
/// <para>Loading checks every size against the file's length before allocating, verifies the SHA-256
/// checksum and maps the names in the file to built-in layers and activations only. Any problem with
/// the file raises <see cref="InvalidDataException"/>; nothing else about the file can make loading
/// crash, hang or allocate more than the file holds.</para>
/// <para>A loaded network predicts bit for bit like the saved one, and can predict from many threads at
/// once. The positions of its random sources (the network's, each dropout layer's) are saved too, so
/// training resumed with the saved optimizer state takes exactly the steps it would have taken.</para>
/// </remarks>
public static class NetworkSerializer
{
    /// <summary>Saves a network, and optionally its optimizer's state, to a file (atomically: temporary file, then rename).</summary>
    /// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="network">The network to save; its layers and activations must be built-in ones.</param>
    /// <param name="path">The file to write; replaced if it exists.</param>
    /// <param name="optimizer">The optimizer training <paramref name="network"/>, to save its state too; null for the network alone.</param>
    /// <exception cref="NotSupportedException">A layer or activation is not a built-in one, or <typeparamref name="T"/> is neither float nor double.</exception>
    public static void Save<T>(Network<T> network, string path, Optimizer<T>? optimizer = null)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        AtomicFile.Write(path, nameof(path), stream => NetworkCodec.Encode(stream, network, optimizer));
    }

    /// <summary>
    /// Saves a training checkpoint (atomically): the network, its optimizer's state and the trainer's
    /// <see cref="Trainer{T}.State"/>, so that <see cref="LoadCheckpoint{T}(string)"/> and a trainer given
    /// that state continue the run bit for bit as if it had never stopped.
    /// </summary>
    /// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="network">The network being trained; its layers and activations must be built-in ones.</param>
    /// <param name="path">The file to write; replaced if it exists.</param>
    /// <param name="optimizer">The optimizer training <paramref name="network"/>.</param>
    /// <param name="trainingState">The trainer's state (<see cref="Trainer{T}.State"/>) after the epochs done so far.</param>
    /// <exception cref="NotSupportedException">A layer or activation is not a built-in one, or <typeparamref name="T"/> is neither float nor double.</exception>
    public static void Save<T>(Network<T> network, string path, Optimizer<T> optimizer, TrainingState<T> trainingState)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(trainingState);
        AtomicFile.Write(path, nameof(path), stream => NetworkCodec.Encode(stream, network, optimizer, trainer: trainingState));
    }

    /// <summary>Writes a network, and optionally its optimizer's state, to a stream at its current position.</summary>
    /// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="network">The network to save; its layers and activations must be built-in ones.</param>
    /// <param name="stream">A writable stream; it is left open.</param>
    /// <param name="optimizer">The optimizer training <paramref name="network"/>, to save its state too; null for the network alone.</param>
    /// <exception cref="NotSupportedException">A layer or activation is not a built-in one, or <typeparamref name="T"/> is neither float nor double.</exception>
    public static void Save<T>(Network<T> network, Stream stream, Optimizer<T>? optimizer = null)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("stream must be writable (received a read-only stream).", nameof(stream));
        }

        NetworkCodec.Encode(stream, network, optimizer);
    }

    /// <summary>Loads a network from a file (any optimizer state in it is checked but not used).</summary>
    /// <typeparam name="T">The element type the file was saved with.</typeparam>
    /// <param name="path">The model file.</param>
    /// <returns>The network, predicting exactly as the saved one did.</returns>
    /// <exception cref="InvalidDataException">The file is not a valid model of element type <typeparamref name="T"/>.</exception>
    public static Network<T> Load<T>(string path)
        where T : struct, IFloatingPointIeee754<T> => ReadFile<T>(path).Network;

    /// <summary>Loads a network from a stream, from its current position to its end (the stream is left open).</summary>
    /// <typeparam name="T">The element type the model was saved with.</typeparam>
    /// <param name="stream">A readable stream holding the model and nothing after it.</param>
    /// <returns>The network, predicting exactly as the saved one did.</returns>
    /// <exception cref="InvalidDataException">The stream does not hold a valid model of element type <typeparamref name="T"/>.</exception>
    public static Network<T> Load<T>(Stream stream)
        where T : struct, IFloatingPointIeee754<T> => ReadStream<T>(stream).Network;

    /// <summary>
    /// Loads a network and restores the saved optimizer state into <paramref name="optimizer"/> (settings shared by
    /// every optimizer, step counts and per-parameter state), for an optimizer kind the file cannot create by itself.
    /// </summary>
    /// <typeparam name="T">The element type the file was saved with.</typeparam>
    /// <param name="path">The model file, saved with an optimizer.</param>
    /// <param name="optimizer">An optimizer of the saved kind and settings; its previous state is replaced.</param>
    /// <returns>The network, whose parameters <paramref name="optimizer"/> now holds the saved state for.</returns>
    /// <exception cref="InvalidDataException">The file is not a valid model of element type <typeparamref name="T"/>, or holds no optimizer state.</exception>
    public static Network<T> Load<T>(string path, Optimizer<T> optimizer)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        return RestoreInto(ReadFile<T>(path), optimizer);
    }

    /// <summary>As <see cref="Load{T}(string, Optimizer{T})"/>, from a stream's current position to its end.</summary>
    /// <typeparam name="T">The element type the model was saved with.</typeparam>
    /// <param name="stream">A readable stream holding the model, saved with an optimizer, and nothing after it.</param>
    /// <param name="optimizer">An optimizer of the saved kind and settings; its previous state is replaced.</param>
    /// <returns>The network, whose parameters <paramref name="optimizer"/> now holds the saved state for.</returns>
    /// <exception cref="InvalidDataException">The stream does not hold a valid model of element type <typeparamref name="T"/>, or holds no optimizer state.</exception>
    public static Network<T> Load<T>(Stream stream, Optimizer<T> optimizer)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        return RestoreInto(ReadStream<T>(stream), optimizer);
    }

    /// <summary>Loads a network and creates the optimizer that was saved with it (a built-in kind), ready to resume training.</summary>
    /// <typeparam name="T">The element type the file was saved with.</typeparam>
    /// <param name="path">The model file, saved with an optimizer.</param>
    /// <returns>The network and its optimizer.</returns>
    /// <exception cref="InvalidDataException">The file is not a valid model of element type <typeparamref name="T"/>, holds no optimizer state, or one of a kind this library cannot create.</exception>
    public static TrainingCheckpoint<T> LoadCheckpoint<T>(string path)
        where T : struct, IFloatingPointIeee754<T> => CreateCheckpoint(ReadFile<T>(path));

    /// <summary>As <see cref="LoadCheckpoint{T}(string)"/>, from a stream's current position to its end.</summary>
    /// <typeparam name="T">The element type the model was saved with.</typeparam>
    /// <param name="stream">A readable stream holding the model, saved with an optimizer, and nothing after it.</param>
    /// <returns>The network and its optimizer.</returns>
    /// <exception cref="InvalidDataException">The stream does not hold a valid model of element type <typeparamref name="T"/>, holds no optimizer state, or one of a kind this library cannot create.</exception>
    public static TrainingCheckpoint<T> LoadCheckpoint<T>(Stream stream)
        where T : struct, IFloatingPointIeee754<T> => CreateCheckpoint(ReadStream<T>(stream));

    private static (Network<T> Network, SavedOptimizer<T>? Optimizer, TrainingState<T>? Trainer) ReadFile<T>(string path)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return NetworkCodec.Decode<T>(stream, stream.Length);
    }

    private static (Network<T> Network, SavedOptimizer<T>? Optimizer, TrainingState<T>? Trainer) ReadStream<T>(Stream stream)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("stream must be readable (received a write-only stream).", nameof(stream));
        }

        if (stream.CanSeek)
        {
            return NetworkCodec.Decode<T>(stream, stream.Length - stream.Position);
        }

        // Without a length to check sizes against, copy first: memory then grows only with the bytes really sent.
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        copy.Position = 0;
        return NetworkCodec.Decode<T>(copy, copy.Length);
    }

    private static Network<T> RestoreInto<T>((Network<T> Network, SavedOptimizer<T>? Optimizer, TrainingState<T>? Trainer) loaded, Optimizer<T> optimizer)
        where T : struct, IFloatingPointIeee754<T>
    {
        SavedOptimizer<T> saved = loaded.Optimizer ?? throw NoOptimizer();
        OptimizerCodec.CheckMatches(optimizer, saved, nameof(optimizer));
        saved.CheckStateFor(optimizer);
        saved.ApplyTo(optimizer, loaded.Network.Parameters);
        return loaded.Network;
    }

    private static TrainingCheckpoint<T> CreateCheckpoint<T>((Network<T> Network, SavedOptimizer<T>? Optimizer, TrainingState<T>? Trainer) loaded)
        where T : struct, IFloatingPointIeee754<T>
    {
        SavedOptimizer<T> saved = loaded.Optimizer ?? throw NoOptimizer();
        Optimizer<T> optimizer = OptimizerCodec.Create(saved);
        saved.CheckStateFor(optimizer);
        saved.ApplyTo(optimizer, loaded.Network.Parameters);
        return new TrainingCheckpoint<T>(loaded.Network, optimizer, loaded.Trainer);
    }

    private static InvalidDataException NoOptimizer() =>
        new("The model file holds no optimizer state: it was saved without an optimizer, so only NetworkSerializer.Load<T>(path) can read it.");
}
