using System.Numerics;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Layers;

namespace NeuralNet.Training;

using MathNet.Numerics.LinearAlgebra;

/// <summary>Predictions of a classifier network: class probabilities and class labels.</summary>
public static class ClassifierExtensions
{
    /// <summary>
    /// The class probabilities of each input row. A softmax or sigmoid output layer already gives
    /// them; otherwise the outputs are taken as logits and softmax (several outputs) or the logistic
    /// function (one output) is applied. An output layer whose activation gives other real numbers
    /// (ReLU, tanh, ...) is refused with <see cref="ArgumentException"/>; a one-output network without
    /// activation is taken as a logit classifier (a regression network looks the same).
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="network">The classifier.</param>
    /// <param name="inputs">The inputs, <c>samples × InputSize</c>.</param>
    /// <returns><c>samples × outputs</c>: per row, probabilities summing to 1 (several outputs) or the probability of class 1 (one output).</returns>
    public static Matrix<T> PredictProbabilities<T>(this Network<T> network, Matrix<T> inputs)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        Layer<T> last = network.Layers[^1];
        if (last.OutputKind == ActivationOutput.Real && last.OutputActivation is not Identity<T>)
        {
            throw new ArgumentException($"the output layer {last} gives neither probabilities nor logits: class predictions need a softmax or sigmoid output, or logits (no activation). A regression network has no classes.", nameof(network));
        }

        Matrix<T> output = network.Predict(inputs);
        if (last.OutputKind is ActivationOutput.Probabilities or ActivationOutput.ProbabilityDistribution)
        {
            return output;
        }

        T[] values = Kernels.DenseStorage.Of(output);
        ActivationFunction<T> toProbabilities = output.ColumnCount == 1 ? new Sigmoid<T>() : new Softmax<T>();
        toProbabilities.Forward(values, values, output.RowCount, output.ColumnCount);
        return output;
    }

    /// <summary>
    /// The predicted class of each input row: the most probable class, or for a single output
    /// class 1 when its probability is at least 0.5.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="network">The classifier.</param>
    /// <param name="inputs">The inputs, <c>samples × InputSize</c>.</param>
    public static int[] PredictClasses<T>(this Network<T> network, Matrix<T> inputs)
        where T : struct, IFloatingPointIeee754<T>
        => ClassLabels.FromScores(PredictProbabilities(network, inputs), 0.5);
}
