using System.Globalization;
using System.Text;

namespace NeuralNet.Data;

/// <summary>Reads a CSV file with a header into a <see cref="Table"/>, deciding per column whether it holds numbers or text.</summary>
internal static class CsvTableReader
{
    public static Table Read(TextReader reader, string source)
    {
        string headerLine = reader.ReadLine() ?? throw new InvalidDataException($"{source} is empty: expected a header row.");
        var fields = new List<string>();
        Split(headerLine, fields, source, 1);
        string[] header = fields.Select(f => f.Trim()).ToArray();
        if (header.Any(h => h.Length == 0) || header.Distinct(StringComparer.Ordinal).Count() != header.Length)
        {
            throw new InvalidDataException($"{source}, line 1: expected a header of distinct, non-empty column names (received '{headerLine}').");
        }

        var text = new List<string>[header.Length];
        var numbers = new List<double>?[header.Length];
        for (int c = 0; c < header.Length; c++)
        {
            text[c] = [];
            numbers[c] = [];
        }

        int lineNumber = 1;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            Split(line, fields, source, lineNumber);
            if (fields.Count != header.Length)
            {
                throw new InvalidDataException($"{source}, line {lineNumber}: expected {header.Length} fields as in the header (received {fields.Count}).");
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

        if (text[0].Count == 0)
        {
            throw new InvalidDataException($"{source} has a header but no data rows.");
        }

        return new Table(header.Select((name, c) => numbers[c] is { } column ? TableColumn.Numeric(name, column) : TableColumn.Text(name, text[c])));
    }

    /// <summary>Splits one line into fields: commas separate, a field in double quotes may hold commas and <c>""</c> for a quote.</summary>
    private static void Split(string line, List<string> fields, string source, int lineNumber)
    {
        fields.Clear();
        var field = new StringBuilder();
        int i = 0;
        while (true)
        {
            field.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        throw new InvalidDataException($"{source}, line {lineNumber}: a quoted field is not closed.");
                    }

                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(line[i++]);
                }

                if (i < line.Length && line[i] != ',')
                {
                    throw new InvalidDataException($"{source}, line {lineNumber}: expected a comma after a quoted field (received '{line[i]}').");
                }
            }
            else
            {
                int comma = line.IndexOf(',', i);
                int end = comma < 0 ? line.Length : comma;
                field.Append(line, i, end - i);
                i = end;
            }

            fields.Add(field.ToString());
            if (i >= line.Length)
            {
                return;
            }

            i++; // the comma
        }
    }
}
