namespace NeuralNet.Serialization;

/// <summary>The fixed parts of the model file format (see FORMAT.md beside this file).</summary>
internal static class ModelFileLayout
{
    /// <summary>The format version this library writes; it reads this one and every earlier one.</summary>
    public const uint CurrentVersion = 2;

    /// <summary>The largest JSON header accepted, so a corrupt length never allocates much.</summary>
    public const int MaxHeaderBytes = 16 * 1024 * 1024;

    /// <summary>Bytes of the trailing SHA-256 checksum.</summary>
    public const int ChecksumBytes = 32;

    /// <summary>Bytes before the header: magic, version, header length.</summary>
    public const int PreambleBytes = 16;

    /// <summary>The first eight bytes of every model file: 0x89 "NNET" CR LF 0x1A (a non-ASCII byte and line endings catch text-mode mangling).</summary>
    public static ReadOnlySpan<byte> Magic => [0x89, (byte)'N', (byte)'N', (byte)'E', (byte)'T', 0x0D, 0x0A, 0x1A];

    /// <summary>The header's name of an element type: <c>float32</c> or <c>float64</c>.</summary>
    public static string ElementTypeName<T>()
    {
        if (typeof(T) == typeof(float))
        {
            return "float32";
        }

        if (typeof(T) == typeof(double))
        {
            return "float64";
        }

        throw new NotSupportedException($"Only float and double networks can be saved (received {typeof(T).Name}).");
    }
}
