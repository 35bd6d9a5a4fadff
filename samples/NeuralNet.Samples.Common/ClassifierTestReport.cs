using System.Globalization;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Training;

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
    public static ConfusionMatrix Write<T>(SampleConsole console, Network<T> network, Matrix<T> inputs, Matrix<T> classIndices, IReadOnlyList<string> classNames, string noun)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(classNames);
        int[] actual = ClassLabels.FromIndices(classIndices);
        int[] predicted = network.PredictClasses(inputs);
        var confusion = new ConfusionMatrix(actual, predicted, classNames.Count);
        int correct = actual.Zip(predicted).Count(p => p.First == p.Second);
        console.Write("  test accuracy: ");
        console.WriteLine($"{confusion.Accuracy.ToString("P1", CultureInfo.InvariantCulture)} ({correct} of {actual.Length} {noun})", Style.Emphasis);
        console.WriteLine();
        ConfusionMatrixTable.Write(console, confusion, classNames);
        console.WriteLine();
        return confusion;
    }
}
