using FluentAssertions;
using NeuralNet.Optimizers;
using Xunit;

namespace NeuralNet.Tests.Optimizers;

/// <summary>Gradient clipping of the optimizer base, observed through plain SGD (p ← p − η·g, η = 1, so the step is the clipped gradient).</summary>
public sealed class GradientClippingTests
{
    [Fact]
    public void ClipValue_ClampsEachGradientIntoTheRange()
    {
        double[] step = Step(new SgdOptimizer<double>(1.0) { ClipValue = 0.5 }, [3.0, -0.2, -7.0], [0.25]);
        step.Should().Equal(0.5, -0.2, -0.5, 0.25);
    }

    [Fact]
    public void ClipNorm_ScalesAllParametersByTheGlobalNorm()
    {
        // Global norm over both parameters: √(3² + 0² + 4²) = 5 → scaled by 2/5.
        double[] step = Step(new SgdOptimizer<double>(1.0) { ClipNorm = 2.0 }, [3.0, 0.0], [4.0]);
        step.Should().Equal([1.2, 0.0, 1.6], (a, e) => Math.Abs(a - e) < 1e-15);
    }

    [Fact]
    public void ClipNorm_LeavesGradientsBelowTheNormUnchanged()
    {
        double[] step = Step(new SgdOptimizer<double>(1.0) { ClipNorm = 10.0 }, [3.0, 0.0], [4.0]);
        step.Should().Equal(3.0, 0.0, 4.0);
    }

    [Fact]
    public void ClipValueThenNorm_BothApply()
    {
        // Values first: [3, −7] → [1, −1]; then norm √2 > 1 → scaled by 1/√2.
        double[] step = Step(new SgdOptimizer<double>(1.0) { ClipValue = 1.0, ClipNorm = 1.0 }, [3.0, -7.0], []);
        step.Should().Equal([1 / Math.Sqrt(2), -1 / Math.Sqrt(2)], (a, e) => Math.Abs(a - e) < 1e-15);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Clipping_NonPositiveOrNonFiniteThreshold_Throws(double threshold)
    {
        var sgd = new SgdOptimizer<double>();
        ((Action)(() => sgd.ClipNorm = threshold)).Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().Contain("clipNorm");
        ((Action)(() => sgd.ClipValue = threshold)).Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().Contain("clipValue");
        sgd.ClipNorm.Should().BeNull();
        sgd.ClipValue.Should().BeNull();
    }

    [Fact]
    public void ClipNorm_WorksWithAdam()
    {
        // Adam is invariant to a constant gradient scale on step 1, so clipping shows in the moments: m₁ = (1 − β₁)·g_clipped.
        var adam = new AdamOptimizer<double>(0.001) { ClipNorm = 1.0 };
        var parameter = new Parameter<double>("w", 2, 1);
        parameter.Gradients[0] = 3.0;
        parameter.Gradients[1] = 4.0;
        adam.Step([parameter]);
        adam.StateOf(parameter)!.Slot(0).ToArray().Should().Equal([0.1 * 0.6, 0.1 * 0.8], (a, e) => Math.Abs(a - e) < 1e-15);
    }

    private static double[] Step(Optimizer<double> optimizer, double[] first, double[] second)
    {
        var a = new Parameter<double>("a", first.Length, 1);
        var parameters = new List<Parameter<double>> { a };
        first.CopyTo(a.Gradients);
        Parameter<double>? b = null;
        if (second.Length > 0)
        {
            b = new Parameter<double>("b", second.Length, 1);
            second.CopyTo(b.Gradients);
            parameters.Add(b);
        }

        optimizer.Step(parameters);
        return a.Values.ToArray().Concat(b is null ? [] : b.Values.ToArray()).Select(v => -v).ToArray();
    }
}
