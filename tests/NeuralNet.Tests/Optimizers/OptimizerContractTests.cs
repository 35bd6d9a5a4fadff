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

        // Likewise in the training step's checked form, which keeps an undo copy.
        var checkedOptimizer = new NormalisedStep(0.5);
        double[][] backup = [new double[large.Length], new double[small.Length]];
        checkedOptimizer.StepChecked([large, small], backup).Should().BeTrue();
        checkedOptimizer.Lengths.Should().Equal(large.Length, small.Length);
        large.Values[0].Should().BeApproximately(-1 / Math.Sqrt(large.Length), 1e-15);
        backup[0].Should().OnlyContain(v => Math.Abs(v + (0.5 / Math.Sqrt(large.Length))) < 1e-15);
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

    [Fact]
    public void EachRangeEnd_IsRefusedBelowZeroAndAtOne_WithAMessageNamingTheArgumentAndTheValue()
    {
        // [0, 1) for β₁, β₂, α and μ: −0.1 and 1 are both out, each with the same sentence; ε > 0 and not 0 as T.
        Refused(() => new AdamOptimizer<double>(beta1: -0.1), "beta1", "beta1 must be in [0, 1) (received -0.1).");
        Refused(() => new AdamOptimizer<double>(beta1: 1), "beta1", "beta1 must be in [0, 1) (received 1).");
        Refused(() => new AdamOptimizer<double>(beta2: -0.1), "beta2", "beta2 must be in [0, 1) (received -0.1).");
        Refused(() => new AdamOptimizer<double>(beta2: 1), "beta2", "beta2 must be in [0, 1) (received 1).");
        Refused(() => new AdamOptimizer<double>(epsilon: -1e-8), "epsilon", "epsilon must be a finite number > 0, not 0 as Double (received -1E-08).");
        Refused(() => new RmsPropOptimizer<double>(alpha: -0.1), "alpha", "alpha must be in [0, 1) (received -0.1).");
        Refused(() => new RmsPropOptimizer<double>(alpha: 1), "alpha", "alpha must be in [0, 1) (received 1).");
        Refused(() => new RmsPropOptimizer<double>(momentum: -0.1), "momentum", "momentum must be in [0, 1) (received -0.1).");
        Refused(() => new RmsPropOptimizer<double>(momentum: 1), "momentum", "momentum must be in [0, 1) (received 1).");
        Refused(() => new RmsPropOptimizer<float>(epsilon: 1e-50), "epsilon", "epsilon must be a finite number > 0, not 0 as Single (received 1E-50).");
        Refused(() => new SgdOptimizer<double>(momentum: -0.1), "momentum", "momentum must be in [0, 1) (received -0.1).");
        Refused(() => new SgdOptimizer<double>(momentum: 1), "momentum", "momentum must be in [0, 1) (received 1).");
        FluentActions.Invoking(() => new SgdOptimizer<double>(nesterov: true)).Should().Throw<ArgumentException>().WithParameterName("nesterov")
            .WithMessage("Nesterov momentum needs momentum > 0 (received 0).*");
        Refused(() => new SgdOptimizer<float>(0.1) { WeightDecay = -1 }, "WeightDecay", "weightDecay must be a number ≥ 0, finite as Single (received -1).");
        Refused(() => new SgdOptimizer<float>(0.1) { LearningRate = 1e39 }, "LearningRate", "learningRate must be a number > 0, finite as Single (received 1E+39).");
    }

    [Fact]
    public void ASavedSecondMoment_IsImpossibleOnlyWhenNegative_AndTheMessageNamesTheArrayAndTheIndex()
    {
        // Loaders ask ImpossibleState before restoring a checkpoint; 0 is possible (a gradient that was always 0).
        new AdamOptimizer<double>().ImpossibleState([[-5.0, 1], [0.0, 0]]).Should().BeNull("m may be negative, and v = 0 is possible");
        new AdamOptimizer<double>().ImpossibleState([[0.0, 0], [0.5, -0.25]]).Should()
            .Be("v (state array 1) holds -0.25 at index 1, but it is an average of squares and never negative");
        new RmsPropOptimizer<double>().ImpossibleState([[0.0, 0.5]]).Should().BeNull();
        new RmsPropOptimizer<double>().ImpossibleState([[-1.0, 0.5]]).Should()
            .Be("v (state array 0) holds -1 at index 0, but it is an average of squares and never negative");
        new RmsPropOptimizer<double>(momentum: 0.5).ImpossibleState([[0.0], [-3.0]]).Should().BeNull("the momentum buffer may be negative");
    }

    [Fact]
    public void ACentredRmsPropMean_IsImpossibleOnlyWhenItsSquareExceedsTheSquareAverage_BeyondRounding()
    {
        // ḡ and v average g and g² with the same weights, so ḡ² ≤ v, with equality when α = 0 (ḡ = g, v = g²) or all
        // gradients were 0; 1e-4 of v is left for rounding. Beyond it the next step would take √ of a negative number.
        var centred = new RmsPropOptimizer<double>(alpha: 0, centered: true);
        centred.ImpossibleState([[0.25, 0, 4], [0.5, 0, -2]]).Should().BeNull("ḡ² = v: one step with α = 0");
        centred.ImpossibleState([[1, 1], [1.00004, -1.00004]]).Should().BeNull("ḡ² = 1.00008 v is rounding");
        centred.ImpossibleState([[1, 1], [0.5, -1.0001]]).Should()
            .Be("ḡ (state array 1) holds -1.0001 at index 1, whose square exceeds v = 1, the average of the squares");
        centred.ImpossibleState([[1, -1], [0.5, 0.5]]).Should().StartWith("v (state array 0) holds -1 at index 1", "v is checked first");

        // One real step with α = 0 leaves exactly ḡ² = v, and the state is accepted.
        var p = new Parameter<double>("w", 2, 1);
        p.Gradients[0] = 0.5;
        p.Gradients[1] = -3;
        centred.Step([p]);
        OptimizerState<double> state = centred.StateOf(p)!;
        centred.ImpossibleState([state.Slot(0).ToArray(), state.Slot(1).ToArray()]).Should().BeNull();
    }

    private static void Refused(Func<object> create, string parameter, string message) =>
        FluentActions.Invoking(create).Should().Throw<ArgumentOutOfRangeException>().WithParameterName(parameter).WithMessage(message + "*");

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
