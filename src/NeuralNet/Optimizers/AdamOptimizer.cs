using System.Numerics;
using NeuralNet.Kernels;

namespace NeuralNet.Optimizers;

/// <summary>
/// Adam (Kingma and Ba, 2015), in PyTorch's form. With gradient g at step t (from 1):
/// <c>m ← β₁·m + (1 − β₁)·g</c>, <c>v ← β₂·v + (1 − β₂)·g²</c>,
/// <c>m̂ = m/(1 − β₁ᵗ)</c>, <c>v̂ = v/(1 − β₂ᵗ)</c>, <c>p ← p − η·m̂/(√v̂ + ε)</c>; m and v start at 0.
/// Weight decay λ is L2 (added to g as <c>λp</c> first), as in PyTorch's <c>Adam</c>; for decoupled
/// decay use <see cref="AdamWOptimizer{T}"/>.
/// </summary>
/// <remarks>
/// Defaults are PyTorch's: η = 0.001, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, λ = 0. A moment that would be subnormal (below
/// the smallest normal number, as when its gradient stays 0) is kept as a zero of its sign: subnormal arithmetic is
/// many times slower on many processors, and no other value changes.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public class AdamOptimizer<T> : Optimizer<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly T _beta1;
    private readonly T _beta2;
    private readonly T _epsilon;

    /// <summary>Creates an Adam optimizer.</summary>
    /// <param name="learningRate">η &gt; 0; default 0.001 (1e-4 to 1e-2 is the usual range).</param>
    /// <param name="beta1">β₁ in [0, 1), the decay of the first-moment average; default 0.9.</param>
    /// <param name="beta2">β₂ in [0, 1), the decay of the second-moment average; default 0.999.</param>
    /// <param name="epsilon">ε &gt; 0, added to √v̂ for stability; default 1e-8.</param>
    /// <param name="weightDecay">L2 weight decay λ ≥ 0; default 0.</param>
    public AdamOptimizer(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0)
        : base(learningRate, weightDecay)
    {
        if (!(beta1 >= 0 && beta1 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(beta1), beta1, $"beta1 must be in [0, 1) (received {beta1}).");
        }

        if (!(beta2 >= 0 && beta2 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(beta2), beta2, $"beta2 must be in [0, 1) (received {beta2}).");
        }

        if (!(double.IsFinite(epsilon) && epsilon > 0) || T.IsZero(T.CreateChecked(epsilon)))
        {
            // ε = 0 in T (1e-50 as float) would divide 0 by 0 for a parameter whose gradients were all 0.
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, $"epsilon must be a finite number > 0, not 0 as {typeof(T).Name} (received {epsilon}).");
        }

        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        _beta1 = T.CreateChecked(beta1);
        _beta2 = T.CreateChecked(beta2);
        _epsilon = T.CreateChecked(epsilon);
    }

    /// <summary>β₁, the decay rate of the first-moment (mean) estimate.</summary>
    public double Beta1 { get; }

    /// <summary>β₂, the decay rate of the second-moment (uncentred variance) estimate.</summary>
    public double Beta2 { get; }

    /// <summary>ε, the stabiliser added to the denominator.</summary>
    public double Epsilon { get; }

    /// <inheritdoc />
    public override string Name => "adam";

    /// <inheritdoc />
    protected override int StateSlots => 2;

    /// <inheritdoc />
    internal override bool UpdatesElementwise => true;

    /// <inheritdoc />
    internal override string? ImpossibleState(T[][] slots) => FirstNegative(slots[1], "v (state array 1)");

    /// <inheritdoc />
    protected sealed override void Update(Span<T> values, ReadOnlySpan<T> gradients, OptimizerState<T> state, T learningRate)
    {
        Span<T> m = state.Slot(0), v = state.Slot(1);
        double t = state.Steps;
        T correction1 = T.One - T.CreateChecked(Math.Pow(Beta1, t));
        T correction2Sqrt = T.Sqrt(T.One - T.CreateChecked(Math.Pow(Beta2, t)));
        T oneMinusBeta1 = T.One - _beta1, oneMinusBeta2 = T.One - _beta2;
        T stepSize = learningRate / correction1;
        for (int i = 0; i < values.Length; i++)
        {
            T g = gradients[i];
            m[i] = Subnormal<T>.Flush(_beta1 * m[i] + oneMinusBeta1 * g); // m ← β₁m + (1 − β₁)g (a subnormal m becomes ±0)
            v[i] = Subnormal<T>.Flush(_beta2 * v[i] + oneMinusBeta2 * g * g); // v ← β₂v + (1 − β₂)g² (likewise)
            values[i] -= stepSize * m[i] / (T.Sqrt(v[i]) / correction2Sqrt + _epsilon); // p ← p − η·m̂/(√v̂ + ε)
        }
    }
}
