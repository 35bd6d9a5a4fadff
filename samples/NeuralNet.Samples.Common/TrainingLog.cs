using System.Globalization;
using System.Text;

namespace NeuralNet.Samples;

/// <summary>
/// A sample's training history, one row per epoch with named figures (loss, accuracy, …), that it
/// prints, plots and saves as CSV.
/// </summary>
public sealed class TrainingLog
{
    private readonly string[] _columns;
    private readonly List<int> _epochs = [];
    private readonly List<double[]> _rows = [];

    /// <summary>Creates an empty log with these figures per epoch (the epoch number is its own column).</summary>
    /// <param name="columns">The names of the figures, e.g. <c>train_loss</c>, <c>test_accuracy</c>.</param>
    public TrainingLog(params string[] columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        _columns = columns;
    }

    /// <summary>The names of the figures, in CSV order.</summary>
    public IReadOnlyList<string> Columns => _columns;

    /// <summary>The epoch numbers recorded, in order.</summary>
    public IReadOnlyList<int> Epochs => _epochs;

    /// <summary>Number of epochs recorded.</summary>
    public int Count => _epochs.Count;

    /// <summary>Records one epoch.</summary>
    /// <param name="epoch">The epoch number (1-based).</param>
    /// <param name="values">One value per column.</param>
    public void Add(int epoch, params double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != _columns.Length)
        {
            throw new ArgumentException($"values must have one entry per column ({_columns.Length}; received {values.Length}).", nameof(values));
        }

        _epochs.Add(epoch);
        _rows.Add((double[])values.Clone());
    }

    /// <summary>Every epoch's value of one figure.</summary>
    /// <param name="name">The column name.</param>
    /// <returns>The values, in epoch order.</returns>
    public IReadOnlyList<double> Column(string name)
    {
        int index = Array.IndexOf(_columns, name);
        if (index < 0)
        {
            throw new ArgumentException($"no column '{name}' (the columns are {string.Join(", ", _columns)}).", nameof(name));
        }

        return _rows.Select(r => r[index]).ToArray();
    }

    /// <summary>Writes the log as CSV (header <c>epoch,…</c>, invariant culture, round-trip numbers).</summary>
    /// <param name="path">The file to write.</param>
    public void WriteCsv(string path)
    {
        var text = new StringBuilder();
        text.Append("epoch,").AppendJoin(',', _columns).Append('\n');
        for (int i = 0; i < _rows.Count; i++)
        {
            text.Append(_epochs[i].ToString(CultureInfo.InvariantCulture));
            foreach (double v in _rows[i])
            {
                text.Append(',').Append(v.ToString("R", CultureInfo.InvariantCulture));
            }

            text.Append('\n');
        }

        File.WriteAllText(path, text.ToString());
    }
}
