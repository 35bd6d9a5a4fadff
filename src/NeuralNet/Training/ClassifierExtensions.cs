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
    /// them; logits are turned into them by softmax (several outputs) or the logistic function (one
    /// output). Several outputs without activation are taken as logits. One output without activation
    /// is what a regression network ends in, so it is refused with <see cref="ArgumentException"/>
    /// unless <paramref name="fromLogits"/> says it is a logit (a binary classifier trained with
    /// <c>BinaryCrossEntropy(fromLogits: true)</c>). An output layer whose activation gives other real
    /// numbers (ReLU, tanh, ...) is refused too; a layer or activation of your own that declares no
    /// <see cref="Layer{T}.OutputKind"/> is taken as logits.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="network">The classifier.</param>
    /// <param name="inputs">The inputs, <c>samples × InputSize</c>.</param>
    /// <param name="fromLogits">Whether a single output without activation is a logit (true) rather than a regression value (false, the default: refused).</param>
    /// <returns><c>samples × outputs</c>: per row, probabilities summing to 1 (several outputs) or the probability of class 1 (one output).</returns>
    public static Matrix<T> PredictProbabilities<T>(this Network<T> network, Matrix<T> inputs, bool fromLogits = false)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(inputs);
        CheckClassOutput(network, fromLogits);
        Layer<T> last = network.Layers[^1];
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
    /// class 1 when its probability is at least 0.5. Which outputs are refused, and why, is said at
    /// <see cref="PredictProbabilities{T}(Network{T}, Matrix{T}, bool)"/>.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="network">The classifier.</param>
    /// <param name="inputs">The inputs, <c>samples × InputSize</c>.</param>
    /// <param name="fromLogits">Whether a single output without activation is a logit (true) rather than a regression value (false, the default: refused).</param>
    public static int[] PredictClasses<T>(this Network<T> network, Matrix<T> inputs, bool fromLogits = false)
        where T : struct, IFloatingPointIeee754<T>
        => ClassLabels.FromScores(PredictProbabilities(network, inputs, fromLogits), 0.5);

    /// <summary>Refuses an output that cannot be decoded into classes, naming the layer and the fix.</summary>
    private static void CheckClassOutput<T>(Network<T> network, bool fromLogits)
        where T : struct, IFloatingPointIeee754<T>
    {
        Layer<T> last = network.Layers[^1];
        if (last.OutputKind is ActivationOutput.Probabilities or ActivationOutput.ProbabilityDistribution)
        {
            if (fromLogits)
            {
                throw new ArgumentException($"fromLogits: true, but the output layer {last} already gives probabilities: drop fromLogits.", nameof(fromLogits));
            }

            return;
        }

        if (last.OutputKind == ActivationOutput.Real && last.OutputActivation is not Identity<T>)
        {
            throw new ArgumentException($"the output layer {last} gives neither probabilities nor logits: class predictions need a softmax or sigmoid output, or logits (no activation). A regression network has no classes.", nameof(network));
        }

        if (last.OutputActivation is Identity<T> && last.OutputSize == 1 && !fromLogits)
        {
            throw new ArgumentException($"the output layer {last} gives one real number without activation, as a regression network does, which has no classes. For a binary classifier whose output is a logit (trained with BinaryCrossEntropy(fromLogits: true)) pass fromLogits: true; or end the network in a Sigmoid.", nameof(network));
        }
    }
}
