using System.Globalization;

namespace NeuralNet.Data;

/// <summary>One named column of a <see cref="Table"/>: numbers, or text (class names, categories).</summary>
public sealed class TableColumn
{
    private readonly double[]? _numbers;
    private readonly string[]? _text;

    private TableColumn(string name, double[]? numbers, string[]? text)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        _numbers = numbers;
        _text = text;
    }

    /// <summary>The column's name.</summary>
    public string Name { get; }

    /// <summary>Whether the column holds numbers (else text).</summary>
    public bool IsNumeric => _numbers is not null;

    /// <summary>The number of values.</summary>
    public int Count => _numbers?.Length ?? _text!.Length;

    /// <summary>The numbers of a numeric column.</summary>
    /// <exception cref="InvalidOperationException">The column holds text.</exception>
    public IReadOnlyList<double> Numbers => _numbers ?? throw new InvalidOperationException($"the column '{Name}' holds text, not numbers.");

    /// <summary>A numeric column of finite values.</summary>
    /// <param name="name">The column's name.</param>
    /// <param name="values">Its values (copied).</param>
    public static TableColumn Numeric(string name, IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        double[] copy = values.ToArray();
        for (int i = 0; i < copy.Length; i++)
        {
            if (!double.IsFinite(copy[i]))
            {
                throw new ArgumentException($"the column '{name}' must hold finite numbers (received {copy[i]} at row {i}).", nameof(values));
            }
        }

        return new TableColumn(name, copy, null);
    }

    /// <summary>A text column (categories, class names).</summary>
    /// <param name="name">The column's name.</param>
    /// <param name="values">Its values (copied), none null.</param>
    public static TableColumn Text(string name, IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        string[] copy = values.ToArray();
        int missing = Array.IndexOf(copy, null);
        if (missing >= 0)
        {
            throw new ArgumentException($"the column '{name}' must not hold null (row {missing}).", nameof(values));
        }

        return new TableColumn(name, null, copy);
    }

    /// <summary>The values as text: a text column's own, a numeric column's in invariant round-trip form (so integer class labels read <c>0</c>, <c>1</c>, …).</summary>
    public string[] ToText() => _text?.ToArray() ?? _numbers!.Select(v => v.ToString("R", CultureInfo.InvariantCulture)).ToArray();

    /// <summary>The text of row <paramref name="row"/> (a numeric value in invariant round-trip form).</summary>
    /// <param name="row">The row index.</param>
    public string TextAt(int row)
    {
        if ((uint)row >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(row), row, $"row must be in [0, {Count - 1}] (received {row}).");
        }

        return _text is not null ? _text[row] : _numbers![row].ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>A column with the values of the given rows, in the given order.</summary>
    internal TableColumn Rows(IReadOnlyList<int> rows)
        => _numbers is not null
            ? new TableColumn(Name, rows.Select(r => _numbers[r]).ToArray(), null)
            : new TableColumn(Name, null, rows.Select(r => _text![r]).ToArray());

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({(IsNumeric ? "numbers" : "text")}, {Count} rows)";
}
