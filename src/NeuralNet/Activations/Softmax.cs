using System.Numerics;
using NeuralNet.Onnx;

namespace NeuralNet.Activations;

/// <summary>
/// Softmax over the units of each sample, <c>a_i = e^{z_i} / Σ_j e^{z_j}</c>, giving class
/// probabilities. Computed with the row maximum subtracted, so no exponential overflows.
/// </summary>
/// <remarks>
/// Paired with <see cref="Losses.CategoricalCrossEntropy{T}"/> the network uses the fused gradient
/// <c>(a − onehot)/batch</c> instead of this Jacobian product.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Softmax<T> : ActivationFunction<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override string Name => "softmax";

    /// <inheritdoc />
    public override ActivationOutput OutputKind => ActivationOutput.ProbabilityDistribution;

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<T> z, Span<T> a, int rows, int columns)
    {
        ShapeCheck.BatchSpans(rows, columns, z.Length, nameof(z));
        ShapeCheck.BatchSpans(rows, columns, a.Length, nameof(a));
        ShapeCheck.Apart(z, a, sameAllowed: true, nameof(z), nameof(a));
        for (int r = 0; r < rows; r++)
        {
            T max = T.NegativeInfinity;
            for (int c = 0; c < columns; c++)
            {
                max = T.Max(max, z[r + c * rows]);
            }

            T sum = T.Zero;
            for (int c = 0; c < columns; c++)
            {
                T e = T.Exp(z[r + c * rows] - max); // e^{z_i − max} ≤ 1
                a[r + c * rows] = e;
                sum += e;
            }

            T inverse = T.One / sum;
            for (int c = 0; c < columns; c++)
            {
                a[r + c * rows] *= inverse;
            }
        }
    }

    /// <inheritdoc />
    public override void Backward(
        ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int rows, int columns)
    {
        ShapeCheck.BatchSpans(rows, columns, a.Length, nameof(a));
        ShapeCheck.BatchSpans(rows, columns, outputGradient.Length, nameof(outputGradient));
        ShapeCheck.BatchSpans(rows, columns, inputGradient.Length, nameof(inputGradient));
        InputGradientApart(z, a, outputGradient, inputGradient);
        for (int r = 0; r < rows; r++)
        {
            T dot = T.Zero;
            for (int c = 0; c < columns; c++)
            {
                dot += outputGradient[r + c * rows] * a[r + c * rows];
            }

            for (int c = 0; c < columns; c++)
            {
                int i = r + c * rows;
                inputGradient[i] = a[i] * (outputGradient[i] - dot); // ∂L/∂z_i = a_i(g_i − Σ_j g_j a_j)
            }
        }
    }

    /// <inheritdoc />
    public override void ExportOnnx(OnnxGraph<T> graph, string z, string a)
    {
        ShapeCheck.ExportArguments(graph, z, a);
        graph.Node("Softmax", [z], a, ("axis", 1L));
    }
}
