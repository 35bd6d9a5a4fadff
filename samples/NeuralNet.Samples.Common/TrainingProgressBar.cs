using System.Diagnostics;
using System.Globalization;

namespace NeuralNet.Samples;

/// <summary>
/// Progress of a long training run. On a terminal, one line redrawn in place (epoch, bar, batch, loss,
/// samples per second, time left); elsewhere (a file, a pipe, CI) only one plain line per epoch.
/// </summary>
public sealed class TrainingProgressBar
{
    private const int BarWidth = 24;
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(100);
    private readonly SampleConsole _console;
    private readonly int _epochs;
    private readonly int _batchesPerEpoch;
    private readonly long _samplesPerEpoch;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _lastDraw = TimeSpan.MinValue;
    private int _drawnLength;

    /// <summary>Creates the progress display of a run.</summary>
    /// <param name="console">Where to draw.</param>
    /// <param name="epochs">Epochs in the run.</param>
    /// <param name="batchesPerEpoch">Batches in an epoch.</param>
    /// <param name="samplesPerEpoch">Training samples in an epoch.</param>
    public TrainingProgressBar(SampleConsole console, int epochs, int batchesPerEpoch, long samplesPerEpoch)
    {
        ArgumentNullException.ThrowIfNull(console);
        _console = console;
        _epochs = epochs;
        _batchesPerEpoch = batchesPerEpoch;
        _samplesPerEpoch = samplesPerEpoch;
    }

    /// <summary>Reports the batch just trained; redraws at most ten times a second, and only on a terminal.</summary>
    /// <param name="epoch">The epoch (1-based).</param>
    /// <param name="batch">The batch within the epoch (1-based).</param>
    /// <param name="samplesDone">Samples trained so far in this epoch.</param>
    /// <param name="loss">The mean loss of the epoch so far.</param>
    public void Report(int epoch, int batch, long samplesDone, double loss)
    {
        if (!_console.IsTerminal || (_clock.Elapsed - _lastDraw < RedrawInterval && batch != _batchesPerEpoch))
        {
            return;
        }

        _lastDraw = _clock.Elapsed;
        double seconds = Math.Max(_clock.Elapsed.TotalSeconds, 1e-9);
        long total = _samplesPerEpoch * _epochs;
        long done = (_samplesPerEpoch * (epoch - 1)) + samplesDone;
        double rate = done / seconds;
        TimeSpan left = rate > 0 ? TimeSpan.FromSeconds((total - done) / rate) : TimeSpan.Zero;
        double fraction = _samplesPerEpoch == 0 ? 1 : (double)samplesDone / _samplesPerEpoch;
        int filled = (int)Math.Round(fraction * BarWidth);
        string bar = _console.Paint(new string('━', filled), Style.Good) + _console.Paint(new string('─', BarWidth - filled), Style.Dim);
        string text = string.Create(
            CultureInfo.InvariantCulture,
            $"epoch {epoch.ToString().PadLeft(_epochs.ToString().Length)}/{_epochs} {bar} {fraction,4:P0}  batch {batch}/{_batchesPerEpoch}  loss {loss:F4}  {rate,8:N0} samples/s  {FormatTime(left)} left");
        int visible = text.Length - (bar.Length - BarWidth);
        _console.Out.Write("\r" + text + new string(' ', Math.Max(0, _drawnLength - visible)));
        _console.Out.Flush();
        _drawnLength = visible;
    }

    /// <summary>Ends an epoch: clears the bar and writes the epoch's summary line.</summary>
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
