using System.Numerics;
using NeuralNet.Initializers;
using NeuralNet.Kernels;
using System.Text.Json.Nodes;
using NeuralNet.Onnx;

namespace NeuralNet.Activations;

/// <summary>The leaky ReLU, <c>f(z) = z</c> for <c>z &gt; 0</c>, else <c>α·z</c>.</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class LeakyReLU<T> : ElementwiseActivationFunction<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly T _alpha;

    /// <summary>Creates a leaky ReLU.</summary>
    /// <param name="alpha">The slope for negative inputs, in [0, 1); default 0.01.</param>
    public LeakyReLU(double alpha = 0.01)
    {
        if (!(alpha >= 0 && alpha < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, $"alpha must be in [0, 1) (received {alpha}).");
        }

        Alpha = alpha;
        _alpha = Constant(alpha);
    }

    /// <summary>The slope for negative inputs.</summary>
    public double Alpha { get; }

    /// <inheritdoc />
    public override string Name => "leaky_relu";

    /// <inheritdoc />
    public override ActivationOutput OutputKind => ActivationOutput.Real;

    /// <inheritdoc />
    public override WeightInitializer DefaultInitializer => WeightInitializer.HeUniform;

    /// <inheritdoc />
    public override T Value(T z) => z > T.Zero ? z : _alpha * z; // z or αz

    /// <inheritdoc />
    public override T Derivative(T z, T a) => z > T.Zero ? T.One : _alpha; // 1 or α

    /// <inheritdoc />
    internal override void ForwardOwnBuffers(ReadOnlySpan<T> z, Span<T> a, int rows, int columns)
    {
        Elementwise.Map(z, a, new Leak(_alpha));
    }

    /// <inheritdoc />
    internal override void BackwardOwnBuffers(
        ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int rows, int columns)
    {
        Elementwise.Map(z, outputGradient, inputGradient, new LeakGradient(_alpha));
    }

    /// <summary>z where z &gt; 0, else αz.</summary>
    private readonly struct Leak(T alpha) : IUnaryOperator<T>
    {
        public T Invoke(T z) => z > T.Zero ? z : alpha * z;

        public Vector<T> Invoke(Vector<T> z) => Vector.ConditionalSelect(Vector.GreaterThan(z, Vector<T>.Zero), z, new Vector<T>(alpha) * z);
    }

    /// <summary>g where z &gt; 0, else αg (the scalar form as g·f'(z), the same value).</summary>
    private readonly struct LeakGradient(T alpha) : IBinaryOperator<T>
    {
        public T Invoke(T z, T g) => g * (z > T.Zero ? T.One : alpha);

        public Vector<T> Invoke(Vector<T> z, Vector<T> g) => Vector.ConditionalSelect(Vector.GreaterThan(z, Vector<T>.Zero), g, new Vector<T>(alpha) * g);
    }

    /// <inheritdoc />
    public override JsonObject GetConfig() => new() { ["alpha"] = Alpha };

    /// <inheritdoc />
    public override void ExportOnnx(OnnxGraph<T> graph, string z, string a)
    {
        ShapeCheck.ExportArguments(graph, z, a);
        if (typeof(T) == typeof(double))
        {
            // ONNX Runtime has LeakyRelu for float only
            graph.Node("Mul", [z, graph.Constant(Alpha)], $"{a}.scaled");
            graph.Node("Max", [z, $"{a}.scaled"], a); // max(z, αz), as 0 ≤ α < 1
            return;
        }

        graph.Node("LeakyRelu", [z], a, ("alpha", (float)Alpha));
    }
}
