using System.Numerics;

namespace NeuralNet.Activations;

/// <summary>
/// An activation applied to every unit on its own: <c>a = f(z)</c> and <c>∂L/∂z = ∂L/∂a · f'(z)</c>.
/// Derive from it and write <see cref="Value"/> and <see cref="Derivative"/> side by side.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract class ElementwiseActivationFunction<T> : ActivationFunction<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>The function's value <c>f(z)</c>.</summary>
    /// <param name="z">The weighted sum of one unit.</param>
    public abstract T Value(T z);

    /// <summary>The derivative <c>f'(z)</c>; <paramref name="a"/> is <c>f(z)</c>, given because many derivatives are cheapest from it.</summary>
    /// <param name="z">The weighted sum of one unit.</param>
    /// <param name="a">The function's value at <paramref name="z"/>.</param>
    public abstract T Derivative(T z, T a);

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<T> z, Span<T> a, int rows, int columns)
    {
        // The vectorised loops run to z's length and write a without bounds checks: both must hold the batch.
        ShapeCheck.BatchSpans(rows, columns, z.Length, nameof(z));
        ShapeCheck.BatchSpans(rows, columns, a.Length, nameof(a));
        ShapeCheck.Apart(z, a, sameAllowed: true, nameof(z), nameof(a));
        ForwardOwnBuffers(z, a, rows, columns);
    }

    /// <summary>The forward pass without <see cref="Forward"/>'s checks, for a layer's own buffers (see the base class).</summary>
    internal sealed override void ForwardOwnBuffers(ReadOnlySpan<T> z, Span<T> a, int rows, int columns)
    {
        if (ForwardBatch(z, a))
        {
            return;
        }

        for (int i = 0; i < z.Length; i++)
        {
            a[i] = Value(z[i]);
        }
    }

    /// <inheritdoc />
    public override void Backward(
        ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int rows, int columns)
    {
        ShapeCheck.BatchSpans(rows, columns, z.Length, nameof(z));
        ShapeCheck.BatchSpans(rows, columns, a.Length, nameof(a));
        ShapeCheck.BatchSpans(rows, columns, outputGradient.Length, nameof(outputGradient));
        ShapeCheck.BatchSpans(rows, columns, inputGradient.Length, nameof(inputGradient));
        InputGradientApart(z, a, outputGradient, inputGradient);
        BackwardOwnBuffers(z, a, outputGradient, inputGradient, rows, columns);
    }

    /// <summary>The backward pass without <see cref="Backward"/>'s checks, for a layer's own buffers (see the base class).</summary>
    internal sealed override void BackwardOwnBuffers(
        ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int rows, int columns)
    {
        if (BackwardBatch(z, a, outputGradient, inputGradient))
        {
            return;
        }

        for (int i = 0; i < z.Length; i++)
        {
            inputGradient[i] = outputGradient[i] * Derivative(z[i], a[i]);
        }
    }

    /// <summary>
    /// A built-in function's vectorised forward pass over the whole batch (the same formula as
    /// <see cref="Value"/>, SIMD); false to have <see cref="Value"/> applied element by element.
    /// </summary>
    private protected virtual bool ForwardBatch(ReadOnlySpan<T> z, Span<T> a) => false;

    /// <summary>A built-in function's vectorised backward pass (the formula of <see cref="Derivative"/>); false for the element loop.</summary>
    private protected virtual bool BackwardBatch(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> outputGradient, Span<T> inputGradient) => false;
}
