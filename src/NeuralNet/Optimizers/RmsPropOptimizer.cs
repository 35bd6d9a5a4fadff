using System.Numerics;
using NeuralNet.Kernels;

namespace NeuralNet.Optimizers;

/// <summary>
/// RMSProp (Hinton, 2012), in PyTorch's form: <c>v ← α·v + (1 − α)·g²</c>; centred, also
/// <c>ḡ ← α·ḡ + (1 − α)·g</c> and <c>v ← v − ḡ²</c> in the denominator; then
/// <c>p ← p − η·g/(√v + ε)</c>, or with momentum μ, <c>b ← μ·b + g/(√v + ε)</c>, <c>p ← p − η·b</c>.
/// v, ḡ and b start at 0. Weight decay λ is L2 (added to g as <c>λp</c> first).
/// </summary>
/// <remarks>
/// Defaults are PyTorch's: η = 0.01, α = 0.99, ε = 1e-8, μ = 0, not centred, λ = 0. A state value that would be
/// subnormal (as when its gradient stays 0) is kept as a zero of its sign: subnormal arithmetic is many times slower on
/// many processors, and no other value changes.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class RmsPropOptimizer<T> : Optimizer<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly T _alpha;
    private readonly T _epsilon;
    private readonly T _momentum;

    /// <summary>Creates an RMSProp optimizer.</summary>
    /// <param name="learningRate">η &gt; 0; default 0.01 (1e-4 to 1e-2 is the usual range).</param>
    /// <param name="alpha">α in [0, 1), the decay of the squared-gradient average; default 0.99.</param>
    /// <param name="epsilon">ε &gt; 0, added to √v for stability; default 1e-8.</param>
    /// <param name="momentum">μ in [0, 1); default 0.</param>
    /// <param name="centered">Divide by the estimated variance (v − ḡ²) rather than the raw second moment.</param>
    /// <param name="weightDecay">L2 weight decay λ ≥ 0; default 0.</param>
    public RmsPropOptimizer(double learningRate = 0.01, double alpha = 0.99, double epsilon = 1e-8, double momentum = 0, bool centered = false, double weightDecay = 0)
        : base(learningRate, weightDecay)
    {
        if (!(alpha >= 0 && alpha < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, $"alpha must be in [0, 1) (received {alpha}).");
        }

        if (!(double.IsFinite(epsilon) && epsilon > 0) || T.IsZero(T.CreateChecked(epsilon)))
        {
            // ε = 0 in T (1e-50 as float) would divide 0 by 0 for a parameter whose gradients were all 0.
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, $"epsilon must be a finite number > 0, not 0 as {typeof(T).Name} (received {epsilon}).");
        }

        if (!(momentum >= 0 && momentum < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, $"momentum must be in [0, 1) (received {momentum}).");
        }

        Alpha = alpha;
        Epsilon = epsilon;
        Momentum = momentum;
        Centered = centered;
        _alpha = T.CreateChecked(alpha);
        _epsilon = T.CreateChecked(epsilon);
        _momentum = T.CreateChecked(momentum);
    }

    /// <summary>α, the decay rate of the squared-gradient average.</summary>
    public double Alpha { get; }

    /// <summary>ε, the stabiliser added to the denominator.</summary>
    public double Epsilon { get; }

    /// <summary>μ, the momentum (0 for none).</summary>
    public double Momentum { get; }

    /// <summary>Whether the squared-gradient average is centred by the mean gradient.</summary>
    public bool Centered { get; }

    /// <inheritdoc />
    public override string Name => "rmsprop";

    /// <inheritdoc />
    protected override int StateSlots => 1 + (Centered ? 1 : 0) + (Momentum > 0 ? 1 : 0); // v, then ḡ when centred, then b with momentum

    /// <inheritdoc />
    internal override bool UpdatesElementwise => true;

    /// <inheritdoc />
    internal override string? ImpossibleState(T[][] slots)
    {
        if (FirstNegative(slots[0], "v (state array 0)") is string negative)
        {
            return negative;
        }

        if (Centered)
        {
            // ḡ and v average g and g² with the same weights, which sum to at most 1, so ḡ² ≤ v (Jensen); a small
            // relative margin leaves room for rounding. Beyond it, √(v − ḡ²) of the next step would be NaN.
            T[] v = slots[0], mean = slots[1];
            T margin = T.One + T.CreateChecked(1e-4);
            for (int i = 0; i < v.Length; i++)
            {
                if (mean[i] * mean[i] > v[i] * margin)
                {
                    return $"ḡ (state array 1) holds {mean[i]} at index {i}, whose square exceeds v = {v[i]}, the average of the squares";
                }
            }
        }

        return null;
    }

    /// <inheritdoc />
    protected override void Update(Span<T> values, ReadOnlySpan<T> gradients, OptimizerState<T> state, T learningRate)
    {
        bool momentum = Momentum > 0;
        Span<T> v = state.Slot(0);
        Span<T> mean = Centered ? state.Slot(1) : default;
        Span<T> buffer = momentum ? state.Slot(Centered ? 2 : 1) : default;
        T oneMinusAlpha = T.One - _alpha;
        for (int i = 0; i < values.Length; i++)
        {
            T g = gradients[i];
            v[i] = Subnormal<T>.Flush(_alpha * v[i] + oneMinusAlpha * g * g); // v ← αv + (1 − α)g² (a subnormal v becomes ±0)
            T variance = v[i];
            if (Centered)
            {
                mean[i] = Subnormal<T>.Flush(_alpha * mean[i] + oneMinusAlpha * g); // ḡ ← αḡ + (1 − α)g (likewise)
                variance = T.Max(variance - mean[i] * mean[i], T.Zero); // v − ḡ², never below 0 (rounding, or a v flushed to 0)
            }

            T step = g / (T.Sqrt(variance) + _epsilon); // g/(√v + ε)
            if (momentum)
            {
                buffer[i] = Subnormal<T>.Flush(_momentum * buffer[i] + step); // b ← μb + g/(√v + ε) (likewise)
                step = buffer[i];
            }

            values[i] -= learningRate * step;
        }
    }
}
