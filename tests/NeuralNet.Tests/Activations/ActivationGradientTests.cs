using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using Xunit;

namespace NeuralNet.Tests.Activations;

public sealed class ActivationGradientTests
{
    public static TheoryData<string> Names => new(AllActivations<double>().Select(a => a.Name));

    internal static ActivationFunction<T>[] AllActivations<T>()
        where T : struct, System.Numerics.IFloatingPointIeee754<T> =>
        [
            new Identity<T>(), new Sigmoid<T>(), new Tanh<T>(), new ReLU<T>(), new LeakyReLU<T>(0.1), new ELU<T>(0.7),
            new SELU<T>(), new Softplus<T>(), new SiLU<T>(), new GELU<T>(), new Softmax<T>(),
        ];

    internal static ActivationFunction<T> Named<T>(string name)
        where T : struct, System.Numerics.IFloatingPointIeee754<T>
        => AllActivations<T>().Single(a => a.Name == name);

    [Theory]
    [MemberData(nameof(Names))]
    public void Backward_MatchesFiniteDifferences_ForRandomShapesAndSeeds(string name)
    {
        for (ulong seed = 1; seed <= 5; seed++)
        {
            var random = new RandomSource(seed);
            int rows = 1 + random.NextInt(6), columns = 1 + random.NextInt(7);
            Matrix<double> z = RandomMatrices.AwayFromZero<double>(random, rows, columns, scale: 4);
            GradientCheckReport report = GradientChecker.CheckActivation(Named<double>(name), z, random);
            report.MaxRelativeError.Should().BeLessThan(1e-6, $"seed {seed}, {rows}×{columns}: {report}");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Float_AgreesWithDouble(string name)
    {
        var random = new RandomSource(11);
        Matrix<double> z = RandomMatrices.AwayFromZero<double>(random, 7, 5, scale: 4);
        Matrix<double> g = RandomMatrices.Uniform<double>(random, 7, 5);
        (double[] a64, double[] dz64) = Run(Named<double>(name), z, g);
        (float[] a32, float[] dz32) = Run(Named<float>(name), RandomMatrices.To<float>(z), RandomMatrices.To<float>(g));
        for (int i = 0; i < a64.Length; i++)
        {
            a32[i].Should().BeApproximately((float)a64[i], 1e-5f * Math.Max(1f, Math.Abs((float)a64[i])), $"f(z) at {i}");
            dz32[i].Should().BeApproximately((float)dz64[i], 1e-5f * Math.Max(1f, Math.Abs((float)dz64[i])), $"∂L/∂z at {i}");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ExtremeInputs_GiveFiniteValuesAndGradients(string name)
    {
        double[] z = [-1000, -80, -30, 30, 80, 1000, 1e-300, -1e-300];
        double[] a = new double[z.Length], dz = new double[z.Length];
        double[] g = Enumerable.Repeat(1.0, z.Length).ToArray();
        ActivationFunction<double> f = Named<double>(name);
        f.Forward(z, a, z.Length, 1);
        f.Backward(z, a, g, dz, z.Length, 1);
        a.Should().OnlyContain(v => double.IsFinite(v), "f(z) must not overflow");
        dz.Should().OnlyContain(v => double.IsFinite(v), "f'(z) must not overflow");

        // Softmax across a row of extreme logits too
        double[] row = [1000, -1000, 999];
        double[] p = new double[3];
        new Softmax<double>().Forward(row, p, 1, 3);
        p.Sum().Should().BeApproximately(1.0, 1e-12);
        p[0].Should().BeApproximately(1 / (1 + Math.Exp(-1)), 1e-12);
    }

    [Fact]
    public void KnownValues_MatchTheirFormulas()
    {
        Value(new Sigmoid<double>(), 0).Should().Be(0.5);
        Value(new Sigmoid<double>(), -800).Should().BeGreaterThanOrEqualTo(0).And.BeLessThan(1e-300);
        Value(new Tanh<double>(), 0.5).Should().BeApproximately(Math.Tanh(0.5), 1e-15);
        Value(new ReLU<double>(), -2).Should().Be(0);
        Value(new LeakyReLU<double>(0.2), -2).Should().BeApproximately(-0.4, 1e-15);
        Value(new ELU<double>(1), -1).Should().BeApproximately(Math.Exp(-1) - 1, 1e-15);
        Value(new SELU<double>(), 1).Should().BeApproximately(1.0507009873554805, 1e-15);
        Value(new Softplus<double>(), 0).Should().BeApproximately(Math.Log(2), 1e-15);
        Value(new Softplus<double>(), 1000).Should().Be(1000);
        Value(new SiLU<double>(), 2).Should().BeApproximately(2 / (1 + Math.Exp(-2)), 1e-15);
        Value(new GELU<double>(), 1).Should().BeApproximately(0.8413447460685429, 1e-12); // 1·Φ(1)
        Value(new GELU<double>(), -1).Should().BeApproximately(-0.15865525393145707, 1e-12);
    }

    [Fact]
    public void ReLU_DerivativeAtZero_IsZero()
    {
        double[] z = [0], a = new double[1], dz = new double[1];
        new ReLU<double>().Forward(z, a, 1, 1);
        new ReLU<double>().Backward(z, a, [1.0], dz, 1, 1);
        dz[0].Should().Be(0);
    }

    [Fact]
    public void Constructors_RejectNonsenseParameters()
    {
        FluentActions.Invoking(() => new LeakyReLU<double>(-0.1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("alpha").WithMessage("*[0, 1)*-0.1*");
        FluentActions.Invoking(() => new LeakyReLU<double>(double.NaN)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("alpha");
        FluentActions.Invoking(() => new ELU<double>(0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("alpha").WithMessage("*> 0*");
    }

    [Fact]
    public void CustomElementwiseActivation_IsCheckedByTheGradientChecker()
    {
        var random = new RandomSource(3);
        Matrix<double> z = RandomMatrices.AwayFromZero<double>(random, 4, 3);
        GradientChecker.CheckActivation(new Cube(), z, random).MaxRelativeError.Should().BeLessThan(1e-6);

        // A wrong derivative is caught, and the report names where.
        GradientCheckReport wrong = GradientChecker.CheckActivation(new Cube(wrongDerivative: true), z, random);
        wrong.Passes(1e-6).Should().BeFalse();
        wrong.WorstEntry.Should().StartWith("z[");
    }

    private static double Value(ActivationFunction<double> f, double z)
    {
        double[] a = new double[1];
        f.Forward([z], a, 1, 1);
        return a[0];
    }

    private static (T[] A, T[] Dz) Run<T>(ActivationFunction<T> f, Matrix<T> z, Matrix<T> g)
        where T : struct, System.Numerics.IFloatingPointIeee754<T>
    {
        T[] zs = z.ToColumnMajorArray(), a = new T[zs.Length], dz = new T[zs.Length];
        f.Forward(zs, a, z.RowCount, z.ColumnCount);
        f.Backward(zs, a, g.ToColumnMajorArray(), dz, z.RowCount, z.ColumnCount);
        return (a, dz);
    }

    /// <summary>f(z) = z³, a user-written activation.</summary>
    private sealed class Cube(bool wrongDerivative = false) : ElementwiseActivationFunction<double>
    {
        public override string Name => "cube";

        public override double Value(double z) => z * z * z;

        public override double Derivative(double z, double a) => wrongDerivative ? 2 * z * z : 3 * z * z;
    }
}
