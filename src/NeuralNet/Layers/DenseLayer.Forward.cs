using System.Numerics;
using System.Runtime.CompilerServices;
using NeuralNet.Kernels;

namespace NeuralNet.Layers;

using MathNet.Numerics.LinearAlgebra;

// The forward pass: Z = X·Wᵀ + b into the layer's own buffers (the batch's finiteness checked inside the product when
// the network's step asks), then A = f(Z).
public sealed partial class DenseLayer<T>
{
    /// <inheritdoc />
    public override Matrix<T> Forward(Matrix<T> input, bool training)
        => Forward(input, checkInput: false, measure: training, out _);

    /// <summary>
    /// Whether <see cref="Forward(Matrix{T}, bool, bool, out bool)"/> checks a batch of <paramref name="rows"/> inside its
    /// product: the product is cut along its depth between the cores (<see cref="WorkSplit.ForwardDepthSplit"/>), and each
    /// core checks the half of the input it multiplies, already in its cache. (Otherwise it checks the input in a pass of
    /// its own.)
    /// </summary>
    internal bool ChecksInputInProduct(int rows) => rows > 1 && WorkSplit.ForwardDepthSplit(rows, InputSize, OutputSize) > 0;

    /// <summary>
    /// The forward pass (the same outputs as <see cref="Forward(Matrix{T}, bool)"/>), checking with
    /// <paramref name="checkInput"/> that every input value is finite: a network's training step checks its batch here,
    /// in the first layer's product (<see cref="ChecksInputInProduct"/>), rather than in a pass over the batch before it.
    /// With <paramref name="measure"/> (a training step's), a depth-cut or large product also measures the batch's largest
    /// magnitude and whether Z came out finite, for the bound on the weights' update that lets the step skip their undo copy
    /// (<see cref="WeightGradientBound"/>). Only the layer's own output buffers are written before the answer is known; its
    /// weights are not touched.
    /// </summary>
    /// <param name="input">The batch, <c>rows × inputs</c>.</param>
    /// <param name="checkInput">Whether to check <paramref name="input"/>.</param>
    /// <param name="measure">Whether to measure the batch and Z for the update's bound.</param>
    /// <param name="inputFinite">False when <paramref name="checkInput"/> found a NaN or an infinity; true otherwise.</param>
    internal Matrix<T> Forward(Matrix<T> input, bool checkInput, bool measure, out bool inputFinite)
    {
        ArgumentNullException.ThrowIfNull(input);
        ShapeCheck.Columns(input, InputSize, nameof(input));
        int rows = input.RowCount;
        ShapeCheck.Product(rows, OutputSize, "the layer's output buffers hold rows × outputs", nameof(input));
        Matrix<T>[] buffers = _outputBuffers.For(rows);
        T[][] arrays = _outputBuffers.ArraysFor(rows);
        T[] z = arrays[Z];
        _stepInputMagnitude = double.NaN; // set again only by a measured product (WeightedSum)
        _weights.StepGradientBound = double.NaN; // and the bound only by the backward pass that follows it
        if (!WeightedSum(DenseStorage.Of(input), rows, z, rows > 1 && FusesColumns(rows) ? arrays[A] : null, checkInput, measure, out inputFinite))
        {
            Activation.ForwardOwnBuffers(z, arrays[A], rows, OutputSize); // the layer's own buffers, rows × outputs each
        }

        if (_fusedGradientOf is not null)
        {
            _fusedGradientOf = null; // a new batch: no ∂L/∂Z of this layer is done yet
        }

        // Stored only when they change (a reference store costs a write-barrier call; a run of steps stores the same ones).
        if (!ReferenceEquals(_last, buffers))
        {
            _last = buffers;
            _lastArrays = arrays;
        }

        if (!ReferenceEquals(_lastInput, input))
        {
            _lastInput = input;
        }
        return buffers[A];
    }

    /// <summary>
    /// Z = X·Wᵀ + b, into <paramref name="z"/> (<c>rows × outputs</c>, column-major): Z starts as the
    /// bias and the product is accumulated onto it, which saves a pass over Z. With <paramref name="activated"/>, a large
    /// product also applies the activation into it, column group by column group as it finishes them, and returns true;
    /// false when the caller must still apply it. With <paramref name="checkInput"/>, <paramref name="inputFinite"/> says
    /// whether every value of <paramref name="x"/> is finite (checked inside a depth-cut product, else in a pass after it).
    /// With <paramref name="measure"/> a depth-cut or large product also sets the batch's largest magnitude when Z came out
    /// finite (<see cref="_stepInputMagnitude"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // into Forward and Predict: a call less per layer and step
    private bool WeightedSum(ReadOnlySpan<T> x, int rows, T[] z, T[]? activated, bool checkInput, bool measure, out bool inputFinite)
    {
        inputFinite = true;
        T[] b = _biases.ValueArray;
        if (rows > 1 && (long)rows * OutputSize * InputSize >= WorkSplit.SharedBlocksWork && WorkSplit.ForwardDepthSplit(rows, InputSize, OutputSize) == 0)
        {
            // A large product: Z starts as the bias inside it, each panel filled by the core that multiplies it just before
            // it does (no pass over Z of its own); the same bits as the fill below and an accumulating product.
            Gemm.MultiplyOntoColumnValues<T>(false, true, rows, OutputSize, InputSize, x, rows, _weights.ValueArray, OutputSize, z, rows, b, activated is null ? null : ActivationFinisherFor(z, activated, rows));
            if (measure)
            {
                // A pass over X (the first layer's check anyway) and one over Z, small beside the product: the bound they
                // give spares the step's undo copy of all of these weights (W3's 1024 × 1024 layers: 4 MB each a step).
                T largest = Elementwise.FiniteMaxMagnitude(x[..(rows * InputSize)]);
                inputFinite = KeepMeasure(largest, !T.IsNaN(largest) && Elementwise.AllFinite<T>(z.AsSpan(0, rows * OutputSize))) || !checkInput;
                return activated is not null;
            }

            inputFinite = !checkInput || Elementwise.AllFinite(x);
            return activated is not null;
        }

        if (rows == 1)
        {
            if (TinySample)
            {
                OneSampleSum(x, z); // one sample through a small layer: plain loops, the same sums
                inputFinite = !checkInput || Elementwise.AllFinite(x);
                return false;
            }

            for (int j = 0; j < b.Length; j++)
            {
                z[j] = b[j]; // one sample's few values: a loop, not a memmove call
            }
        }
        else
        {
            for (int j = 0; j < OutputSize; j++)
            {
                z.AsSpan(j * rows, rows).Fill(b[j]);
            }
        }

        // On a large layer the depth (the inputs) is cut where the optimizer's two-core step cuts W, so that each
        // core reads only the weights it updated.
        int split = WorkSplit.ForwardDepthSplit(rows, InputSize, OutputSize);
        if (split > 0)
        {
            if (checkInput || measure)
            {
                // The check measures too: the batch's largest magnitude, and whether Z came out finite (then so are W and b,
                // each of which multiplies or joins every row of it), for the bound BackwardFrom sets on the weights' update.
                Gemm.MultiplySplitDepthMeasured<T>(false, true, rows, OutputSize, InputSize, split, x, rows, _weights.ValueArray, OutputSize, z, rows, accumulate: true, out T largest, out bool zFinite);
                inputFinite = KeepMeasure(largest, zFinite) || !checkInput;
                return false;
            }

            inputFinite = Gemm.MultiplySplitDepth<T>(false, true, rows, OutputSize, InputSize, split, x, rows, _weights.ValueArray, OutputSize, z, rows, accumulate: true);
            return false;
        }

        Gemm.Multiply<T>(false, true, rows, OutputSize, InputSize, x, rows, _weights.ValueArray, OutputSize, z, rows, accumulate: true);
        inputFinite = !checkInput || Elementwise.AllFinite(x);
        return false;
    }

    /// <summary>
    /// Keeps a measured batch's largest magnitude (NaN when the batch held a NaN or an infinity) for the bound on the
    /// weights' update, when Z came out finite (<paramref name="zFinite"/>), else NaN; returns whether the batch was finite.
    /// </summary>
    private bool KeepMeasure(T largest, bool zFinite)
    {
        bool finite = !T.IsNaN(largest);
        _stepInputMagnitude = finite && zFinite ? double.CreateTruncating(largest) : double.NaN;
        return finite;
    }
}
