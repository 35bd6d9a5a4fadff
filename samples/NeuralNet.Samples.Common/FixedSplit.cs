using System.Globalization;

namespace NeuralNet.Samples;

/// <summary>
/// The fixed train/test split shipped beside a data set (<c>NAME.split.csv</c>: header <c>row,split</c>,
/// one line per data row, <c>train</c> or <c>test</c>), so every run and every implementation tests on
/// the same rows.
/// </summary>
public static class FixedSplit
{
    /// <summary>Reads a split file.</summary>
    /// <param name="path">The <c>.split.csv</c> file.</param>
    /// <returns>The training rows and the test rows, each in file order.</returns>
    /// <exception cref="InvalidDataException">A line that is not <c>row,train</c> or <c>row,test</c>.</exception>
    public static (int[] Train, int[] Test) Load(string path)
    {
        var train = new List<int>();
        var test = new List<int>();
        string[] lines = File.ReadAllLines(path);
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            string[] fields = lines[i].Split(',');
            if (fields.Length != 2 || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out int row))
            {
                throw new InvalidDataException($"{path}, line {i + 1}: expected 'row,split' (received '{lines[i]}').");
            }

            (fields[1] switch
            {
                "train" => train,
                "test" => test,
                _ => throw new InvalidDataException($"{path}, line {i + 1}: split must be 'train' or 'test' (received '{fields[1]}')."),
            }).Add(row);
        }

        return (train.ToArray(), test.ToArray());
    }
}
