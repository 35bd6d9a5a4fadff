using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet;

/// <summary>
/// A trainable tensor of a layer (a weight matrix or a bias vector) together with the gradient of the
/// loss with respect to it. The layer owns both; optimizers update <see cref="Values"/> from
/// <see cref="Gradients"/> in place.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Parameter<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly T[] _values;
    private readonly T[] _gradients;
    private bool _frozen;

    /// <summary>Creates a parameter of zeros with a zero gradient; layers create their own, and so may a user-written layer.</summary>
    /// <param name="name">The parameter's name within its layer, e.g. <c>weights</c>.</param>
    /// <param name="rows">Rows, ≥ 1.</param>
    /// <param name="columns">Columns, ≥ 1 (1 for a vector); <c>rows × columns</c> at most <see cref="Array.MaxLength"/>.</param>
    public Parameter(string name, int rows, int columns)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        int length = ShapeCheck.Product(rows, columns, $"the parameter '{name}' would hold rows × columns", nameof(columns));
        Name = name;
        Rows = rows;
        Columns = columns;
        _values = Kernels.HugePages.Advise(Kernels.AlignedArrays.Allocate<T>(length)); // a large layer's: 2 MB pages where the system gives them on request
        _gradients = Kernels.HugePages.Advise(Kernels.AlignedArrays.Allocate<T>(length));
        Value = Matrix<T>.Build.Dense(rows, columns, _values);
        Gradient = Matrix<T>.Build.Dense(rows, columns, _gradients);
    }

    /// <summary>The parameter's name within its layer, e.g. <c>weights</c> or <c>biases</c>.</summary>
    public string Name { get; }

    /// <summary>Number of rows (for weights: the layer's outputs; for biases: the outputs).</summary>
    public int Rows { get; }

    /// <summary>Number of columns (for weights: the layer's inputs; for biases: 1).</summary>
    public int Columns { get; }

    /// <summary>Number of scalar values, <c>Rows × Columns</c>.</summary>
    public int Length => _values.Length;

    /// <summary>The values as a matrix bound to the parameter's storage: writing to it changes the parameter.</summary>
    public Matrix<T> Value { get; }

    /// <summary>The gradient as a matrix bound to the gradient storage (filled by the layer's backward pass).</summary>
    public Matrix<T> Gradient { get; }

    /// <summary>The values, column-major (MathNet's dense layout).</summary>
    public Span<T> Values => _values;

    /// <summary>The gradient of the loss with respect to each value, in the same layout as <see cref="Values"/>.</summary>
    public Span<T> Gradients => _gradients;

    /// <summary>
    /// For the training step's update: a bound on the magnitude of every element of this step's gradient, set by the layer
    /// that made it when it could also tell that every value is finite (<c>DenseLayer</c>'s weights after a measured forward
    /// pass), else NaN. The step's optimizer reads it once and sets it back to NaN (<c>Optimizer.StepChecked</c>).
    /// </summary>
    internal double StepGradientBound { get; set; } = double.NaN;

    /// <summary>
    /// Whether training leaves this parameter alone (default false): the training step does not hand it to the
    /// optimizer, so it is not updated and gets no optimizer state, and <see cref="Network{T}.ParameterCount"/> and the
    /// summary count it as frozen, not trainable. The backward phase still fills its gradient. Saved in the model file.
    /// </summary>
    public bool Frozen
    {
        get => _frozen;
        set
        {
            _frozen = value;
            TrainingSettings.Changed();
        }
    }

    /// <summary>
    /// Whether this is an additive offset (a dense layer's biases, a normalisation's shift) rather than a weight:
    /// a layer's <see cref="Layers.Layer{T}.Regularization"/> penalises it only when <see cref="Layers.Regularization.Biases"/> is set.
    /// Set by the layer that creates the parameter.
    /// </summary>
    public bool IsBias { get; init; }

    internal T[] ValueArray => _values;

    internal T[] GradientArray => _gradients;

    /// <inheritdoc />
    public override string ToString() => $"{Name} [{Rows}×{Columns}]";
}
