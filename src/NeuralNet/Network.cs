using System.Numerics;
using NeuralNet.Layers;
using NeuralNet.Losses;

namespace NeuralNet;

using MathNet.Numerics.LinearAlgebra;

/// <summary>
/// A feedforward network: a sequence of layers, each feeding the next. It predicts (the forward
/// phase), and trains by backpropagation: the forward phase, the loss, the backward phase that fills
/// every parameter's gradient, and an optimizer step (<see cref="TrainStep(Matrix{T}, Matrix{T}, LossFunction{T}, Optimizers.Optimizer{T}, Vector{T}?)"/>).
/// </summary>
/// <remarks>
/// <para>Batches are matrices with one row per sample and one column per feature.</para>
/// <para>Threads: <see cref="Predict(Matrix{T})"/> may be called from many threads at once (it uses
/// buffers of its own per thread); training calls (<see cref="Forward(Matrix{T}, bool)"/>, <see cref="Backward"/>,
/// <see cref="TrainStep(Matrix{T}, Matrix{T}, LossFunction{T}, Optimizers.Optimizer{T}, Vector{T}?)"/>) use the layers' buffers and are refused with
/// <see cref="InvalidOperationException"/> while another thread is training the same network.</para>
/// </remarks>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed partial class Network<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly Layer<T>[] _layers;
    private readonly DenseLayer<T>?[] _denseLayers; // each layer that is a dense one, else null: the step calls its passes directly
    private readonly Parameter<T>[] _parameters;
    private readonly BatchBuffers<T> _lossGradientBuffers;
    private Matrix<T>? _lastOutput;
    private ParameterSnapshot<T>? _beforeStep; // the trainable parameters' values from before the step, to undo a diverged one
    private IReadOnlyList<Parameter<T>>? _beforeStepOf;
    private readonly ParameterSnapshot<T>? _stateBeforeStep;
    private readonly int _widestLayer; // the most inputs or outputs of any layer: the widest buffer a batch row needs // running statistics before the step; null when no layer has any
    private LossFunction<T>? _fittingLoss;
    private int _training;

    /// <summary>Creates a network and draws its initial weights from a source seeded with <paramref name="seed"/>.</summary>
    /// <param name="seed">The seed of every random draw (initialisation, dropout).</param>
    /// <param name="layers">The layers, input first; each layer's input size must equal the previous layer's output size.</param>
    public Network(ulong seed, params Layer<T>[] layers)
        : this(new RandomSource(seed), layers)
    {
    }

    /// <summary>Creates a network and draws its initial weights from a source seeded with <paramref name="seed"/>.</summary>
    /// <param name="seed">The seed of every random draw (initialisation, dropout), ≥ 0.</param>
    /// <param name="layers">The layers, input first; each layer's input size must equal the previous layer's output size.</param>
    public Network(int seed, params Layer<T>[] layers)
        : this(new RandomSource(PlainInputs.Seed(seed, nameof(seed))), layers)
    {
    }

    /// <summary>Creates a network and draws its initial weights from <paramref name="random"/>.</summary>
    /// <param name="random">The source of every random draw (initialisation, dropout).</param>
    /// <param name="layers">The layers, input first; each layer's input size must equal the previous layer's output size.</param>
    public Network(RandomSource random, params Layer<T>[] layers)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Length == 0)
        {
            throw new ArgumentException("a network needs at least one layer (received none).", nameof(layers));
        }

        for (int i = 0; i < layers.Length; i++)
        {
            if (layers[i] is null)
            {
                throw new ArgumentException($"layers must not contain null (index {i}).", nameof(layers));
            }

            if (i > 0 && layers[i].InputSize != layers[i - 1].OutputSize)
            {
                throw new ArgumentException($"layer {i} ({layers[i]}) takes {layers[i].InputSize} inputs but layer {i - 1} ({layers[i - 1]}) gives {layers[i - 1].OutputSize} outputs.", nameof(layers));
            }
        }

        if (layers.Distinct(ReferenceEqualityComparer.Instance).Count() != layers.Length)
        {
            throw new ArgumentException("each layer may appear only once in a network.", nameof(layers));
        }

        _layers = (Layer<T>[])layers.Clone();
        _denseLayers = Array.ConvertAll(_layers, l => l as DenseLayer<T>);
        Layers = Array.AsReadOnly(_layers);
        _parameters = _layers.SelectMany(l => l.Parameters).ToArray();
        Parameters = Array.AsReadOnly(_parameters);
        if (Array.IndexOf(_parameters, null) is int missing and >= 0)
        {
            throw new ArgumentException($"the layers' Parameters must not contain null (parameter {missing} of the network).", nameof(layers));
        }

        long count = _parameters.Sum(p => (long)p.Length);
        if (count > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(layers), $"a network holds at most {int.MaxValue} trainable values, the range of ParameterCount (received layers with {count}).");
        }

        _owners = OwnersOf(_layers, _parameters);
        _widestLayer = _layers.Max(l => Math.Max(l.InputSize, l.OutputSize));
        InputSize = _layers[0].InputSize; // kept, not asked of the layers at every step (a virtual call each)
        OutputSize = _layers[^1].OutputSize;
        WeightsAndState = Array.AsReadOnly([.. _parameters, .. _layers.SelectMany(l => l.State)]);
        Random = random;
        foreach (Layer<T> layer in _layers)
        {
            layer.InitializeFor(random);
        }

        _lossGradientBuffers = new BatchBuffers<T>(OutputSize, 1);

        // The training step's one-time set-up, done here rather than in the first step: the undo copy of the running
        // statistics (none for most networks), the regularised and trainable lists, the undo copy of the weights.
        Parameter<T>[] state = [.. _layers.SelectMany(l => l.State)];
        _stateBeforeStep = state.Length > 0 ? new ParameterSnapshot<T>(state) : null;
        IReadOnlyList<Parameter<T>> trainable = TrainableParameters();
        (_beforeStep, _beforeStepOf) = (new ParameterSnapshot<T>(trainable), trainable);
    }

    /// <summary>The layers, input first.</summary>
    public IReadOnlyList<Layer<T>> Layers { get; }

    /// <summary>Every parameter of every layer, input layer first (weights before biases), the <see cref="Parameter{T}.Frozen"/> ones included.</summary>
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>Features per input row.</summary>
    public int InputSize { get; }

    /// <summary>Features per output row.</summary>
    public int OutputSize { get; }

    /// <summary>
    /// Number of trainable scalars: those of every parameter that is not <see cref="Parameter{T}.Frozen"/> (at most
    /// <see cref="int.MaxValue"/>; a larger network is refused when built).
    /// </summary>
    public int ParameterCount
    {
        get
        {
            int count = 0;
            foreach (Parameter<T> parameter in _parameters)
            {
                count += parameter.Frozen ? 0 : parameter.Length;
            }

            return count;
        }
    }

    /// <summary>The random source the network drew its weights from, and that its dropout layers draw from.</summary>
    public RandomSource Random { get; }

    /// <summary>
    /// Every parameter, then every layer's non-trainable state (running statistics), in payload order: what
    /// "the best weights" of early stopping keep and put back, so that a batch normalisation's running
    /// statistics return with the weights they belong to.
    /// </summary>
    internal IReadOnlyList<Parameter<T>> WeightsAndState { get; }

    /// <summary>
    /// Whether <paramref name="set"/> holds one array per parameter, or per parameter and state tensor
    /// (<see cref="WeightsAndState"/>), each as long as it (a saved trainer's best or last-epoch weights).
    /// </summary>
    internal bool FitsWeightSet(T[][] set) =>
        (set.Length == _parameters.Length || set.Length == WeightsAndState.Count)
        && set.Select((w, i) => w.Length == WeightsAndState[i].Length).All(ok => ok);

    /// <summary>
    /// A summary of the network (Keras's <c>summary()</c>): per layer its kind, output shape, trainable
    /// parameters and non-trainable values, and the totals; its <see cref="ModelSummary.ToString"/> prints the table.
    /// </summary>
    /// <returns>A new summary of the layers as they are now.</returns>
    public ModelSummary Summary() => ModelSummary.Of(this);

    /// <inheritdoc />
    public override string ToString() => $"Network<{typeof(T).Name}>[{string.Join(", ", _layers.Select(l => l.ToString()))}]";
}
