using System.Globalization;
using System.Text;
using nietras.SeparatedValues;

namespace NeuralNet.Data;

/// <summary>
/// Reads a CSV file with a header into a <see cref="Table"/>, deciding per column whether it holds
/// numbers or text. Sep splits the rows (<see cref="CsvRows"/>); the quoting rule is checked here, so
/// that a malformed quoted field is an error naming its line rather than text read some other way.
/// </summary>
internal static class CsvTableReader
{
    public static Table Read(TextReader reader, string source)
    {
        using SepReader csv = CsvRows.OpenRaw(reader);
        string[]? header = null;
        List<string>[] text = [];
        List<double>?[] numbers = [];
        var fields = new List<string>();
        foreach (SepReader.Row row in csv)
        {
            if (header is null)
            {
                Fields(row, fields, source);
                header = fields.Select(f => f.Trim()).ToArray();
                if (header.Any(h => h.Length == 0) || header.Distinct(StringComparer.Ordinal).Count() != header.Length)
                {
                    throw new InvalidDataException($"{source}, line 1: expected a header of distinct, non-empty column names (received '{row.Span}').");
                }

                text = header.Select(_ => new List<string>()).ToArray();
                numbers = header.Select(_ => (List<double>?)new List<double>()).ToArray();
                continue;
            }

            if (CsvRows.IsBlank(row))
            {
                continue;
            }

            Fields(row, fields, source);
            if (fields.Count != header.Length)
            {
                throw new InvalidDataException($"{source}, line {CsvRows.LineNumber(row)}: expected {header.Length} fields as in the header (received {fields.Count}).");
            }

            for (int c = 0; c < header.Length; c++)
            {
                string field = fields[c].Trim();
                text[c].Add(field);
                if (numbers[c] is { } column)
                {
                    if (double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value))
                    {
                        column.Add(value);
                    }
                    else
                    {
                        numbers[c] = null; // one field that is not a number makes the column text
                    }
                }
            }
        }

        if (header is null)
        {
            throw new InvalidDataException($"{source} is empty: expected a header row.");
        }

        if (text[0].Count == 0)
        {
            throw new InvalidDataException($"{source} has a header but no data rows.");
        }

        return new Table(header.Select((name, c) => numbers[c] is { } column ? TableColumn.Numeric(name, column) : TableColumn.Text(name, text[c])));
    }

    /// <summary>The row's fields: a field in double quotes may hold commas (and line breaks) and <c>""</c> for a quote.</summary>
    private static void Fields(SepReader.Row row, List<string> fields, string source)
    {
        fields.Clear();
        for (int c = 0; c < row.ColCount; c++)
        {
            fields.Add(Unquote(row[c].Span, source, CsvRows.LineNumber(row)));
        }
    }

    private static string Unquote(ReadOnlySpan<char> raw, string source, int lineNumber)
    {
        if (raw.Length == 0 || raw[0] != '"')
        {
            return raw.ToString();
        }

        var field = new StringBuilder(raw.Length);
        int i = 1;
        while (true)
        {
            if (i >= raw.Length)
            {
                throw new InvalidDataException($"{source}, line {lineNumber}: a quoted field is not closed.");
            }

            if (raw[i] == '"')
            {
                if (i + 1 < raw.Length && raw[i + 1] == '"')
                {
                    field.Append('"');
                    i += 2;
                    continue;
                }

                i++;
                break;
            }

            field.Append(raw[i++]);
        }

        if (i < raw.Length)
        {
            throw new InvalidDataException($"{source}, line {lineNumber}: expected a comma after a quoted field (received '{raw[i]}').");
        }

        return field.ToString();
    }
}
