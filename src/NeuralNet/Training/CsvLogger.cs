using System.Numerics;
using NeuralNet.Serialization;

namespace NeuralNet.Training;

/// <summary>
/// Writes the history as CSV after every epoch (the columns of <see cref="TrainingHistory.ToCsv"/>), so a
/// long run can be watched or plotted while it trains. The file is replaced each time (atomically), and
/// holds every epoch this logger has seen, across the <c>Fit</c> calls of a continued run. A run continued
/// from a checkpoint by a new logger keeps the file's lines of the epochs done (when its columns are the
/// same) and goes on after them, as Keras's <c>CSVLogger(append=True)</c>.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class CsvLogger<T> : TrainingCallback<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly List<EpochRecord> _epochs = [];
    private string[]? _earlier;

    /// <summary>Creates the logger.</summary>
    /// <param name="path">The CSV file to write.</param>
    public CsvLogger(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = path;
    }

    /// <summary>The CSV file written.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public override void OnTrainBegin(TrainingContext<T> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_epochs.Count == 0 && _earlier is null && context.Resumed is { EpochsDone: > 0 } resumed && File.Exists(Path))
        {
            // A continued run, logged by a new logger: keep the header and the lines of the epochs done.
            string[] lines = File.ReadAllLines(Path);
            _earlier = lines.Length == 0 ? null : [lines[0], .. lines.Skip(1).Where(l => int.TryParse(l.Split(',')[0], System.Globalization.CultureInfo.InvariantCulture, out int epoch) && epoch <= resumed.EpochsDone)];
        }
    }

    /// <inheritdoc />
    public override void OnEpochEnd(TrainingContext<T> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _epochs.Add(context.Record!);
        string csv = new TrainingHistory(_epochs, StopReason.MaxEpochs, null).ToCsv();
        if (_earlier is { } earlier && csv.StartsWith(earlier[0] + "\n", StringComparison.Ordinal))
        {
            csv = string.Join('\n', earlier) + csv[earlier[0].Length..]; // the same columns: the earlier epochs, then these
        }

        AtomicFile.Write(Path, nameof(Path), stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.Write(csv);
        });
    }
}
