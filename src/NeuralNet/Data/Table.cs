using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Data;

/// <summary>
/// A table of named columns with one row per sample, as a CSV file with a header holds it: numeric
/// columns (features, regression targets) and text columns (categorical features, class names).
/// What the pipelines and estimators take when the data has names or text.
/// </summary>
public sealed class Table
{
    private readonly TableColumn[] _columns;

    /// <summary>Creates a table from columns of equal length with distinct names.</summary>
    /// <param name="columns">The columns, at least one.</param>
    public Table(IEnumerable<TableColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        _columns = columns.ToArray();
        if (_columns.Length == 0)
        {
            throw new ArgumentException("a table needs at least one column (received none).", nameof(columns));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (TableColumn column in _columns)
        {
            ArgumentNullException.ThrowIfNull(column, nameof(columns));
            if (!names.Add(column.Name))
            {
                throw new ArgumentException($"column names must be distinct (received '{column.Name}' twice).", nameof(columns));
            }

            if (column.Count != _columns[0].Count)
            {
                throw new ArgumentException($"every column must have {_columns[0].Count} rows, as '{_columns[0].Name}' (received {column.Count} in '{column.Name}').", nameof(columns));
            }
        }
    }

    /// <summary>The columns, in order.</summary>
    public IReadOnlyList<TableColumn> Columns => _columns;

    /// <summary>The columns' names, in order.</summary>
    public IReadOnlyList<string> ColumnNames => _columns.Select(c => c.Name).ToArray();

    /// <summary>The number of rows (samples).</summary>
    public int RowCount => _columns[0].Count;

    /// <summary>The column named <paramref name="name"/>.</summary>
    /// <param name="name">A column name.</param>
    public TableColumn this[string name] => _columns.FirstOrDefault(c => c.Name == name)
        ?? throw new ArgumentException($"the table has no column '{name}' (columns: {string.Join(", ", ColumnNames)}).", nameof(name));

    /// <summary>A numeric table from a matrix with one row per sample.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="features">The values, <c>samples × columns</c>.</param>
    /// <param name="names">A name per column; null for <c>x0, x1, …</c>.</param>
    public static Table FromMatrix<T>(Matrix<T> features, IReadOnlyList<string>? names = null)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(features);
        if (names is not null && names.Count != features.ColumnCount)
        {
            throw new ArgumentException($"names must hold one name per column: {features.ColumnCount} (received {names.Count}).", nameof(names));
        }

        return new Table(Enumerable.Range(0, features.ColumnCount).Select(c => TableColumn.Numeric(
            names?[c] ?? "x" + c.ToString(System.Globalization.CultureInfo.InvariantCulture),
            features.Column(c).Select(double.CreateChecked))));
    }

    /// <summary>The table without the named columns (e.g. the features without the label).</summary>
    /// <param name="names">Columns to leave out; each must exist.</param>
    public Table Without(params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        foreach (string name in names)
        {
            _ = this[name];
        }

        return new Table(_columns.Where(c => !names.Contains(c.Name)));
    }

    /// <summary>A table holding the given rows, in the given order.</summary>
    /// <param name="rows">Row indices in [0, <see cref="RowCount"/>); repeats allowed.</param>
    public Table Rows(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (int r in rows)
        {
            if ((uint)r >= (uint)RowCount)
            {
                throw new ArgumentOutOfRangeException(nameof(rows), r, $"row indices must be in [0, {RowCount - 1}] (received {r}).");
            }
        }

        return new Table(_columns.Select(c => c.Rows(rows)));
    }

    /// <summary>Loads a CSV file with a header row (see <see cref="ReadCsv"/>).</summary>
    /// <param name="path">The file.</param>
    public static Table LoadCsv(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var reader = new StreamReader(path);
        return ReadCsv(reader, path);
    }

    /// <summary>
    /// Reads CSV text with a header row of column names, through Sep: comma-separated, fields optionally in double
    /// quotes (<c>""</c> for a quote inside; a quoted field may hold commas and line breaks), <c>.</c> as the decimal point whatever the machine's
    /// culture. A column whose every field is a finite number is numeric; any other column is text.
    /// Blank lines are skipped; a row with another number of fields than the header is an error.
    /// </summary>
    /// <param name="reader">The text.</param>
    /// <param name="sourceName">What to call the source in error messages.</param>
    /// <exception cref="InvalidDataException">The text is not such a CSV (the message names the line).</exception>
    public static Table ReadCsv(TextReader reader, string sourceName = "csv")
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(sourceName);
        return CsvTableReader.Read(reader, sourceName);
    }

    /// <inheritdoc />
    public override string ToString() => $"Table[{RowCount} rows: {string.Join(", ", _columns.Select(c => c.Name))}]";
}
