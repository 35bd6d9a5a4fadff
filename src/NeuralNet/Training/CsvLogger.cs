using System.Numerics;
using NeuralNet.Serialization;

namespace NeuralNet.Training;

/// <summary>
/// Writes the history as CSV after every epoch (the columns of <see cref="TrainingHistory.ToCsv"/>), so a
/// long run can be watched or plotted while it trains. The file is replaced each time (atomically), and
/// holds every epoch this logger has seen, across the <c>Fit</c> calls of a continued run.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class CsvLogger<T> : TrainingCallback<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly List<EpochRecord> _epochs = [];

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
    public override void OnEpochEnd(TrainingContext<T> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _epochs.Add(context.Record!);
        string csv = new TrainingHistory(_epochs, StopReason.MaxEpochs, null).ToCsv();
        AtomicFile.Write(Path, nameof(Path), stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.Write(csv);
        });
    }
}
