using System.Numerics;

namespace NeuralNet.Optimizers;

/// <summary>
/// AdamW (Loshchilov and Hutter, 2019): Adam with <b>decoupled</b> weight decay, in PyTorch's form.
/// Each step first shrinks the parameters, <c>p ← p − η·λ·p</c>, then takes Adam's step on the raw
/// gradient: <c>m ← β₁m + (1 − β₁)g</c>, <c>v ← β₂v + (1 − β₂)g²</c>,
/// <c>p ← p − η·m̂/(√v̂ + ε)</c> with <c>m̂ = m/(1 − β₁ᵗ)</c>, <c>v̂ = v/(1 − β₂ᵗ)</c>.
/// </summary>
/// <remarks>Defaults are PyTorch's: η = 0.001, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, λ = 0.01.</remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class AdamWOptimizer<T> : AdamOptimizer<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>Creates an AdamW optimizer.</summary>
    /// <param name="learningRate">η &gt; 0; default 0.001.</param>
    /// <param name="beta1">β₁ in [0, 1); default 0.9.</param>
    /// <param name="beta2">β₂ in [0, 1); default 0.999.</param>
    /// <param name="epsilon">ε &gt; 0; default 1e-8.</param>
    /// <param name="weightDecay">Decoupled weight decay λ ≥ 0; default 0.01.</param>
    public AdamWOptimizer(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0.01)
        : base(learningRate, beta1, beta2, epsilon, weightDecay)
    {
    }

    /// <inheritdoc />
    public override string Name => "adamw";

    /// <inheritdoc />
    protected override bool DecoupledWeightDecay => true;
}
