using FluentAssertions;
using NeuralNet.Activations;
using NeuralNet.Initializers;
using NeuralNet.Onnx;
using Xunit;

namespace NeuralNet.Tests.Activations;

/// <summary>
/// What every activation promises besides its values and gradients: its name, what its outputs are, the initialiser
/// it suits, its settings, the value of its derivative at the kink, the ends of its documented range, and the
/// refusal of spans that do not hold the batch.
/// </summary>
public sealed class ActivationContractTests
{
    public static TheoryData<string> Names => new(ActivationGradientTests.AllActivations<double>().Select(a => a.Name));

    [Fact]
    public void NamesOutputKindsAndInitializers_AreWhatTheModelFileAndTheLossChecksRead()
    {
        (string, ActivationOutput, WeightInitializer)[] expected =
        [
            ("identity", ActivationOutput.Real, WeightInitializer.GlorotUniform),
            ("sigmoid", ActivationOutput.Probabilities, WeightInitializer.GlorotUniform),
            ("tanh", ActivationOutput.Real, WeightInitializer.GlorotUniform),
            ("relu", ActivationOutput.Real, WeightInitializer.HeUniform),
            ("leaky_relu", ActivationOutput.Real, WeightInitializer.HeUniform),
            ("elu", ActivationOutput.Real, WeightInitializer.HeUniform),
            ("selu", ActivationOutput.Real, WeightInitializer.LeCunNormal),
            ("softplus", ActivationOutput.Real, WeightInitializer.GlorotUniform),
            ("silu", ActivationOutput.Real, WeightInitializer.HeUniform),
            ("gelu", ActivationOutput.Real, WeightInitializer.HeUniform),
            ("softmax", ActivationOutput.ProbabilityDistribution, WeightInitializer.GlorotUniform),
        ];

        ActivationGradientTests.AllActivations<float>().Select(a => (a.Name, a.OutputKind, a.DefaultInitializer)).Should().Equal(expected);
        ActivationGradientTests.AllActivations<float>().Select(a => a.ToString()).Should().Equal(expected.Select(e => e.Item1));
    }

    [Fact]
    public void Settings_AreTheAlphaOfLeakyReLUAndELU_AndNothingElse()
    {
        new LeakyReLU<double>(0.25).GetConfig().ToJsonString().Should().Be("{\"alpha\":0.25}");
        new ELU<double>(1.5).GetConfig().ToJsonString().Should().Be("{\"alpha\":1.5}");
        new LeakyReLU<double>().Alpha.Should().Be(0.01, "the default slope is 0.01");
        new ELU<double>().Alpha.Should().Be(1.0, "the default α is 1");
        foreach (ActivationFunction<double> f in ActivationGradientTests.AllActivations<double>().Where(a => a.Name is not ("leaky_relu" or "elu")))
        {
            f.GetConfig().Count.Should().Be(0, f.Name);
        }
    }

    [Fact]
    public void AtZero_EachPiecewiseFunction_TakesItsPieceForZAtMostZero()
    {
        // "z for z > 0, else ...": at z = 0 the derivative is that of the left piece, in the scalar form and the batch pass alike.
        Derivative(new ReLU<double>(), 0).Should().Be(0);
        Derivative(new LeakyReLU<double>(0.25), 0).Should().Be(0.25);
        Derivative(new ELU<double>(0.5), 0).Should().Be(0.5); // α·e⁰
        Derivative(new SELU<double>(), 0).Should().BeApproximately(1.0507009873554805 * 1.6732632423543772, 1e-15); // λα·e⁰
        Derivative(new LeakyReLU<double>(0.25), 1e-300).Should().Be(1);
        Derivative(new ELU<double>(0.5), 1e-300).Should().Be(1);
        Derivative(new SELU<double>(), 1e-300).Should().BeApproximately(1.0507009873554805, 1e-15);
    }

    [Fact]
    public void LeakyReLU_WithSlopeZero_IsAccepted_AndIsReLU()
    {
        var leaky = new LeakyReLU<double>(0);
        double[] z = [-2, -0.5, 0, 0.5, 2], a = new double[5], dz = new double[5];
        leaky.Forward(z, a, 5, 1);
        leaky.Backward(z, a, [1.0, 1, 1, 1, 1], dz, 5, 1);

        a.Should().Equal(0, 0, 0, 0.5, 2);
        dz.Should().Equal(0, 0, 0, 1, 1);
        FluentActions.Invoking(() => new LeakyReLU<double>(1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("alpha").WithMessage("alpha must be in [0, 1) (received 1).*");
        FluentActions.Invoking(() => new ELU<double>(double.PositiveInfinity)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("alpha").WithMessage("alpha must be a number > 0, finite as Double*");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void SpansThatDoNotHoldTheBatch_AreRefusedNamingTheSpan(string name)
    {
        ActivationFunction<double> f = ActivationGradientTests.Named<double>(name);
        double[] six = new double[6], five = new double[5];

        Refuses(() => f.Forward(five, six, 2, 3), "z");
        Refuses(() => f.Forward(six, five, 2, 3), "a");
        if (name is not ("identity" or "softmax"))
        {
            Refuses(() => f.Backward(five, six, six, six, 2, 3), "z"); // softmax and the identity never read z backward
        }

        if (name != "identity")
        {
            Refuses(() => f.Backward(six, five, six, six, 2, 3), "a"); // nor the identity a
        }

        Refuses(() => f.Backward(six, six, five, six, 2, 3), "outputGradient");
        Refuses(() => f.Backward(six, six, six, five, 2, 3), "inputGradient");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Backward_IntoTheSpanOfZOrOfA_IsRefusedNamingInputGradient(string name)
    {
        // Only the span of ∂L/∂a may also receive ∂L/∂z: written over z or a, the values still to be read would be lost.
        ActivationFunction<double> f = ActivationGradientTests.Named<double>(name);
        double[] z = [-1.5, -0.5, 0.25, 0.75, 1.5, 2.5], a = new double[6], g = [0.1, -0.2, 0.3, -0.4, 0.5, -0.6];
        f.Forward(z, a, 2, 3);

        FluentActions.Invoking(() => f.Backward(z, a, g, z, 2, 3)).Should().Throw<ArgumentException>().WithParameterName("inputGradient");
        FluentActions.Invoking(() => f.Backward(z, a, g, a, 2, 3)).Should().Throw<ArgumentException>().WithParameterName("inputGradient");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ExportOnnx_WithANullGraphOrTensorName_IsRefusedNamingIt(string name)
    {
        // Checked before any node is added (the graph would otherwise hold nodes reading or writing a tensor named null).
        ActivationFunction<double> f = ActivationGradientTests.Named<double>(name);
        FluentActions.Invoking(() => f.ExportOnnx(null!, "z", "a")).Should().Throw<ArgumentNullException>().WithParameterName("graph");
        FluentActions.Invoking(() => f.ExportOnnx(new OnnxGraph<double>(), null!, "a")).Should().Throw<ArgumentNullException>().WithParameterName("z");
        FluentActions.Invoking(() => f.ExportOnnx(new OnnxGraph<double>(), "z", null!)).Should().Throw<ArgumentNullException>().WithParameterName("a");
        FluentActions.Invoking(() => ActivationGradientTests.Named<float>(name).ExportOnnx(null!, "z", "a")).Should().Throw<ArgumentNullException>().WithParameterName("graph");
    }

    private static void Refuses(Action call, string span) =>
        call.Should().Throw<ArgumentException>().WithParameterName(span).WithMessage($"{span} must hold rows × columns = 2 × 3 = 6 values (received 5).*");

    /// <summary>f'(z) from the public scalar form, checked against the batch pass's ∂L/∂z for ∂L/∂a = 1.</summary>
    private static double Derivative(ElementwiseActivationFunction<double> f, double z)
    {
        double[] a = new double[1], dz = new double[1];
        f.Forward([z], a, 1, 1);
        f.Backward([z], a, [1.0], dz, 1, 1);
        double scalar = f.Derivative(z, f.Value(z));
        dz[0].Should().Be(scalar, $"{f.Name}: the batch pass and Derivative agree at z = {z}");
        return scalar;
    }
}
