using System.Runtime.CompilerServices;
using FluentAssertions;
using NeuralNet.Optimizers;
using Xunit;

namespace NeuralNet.Tests.Optimizers;

/// <summary>
/// What the optimizer base promises beyond each update rule: the ends of every documented range are accepted, a
/// user's optimizer sees each parameter whole, plain SGD keeps no state, Reset lets go of what it held, and a bad
/// parameter list is refused naming where.
/// </summary>
public sealed class OptimizerContractTests
{
    [Fact]
    public void TheClosedEndsOfTheDocumentedRanges_AreAccepted()
    {
        // β₁, β₂, α and μ are documented in [0, 1): 0 is allowed and means "no averaging" (or no momentum).
        var adam = new AdamOptimizer<double>(learningRate: 0.1, beta1: 0, beta2: 0);
        (adam.Beta1, adam.Beta2).Should().Be((0.0, 0.0));
        new RmsPropOptimizer<double>(alpha: 0).Alpha.Should().Be(0);
        new RmsPropOptimizer<double>(momentum: 0).Momentum.Should().Be(0);
        new SgdOptimizer<double>(momentum: 0).Momentum.Should().Be(0);
        new SgdOptimizer<double>(weightDecay: 0).WeightDecay.Should().Be(0);

        // With β₁ = β₂ = 0, m̂ = g and v̂ = g²: every step is −η·g/(|g| + ε).
        double[][] trajectory = OptimizerTrajectory.Run(adam);
        trajectory[1].Should().Equal([0.5 - 0.1 - 0.1, -1.25 + 0.1 + 0.1, 2.0 - 0.1 + 0.1, 0.0 - 0.1], (a, e) => Math.Abs(a - e) < 1e-6);
    }

    [Fact]
    public void RmsProp_WithoutAveraging_DividesByTheLastGradientsSize()
    {
        // α = 0: v = g², so each step is −η·g/(|g| + ε).
        double[][] trajectory = OptimizerTrajectory.Run(new RmsPropOptimizer<double>(learningRate: 0.1, alpha: 0));
        trajectory[0].Should().Equal([0.5 - 0.1, -1.25 + 0.1, 2.0 - 0.1, 0.0], (a, e) => Math.Abs(a - e) < 1e-6);
    }

    [Fact]
    public void ClipBounds_AreRefusedUnlessPositiveAndFinite_AndNullTurnsClippingOff()
    {
        var sgd = new SgdOptimizer<double>(0.1);
        foreach (double bad in new[] { 0.0, -1, double.NaN, double.PositiveInfinity })
        {
            FluentActions.Invoking(() => sgd.ClipNorm = bad).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("ClipNorm")
                .WithMessage($"clipNorm must be a finite number > 0 or null (received {bad})*");
            FluentActions.Invoking(() => sgd.ClipValue = bad).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("ClipValue")
                .WithMessage($"clipValue must be a finite number > 0 or null (received {bad})*");
        }

        sgd.ClipNorm = 1e-300;
        sgd.ClipValue = 2;
        sgd.ClipNorm = null;
        sgd.ClipValue = null;
        (sgd.ClipNorm, sgd.ClipValue).Should().Be((null, null));
        FluentActions.Invoking(() => sgd.WeightDecay = double.PositiveInfinity).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("WeightDecay").WithMessage($"weightDecay must be a number ≥ 0, finite as Double (received {double.PositiveInfinity})*");
    }

    [Fact]
    public void AUsersOptimizer_GetsEachParameterWhole_EvenOneLargeEnoughForTwoCores()
    {
        // Only the built-in rules, which treat every value on its own, may be cut in two: a rule of the user's own may
        // look at the whole parameter (here it steps along the normalised gradient).
        var large = new Parameter<double>("large", NeuralNet.Kernels.WorkSplit.MinimumUpdateLength * 2, 1);
        var small = new Parameter<double>("small", 3, 1);
        large.Gradients.Fill(1);
        small.Gradients.Fill(2);
        var optimizer = new NormalisedStep(0.5);

        optimizer.Step([large, small]);

        optimizer.Lengths.Should().Equal(large.Length, small.Length);
        large.Values[0].Should().BeApproximately(-0.5 / Math.Sqrt(large.Length), 1e-15);
        small.Values[0].Should().BeApproximately(-0.5 / Math.Sqrt(3), 1e-15);
    }

    [Fact]
    public void PlainSgd_KeepsNoStateArrays_MomentumOne_AdamTwo_RmsPropOneToThree()
    {
        SlotsAfterOneStep(new SgdOptimizer<double>(0.1)).Should().Be(0);
        SlotsAfterOneStep(new SgdOptimizer<double>(0.1, momentum: 0.5)).Should().Be(1);
        SlotsAfterOneStep(new AdamOptimizer<double>()).Should().Be(2);
        SlotsAfterOneStep(new AdamWOptimizer<double>()).Should().Be(2);
        SlotsAfterOneStep(new RmsPropOptimizer<double>()).Should().Be(1);
        SlotsAfterOneStep(new RmsPropOptimizer<double>(centered: true)).Should().Be(2);
        SlotsAfterOneStep(new RmsPropOptimizer<double>(momentum: 0.5)).Should().Be(2);
        SlotsAfterOneStep(new RmsPropOptimizer<double>(momentum: 0.5, centered: true)).Should().Be(3);
    }

    [Fact]
    public void Reset_LetsGoOfTheParametersAndTheirState()
    {
        var optimizer = new AdamOptimizer<double>();
        (WeakReference parameter, WeakReference state) = StepOnce(optimizer);

        optimizer.Reset();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        parameter.IsAlive.Should().BeFalse("Reset forgets the parameters it stepped");
        state.IsAlive.Should().BeFalse("and their moments");
        optimizer.Iterations.Should().Be(0);
    }

    [Fact]
    public void AParameterListWithANull_IsRefusedNamingTheIndex()
    {
        var p = new Parameter<double>("w", 2, 1);
        var sgd = new SgdOptimizer<double>(0.1);

        FluentActions.Invoking(() => sgd.Step([p, null!])).Should().Throw<ArgumentException>().WithParameterName("parameters")
            .WithMessage("parameters must not contain null (index 1).*");
        FluentActions.Invoking(() => sgd.Step(null!)).Should().Throw<ArgumentNullException>().WithParameterName("parameters");
    }

    [Fact]
    public void ADifferentListOfTheSameParameters_KeepsTheirState()
    {
        // The state belongs to the parameter, not to the list it came in: momentum carries over to a new list.
        var p = new Parameter<double>("w", 1, 1);
        var sgd = new SgdOptimizer<double>(0.1, momentum: 0.5);
        p.Gradients[0] = 1;
        sgd.Step([p]);
        p.Gradients[0] = 1;
        sgd.Step(new List<Parameter<double>> { p });

        p.Values[0].Should().BeApproximately(-0.1 - (0.1 * 1.5), 1e-15, "v = 1, then 0.5·1 + 1");
        sgd.StateOf(p)!.Steps.Should().Be(2);
    }

    private static int SlotsAfterOneStep(Optimizer<double> optimizer)
    {
        var p = new Parameter<double>("w", 2, 1);
        optimizer.Step([p]);
        return optimizer.StateOf(p)!.SlotCount;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Parameter, WeakReference State) StepOnce(Optimizer<double> optimizer)
    {
        var p = new Parameter<double>("w", 1000, 1);
        p.Gradients.Fill(1);
        optimizer.Step([p]);
        return (new WeakReference(p), new WeakReference(optimizer.StateOf(p)));
    }

    /// <summary><c>p ← p − η·g/‖g‖</c> over the whole parameter: a rule that must see every value at once.</summary>
    private sealed class NormalisedStep(double learningRate) : Optimizer<double>(learningRate, 0)
    {
        public List<int> Lengths { get; } = [];

        public override string Name => "normalised";

        protected override void Update(Span<double> values, ReadOnlySpan<double> gradients, OptimizerState<double> state, double learningRate)
        {
            Lengths.Add(values.Length);
            double norm = Math.Sqrt(System.Numerics.Tensors.TensorPrimitives.SumOfSquares(gradients));
            for (int i = 0; i < values.Length; i++)
            {
                values[i] -= learningRate * gradients[i] / norm;
            }
        }
    }
}
