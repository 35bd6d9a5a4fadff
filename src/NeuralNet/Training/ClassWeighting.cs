using System.Numerics;
using NeuralNet.Data;
using NeuralNet.Losses;

namespace NeuralNet.Training;

/// <summary>
/// <see cref="TrainingOptions.ClassWeights"/> for rows in memory and streamed batches alike: the checks
/// (a classification loss, one class per sample, one weight per class) and each sample's weight
/// <c>w_n = classWeight[y_n]</c> from its target.
/// </summary>
internal static class ClassWeighting<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>Throws unless <paramref name="classWeights"/> fit the loss and the network's outputs.</summary>
    public static void Check(IReadOnlyList<double> classWeights, LossFunction<T> loss, bool classifier, int outputs, string paramName)
    {
        int classes = outputs == 1 ? 2 : outputs;
        if (!classifier)
        {
            throw new ArgumentException("ClassWeights apply to classification losses (categorical or binary cross-entropy) only.", paramName);
        }

        if (loss is BinaryCrossEntropy<T> && outputs > 1)
        {
            throw new ArgumentException($"ClassWeights need one class per sample: one sigmoid output or a softmax over classes (received {outputs} binary outputs).", paramName);
        }

        if (classWeights.Count != classes)
        {
            throw new ArgumentException($"ClassWeights must hold one weight per class: {classes} (received {classWeights.Count}).", paramName);
        }
    }

    /// <summary>The class weight of each row of a column-major target block (class indices, one-hot rows or a 0/1 column).</summary>
    public static void Weigh(IReadOnlyList<double> classWeights, ReadOnlySpan<T> targets, int rows, int targetColumns, int outputs, Span<int> labels, Span<T> weights)
    {
        if (targetColumns == 1 && outputs > 1)
        {
            for (int i = 0; i < rows; i++)
            {
                labels[i] = int.CreateTruncating(targets[i]); // class-index targets
            }
        }
        else
        {
            ClassLabels.FromScores(targets, rows, targetColumns, T.CreateChecked(0.5), labels);
        }

        for (int i = 0; i < rows; i++)
        {
            weights[i] = T.CreateChecked(classWeights[labels[i]]);
        }
    }
}
