using System.Globalization;
using NeuralNet.Data;

namespace NeuralNet.Samples;

/// <summary>Prints a confusion matrix (rows: actual class, columns: predicted) with recall per class; the diagonal in green.</summary>
public static class ConfusionMatrixTable
{
    /// <summary>Writes the matrix as an aligned table.</summary>
    /// <param name="console">Where to write.</param>
    /// <param name="matrix">The library's confusion matrix.</param>
    /// <param name="classNames">A short name per class.</param>
    public static void Write(SampleConsole console, ConfusionMatrix matrix, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(classNames);
        var table = new TextTable(["actual \\ predicted", .. classNames.Select(n => ">" + n), ">recall"]);
        for (int a = 0; a < matrix.Classes; a++)
        {
            var cells = new List<(string, Style)> { (classNames[a], Style.Accent) };
            for (int p = 0; p < matrix.Classes; p++)
            {
                int count = matrix[a, p];
                cells.Add((count.ToString(CultureInfo.InvariantCulture), p == a ? Style.Good : count > 0 ? Style.Bad : Style.Dim));
            }

            cells.Add((matrix.Recall(a).ToString("P1", CultureInfo.InvariantCulture), Style.Plain));
            table.AddRow([.. cells]);
        }

        table.Write(console);
    }
}
