using System.Numerics;
using System.Runtime.CompilerServices;
using NeuralNet.Activations;
using NeuralNet.Initializers;
using NeuralNet.Kernels;

namespace NeuralNet.Layers;

using MathNet.Numerics.LinearAlgebra;

/// <summary>
/// A fully connected layer: <c>Z = X·Wᵀ + b</c>, <c>A = f(Z)</c>, with weights <c>W</c> of shape
/// <c>[outputs, inputs]</c> (row i holds the weights into unit i) and biases <c>b</c> of length
/// <c>outputs</c>.
/// </summary>
/// <remarks>
/// Backward pass, for <c>G = ∂L/∂A</c>: <c>∂L/∂Z = G ⊙ f'(Z)</c>, <c>∂L/∂W = (∂L/∂Z)ᵀ·X</c>,
/// <c>∂L/∂b = Σ_rows ∂L/∂Z</c>, <c>∂L/∂X = (∂L/∂Z)·W</c>.
/// </remarks>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed partial class DenseLayer<T> : Layer<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private const int Z = 0, A = 1, DZ = 2;
    private readonly Parameter<T> _weights;
    private readonly Parameter<T> _biases;
    private readonly BatchBuffers<T> _outputBuffers;
    private readonly BatchBuffers<T> _inputGradientBuffers;
    private Matrix<T>[]? _last;
    private T[][]? _lastArrays;
    private T[]? _lastActivationInputGradient;
    private Matrix<T>? _lastInput;
    private ActivationColumns? _activationColumns;
    private GradientColumns? _gradientColumns;
    private T[]? _fusedGradientOf; // the ∂L/∂input of the layer above from which this layer's ∂L/∂Z and ∂L/∂b are made already

    // The largest magnitude in this step's batch when the forward pass measured it and found Z finite (a training step's
    // forward pass through a depth-cut or large product); NaN otherwise. Read once, by the backward pass, for the weights' update bound.
    private double _stepInputMagnitude = double.NaN;

    /// <summary>Creates a dense layer; its weights are drawn when a <see cref="Network{T}"/> takes it.</summary>
    /// <param name="inputSize">Inputs per sample (≥ 1).</param>
    /// <param name="outputSize">Units of the layer (≥ 1); <c>inputSize × outputSize</c> weights at most <see cref="Array.MaxLength"/>.</param>
    /// <param name="activation">The activation <c>f</c>; null for the identity.</param>
    /// <param name="initializer">How to draw the initial weights; null for the activation's default (biases start at 0).</param>
    public DenseLayer(int inputSize, int outputSize, ActivationFunction<T>? activation = null, WeightInitializer? initializer = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputSize, 1);
        ShapeCheck.Product(inputSize, outputSize, "a dense layer's weights number inputSize × outputSize", nameof(outputSize));
        InputSize = inputSize;
        OutputSize = outputSize;
        Activation = activation ?? new Identity<T>();
        Initializer = initializer ?? Activation.DefaultInitializer;
        _weights = new Parameter<T>("weights", outputSize, inputSize);
        _biases = new Parameter<T>("biases", outputSize, 1) { IsBias = true };
        Parameters = [_weights, _biases];
        _outputBuffers = new BatchBuffers<T>(outputSize, 3);
        _inputGradientBuffers = new BatchBuffers<T>(inputSize, 1);
        Biases = Vector<T>.Build.Dense(_biases.ValueArray);
    }

    /// <inheritdoc />
    public override int InputSize { get; }

    /// <inheritdoc />
    public override int OutputSize { get; }

    /// <summary>The activation function <c>f</c>.</summary>
    public ActivationFunction<T> Activation { get; }

    /// <summary>The activation <c>f</c>: a dense layer takes part in the fused gradient.</summary>
    public override ActivationFunction<T>? OutputActivation => Activation;

    /// <summary>The initialiser used for the weights.</summary>
    public WeightInitializer Initializer { get; }

    /// <summary>The weights <c>[outputs, inputs]</c>, bound to the layer: writing to this matrix changes the layer.</summary>
    public Matrix<T> Weights => _weights.Value;

    /// <summary>The biases <c>[outputs]</c>, bound to the layer: writing to this vector changes the layer.</summary>
    public Vector<T> Biases { get; }

    /// <summary>The weights and the biases, in that order.</summary>
    public override IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary><c>∂L/∂Z</c> of the last backward pass (the layer's own buffer, or the fused loss's).</summary>
    internal Span<T> PreActivationGradient => _lastActivationInputGradient ?? DenseStorage.Of(Last[DZ]);

    /// <summary>The weighted sums Z of the last forward batch.</summary>
    internal Matrix<T> LastWeightedSum => Last[Z];

    /// <summary>The activations of the last forward batch.</summary>
    internal Matrix<T> LastOutput => Last[A];

    private Matrix<T>[] Last => _last ?? NoForwardYet(); // the throw out of line, so that the property inlines

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Matrix<T>[] NoForwardYet() => throw new InvalidOperationException("Backward was called before Forward: run a forward pass on a batch first.");

    /// <inheritdoc />
    public override Matrix<T>? Backward(Matrix<T> outputGradient, bool computeInputGradient = true)
        => BackwardTo(outputGradient, computeInputGradient, null);

    /// <inheritdoc />
    internal override Matrix<T>? BackwardTo(Matrix<T> outputGradient, bool computeInputGradient, Layer<T>? below)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        Matrix<T>[] buffers = Last;
        ShapeCheck.Shape(outputGradient, buffers[A].RowCount, OutputSize, nameof(outputGradient));
        int rows = buffers[A].RowCount;
        T[] gradient = DenseStorage.Of(outputGradient);
        ShapeCheck.BatchSpans(rows, OutputSize, gradient.Length, nameof(outputGradient)); // its array too, not just its shape
        T[][] arrays = _lastArrays!; // the storage of Last, set with it
        bool done = _fusedGradientOf is not null && ReferenceEquals(_fusedGradientOf, gradient);
        if (done)
        {
            _fusedGradientOf = null; // ∂L/∂Z and ∂L/∂b were made from this very gradient, column group by column group, by the layer above
        }
        else
        {
            Activation.BackwardOwnBuffers(arrays[Z], arrays[A], gradient, arrays[DZ], rows, OutputSize); // own buffers
        }

        return BackwardFrom(arrays[DZ], rows, computeInputGradient, below, biasGradientDone: done);
    }

    /// <inheritdoc />
    public override Matrix<T>? BackwardFromActivationInput(Matrix<T> activationInputGradient, bool computeInputGradient = true)
        => BackwardFromActivationInputTo(activationInputGradient, computeInputGradient, null);

    /// <inheritdoc />
    internal override Matrix<T>? BackwardFromActivationInputTo(Matrix<T> activationInputGradient, bool computeInputGradient, Layer<T>? below)
    {
        ArgumentNullException.ThrowIfNull(activationInputGradient);
        Matrix<T>[] buffers = Last;
        ShapeCheck.Shape(activationInputGradient, buffers[A].RowCount, OutputSize, nameof(activationInputGradient));
        return BackwardFrom(DenseStorage.Of(activationInputGradient), buffers[A].RowCount, computeInputGradient, below, biasGradientDone: false);
    }

    /// <inheritdoc />
    public override void Predict(Matrix<T> input, Matrix<T> output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ShapeCheck.Columns(input, InputSize, nameof(input));
        ShapeCheck.Shape(output, input.RowCount, OutputSize, nameof(output));
        T[] result = output.AsColumnMajorArray() ?? throw new ArgumentException("output must be a dense matrix.", nameof(output));
        ShapeCheck.NotShared(result, DenseStorage.Of(input), "input", nameof(output));
        ShapeCheck.NotShared(result, _weights.ValueArray, "this layer's weights", nameof(output));
        ShapeCheck.NotShared(result, _biases.ValueArray, "this layer's biases", nameof(output));
        WeightedSum(DenseStorage.Of(input), input.RowCount, result, activated: null, checkInput: false, measure: false, out _);
        Activation.Forward(result, result, input.RowCount, OutputSize);
    }

    /// <summary>
    /// The backward pass from <c>∂L/∂Z</c> in <paramref name="dz"/> (written by the activation's backward
    /// pass or by a fused loss): the parameter gradients and <c>∂L/∂X</c>. With <paramref name="biasGradientDone"/> the bias
    /// gradient is there already (made with <c>∂L/∂Z</c> by the layer above). A dense layer <paramref name="below"/> that
    /// takes it (<see cref="TakesFusedGradient"/>) gets its <c>∂L/∂Z</c> and bias gradient made from <c>∂L/∂X</c> column
    /// group by column group as the product finishes them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // into both backward passes: a call less per layer and step
    private Matrix<T>? BackwardFrom(T[] dz, int rows, bool computeInputGradient, Layer<T>? below, bool biasGradientDone)
    {
        if (rows == 1 && TinySample)
        {
            return OneSampleBackward(dz, computeInputGradient); // one sample through a small layer: plain loops, the same sums
        }

        if (!ReferenceEquals(_lastActivationInputGradient, dz))
        {
            _lastActivationInputGradient = dz; // only when it changes, as in Forward
        }
        T[] x = DenseStorage.Of(_lastInput!);

        if (computeInputGradient && below is DenseLayer<T> halvesBelow && WorkSplit.BackwardInputHalves(rows, InputSize, OutputSize, halvesBelow.InputSize)
            && halvesBelow.TakesFusedGradient(_inputGradientBuffers.ArraysFor(rows)[0], rows, inHalves: true) is { } halvesFinisher)
        {
            return BackwardInHalves(dz, rows, x, halvesBelow, halvesFinisher, biasGradientDone); // a part of the inputs on each core (WorkSplit.InputCut)
        }

        // ∂L/∂W = (∂L/∂Z)ᵀ·X: [out × batch]·[batch × in]
        Gemm.Multiply<T>(true, false, OutputSize, InputSize, rows, dz, rows, x, rows, _weights.GradientArray, OutputSize, accumulate: false);
        _weights.StepGradientBound = WeightGradientBound(dz, rows);

        // ∂L/∂b = Σ over the batch of ∂L/∂Z: each column of ∂L/∂Z is contiguous (one sample: ∂L/∂Z itself)
        T[] db = _biases.GradientArray;
        if (rows == 1)
        {
            for (int j = 0; j < db.Length; j++)
            {
                db[j] = dz[j]; // one sample's few values: a loop, not a span and a memmove call
            }
        }
        else if (!biasGradientDone) // else the layer above made it with ∂L/∂Z (DenseLayer.Fused)
        {
            SumColumns(dz, rows, 0, OutputSize, db);
        }

        if (!computeInputGradient)
        {
            return null;
        }

        // ∂L/∂X = (∂L/∂Z)·W: [batch × out]·[out × in]
        Matrix<T> dx = _inputGradientBuffers.For(rows)[0];
        T[] dxArray = _inputGradientBuffers.ArraysFor(rows)[0];
        if (rows > 1 && below is DenseLayer<T> lower && lower.TakesFusedGradient(dxArray, rows) is { } finisher)
        {
            Gemm.MultiplyThenFinish<T>(false, false, rows, InputSize, OutputSize, dz, rows, _weights.ValueArray, OutputSize, dxArray, rows, accumulate: false, finisher);
            lower._fusedGradientOf = dxArray; // its Backward, next, finds ∂L/∂Z and ∂L/∂b made
            return dx;
        }

        Gemm.Multiply<T>(false, false, rows, InputSize, OutputSize, dz, rows, _weights.ValueArray, OutputSize, dxArray, rows, accumulate: false);
        return dx;
    }

    /// <summary>
    /// A bound on the magnitude of every element of the weight gradient just made, <c>|∂L/∂W_ij| = |Σ_b dZ_bi·X_bj| ≤
    /// max|X|·Σ|dZ|</c>, twice over for the rounding of both sums, when this step's forward pass measured the batch and found Z
    /// finite (so the weights are finite too); NaN otherwise, and when a sum is not finite. The optimizer's step reads it
    /// (<see cref="Parameter{T}.StepGradientBound"/>) to skip the undo copy of an update that cannot overflow.
    /// </summary>
    private double WeightGradientBound(T[] dz, int rows)
    {
        double magnitude = _stepInputMagnitude;
        _stepInputMagnitude = double.NaN; // one step's: a later backward pass without a measured forward pass gets none
        if (!double.IsFinite(magnitude) || rows >= 1 << 20)
        {
            return double.NaN; // unmeasured; or so many rows that the sums' rounding could exceed the factor 2
        }

        double sum = double.CreateTruncating(System.Numerics.Tensors.TensorPrimitives.SumOfMagnitudes<T>(dz.AsSpan(0, rows * OutputSize)));
        return 2 * magnitude * sum; // NaN or ∞ when ∂L/∂Z is not finite: no bound
    }
}
