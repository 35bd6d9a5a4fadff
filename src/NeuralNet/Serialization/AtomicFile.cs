namespace NeuralNet.Serialization;

/// <summary>Writes a file so that readers see either the old file or the complete new one, never a half-written file.</summary>
internal static class AtomicFile
{
    /// <summary>Writes through <paramref name="write"/> into a temporary file beside <paramref name="path"/>, flushes it to disk and renames it over <paramref name="path"/>.</summary>
    public static void Write(string path, string parameterName, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path, parameterName);
        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"{parameterName} must name a file (received '{path}').", parameterName);
        string temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Path.GetRandomFileName()}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary); // nothing left to delete after a successful move
        }
    }
}
