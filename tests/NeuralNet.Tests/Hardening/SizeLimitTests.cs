using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Kernels;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using Xunit;

namespace NeuralNet.Tests.Hardening;

/// <summary>
/// Products of sizes are computed without overflow and refused, naming the sizes, when they exceed what one
/// array can hold, before any buffer or kernel sees them. The checks are tested, not giant buffers: nothing
/// here allocates more than a few kilobytes.
/// </summary>
public sealed class SizeLimitTests
{
    [Theory]
    [InlineData(65536, 65537)] // 2³² + 2¹⁶ weights: wrapped to 65,536 in 32-bit arithmetic, then read out of bounds
    [InlineData(65536, 65536)] // exactly 2³²: wrapped to 0, no weights stored
    [InlineData(50000, 50000)] // 2.5·10⁹: above Array.MaxLength
    public void DenseLayer_WithMoreWeightsThanAnArrayHolds_IsRefusedNamingTheSizes(int inputs, int outputs)
    {
        FluentActions.Invoking(() => new DenseLayer<float>(inputs, outputs, new Identity<float>()))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("outputSize")
            .WithMessage($"*{inputs} × {outputs} = {(long)inputs * outputs}*");
    }

    [Fact]
    public void Parameter_WithMoreValuesThanAnArrayHolds_IsRefusedNamingTheSizes()
    {
        FluentActions.Invoking(() => new Parameter<double>("w", 1 << 16, 1 << 16))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*65536 × 65536 = 4294967296*");
    }

    [Fact]
    public void Batch_WhoseBuffersWouldNotFitInAnArray_IsRefusedBeforeAnythingIsAllocated()
    {
        // A 4-row batch of one feature, into a layer 2³⁰ units wide: 4 × 2³⁰ values per buffer.
        var network = new Network<float>(1, new Wide(1, 1 << 30));
        Matrix<float> x = Matrix<float>.Build.Dense(4, 1, 1f);
        var mse = new MeanSquaredError<float>();

        FluentActions.Invoking(() => network.Predict(x)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("input").WithMessage("*4 × 1073741824*");
        FluentActions.Invoking(() => network.Forward(x, training: true)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("input");
        FluentActions.Invoking(() => network.TrainStep(x, Matrix<float>.Build.Dense(4, 1), mse, new SgdOptimizer<float>(0.1)))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("input");
    }

    [Fact]
    public void Batch_TooLargeForAHiddenLayerOnly_IsRefusedBeforeAnyBufferOrLayerSeesIt()
    {
        // 3 rows: 3 × 2³⁰ wraps to a negative int, so a buffer made before the check would throw something else.
        var wideOutput = new Network<float>(1, new Wide(1, 1 << 30));
        Matrix<float> x = Matrix<float>.Build.Dense(3, 1, 1f);
        FluentActions.Invoking(() => wideOutput.Predict(x)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("input");
        FluentActions.Invoking(() => wideOutput.Forward(x, training: true)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("input");

        // The wide layer in the middle, between narrow ones: the widest layer, not the narrowest, sets the limit, and the
        // calls into a caller's (small) output matrix check it too.
        var wideMiddle = new Network<float>(1, new Wide(1, 1), new Wide(1, 1 << 30), new Wide(1 << 30, 1));
        var output = Matrix<float>.Build.Dense(3, 1);
        FluentActions.Invoking(() => wideMiddle.Predict(x)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("input").WithMessage("*layer 1*");
        FluentActions.Invoking(() => wideMiddle.Predict(x, output)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("input");
        FluentActions.Invoking(() => wideMiddle.Forward(x, true, output)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("input");
    }

    [Fact]
    public void Gemm_WithSizesLargerThanItsSpans_RefusesInsteadOfReadingOutOfBounds()
    {
        float[] a = new float[6], b = new float[6], c = new float[4];

        // m·n·k that wraps in 32 bits, and operands one value too short: both refused before any pointer is used.
        FluentActions.Invoking(() => Gemm.Multiply<float>(false, true, 1, 65537, 65536, a, 1, b, 65537, c, 1, accumulate: false))
            .Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => Gemm.Multiply<float>(false, false, 2, 2, 3, a.AsSpan(0, 5), 2, b, 3, c, 2, accumulate: false))
            .Should().Throw<ArgumentException>().WithParameterName("a");
        FluentActions.Invoking(() => Gemm.Multiply<float>(false, false, 2, 2, 3, a, 2, b, 3, c.AsSpan(0, 3), 2, accumulate: false))
            .Should().Throw<ArgumentException>().WithParameterName("c");
        FluentActions.Invoking(() => Gemm.Multiply<float>(true, false, 2, 2, 3, a, 2, b, 3, c, 2, accumulate: false))
            .Should().Throw<ArgumentException>().WithParameterName("a", "transposed, A is stored 3×2 and needs a leading dimension ≥ 3");

        Gemm.Multiply<float>(false, false, 2, 2, 3, a, 2, b, 3, c, 2, accumulate: false); // exactly fitting operands run
    }

    [Fact]
    public void ElementwiseActivation_WithSpansShorterThanTheBatch_IsRefusedInsteadOfWritingPastThem()
    {
        float[] z = new float[64], shortA = new float[63];
        foreach (ActivationFunction<float> f in new ActivationFunction<float>[] { new ReLU<float>(), new Sigmoid<float>(), new Identity<float>(), new Softmax<float>(), new LeakyReLU<float>(0.1) })
        {
            FluentActions.Invoking(() => f.Forward(z, shortA, 8, 8)).Should().Throw<ArgumentException>(f.Name).WithParameterName("a");
            FluentActions.Invoking(() => f.Forward(z, new float[64], 8, 9)).Should().Throw<ArgumentException>(f.Name);
            FluentActions.Invoking(() => f.Backward(z, z, z, shortA, 8, 8)).Should().Throw<ArgumentException>(f.Name).WithParameterName("inputGradient");
        }
    }

    /// <summary>A layer that claims any width and parameter size without allocating its outputs (it never runs).</summary>
    private sealed class Wide : Layer<float>
    {
        public Wide(int inputs, int outputs)
        {
            InputSize = inputs;
            OutputSize = outputs;
        }

        public override int InputSize { get; }

        public override int OutputSize { get; }

        public override Matrix<float> Forward(Matrix<float> input, bool training) => throw new InvalidOperationException("never runs");

        public override Matrix<float>? Backward(Matrix<float> outputGradient, bool computeInputGradient = true) => throw new InvalidOperationException("never runs");

        public override void Predict(Matrix<float> input, Matrix<float> output) => throw new InvalidOperationException("never runs");
    }
}
