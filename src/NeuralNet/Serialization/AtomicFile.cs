namespace NeuralNet.Serialization;

/// <summary>
/// Writes a file so that readers see either the old file or the complete new one, never a half-written file,
/// and so that a save killed half-way leaves nothing behind for long: the next save to the same path deletes it.
/// </summary>
internal static class AtomicFile
{
    /// <summary>
    /// Writes through <paramref name="write"/> into a temporary file beside <paramref name="path"/>
    /// (<c>.name.random.tmp</c>), flushes it to disk and renames it over <paramref name="path"/>. Temporary files
    /// of earlier saves to the same path that no running save holds open (left by a killed process) are deleted
    /// first. Errors of the file system name <paramref name="path"/>, not the temporary file.
    /// </summary>
    public static void Write(string path, string parameterName, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path, parameterName);
        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"{parameterName} must name a file (received '{path}').", parameterName);
        string name = Path.GetFileName(fullPath);
        if (name.Length == 0)
        {
            throw new ArgumentException($"{parameterName} must name a file, not a folder (received '{path}').", parameterName);
        }

        string temporary = Path.Combine(folder, $".{name}.{Path.GetRandomFileName()}.tmp");
        try
        {
            DeleteAbandoned(folder, name);

            // The writer holds its temporary file exclusively (an exclusive lock on Unix) until it is renamed, which is
            // how DeleteAbandoned tells a running save from a killed one. Windows renames an open file only when the
            // handle allows deletion.
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = OperatingSystem.IsWindows() ? FileShare.Delete : FileShare.None,
            };
            using (var stream = new FileStream(temporary, options))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
                File.Move(temporary, fullPath, overwrite: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw NamingThePath(e, temporary, fullPath);
        }
        finally
        {
            TryDelete(temporary); // nothing left to delete after a successful move
        }
    }

    /// <summary>The pattern of the temporary files of saves to <paramref name="name"/>.</summary>
    internal static string TemporaryPattern(string name) => $".{name}.*.tmp";

    /// <summary>
    /// Deletes the temporary files of earlier saves to the same file that no process holds open: a file a running
    /// save is writing cannot be opened exclusively, one left by a killed save can.
    /// </summary>
    private static void DeleteAbandoned(string folder, string name)
    {
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateFiles(folder, TemporaryPattern(name), SearchOption.TopDirectoryOnly);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return; // the save itself will report the folder's problem, naming the user's path
        }

        foreach (string candidate in candidates)
        {
            try
            {
                using var probe = new FileStream(candidate, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // held by a running save, or not ours to delete: leave it
            }
        }
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // the folder vanished or became read-only: the error already thrown says more
        }
    }

    /// <summary>The same kind of exception, with the user's path where the message named the temporary file.</summary>
    private static Exception NamingThePath(Exception e, string temporary, string fullPath)
    {
        string message = $"Could not save '{fullPath}': {e.Message.Replace(temporary, fullPath, StringComparison.Ordinal)}";
        return e switch
        {
            UnauthorizedAccessException => new UnauthorizedAccessException(message, e),
            DirectoryNotFoundException => new DirectoryNotFoundException(message, e),
            PathTooLongException => new PathTooLongException(message, e),
            _ => new IOException(message, e),
        };
    }
}
