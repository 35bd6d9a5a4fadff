using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using Xunit;

namespace NeuralNet.Tests.Losses;

/// <summary>
/// What the losses promise beyond a gradient that matches their value: their names, the edge cases their docs state,
/// targets that are soft or unnormalised, sample weights through the fused output gradients, and the refusals at
/// their public boundary (each naming the argument, what was expected and what was received).
/// </summary>
public sealed class LossContractTests
{
    [Fact]
    public void Names_AreTheShortNamesReportsUse()
    {
        new MeanSquaredError<double>().Name.Should().Be("mse");
        new MeanAbsoluteError<double>().Name.Should().Be("mae");
        new Huber<double>().Name.Should().Be("huber");
        new BinaryCrossEntropy<double>().Name.Should().Be("binary_cross_entropy");
        new BinaryCrossEntropy<double>(fromLogits: true).Name.Should().Be("binary_cross_entropy_logits");
        new CategoricalCrossEntropy<double>().Name.Should().Be("categorical_cross_entropy");
        new CategoricalCrossEntropy<double>(fromLogits: true).Name.Should().Be("categorical_cross_entropy_logits");
        new Huber<double>().Delta.Should().Be(1.0, "the default δ is 1");
    }

    [Fact]
    public void MeanSquaredError_AnswersAsTheBaseLoss_TargetShapeAndValues_NoFusedGradient_AnyOutput()
    {
        // MeanSquaredError repeats the base class's answers (so that precompiled code holds them); they must stay the base's.
        var mse = new MeanSquaredError<double>();
        mse.AcceptsTargetColumns(3, 3).Should().BeTrue();
        mse.AcceptsTargetColumns(3, 1).Should().BeFalse("a class-index column is cross-entropy's, not MSE's");
        mse.AcceptsTargetColumns(1, 2).Should().BeFalse();
        FluentActions.Invoking(() => mse.ValidateTargetValues([-5.0, 1e300], 2, 1, 1, "target")).Should().NotThrow("any finite target is a regression target");
        mse.OutputMismatch(new DenseLayer<double>(2, 3, new Softmax<double>())).Should().BeNull();
        double[] gradient = [7, 7];
        mse.TryFusedGradient(new Sigmoid<double>(), [0.5, 0.25], [1.0, 0.0], default, gradient, 2, 1).Should().BeFalse();
        gradient.Should().Equal([7.0, 7.0], "nothing is written when there is no fused gradient");
    }

    [Fact]
    public void MeanAbsoluteError_GradientIsZeroWherePredictionEqualsTarget_ElseTheSign()
    {
        var p = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2, -3 } });
        var t = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 1, -1 } });

        new MeanAbsoluteError<double>().Gradient(p, t).Row(0).ToArray().Should().Equal(0, 1.0 / 3, -1.0 / 3);
        new MeanAbsoluteError<double>().Loss(p, t).Should().Be(1.0);
    }

    [Fact]
    public void CategoricalCrossEntropy_FromLogits_WithTargetRowsThatDoNotSumToOne_MatchesFiniteDifferences()
    {
        // ∂L/∂z = softmax(z)·Σt − t: with rows of targets summing to 1 the Σt factor could be anything that is 1 there.
        Matrix<double> logits = RandomMatrices.Uniform<double>(new RandomSource(21), 3, 4, -2, 2);
        var target = Matrix<double>.Build.DenseOfArray(new double[,] { { 0.5, 0.2, 0, 0 }, { 0, 0, 0.3, 0 }, { 1, 1, 0, 0.5 } });
        var weights = Vector<double>.Build.DenseOfArray([0.5, 2, 1]);
        var loss = new CategoricalCrossEntropy<double>(fromLogits: true);

        GradientChecker.CheckLoss(loss, logits, target).MaxRelativeError.Should().BeLessThan(1e-6);
        GradientChecker.CheckLoss(loss, logits, target, weights).MaxRelativeError.Should().BeLessThan(1e-6);
    }

    [Fact]
    public void CategoricalCrossEntropy_FusedSoftmaxGradient_WithUnnormalisedTargetsAndSampleWeights_IsTheLossGradient()
    {
        var network = new Network<double>(3, new DenseLayer<double>(3, 4, new Tanh<double>()), new DenseLayer<double>(4, 3, new Softmax<double>()));
        Matrix<double> x = RandomMatrices.Uniform<double>(new RandomSource(22), 3, 3);
        var target = Matrix<double>.Build.DenseOfArray(new double[,] { { 0.5, 0.2, 0 }, { 0, 0, 0.3 }, { 1, 1, 0.5 } });
        var weights = Vector<double>.Build.DenseOfArray([0.5, 2, 1]);

        WeightedNetworkCheck(network, x, target, new CategoricalCrossEntropy<double>(), weights).Should().BeLessThan(1e-6);
        WeightedNetworkCheck(network, x, Matrix<double>.Build.DenseOfArray(new double[,] { { 2 }, { 0 }, { 1 } }), new CategoricalCrossEntropy<double>(), weights)
            .Should().BeLessThan(1e-6, "class-index targets take the fused path too");
    }

    [Fact]
    public void BinaryCrossEntropy_FusedSigmoidGradient_WithSampleWeights_IsTheLossGradient()
    {
        var network = new Network<double>(4, new DenseLayer<double>(3, 4, new Tanh<double>()), new DenseLayer<double>(4, 2, new Sigmoid<double>()));
        Matrix<double> x = RandomMatrices.Uniform<double>(new RandomSource(23), 3, 3);
        var target = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 0.25 }, { 0, 1 }, { 0.5, 0 } });
        var weights = Vector<double>.Build.DenseOfArray([0.5, 2, 1]);

        WeightedNetworkCheck(network, x, target, new BinaryCrossEntropy<double>(), weights).Should().BeLessThan(1e-6);
    }

    [Fact]
    public void CategoricalCrossEntropy_WithOneOutput_TakesAOneColumnTargetAsAProbability_NotAClassIndex()
    {
        var p = Matrix<double>.Build.Dense(2, 1, 0.5);
        var t = Matrix<double>.Build.Dense(2, 1, 1.0);

        new CategoricalCrossEntropy<double>().Loss(p, t).Should().BeApproximately(Math.Log(2), 1e-15);
        new CategoricalCrossEntropy<double>().Gradient(p, t).ToColumnMajorArray().Should().Equal(-1.0, -1.0); // −t/(p·N)
    }

    [Fact]
    public void WrongTargetShapes_AreRefusedNamingTheShapesAccepted()
    {
        var p = Matrix<double>.Build.Dense(3, 2, 0.5);
        var one = Matrix<double>.Build.Dense(3, 1, 0.5);

        FluentActions.Invoking(() => new MeanSquaredError<double>().Loss(p, Matrix<double>.Build.Dense(2, 2)))
            .Should().Throw<ArgumentException>().WithParameterName("target").WithMessage("mse expects a target of shape 3×2, one row per sample (received 2×2).*");
        FluentActions.Invoking(() => new CategoricalCrossEntropy<double>().Gradient(p, Matrix<double>.Build.Dense(4, 1)))
            .Should().Throw<ArgumentException>().WithParameterName("target").WithMessage("categorical_cross_entropy expects a target of shape 3×2 or 3×1 (class indices), one row per sample (received 4×1).*");
        FluentActions.Invoking(() => new CategoricalCrossEntropy<double>().Loss(one, Matrix<double>.Build.Dense(3, 2)))
            .Should().Throw<ArgumentException>().WithParameterName("target").WithMessage("categorical_cross_entropy expects a target of shape 3×1, one row per sample (received 3×2).*");
        FluentActions.Invoking(() => new MeanSquaredError<double>().Loss(p, Matrix<double>.Build.Dense(3, 1)))
            .Should().Throw<ArgumentException>().WithParameterName("target").WithMessage("mse expects a target of shape 3×2,*");
    }

    [Fact]
    public void BadValues_AreRefusedWithWhatWasReceived()
    {
        var p = Matrix<double>.Build.Dense(2, 3, 0.5);
        var t = Matrix<double>.Build.Dense(2, 3, 0.5);
        var mse = new MeanSquaredError<double>();

        var nan = p.Clone();
        nan[1, 2] = double.NaN;
        FluentActions.Invoking(() => mse.Loss(nan, t)).Should().Throw<ArgumentException>().WithParameterName("prediction");
        FluentActions.Invoking(() => mse.Gradient(nan, t)).Should().Throw<ArgumentException>().WithParameterName("prediction");
        FluentActions.Invoking(() => mse.Loss(null!, t)).Should().Throw<ArgumentNullException>().WithParameterName("prediction");
        FluentActions.Invoking(() => mse.Loss(p, null!)).Should().Throw<ArgumentNullException>().WithParameterName("target");
        FluentActions.Invoking(() => mse.Loss(p, t, Vector<double>.Build.DenseOfArray([1, double.PositiveInfinity])))
            .Should().Throw<ArgumentException>().WithParameterName("sampleWeights").WithMessage($"sample weights must be finite and ≥ 0 (received {double.PositiveInfinity}).*");
        FluentActions.Invoking(() => mse.Loss(p, t, Vector<double>.Build.DenseOfArray([double.NaN, 1])))
            .Should().Throw<ArgumentException>().WithParameterName("sampleWeights").WithMessage("*finite*NaN*");
        FluentActions.Invoking(() => mse.Gradient(p, t, Vector<double>.Build.DenseOfArray([1, 1, 1])))
            .Should().Throw<ArgumentException>().WithParameterName("sampleWeights").WithMessage("sample weights must have one value per sample: 2 (received 3).*");
        mse.Loss(p, t, Vector<double>.Build.DenseOfArray([0, 0])).Should().Be(0, "a weight of 0 is allowed");

        FluentActions.Invoking(() => new BinaryCrossEntropy<double>().Loss(p, Matrix<double>.Build.Dense(2, 3, -0.5)))
            .Should().Throw<ArgumentException>().WithParameterName("target").WithMessage("binary_cross_entropy expects targets in [0, 1] (received -0.5).*");
        FluentActions.Invoking(() => new CategoricalCrossEntropy<double>().Loss(p, Matrix<double>.Build.Dense(2, 3, 1.25)))
            .Should().Throw<ArgumentException>().WithParameterName("target").WithMessage("categorical_cross_entropy expects one-hot or probability targets in [0, 1] (received 1.25).*");
        FluentActions.Invoking(() => new CategoricalCrossEntropy<double>().Loss(p, Matrix<double>.Build.Dense(2, 3, -0.25)))
            .Should().Throw<ArgumentException>().WithParameterName("target").WithMessage("*received -0.25*");
        FluentActions.Invoking(() => new CategoricalCrossEntropy<double>().Loss(p, Matrix<double>.Build.Dense(2, 1, 3)))
            .Should().Throw<ArgumentException>().WithParameterName("target").WithMessage("class-index targets must be whole numbers in [0, 2] (received 3).*");
        FluentActions.Invoking(() => new CategoricalCrossEntropy<double>().Loss(p, Matrix<double>.Build.Dense(2, 1, -1)))
            .Should().Throw<ArgumentException>().WithParameterName("target").WithMessage("*received -1*");
        new CategoricalCrossEntropy<double>().Loss(p, Matrix<double>.Build.Dense(2, 1, 2)).Should().BeApproximately(-Math.Log(0.5), 1e-15, "the last class, 2, is a valid index");
        new BinaryCrossEntropy<double>().Loss(p, Matrix<double>.Build.Dense(2, 3, 1)).Should().BeApproximately(-Math.Log(0.5), 1e-15, "targets of exactly 0 and 1 are valid");
        new BinaryCrossEntropy<double>().Loss(p, Matrix<double>.Build.Dense(2, 3, 0)).Should().BeApproximately(-Math.Log(0.5), 1e-15);
    }

    [Fact]
    public void BinaryCrossEntropy_AfterASaturatedSigmoid_StillGivesTheFullGradient()
    {
        // σ(40) rounds to 1 in double: through σ'(z) = p(1 − p) = 0 the general path loses the gradient, the fused (p − t)/N keeps it.
        var network = new Network<double>(1, new DenseLayer<double>(1, 1, new Sigmoid<double>()));
        network.Parameters[0].Values[0] = 0;
        network.Parameters[1].Values[0] = 40;
        var x = Matrix<double>.Build.Dense(2, 1, 1.0);
        var t = Matrix<double>.Build.Dense(2, 1, 0.0);

        network.Forward(x, training: false);
        network.Backward(t, new BinaryCrossEntropy<double>());

        network.Parameters[1].Gradients[0].Should().Be(1.0, "∂L/∂b = Σ(p − t)/N = (1 + 1)/2");
    }

    [Fact]
    public void CategoricalCrossEntropy_FusedGradientOnlyForASoftmaxOutputOnProbabilities()
    {
        // On a sigmoid output (probabilities, but no softmax), and from logits on a softmax output: the general path.
        Matrix<double> x = RandomMatrices.Uniform<double>(new RandomSource(24), 4, 3);
        var t = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 }, { 0.5, 0, 0.5 } });
        var sigmoid = new Network<double>(5, new DenseLayer<double>(3, 4, new Tanh<double>()), new DenseLayer<double>(4, 3, new Sigmoid<double>()));
        var softmax = new Network<double>(6, new DenseLayer<double>(3, 4, new Tanh<double>()), new DenseLayer<double>(4, 3, new Softmax<double>()));

        GradientChecker.CheckNetwork(sigmoid, x, t, new CategoricalCrossEntropy<double>()).MaxRelativeError.Should().BeLessThan(1e-6);
        GradientChecker.CheckNetwork(softmax, x, t, new CategoricalCrossEntropy<double>(fromLogits: true)).MaxRelativeError.Should().BeLessThan(1e-6);
    }

    [Fact]
    public void OutputChecks_AndEmptyBatches_AreRefusedNamingTheArgument()
    {
        FluentActions.Invoking(() => new BinaryCrossEntropy<double>().OutputMismatch(null!)).Should().Throw<ArgumentNullException>().WithParameterName("outputLayer");
        FluentActions.Invoking(() => new CategoricalCrossEntropy<double>().OutputMismatch(null!)).Should().Throw<ArgumentNullException>().WithParameterName("outputLayer");
        FluentActions.Invoking(() => new MeanSquaredError<double>().Loss(Matrix<double>.Build.Dense(0, 2), Matrix<double>.Build.Dense(0, 2)))
            .Should().Throw<ArgumentException>().WithParameterName("prediction").WithMessage("prediction must have at least one row and one column (received 0×2).*");
        FluentActions.Invoking(() => new Huber<double>(0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("delta")
            .WithMessage("delta must be a number > 0, finite and not 0 as Double (received 0).*");
    }

    /// <summary>
    /// The largest relative error between the network's parameter gradients after a weighted <see cref="Network{T}.Backward"/>
    /// and central differences of the weighted loss (GradientChecker.CheckNetwork takes no sample weights).
    /// </summary>
    private static double WeightedNetworkCheck(Network<double> network, Matrix<double> x, Matrix<double> target, LossFunction<double> loss, Vector<double> weights)
    {
        const double Epsilon = 1e-6;
        network.Forward(x, training: false);
        network.Backward(target, loss, weights);
        double worst = 0;
        foreach (Parameter<double> p in network.Parameters)
        {
            double[] analytic = p.Gradients.ToArray();
            for (int i = 0; i < p.Length; i++)
            {
                double saved = p.Values[i];
                p.Values[i] = saved + Epsilon;
                double plus = loss.Loss(network.Forward(x, training: false), target, weights);
                p.Values[i] = saved - Epsilon;
                double minus = loss.Loss(network.Forward(x, training: false), target, weights);
                p.Values[i] = saved;
                double numeric = (plus - minus) / (2 * Epsilon);
                worst = Math.Max(worst, Math.Abs(numeric - analytic[i]) / Math.Max(1e-8, Math.Abs(numeric) + Math.Abs(analytic[i])));
            }
        }

        return worst;
    }
}
