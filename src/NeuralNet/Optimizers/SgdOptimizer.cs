using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

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
    internal override bool UpdatesElementwise => true;

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
        if (!Nesterov && Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            MomentumStep(values, gradients, velocity, learningRate);
            return;
        }

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

    /// <summary>
    /// <c>v ← μv + g; p ← p − ηv</c> in one pass over the three arrays instead of two (the same multiplies
    /// and adds, unfused, so the result is the same to the bit).
    /// </summary>
    private void MomentumStep(Span<T> values, ReadOnlySpan<T> gradients, Span<T> velocity, T learningRate)
    {
        ref T p = ref MemoryMarshal.GetReference(values), v = ref MemoryMarshal.GetReference(velocity);
        ref T g = ref MemoryMarshal.GetReference(gradients);
        var mu = new Vector<T>(_momentum);
        var minusEta = new Vector<T>(-learningRate);
        int i = 0;
        for (; i <= values.Length - Vector<T>.Count; i += Vector<T>.Count)
        {
            Vector<T> vi = (Vector.LoadUnsafe(ref v, (nuint)i) * mu) + Vector.LoadUnsafe(ref g, (nuint)i);
            vi.StoreUnsafe(ref v, (nuint)i);
            ((vi * minusEta) + Vector.LoadUnsafe(ref p, (nuint)i)).StoreUnsafe(ref p, (nuint)i);
        }

        for (; i < values.Length; i++)
        {
            velocity[i] = (velocity[i] * _momentum) + gradients[i];
            values[i] = (velocity[i] * -learningRate) + values[i];
        }
    }
}
