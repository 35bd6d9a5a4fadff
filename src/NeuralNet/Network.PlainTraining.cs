using System.Numerics;
using NeuralNet.Losses;
using NeuralNet.Optimizers;

namespace NeuralNet;

using MathNet.Numerics.LinearAlgebra;

// Training steps on plain .NET arrays: each copies its batch into matrices and runs the matrix TrainStep.
public sealed partial class Network<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>One training step on a batch given as one array per sample (plain .NET data; see <see cref="TrainStep(Matrix{T}, Matrix{T}, LossFunction{T}, Optimizer{T}, Vector{T}?)"/>).</summary>
    /// <remarks>The arrays are copied into new matrices at every call; a loop that must not allocate passes matrices.</remarks>
    /// <param name="input">One array of <see cref="InputSize"/> finite values per sample.</param>
    /// <param name="target">One array of targets per sample, in the shape <paramref name="loss"/> expects (a class index, a one-hot row, regression values).</param>
    /// <param name="loss">The loss function.</param>
    /// <param name="optimizer">The optimizer that updates the parameters.</param>
    /// <returns>The batch's loss before the update.</returns>
    public T TrainStep(T[][] input, T[][] target, LossFunction<T> loss, Optimizer<T> optimizer)
        => TrainStep(PlainInputs.Rows<T>(input, nameof(input)), PlainInputs.Rows<T>(target, nameof(target)), loss, optimizer);

    /// <summary>One training step of a classifier on a batch given as one array per sample and one class index per sample.</summary>
    /// <remarks>The arrays are copied into new matrices at every call; a loop that must not allocate passes matrices.</remarks>
    /// <param name="input">One array of <see cref="InputSize"/> finite values per sample.</param>
    /// <param name="classIndices">The class of each sample, in [0, classes).</param>
    /// <param name="loss">The loss function (categorical cross-entropy takes class indices).</param>
    /// <param name="optimizer">The optimizer that updates the parameters.</param>
    /// <returns>The batch's loss before the update.</returns>
    public T TrainStep(T[][] input, int[] classIndices, LossFunction<T> loss, Optimizer<T> optimizer)
    {
        ArgumentNullException.ThrowIfNull(classIndices);
        return TrainStep(PlainInputs.Rows<T>(input, nameof(input)), PlainInputs.Column(classIndices.Select(T.CreateChecked).ToArray(), nameof(classIndices)), loss, optimizer);
    }

    /// <summary>One training step on a batch given as rectangular arrays <c>[sample, column]</c>.</summary>
    /// <remarks>The arrays are copied into new matrices at every call; a loop that must not allocate passes matrices.</remarks>
    /// <param name="input">The batch, <c>[samples, <see cref="InputSize"/>]</c>, finite values.</param>
    /// <param name="target">The targets, one row per sample, in the shape <paramref name="loss"/> expects.</param>
    /// <param name="loss">The loss function.</param>
    /// <param name="optimizer">The optimizer that updates the parameters.</param>
    /// <returns>The batch's loss before the update.</returns>
    public T TrainStep(T[,] input, T[,] target, LossFunction<T> loss, Optimizer<T> optimizer)
        => TrainStep(PlainInputs.Rows(input, nameof(input)), PlainInputs.Rows(target, nameof(target)), loss, optimizer);
}
