using System.Diagnostics;
using System.Globalization;
using NeuralNet.Training;

namespace NeuralNet.Samples;

/// <summary>
/// Progress of a long training run, fed by the library's <see cref="TrainingOptions.Progress"/>. On a
/// terminal, one line redrawn in place (epoch, bar, batch, loss, samples per second, time left);
/// elsewhere (a file, a pipe, CI) nothing but the plain line per epoch of <see cref="CompleteEpoch"/>.
/// </summary>
public sealed class TrainingProgressBar : IProgress<TrainingProgress>
{
    private const int BarWidth = 24;
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(100);
    private readonly SampleConsole _console;
    private readonly int _samplesPerEpoch;
    private readonly int _batchSize;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan? _lastDraw;
    private int _drawnLength;
    private int _epoch;
    private double _lossSum;

    /// <summary>Creates the progress display of a run.</summary>
    /// <param name="console">Where to draw.</param>
    /// <param name="samplesPerEpoch">Training samples in an epoch.</param>
    /// <param name="batchSize">Samples per batch.</param>
    public TrainingProgressBar(SampleConsole console, int samplesPerEpoch, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(console);
        _console = console;
        _samplesPerEpoch = samplesPerEpoch;
        _batchSize = batchSize;
    }

    /// <summary>Receives the batch just trained; redraws at most ten times a second, and only on a terminal.</summary>
    /// <param name="value">Where training is.</param>
    public void Report(TrainingProgress value)
    {
        if (value.Epoch != _epoch)
        {
            _epoch = value.Epoch;
            _lossSum = 0;
        }

        _lossSum += value.BatchLoss;
        if (!_console.IsTerminal || (_lastDraw is TimeSpan last && _clock.Elapsed - last < RedrawInterval && value.Batch != value.Batches))
        {
            return;
        }

        _lastDraw = _clock.Elapsed;
        long samplesDone = Math.Min((long)value.Batch * _batchSize, _samplesPerEpoch);
        long done = ((long)_samplesPerEpoch * (value.Epoch - 1)) + samplesDone;
        double rate = done / Math.Max(_clock.Elapsed.TotalSeconds, 1e-9);
        TimeSpan left = TimeSpan.FromSeconds(rate > 0 ? (((long)_samplesPerEpoch * value.Epochs) - done) / rate : 0);
        double fraction = (double)value.Batch / value.Batches;
        int filled = (int)Math.Round(fraction * BarWidth);
        string bar = _console.Paint(new string('━', filled), Style.Good) + _console.Paint(new string('─', BarWidth - filled), Style.Dim);
        string epochs = value.Epochs.ToString(CultureInfo.InvariantCulture);
        string text = string.Create(
            CultureInfo.InvariantCulture,
            $"  epoch {value.Epoch.ToString(CultureInfo.InvariantCulture).PadLeft(epochs.Length)}/{epochs} {bar} batch {value.Batch}/{value.Batches}  loss {_lossSum / value.Batch:F4}  {rate:N0} samples/s  {FormatTime(left)} left");
        int visible = text.Length - (bar.Length - BarWidth);
        _console.Out.Write("\r" + text + new string(' ', Math.Max(0, _drawnLength - visible)));
        _console.Out.Flush();
        _drawnLength = visible;
    }

    /// <summary>Ends an epoch: clears the bar (on a terminal) and writes the epoch's summary line.</summary>
    /// <param name="summary">The line, e.g. <c>epoch 3/10  loss 0.41  test accuracy 85.2 %</c>.</param>
    public void CompleteEpoch(string summary)
    {
        if (_console.IsTerminal && _drawnLength > 0)
        {
            _console.Out.Write("\r" + new string(' ', _drawnLength) + "\r");
            _drawnLength = 0;
        }

        _console.WriteLine(summary);
    }

    private static string FormatTime(TimeSpan t) =>
        t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}
