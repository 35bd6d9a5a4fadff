using System.Numerics;
using NeuralNet.Kernels;

namespace NeuralNet.Optimizers;

/// <summary>
/// The base of every optimizer. It owns what all of them share (the learning rate, weight decay,
/// gradient clipping and the per-parameter state), and each optimizer writes only its update rule in
/// <see cref="Update"/>.
/// </summary>
/// <remarks>
/// One <see cref="Step"/>: (1) clip the gradients: by value, each into [−c, c]; by norm, all scaled by
/// <c>min(1, c/‖g‖)</c> with <c>‖g‖</c> the global L2 norm over every parameter; (2) weight decay: coupled
/// (<c>g ← g + λp</c>, L2 regularisation, as in PyTorch's SGD and Adam) or, for optimizers that declare
/// it, decoupled (<c>p ← p − η·λ·p</c>, as in AdamW); (3) the optimizer's own update.
/// </remarks>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract partial class Optimizer<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly Dictionary<Parameter<T>, OptimizerState<T>> _states = new(ReferenceEqualityComparer.Instance);
    private IReadOnlyList<Parameter<T>>? _lastParameters;
    private OptimizerState<T>[] _lastStates = [];
    private Parameter<T>[] _lastArray = [];
    private int[] _deferred = []; // StepChecked's parameters updated last, without an undo copy (as long as _lastArray)
    private double[] _deferredBounds = []; // and their gradients' bounds
    private bool _allShort; // every parameter of _lastArray is shorter than ShortParameter
    private double _learningRate;
    private double _weightDecay;
    private double? _clipNorm;
    private double? _clipValue;

    /// <summary>Sets the hyper-parameters all optimizers share.</summary>
    /// <param name="learningRate">The step size η, &gt; 0.</param>
    /// <param name="weightDecay">The weight decay λ, ≥ 0.</param>
    protected Optimizer(double learningRate, double weightDecay)
    {
        LearningRate = learningRate;
        WeightDecay = weightDecay;
    }

    /// <summary>The step size η; a schedule may change it between steps. Must be finite and &gt; 0.</summary>
    public double LearningRate
    {
        get => _learningRate;
        set => _learningRate = double.IsFinite(value) && value > 0 && T.IsFinite(T.CreateChecked(value)) ? value : throw new ArgumentOutOfRangeException(nameof(LearningRate), value, $"learningRate must be a number > 0, finite as {typeof(T).Name} (received {value}).");
    }

    /// <summary>Weight decay λ (0 = none), applied to every parameter, biases included. Must be finite and ≥ 0.</summary>
    public double WeightDecay
    {
        get => _weightDecay;
        set => _weightDecay = double.IsFinite(value) && value >= 0 && T.IsFinite(T.CreateChecked(value)) ? value : throw new ArgumentOutOfRangeException(nameof(WeightDecay), value, $"weightDecay must be a number ≥ 0, finite as {typeof(T).Name} (received {value}).");
    }

    /// <summary>When set, gradients are scaled so that their global L2 norm is at most this value (&gt; 0).</summary>
    public double? ClipNorm
    {
        get => _clipNorm;
        set => _clipNorm = value is null || (double.IsFinite(value.Value) && value > 0) ? value : throw new ArgumentOutOfRangeException(nameof(ClipNorm), value, $"clipNorm must be a finite number > 0 or null (received {value}).");
    }

    /// <summary>When set, each gradient value is clamped into [−value, value] (&gt; 0).</summary>
    public double? ClipValue
    {
        get => _clipValue;
        set => _clipValue = value is null || (double.IsFinite(value.Value) && value > 0) ? value : throw new ArgumentOutOfRangeException(nameof(ClipValue), value, $"clipValue must be a finite number > 0 or null (received {value}).");
    }

    /// <summary>Steps taken so far.</summary>
    public long Iterations { get; private set; }

    /// <summary>A short lower-case name, e.g. <c>sgd</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Whether weight decay is decoupled from the gradient (AdamW) rather than added to it (L2).</summary>
    protected virtual bool DecoupledWeightDecay => false;

    /// <summary>How many state arrays (each as long as the parameter) the optimizer keeps per parameter, e.g. 1 for momentum, 2 for Adam.</summary>
    protected virtual int StateSlots => 0;

    /// <summary>Updates every parameter from its gradient, in place.</summary>
    /// <param name="parameters">The parameters (usually <see cref="Network{T}.Parameters"/>), whose gradients the backward pass has filled.</param>
    public void Step(IReadOnlyList<Parameter<T>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        StepChecked(parameters, null);
    }

    /// <summary>Parameters shorter than this are <see cref="TryStepShortChecked"/>'s (a small layer's weights and biases).</summary>
    private protected const int ShortParameter = 16;

    /// <summary>
    /// The checked step of parameters that are all shorter than <see cref="ShortParameter"/> (per-sample training of a
    /// small network, where calling <see cref="UpdateChecked"/> for each costs more than its arithmetic) without weight
    /// decay, in one loop: each parameter's state counts the step, its old values go to <paramref name="backup"/> and the
    /// new ones are checked finite, with the same bits as <see cref="UpdateChecked"/>. Returns false, having done nothing,
    /// when the optimizer has no such loop for its settings (the base has none).
    /// </summary>
    private protected virtual bool TryStepShortChecked(Parameter<T>[] parameters, OptimizerState<T>[] states, T[][] backup, T learningRate, out bool finite)
    {
        finite = true;
        return false;
    }

    /// <summary>
    /// Whether <see cref="Update"/> treats each value on its own (true for the built-in optimizers), so that a
    /// large parameter may be updated in two parts on two cores.
    /// </summary>
    internal virtual bool UpdatesElementwise => false;

    /// <summary>Runs <see cref="Update"/> (for <see cref="SharedUpdate{T}"/>).</summary>
    internal void UpdatePart(Span<T> values, ReadOnlySpan<T> gradients, OptimizerState<T> state, T learningRate)
        => Update(values, gradients, state, learningRate);

    /// <summary>
    /// <see cref="Update"/> as the training step runs it: the old values copied to <paramref name="backup"/> first (as long
    /// as <paramref name="values"/>, or empty for no copy), and whether every new value is finite. This form makes a copy
    /// pass and a check pass around <see cref="Update"/> (a user's optimizer); the built-in ones do both inside their update's pass.
    /// </summary>
    internal virtual bool UpdateChecked(Span<T> values, ReadOnlySpan<T> gradients, OptimizerState<T> state, T learningRate, Span<T> backup)
    {
        if (!backup.IsEmpty) // empty: the caller has copied already
        {
            values.CopyTo(backup);
        }

        Update(values, gradients, state, learningRate);
        return Elementwise.AllFinite<T>(values);
    }

    /// <summary>The optimizer's update rule for one parameter.</summary>
    /// <param name="values">The parameter's values, to update in place.</param>
    /// <param name="gradients">Its gradient (after clipping and coupled weight decay).</param>
    /// <param name="state">Its state: <see cref="StateSlots"/> arrays and its own step count.</param>
    /// <param name="learningRate">η for this step.</param>
    protected abstract void Update(Span<T> values, ReadOnlySpan<T> gradients, OptimizerState<T> state, T learningRate);

    /// <summary>Forgets all per-parameter state (velocities, moments) and the step count.</summary>
    public void Reset()
    {
        _states.Clear();
        _lastParameters = null;
        _lastStates = [];
        _lastArray = [];
        _allShort = false;
        Iterations = 0;
    }

    /// <summary>The state kept for <paramref name="parameter"/>, or null when it has not been stepped yet.</summary>
    internal OptimizerState<T>? StateOf(Parameter<T> parameter) => _states.GetValueOrDefault(parameter);

    /// <summary>Sets the state of a parameter (used when loading a saved optimizer).</summary>
    internal void RestoreState(Parameter<T> parameter, OptimizerState<T> state, long iterations)
    {
        state.SlotBound = double.PositiveInfinity; // its slots came from elsewhere: no bound known until the optimizer measures them
        _states[parameter] = state;
        _lastParameters = null;
        Iterations = iterations;
    }

    internal int SlotCount => StateSlots;

    /// <summary>
    /// What is impossible about one parameter's saved state arrays under this optimizer's update rule (e.g. a negative
    /// average of squares), or null when nothing is; a loader refuses such state instead of letting the next step turn
    /// every weight into NaN.
    /// </summary>
    internal virtual string? ImpossibleState(T[][] slots) => null;

    /// <summary>The first negative value of <paramref name="values"/> as a description, or null: for averages of squares.</summary>
    private protected static string? FirstNegative(T[] values, string what)
    {
        int at = System.Numerics.Tensors.TensorPrimitives.IndexOfMin<T>(values);
        return at >= 0 && values[at] < T.Zero ? $"{what} holds {values[at]} at index {at}, but it is an average of squares and never negative" : null;
    }

    /// <summary>The state of each parameter of a list other than the last one stepped (its only caller checks that), remembered for the next step.</summary>
    private OptimizerState<T>[] StatesFor(IReadOnlyList<Parameter<T>> parameters)
    {
        var states = new OptimizerState<T>[parameters.Count];
        var array = new Parameter<T>[parameters.Count];
        for (int i = 0; i < parameters.Count; i++)
        {
            Parameter<T> p = parameters[i] ?? throw new ArgumentException($"parameters must not contain null (index {i}).", nameof(parameters));
            array[i] = p;
            if (!_states.TryGetValue(p, out OptimizerState<T>? state))
            {
                state = new OptimizerState<T>(StateSlots, p.Length);
                _states.Add(p, state);
            }

            states[i] = state;
        }

        _lastParameters = parameters;
        _lastStates = states;
        _lastArray = array;
        _deferred = new int[array.Length];
        _deferredBounds = new double[array.Length];
        _allShort = Array.TrueForAll(array, p => p.Length < ShortParameter);
        return states;
    }
}
