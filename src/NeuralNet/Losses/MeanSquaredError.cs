using System.Numerics;
using NeuralNet.Activations;
using NeuralNet.Layers;

namespace NeuralNet.Losses;

/// <summary>
/// Mean squared error, <c>L = (1/(N·C)) Σ (y − t)²</c> over all N samples and C outputs, with no ½
/// factor (PyTorch's <c>MSELoss</c>); <c>∂L/∂y = 2(y − t)/(N·C)</c>.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class MeanSquaredError<T> : LossFunction<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override string Name => "mse";

    // The base class's answers, given again here so that precompiled code (ReadyToRun) holds them: the image has the
    // methods of the instantiations a program names (MeanSquaredError<double>), not the inherited virtual methods of
    // the generic base, which the JIT then compiled inside a training run's first step (W1's timed region).

    /// <inheritdoc />
    protected internal override bool AcceptsTargetColumns(int outputs, int targetColumns) => targetColumns == outputs;

    /// <inheritdoc />
    protected internal override void ValidateTargetValues(ReadOnlySpan<T> target, int rows, int outputs, int targetColumns, string parameterName)
    {
    }

    /// <inheritdoc />
    protected internal override string? OutputMismatch(Layer<T> outputLayer) => null;

    /// <inheritdoc />
    internal override bool TryFusedGradient(
        ActivationFunction<T> activation, ReadOnlySpan<T> output, ReadOnlySpan<T> target, ReadOnlySpan<T> sampleWeights,
        Span<T> preActivationGradient, int rows, int columns) => false;

    /// <inheritdoc />
    protected internal override T Value(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, ReadOnlySpan<T> sampleWeights, int rows, int columns)
    {
        T sum = T.Zero;
        if (sampleWeights.IsEmpty)
        {
            for (int i = 0; i < prediction.Length; i++)
            {
                T d = prediction[i] - target[i];
                sum += d * d; // (y − t)², as below with weight 1 (the same bits, without a row division per value)
            }
        }
        else
        {
            for (int i = 0; i < prediction.Length; i++)
            {
                T d = prediction[i] - target[i];
                sum += WeightOf(sampleWeights, i % rows) * d * d; // w·(y − t)²
            }
        }

        return sum / T.CreateChecked(prediction.Length);
    }

    /// <inheritdoc />
    protected internal override void Gradient(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, ReadOnlySpan<T> sampleWeights, Span<T> gradient, int rows, int columns)
    {
        T scale = Constant(2.0) / T.CreateChecked(prediction.Length);
        if (sampleWeights.IsEmpty)
        {
            for (int i = 0; i < prediction.Length; i++)
            {
                gradient[i] = scale * (prediction[i] - target[i]); // 2(y − t)/(N·C): the weighted form with weight 1, the same bits
            }

            return;
        }

        for (int i = 0; i < prediction.Length; i++)
        {
            gradient[i] = scale * WeightOf(sampleWeights, i % rows) * (prediction[i] - target[i]); // 2w(y − t)/(N·C)
        }
    }
}
