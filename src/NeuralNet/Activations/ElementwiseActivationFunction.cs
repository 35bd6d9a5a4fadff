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

    /// <summary>
    /// The forward pass without <see cref="Forward"/>'s checks, for a layer's own buffers (see the base class): <see cref="Value"/>
    /// element by element. A built-in function overrides it with its vectorised pass (the same formula, SIMD), so that a
    /// layer's pass is one virtual call into code of the sealed function's own (which precompiled code holds too).
    /// </summary>
    internal override void ForwardOwnBuffers(ReadOnlySpan<T> z, Span<T> a, int rows, int columns)
    {
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

    /// <summary>
    /// The backward pass without <see cref="Backward"/>'s checks, for a layer's own buffers (see the base class): <see cref="Derivative"/>
    /// element by element, or a built-in function's vectorised pass (the formula of <see cref="Derivative"/>).
    /// </summary>
    internal override void BackwardOwnBuffers(
        ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int rows, int columns)
    {
        for (int i = 0; i < z.Length; i++)
        {
            inputGradient[i] = outputGradient[i] * Derivative(z[i], a[i]);
        }
    }
}
