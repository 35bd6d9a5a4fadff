using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Kernels;
using Xunit;

namespace NeuralNet.Tests.Kernels;

/// <summary>
/// The finiteness check of a large batch on both cores (<see cref="SharedAllFinite{T}"/>): the same answer as one core,
/// wherever the bad value is, with the helper on time or late. Its tests pause the helper, so they run alone.
/// </summary>
[Collection(nameof(SecondCoreHeld))]
public class SharedAllFiniteTests
{
    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, false)]
    [InlineData(131_071, false)]
    [InlineData(262_143, false)]
    [InlineData(-1, true)]
    [InlineData(200_000, true)]
    public void TryRun_FindsANonFiniteValueAnywhere_AsOneCoreDoes(int badAt, bool helperLate)
    {
        float[] x = GemmTests.Fill<float>(SharedAllFinite<float>.MinimumLength, 51);
        if (badAt >= 0)
        {
            x[badAt] = badAt % 2 == 0 ? float.NaN : float.NegativeInfinity;
        }

        bool ran, finite;
        SecondCore.Paused = helperLate;
        try
        {
            ran = SharedAllFinite<float>.TryRun(x, out finite);
        }
        finally
        {
            SecondCore.Paused = false;
        }

        if (WorkSplit.TwoCores)
        {
            ran.Should().BeTrue();
        }

        (ran ? finite : Elementwise.AllFinite<float>(x)).Should().Be(badAt < 0);
        Elementwise.AllFinite<float>(x).Should().Be(badAt < 0);
    }

    [Fact]
    public void TryRun_ShorterThanItsMinimum_LeavesTheCheckToTheCaller()
    {
        double[] x = new double[SharedAllFinite<double>.MinimumLength - 1];
        SharedAllFinite<double>.TryRun(x, out bool finite).Should().BeFalse();
        finite.Should().BeTrue();
    }

    [Fact]
    public void TrainStep_OnALargeBatchWithANaN_IsRefusedNamingWhere()
    {
        var network = new Network<float>(1, new NeuralNet.Layers.DenseLayer<float>(1024, 4));
        var x = Matrix<float>.Build.Dense(256, 1024);
        x[17, 1000] = float.NaN;
        var t = Matrix<float>.Build.Dense(256, 4);

        Action step = () => network.TrainStep(x, t, new NeuralNet.Losses.MeanSquaredError<float>(), new NeuralNet.Optimizers.SgdOptimizer<float>(0.01));

        step.Should().Throw<ArgumentException>().WithMessage("*row 17, column 1000*");
    }
}
