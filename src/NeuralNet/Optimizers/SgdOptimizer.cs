using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NeuralNet.Kernels;

namespace NeuralNet.Optimizers;

/// <summary>
/// Stochastic gradient descent: every weight and bias moves against its gradient, down where the loss
/// rises and up where it falls. In PyTorch's form:
/// without momentum <c>p ← p − η·g</c>; with momentum μ, <c>v ← μ·v + g</c> and <c>p ← p − η·v</c>
/// (Nesterov: <c>p ← p − η·(g + μ·v)</c>); v starts at 0. Weight decay λ adds <c>λp</c> to g first.
/// A velocity that would be subnormal (as when its gradient stays 0 and it decays) is kept as a zero of its sign:
/// subnormal arithmetic is many times slower on many processors, and no other value changes.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class SgdOptimizer<T> : Optimizer<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private const int ShortSpan = ShortParameter;
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

    /// <summary>
    /// Whether this step's update cannot make a value non-finite, from bounds alone (no pass over the values or gradients):
    /// with every value finite and every gradient element within G (the layer's <paramref name="gradientBound"/>), and the
    /// velocity within V (<see cref="OptimizerState{T}.SlotBound"/>), the new velocity is within μV + G and each term the
    /// update adds to a value within η(μV + G) (Nesterov: ηG and ημ(μV + G)). Adding to a finite value anything smaller than
    /// half the spacing of floats at the largest finite one never overflows, so four times below that (and the velocity four
    /// times below the largest finite value: the margin covers every rounding) the update stays finite.
    /// </summary>
    internal override bool UpdateStaysFinite(OptimizerState<T> state, double gradientBound, T learningRate)
    {
        if (!(gradientBound >= 0 && gradientBound < double.PositiveInfinity))
        {
            return false; // no bound this step (NaN) or none that helps
        }

        double velocity = 0;
        if (Momentum > 0)
        {
            if (!double.IsFinite(state.SlotBound))
            {
                state.SlotBound = double.CreateTruncating(Elementwise.FiniteMaxMagnitude<T>(state.Slot(0))); // measured once: a restored state (NaN if not finite)
            }

            velocity = state.SlotBound;
        }

        double next = (Momentum * velocity) + gradientBound; // |v'| = |μv + g| ≤ μV + G (plain SGD: v' is g)
        double added = Math.Abs(double.CreateTruncating(learningRate)) * (Nesterov ? gradientBound + (Momentum * next) : next);
        return 4 * next < LargestFinite && 4 * added < HalfSpacingAtLargest; // false for NaN too
    }

    /// <summary>Carries the velocity's bound forward: μV + G after this update (a little more, for rounding); +∞ without a gradient bound.</summary>
    internal override void NoteUpdate(OptimizerState<T> state, double gradientBound)
    {
        if (Momentum > 0)
        {
            state.SlotBound = gradientBound >= 0 && gradientBound < double.PositiveInfinity && double.IsFinite(state.SlotBound)
                ? ((Momentum * state.SlotBound) + gradientBound) * (1 + 1e-6) // v' = fl(fl(μv) + g): two roundings of at most 2⁻²⁴ each
                : double.PositiveInfinity;
        }
    }

    /// <summary>The largest finite value of <typeparamref name="T"/>.</summary>
    internal static readonly double LargestFinite = double.CreateTruncating(T.BitDecrement(T.PositiveInfinity));

    /// <summary>Half the spacing of <typeparamref name="T"/> at its largest finite value (2¹⁰³ for float, 2⁹⁷⁰ for double): a finite value plus anything smaller rounds to a finite value.</summary>
    internal static readonly double HalfSpacingAtLargest = double.CreateTruncating(T.BitDecrement(T.PositiveInfinity) - T.BitDecrement(T.BitDecrement(T.PositiveInfinity))) / 2;

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

        // v ← μv + g (a subnormal v flushed to a zero of its sign), then p ← p − ηv, or with Nesterov p ← p − ηg − ημv,
        // in one pass over the three arrays (the same multiplies and adds as separate passes, so the same bits).
        Span<T> velocity = state.Slot(0);
        if (Nesterov)
        {
            Elementwise.Update(values, velocity, gradients, new NesterovStep(_momentum, learningRate));
        }
        else
        {
            Elementwise.Update(values, velocity, gradients, new MomentumStep(_momentum, learningRate));
        }
    }

    /// <summary>
    /// The same rules as <see cref="Update"/>, with the training step's undo copy and finiteness check in the same pass
    /// (the same operations in the same order, so the same bits).
    /// </summary>
    internal override bool UpdateChecked(Span<T> values, ReadOnlySpan<T> gradients, OptimizerState<T> state, T learningRate, Span<T> backup)
    {
        if (Momentum == 0)
        {
            if (values.Length < ShortSpan && backup.Length == values.Length)
            {
                return Elementwise.ShortStepChecked(values, gradients, new PlainStep(learningRate), backup); // a small layer's biases, say
            }

            // Vectors from the first whole one: both forms are the same unfused multiply and add, so the same bits whichever
            // runs, and a one-sample step's parameters (a layer's weights, its biases) mostly fill a few vectors.
            return Elementwise.StepChecked(values, gradients, new PlainStep(learningRate), backup);
        }

        Span<T> velocity = state.Slot(0);
        return Nesterov
            ? Elementwise.UpdateChecked(values, velocity, gradients, new NesterovStep(_momentum, learningRate), backup)
            : Elementwise.UpdateChecked(values, velocity, gradients, new MomentumStep(_momentum, learningRate), backup);
    }

    /// <summary>
    /// Without momentum: every parameter by the rule <see cref="UpdateChecked"/> gives a short parameter (<see cref="PlainStep"/>:
    /// the same bits), in one loop over the parameters whose finiteness test runs once at the end: each new value's
    /// <c>p − p</c> (0 when finite, NaN otherwise) is OR-ed into the vectors' check (<see cref="Elementwise.NonFinite{T}"/>) and
    /// added up for the few values after them.
    /// </summary>
    private protected override bool TryStepShortChecked(Parameter<T>[] parameters, OptimizerState<T>[] states, T[][] backup, T learningRate, out bool finite)
    {
        finite = true;
        if (_momentum != T.Zero || states.Length != parameters.Length || backup.Length < parameters.Length)
        {
            return false;
        }

        var step = new PlainStep(learningRate);
        Vector<T> check = Vector<T>.Zero;
        T scalarCheck = T.Zero;
        for (int i = 0; i < parameters.Length; i++)
        {
            states[i].Steps++;
            Parameter<T> parameter = parameters[i];
            T[] values = parameter.ValueArray, gradients = parameter.GradientArray;
            Span<T> copy = backup[i];
            if (gradients.Length < values.Length || copy.Length < values.Length)
            {
                ThrowShorter();
            }

            ref T rp = ref MemoryMarshal.GetArrayDataReference(values), rg = ref MemoryMarshal.GetArrayDataReference(gradients);
            ref T rb = ref MemoryMarshal.GetReference(copy);
            nint j = 0, length = values.Length;
            if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
            {
                for (; j <= length - Vector<T>.Count; j += Vector<T>.Count)
                {
                    Vector<T> p = Vector.LoadUnsafe(ref rp, (nuint)j);
                    p.StoreUnsafe(ref rb, (nuint)j);
                    p = step.Invoke(p, Vector.LoadUnsafe(ref rg, (nuint)j));
                    p.StoreUnsafe(ref rp, (nuint)j);
                    check = Elementwise.NonFinite(check, p);
                }
            }

            for (; j < length; j++)
            {
                T p = Unsafe.Add(ref rp, j);
                Unsafe.Add(ref rb, j) = p;
                p = step.Invoke(p, Unsafe.Add(ref rg, j));
                Unsafe.Add(ref rp, j) = p;
                scalarCheck += p - p;
            }
        }

        finite = Vector.EqualsAll(check, Vector<T>.Zero) && scalarCheck == T.Zero;
        return true;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowShorter() => throw new ArgumentException("the gradients and the undo copy must hold as many values as the parameter.");

    /// <summary><c>p ← p − ηg</c>, computed as <c>p + g·(−η)</c> (unfused; the same bits as <c>p − η·g</c>).</summary>
    private readonly struct PlainStep(T learningRate) : IBinaryOperator<T>
    {
        private readonly T _minusEta = -learningRate;

        public T Invoke(T value, T gradient) => (gradient * _minusEta) + value;

        public Vector<T> Invoke(Vector<T> value, Vector<T> gradient) => (gradient * new Vector<T>(_minusEta)) + value;
    }

    /// <summary><c>v ← μv + g; p ← p − ηv</c>, computed as <c>p + v·(−η)</c> (unfused).</summary>
    private readonly struct MomentumStep(T momentum, T learningRate) : IUpdateOperator<T>
    {
        private readonly T _minusEta = -learningRate;

        public void Invoke(ref T value, ref T state, T gradient)
        {
            state = Subnormal<T>.Flush((state * momentum) + gradient);
            value = (state * _minusEta) + value;
        }

        public void Invoke(ref Vector<T> value, ref Vector<T> state, Vector<T> gradient)
        {
            state = Subnormal<T>.Flush((state * new Vector<T>(momentum)) + gradient);
            value = (state * new Vector<T>(_minusEta)) + value;
        }
    }

    /// <summary><c>v ← μv + g; p ← p − ηg − ημv</c>, computed as <c>(p + g·(−η)) + v·(−ημ)</c> (unfused).</summary>
    private readonly struct NesterovStep(T momentum, T learningRate) : IUpdateOperator<T>
    {
        private readonly T _minusEta = -learningRate;
        private readonly T _minusEtaMu = -learningRate * momentum;

        public void Invoke(ref T value, ref T state, T gradient)
        {
            state = Subnormal<T>.Flush((state * momentum) + gradient);
            value = (gradient * _minusEta) + value;
            value = (state * _minusEtaMu) + value;
        }

        public void Invoke(ref Vector<T> value, ref Vector<T> state, Vector<T> gradient)
        {
            state = Subnormal<T>.Flush((state * new Vector<T>(momentum)) + gradient);
            value = (gradient * new Vector<T>(_minusEta)) + value;
            value = (state * new Vector<T>(_minusEtaMu)) + value;
        }
    }
}
