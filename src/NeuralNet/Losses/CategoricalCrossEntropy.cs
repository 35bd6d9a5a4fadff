using System.Numerics;
using System.Numerics.Tensors;
using NeuralNet.Activations;
using NeuralNet.Layers;

namespace NeuralNet.Losses;

/// <summary>
/// Categorical cross-entropy for C classes, the mean over the batch of <c>ℓ_n = −Σ_c t_nc·ln p_nc</c>.
/// Targets are one-hot rows (<c>N × C</c>, or any probability rows) or class indices (<c>N × 1</c>,
/// integers 0…C−1). With <c>fromLogits</c> the predictions are logits and softmax is folded in stably
/// (PyTorch's <c>CrossEntropyLoss</c>): <c>∂L/∂z = (softmax(z)·Σt − t)/N</c>.
/// </summary>
/// <remarks>
/// After a <see cref="Softmax{T}"/> output layer the network uses the fused gradient
/// <c>(softmax(z) − onehot)/N</c> rather than dividing by p (any layer that declares a softmax as its
/// <see cref="Layer{T}.OutputActivation"/> takes part).
/// On probabilities each logarithm is clamped at −100.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed partial class CategoricalCrossEntropy<T> : LossFunction<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private static readonly T LogFloor = Constant(-100.0);

    /// <summary>Creates a categorical cross-entropy loss.</summary>
    /// <param name="fromLogits">True when the predictions are logits (identity output layer); false for probabilities (softmax output layer).</param>
    public CategoricalCrossEntropy(bool fromLogits = false) => FromLogits = fromLogits;

    /// <summary>Whether predictions are logits rather than probabilities.</summary>
    public bool FromLogits { get; }

    /// <inheritdoc />
    public override string Name => FromLogits ? "categorical_cross_entropy_logits" : "categorical_cross_entropy";

    /// <inheritdoc />
    protected internal override bool AcceptsTargetColumns(int outputs, int targetColumns) => targetColumns == outputs || targetColumns == 1;

    /// <inheritdoc />
    protected internal override void ValidateTargetValues(ReadOnlySpan<T> target, int rows, int outputs, int targetColumns, string parameterName)
    {
        if (IsClassIndex(outputs, targetColumns))
        {
            T classes = T.CreateChecked(outputs);
            foreach (T t in target)
            {
                if (t < T.Zero || t >= classes || t != T.Floor(t))
                {
                    throw new ArgumentException($"class-index targets must be whole numbers in [0, {outputs - 1}] (received {t}).", parameterName);
                }
            }

            return;
        }

        foreach (T t in target)
        {
            if (t < T.Zero || t > T.One)
            {
                throw new ArgumentException($"{Name} expects one-hot or probability targets in [0, 1] (received {t}).", parameterName);
            }
        }
    }

    /// <inheritdoc />
    protected internal override T Value(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, ReadOnlySpan<T> sampleWeights, int rows, int columns)
    {
        bool indices = IsClassIndex(columns, target.Length / rows);
        if (FromLogits)
        {
            Span<T> scratch = RowScratch((2 + columns) * rows);
            Span<T> maxima = scratch[..rows], sums = scratch.Slice(rows, rows);
            ShiftedExponentials(prediction, rows, columns, maxima, sums, scratch.Slice(2 * rows, columns * rows));
            return LogitsValue(prediction, target, sampleWeights, maxima, sums, sums, rows, columns, indices);
        }

        return WeightedMean(prediction, target, sampleWeights, default, rows, columns, indices);
    }

    /// <summary>
    /// <c>(1/N) Σ_n w_n ℓ_n</c> with <c>ℓ_n = −Σ_c t_nc·ln p_nc</c>, row by row in order; from logits
    /// <c>ln p = z − ln Σ e^z</c> with the rows' <paramref name="logSumExps"/>, else the clamped logarithm of the probability.
    /// </summary>
    private T WeightedMean(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, ReadOnlySpan<T> sampleWeights, ReadOnlySpan<T> logSumExps, int rows, int columns, bool indices)
    {
        T sum = T.Zero;
        for (int r = 0; r < rows; r++)
        {
            T logSumExp = FromLogits ? logSumExps[r] : T.Zero;
            T l = T.Zero;
            for (int c = 0; c < columns; c++)
            {
                T t = TargetAt(target, indices, r, c, rows);
                if (t != T.Zero)
                {
                    T logP = FromLogits ? prediction[r + c * rows] - logSumExp : T.Max(T.Log(prediction[r + c * rows]), LogFloor);
                    l -= t * logP; // −Σ_c t_c ln p_c
                }
            }

            sum += WeightOf(sampleWeights, r) * l;
        }

        return sum / T.CreateChecked(rows);
    }

    /// <inheritdoc />
    protected internal override void Gradient(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, ReadOnlySpan<T> sampleWeights, Span<T> gradient, int rows, int columns)
    {
        bool indices = IsClassIndex(columns, target.Length / rows);
        T inverseN = T.One / T.CreateChecked(rows);
        T tiny = Constant(1e-12);
        if (FromLogits)
        {
            LogitsGradient(prediction, target, sampleWeights, gradient, rows, columns, indices, inverseN);
            return;
        }

        for (int r = 0; r < rows; r++)
        {
            T scale = inverseN * WeightOf(sampleWeights, r);
            for (int c = 0; c < columns; c++)
            {
                int i = r + c * rows;
                gradient[i] = -scale * TargetAt(target, indices, r, c, rows) / T.Max(prediction[i], tiny); // −t/p
            }
        }
    }

    /// <inheritdoc />
    protected internal override string? OutputMismatch(Layer<T> outputLayer)
    {
        ArgumentNullException.ThrowIfNull(outputLayer);
        return !FromLogits && outputLayer.OutputKind == ActivationOutput.Real
            ? $"{Name} expects probabilities from the output layer, but {outputLayer} gives other real numbers, on which the loss is NaN or negative. Use new CategoricalCrossEntropy<{typeof(T).Name}>(fromLogits: true) on that output, or end the network in a Softmax. (An activation or layer of your own whose outputs are probabilities says so through its OutputKind property.)"
            : null;
    }

    /// <summary>Fused softmax + cross-entropy, see <see cref="FusedSoftmaxGradient"/>.</summary>
    internal override bool TryFusedGradient(
        ActivationFunction<T> activation, ReadOnlySpan<T> output, ReadOnlySpan<T> target, ReadOnlySpan<T> sampleWeights,
        Span<T> preActivationGradient, int rows, int columns)
    {
        if (FromLogits || activation is not Softmax<T>)
        {
            return false;
        }

        FusedSoftmaxGradient(output, target, sampleWeights, preActivationGradient, rows, columns);
        return true;
    }

    /// <summary>
    /// The gradient of cross-entropy through softmax with respect to the logits:
    /// <c>∂L/∂z = w_n(a·Σt − t)/N</c>, which for one-hot targets is <c>(softmax(z) − onehot)/N</c>.
    /// </summary>
    internal static void FusedSoftmaxGradient(
        ReadOnlySpan<T> softmax, ReadOnlySpan<T> target, ReadOnlySpan<T> sampleWeights, Span<T> gradient, int rows, int columns)
    {
        bool indices = IsClassIndex(columns, target.Length / rows);
        T inverseN = T.One / T.CreateChecked(rows);
        for (int r = 0; r < rows; r++)
        {
            T scale = inverseN * WeightOf(sampleWeights, r);
            T targetSum = T.One;
            if (!indices)
            {
                targetSum = T.Zero;
                for (int c = 0; c < columns; c++)
                {
                    targetSum += target[r + c * rows];
                }
            }

            for (int c = 0; c < columns; c++)
            {
                int i = r + c * rows;
                gradient[i] = scale * (softmax[i] * targetSum - TargetAt(target, indices, r, c, rows)); // (a − onehot)/N
            }
        }
    }

    private static bool IsClassIndex(int outputs, int targetColumns) => targetColumns == 1 && outputs > 1;

    private static T TargetAt(ReadOnlySpan<T> target, bool indices, int r, int c, int rows)
        => indices ? (int.CreateTruncating(target[r]) == c ? T.One : T.Zero) : target[r + c * rows];
}
