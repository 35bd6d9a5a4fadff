using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNet.Optimizers;

/// <summary>
/// Stochastic gradient descent: every weight and bias moves against its gradient, down where the loss
/// rises and up where it falls. In PyTorch's form:
/// without momentum <c>p ← p − η·g</c>; with momentum μ, <c>v ← μ·v + g</c> and <c>p ← p − η·v</c>
/// (Nesterov: <c>p ← p − η·(g + μ·v)</c>); v starts at 0. Weight decay λ adds <c>λp</c> to g first.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class SgdOptimizer<T> : Optimizer<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private const int ShortSpan = 16;
    private readonly T _momentum;

    /// <summary>Creates an SGD optimizer.</summary>
    /// <param name="learningRate">η &gt; 0, e.g. 0.01-0.5.</param>
    /// <param name="momentum">μ in [0, 1); 0 (the default) for plain SGD, 0.9 is common.</param>
    /// <param name="nesterov">Use Nesterov momentum (needs μ &gt; 0).</param>
    /// <param name="weightDecay">L2 weight decay λ ≥ 0; default 0.</param>
    public SgdOptimizer(double learningRate = 0.01, double momentum = 0, bool nesterov = false, double weightDecay = 0)
        : base(learningRate, weightDecay)
    {
        if (!(momentum >= 0 && momentum < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, $"momentum must be in [0, 1) (received {momentum}).");
        }

        if (nesterov && momentum == 0)
        {
            throw new ArgumentException("Nesterov momentum needs momentum > 0 (received 0).", nameof(nesterov));
        }

        Momentum = momentum;
        Nesterov = nesterov;
        _momentum = T.CreateChecked(momentum);
    }

    /// <summary>The momentum μ.</summary>
    public double Momentum { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc />
    public override string Name => "sgd";

    /// <inheritdoc />
    protected override int StateSlots => Momentum > 0 ? 1 : 0;

    /// <inheritdoc />
    protected override void Update(Span<T> values, ReadOnlySpan<T> gradients, OptimizerState<T> state, T learningRate)
    {
        if (Momentum == 0)
        {
            if (values.Length < ShortSpan)
            {
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] -= learningRate * gradients[i]; // p ← p − ηg, for a few values without any set-up
                }

                return;
            }

            TensorPrimitives.MultiplyAdd(gradients, -learningRate, values, values); // p ← p − ηg
            return;
        }

        Span<T> velocity = state.Slot(0);
        TensorPrimitives.MultiplyAdd(velocity, _momentum, gradients, velocity); // v ← μv + g
        if (Nesterov)
        {
            TensorPrimitives.MultiplyAdd(gradients, -learningRate, values, values);
            TensorPrimitives.MultiplyAdd(velocity, -learningRate * _momentum, values, values); // p ← p − η(g + μv)
        }
        else
        {
            TensorPrimitives.MultiplyAdd(velocity, -learningRate, values, values); // p ← p − ηv
        }
    }
}
