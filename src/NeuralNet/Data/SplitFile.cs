using System.Globalization;

namespace NeuralNet.Data;

/// <summary>
/// A fixed train/test split stored beside a data set: a CSV file with the header <c>row,split</c> and
/// one line per data row, <c>split</c> being <c>train</c> or <c>test</c> (the format of the
/// <c>NAME.split.csv</c> files in <c>samples/data/</c>), so every run tests on the same rows.
/// </summary>
public static class SplitFile
{
    /// <summary>Reads a split file.</summary>
    /// <param name="path">The <c>.split.csv</c> file.</param>
    /// <returns>The training rows and the test rows, each in file order.</returns>
    /// <exception cref="InvalidDataException">A missing header, a line that is not <c>row,train</c> or <c>row,test</c>, or a row named twice; the message names the line.</exception>
    public static (int[] Train, int[] Test) Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var reader = new StreamReader(path);
        return Read(reader, path);
    }

    /// <summary>Reads a split from text in the format of <see cref="Load"/>.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="sourceName">A name for the text in error messages, e.g. its file name.</param>
    /// <returns>The training rows and the test rows, each in the order read.</returns>
    /// <exception cref="InvalidDataException">As for <see cref="Load"/>.</exception>
    public static (int[] Train, int[] Test) Read(TextReader reader, string sourceName = "split")
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(sourceName);
        string? header = reader.ReadLine();
        if (header?.Trim() != "row,split")
        {
            throw new InvalidDataException($"{sourceName}, line 1: expected the header 'row,split' (received '{header}').");
        }

        var train = new List<int>();
        var test = new List<int>();
        var seen = new HashSet<int>();
        int lineNumber = 1;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            string[] fields = line.Split(',');
            if (fields.Length != 2 || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out int row))
            {
                throw new InvalidDataException($"{sourceName}, line {lineNumber}: expected 'row,split' with a row number ≥ 0 (received '{line}').");
            }

            if (!seen.Add(row))
            {
                throw new InvalidDataException($"{sourceName}, line {lineNumber}: row {row} is named twice.");
            }

            (fields[1] switch
            {
                "train" => train,
                "test" => test,
                _ => throw new InvalidDataException($"{sourceName}, line {lineNumber}: split must be 'train' or 'test' (received '{fields[1]}')."),
            }).Add(row);
        }

        return (train.ToArray(), test.ToArray());
    }
}
