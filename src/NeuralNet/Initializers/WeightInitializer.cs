using System.Numerics;

namespace NeuralNet.Initializers;

/// <summary>
/// Draws a layer's initial weights. Every draw comes from the <see cref="RandomSource"/> passed in,
/// computed in double and rounded to the element type, so float and double networks built from the
/// same seed start from the same weights (up to that rounding).
/// </summary>
public abstract class WeightInitializer
{
    /// <summary>Glorot/Xavier uniform: U(−l, l), l = √(6 / (fanIn + fanOut)). The default for sigmoid, tanh, softmax and identity.</summary>
    public static WeightInitializer GlorotUniform { get; } = new UniformInitializer("glorot_uniform", (fanIn, fanOut) => Math.Sqrt(6.0 / (fanIn + fanOut)));

    /// <summary>Glorot/Xavier normal: N(0, σ²), σ = √(2 / (fanIn + fanOut)).</summary>
    public static WeightInitializer GlorotNormal { get; } = new NormalInitializer("glorot_normal", (fanIn, fanOut) => Math.Sqrt(2.0 / (fanIn + fanOut)));

    /// <summary>He/Kaiming uniform: U(−l, l), l = √(6 / fanIn). The default for the ReLU family.</summary>
    public static WeightInitializer HeUniform { get; } = new UniformInitializer("he_uniform", (fanIn, _) => Math.Sqrt(6.0 / fanIn));

    /// <summary>He/Kaiming normal: N(0, σ²), σ = √(2 / fanIn).</summary>
    public static WeightInitializer HeNormal { get; } = new NormalInitializer("he_normal", (fanIn, _) => Math.Sqrt(2.0 / fanIn));

    /// <summary>LeCun uniform: U(−l, l), l = √(3 / fanIn).</summary>
    public static WeightInitializer LeCunUniform { get; } = new UniformInitializer("lecun_uniform", (fanIn, _) => Math.Sqrt(3.0 / fanIn));

    /// <summary>LeCun normal: N(0, σ²), σ = √(1 / fanIn). The default for SELU.</summary>
    public static WeightInitializer LeCunNormal { get; } = new NormalInitializer("lecun_normal", (fanIn, _) => Math.Sqrt(1.0 / fanIn));

    /// <summary>PyTorch's default for <c>nn.Linear</c>: U(−l, l), l = 1/√fanIn.</summary>
    public static WeightInitializer PyTorchUniform { get; } = new UniformInitializer("pytorch_uniform", (fanIn, _) => 1.0 / Math.Sqrt(fanIn));

    /// <summary>All zeros (no randomness): only for tests and layers whose symmetry is broken otherwise.</summary>
    public static WeightInitializer Zeros { get; } = new ZerosInitializer();

    /// <summary>The built-in initialisers, which a saved model names and a loader finds again.</summary>
    internal static WeightInitializer[] Known => [GlorotUniform, GlorotNormal, HeUniform, HeNormal, LeCunUniform, LeCunNormal, PyTorchUniform, Zeros];

    /// <summary>A short lower-case name, e.g. <c>he_uniform</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Fills <paramref name="weights"/> with initial values.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="weights">The weights to fill (any layout: each value is drawn independently).</param>
    /// <param name="fanIn">Inputs of the layer.</param>
    /// <param name="fanOut">Outputs of the layer.</param>
    /// <param name="random">The source of every random draw.</param>
    public abstract void Initialize<T>(Span<T> weights, int fanIn, int fanOut, RandomSource random)
        where T : struct, IFloatingPointIeee754<T>;

    /// <inheritdoc />
    public override string ToString() => Name;

    private sealed class UniformInitializer(string name, Func<int, int, double> limit) : WeightInitializer
    {
        public override string Name => name;

        public override void Initialize<T>(Span<T> weights, int fanIn, int fanOut, RandomSource random)
        {
            ArgumentNullException.ThrowIfNull(random);
            double l = limit(fanIn, fanOut);
            for (int i = 0; i < weights.Length; i++)
            {
                weights[i] = T.CreateChecked((2.0 * random.NextDouble() - 1.0) * l); // U(−l, l)
            }
        }
    }

    private sealed class NormalInitializer(string name, Func<int, int, double> sigma) : WeightInitializer
    {
        public override string Name => name;

        public override void Initialize<T>(Span<T> weights, int fanIn, int fanOut, RandomSource random)
        {
            ArgumentNullException.ThrowIfNull(random);
            double s = sigma(fanIn, fanOut);
            for (int i = 0; i < weights.Length; i++)
            {
                weights[i] = T.CreateChecked(random.NextGaussian() * s); // N(0, σ²)
            }
        }
    }

    private sealed class ZerosInitializer : WeightInitializer
    {
        public override string Name => "zeros";

        public override void Initialize<T>(Span<T> weights, int fanIn, int fanOut, RandomSource random) => weights.Clear();
    }
}
