using System.Globalization;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using nietras.SeparatedValues;

namespace NeuralNet.Data;

/// <summary>
/// Loads numeric CSV files into a <see cref="Dataset{T}"/>, read through Sep: comma-separated, <c>.</c> as the decimal
/// point whatever the machine's culture, one header row, every other row numbers only (a number may be
/// in double quotes); one column (named or by index) is the target, the others are the features.
/// </summary>
/// <remarks>Malformed input, including a number beyond the range of the element type (<c>1e39</c> as
/// <see cref="float"/>), throws <see cref="InvalidDataException"/> naming the file, line and column.</remarks>
public static class CsvDataset
{
    /// <summary>Loads a CSV file whose header names the target column.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="path">The file.</param>
    /// <param name="targetColumn">The header name of the target column, e.g. <c>label</c>.</param>
    public static Dataset<T> Load<T>(string path, string targetColumn)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(targetColumn);
        using var reader = new StreamReader(path);
        return Read<T>(reader, targetColumn, path);
    }

    /// <summary>Loads a CSV file with a header row, taking the target from the column at <paramref name="targetColumn"/>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="path">The file.</param>
    /// <param name="targetColumn">The 0-based index of the target column; −1 for the last.</param>
    public static Dataset<T> Load<T>(string path, int targetColumn)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var reader = new StreamReader(path);
        return Read<T>(reader, targetColumn, path);
    }

    /// <summary>Reads CSV text whose header names the target column.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="reader">The text.</param>
    /// <param name="targetColumn">The header name of the target column.</param>
    /// <param name="sourceName">What to call the source in error messages.</param>
    public static Dataset<T> Read<T>(TextReader reader, string targetColumn, string sourceName = "csv")
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentException.ThrowIfNullOrEmpty(targetColumn);
        ArgumentNullException.ThrowIfNull(sourceName);
        return ReadCore<T>(reader, sourceName, header =>
        {
            int index = Array.IndexOf(header, targetColumn);
            return index >= 0 ? index : throw new ArgumentException($"targetColumn '{targetColumn}' is not in the header of {sourceName} (columns: {string.Join(", ", header)}).", nameof(targetColumn));
        });
    }

    /// <summary>Reads CSV text with a header row, taking the target from the column at <paramref name="targetColumn"/>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="reader">The text.</param>
    /// <param name="targetColumn">The 0-based index of the target column; −1 for the last.</param>
    /// <param name="sourceName">What to call the source in error messages.</param>
    public static Dataset<T> Read<T>(TextReader reader, int targetColumn, string sourceName = "csv")
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetColumn, -1);
        ArgumentNullException.ThrowIfNull(sourceName);
        return ReadCore<T>(reader, sourceName, header =>
        {
            int index = targetColumn == -1 ? header.Length - 1 : targetColumn;
            return index < header.Length ? index : throw new ArgumentOutOfRangeException(nameof(targetColumn), targetColumn, $"targetColumn must be below the {header.Length} columns of {sourceName} (received {targetColumn}).");
        });
    }

    private static Dataset<T> ReadCore<T>(TextReader reader, string source, Func<string[], int> targetIndex)
        where T : struct, IFloatingPointIeee754<T>
    {
        string[] header = ReadHeader(reader, source);
        int target = targetIndex(header);
        var rows = new List<T[]>();
        using (SepReader csv = CsvRows.OpenNumbers(reader))
        {
            foreach (SepReader.Row row in csv)
            {
                if (CsvRows.IsBlank(row))
                {
                    continue;
                }

                var values = new T[header.Length];
                CsvRows.ParseNumbers<T>(row, header, source, CsvRows.LineNumber(row) + 1, values); // + 1: the header line was read before Sep started
                rows.Add(values);
            }
        }

        if (rows.Count == 0)
        {
            throw new InvalidDataException($"{source} has a header but no data rows.");
        }

        if ((long)rows.Count * header.Length > Array.MaxLength)
        {
            throw new InvalidDataException($"{source} holds {rows.Count} rows × {header.Length} columns, more values than one array can hold ({Array.MaxLength}).");
        }

        var features = Matrix<T>.Build.Dense(rows.Count, header.Length - 1);
        var targets = Matrix<T>.Build.Dense(rows.Count, 1);
        for (int r = 0; r < rows.Count; r++)
        {
            for (int c = 0, f = 0; c < header.Length; c++)
            {
                T value = rows[r][c];
                if (c == target)
                {
                    targets[r, 0] = value;
                }
                else
                {
                    features[r, f++] = value;
                }
            }
        }

        string[] featureNames = header.Where((_, c) => c != target).ToArray();
        return new Dataset<T>(features, targets, featureNames, [header[target]]);
    }

    /// <summary>Reads the header row: at least 2 comma-separated names.</summary>
    internal static string[] ReadHeader(TextReader reader, string source)
    {
        string? headerLine = reader.ReadLine() ?? throw new InvalidDataException($"{source} is empty: expected a header row.");
        string[] header = headerLine.Split(',').Select(h => h.Trim()).ToArray();
        if (header.Length < 2)
        {
            throw new InvalidDataException($"{source}, line 1: expected a header with at least 2 comma-separated columns (received '{headerLine}').");
        }

        return header;
    }
}
