using System.Globalization;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Training;
using Spectre.Console;
using Table = Spectre.Console.Table;

namespace NeuralNet.Samples;

/// <summary>A classifier's results on its test rows: the accuracy line and the confusion matrix.</summary>
public static class ClassifierTestReport
{
    /// <summary>Predicts the test rows' classes, then writes the test accuracy and the confusion matrix.</summary>
    /// <typeparam name="T">The network's element type.</typeparam>
    /// <param name="console">Where to write.</param>
    /// <param name="network">The trained classifier.</param>
    /// <param name="inputs">The test rows, scaled as for training.</param>
    /// <param name="classIndices">The test rows' classes, one column of class indices.</param>
    /// <param name="classNames">A short name per class.</param>
    /// <param name="noun">What a row is, in the plural (e.g. <c>images</c>).</param>
    /// <returns>The confusion matrix.</returns>
    public static ConfusionMatrix Write<T>(IAnsiConsole console, Network<T> network, Matrix<T> inputs, Matrix<T> classIndices, IReadOnlyList<string> classNames, string noun)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(classNames);
        int[] actual = ClassLabels.FromIndices(classIndices);
        int[] predicted = network.PredictClasses(inputs);
        var confusion = new ConfusionMatrix(actual, predicted, classNames.Count);
        int correct = actual.Zip(predicted).Count(p => p.First == p.Second);
        console.Line(("test accuracy: ", Style.Plain), ($"{confusion.Accuracy.ToString("P1", CultureInfo.InvariantCulture)} ({correct} of {actual.Length} {noun})", SampleConsole.Emphasis));
        console.WriteLine();
        console.Line("the confusion matrix: a row per actual class, a column per class predicted", SampleConsole.Dim);
        console.Indented(ConfusionTable(confusion, classNames));
        console.WriteLine();
        return confusion;
    }

    /// <summary>
    /// The confusion matrix as a table (rows: actual class, columns: predicted), the diagonal in green,
    /// with recall per class. Columns are headed by class number so that ten classes fit 80 columns;
    /// the rows carry the names.
    /// </summary>
    /// <param name="matrix">The library's confusion matrix.</param>
    /// <param name="classNames">A short name per class.</param>
    /// <returns>The table.</returns>
    public static Table ConfusionTable(ConfusionMatrix matrix, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(classNames);
        bool numbered = classNames.Any(n => n.Length > 4);
        string Header(int c) => numbered ? c.ToString(CultureInfo.InvariantCulture) : classNames[c];
        Table table = SampleConsole.Table(["actual", .. Enumerable.Range(0, matrix.Classes).Select(c => ">" + Header(c)), ">recall"]);
        foreach (Spectre.Console.TableColumn column in table.Columns.Skip(1))
        {
            column.Padding = new Padding(0, 0, 1, 0);
        }

        for (int a = 0; a < matrix.Classes; a++)
        {
            var cells = new List<(string, Style)> { (numbered ? $"{a} {classNames[a]}" : classNames[a], SampleConsole.Accent) };
            for (int p = 0; p < matrix.Classes; p++)
            {
                int count = matrix[a, p];
                cells.Add((count.ToString(CultureInfo.InvariantCulture), p == a ? SampleConsole.Good : count > 0 ? SampleConsole.Bad : SampleConsole.Dim));
            }

            cells.Add((matrix.Recall(a).ToString("P1", CultureInfo.InvariantCulture), Style.Plain));
            table.Row([.. cells]);
        }

        return table;
    }
}
