using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;
using Xunit;

namespace NeuralNet.Tests.Hardening;

/// <summary>
/// Behaviour no earlier test pinned down, found by mutation testing (Stryker.NET): each test fails when the
/// line it names is changed the way the surviving mutant changed it.
/// </summary>
public sealed class BehaviourTests
{
    [Fact]
    public void TrainStep_WithSampleWeights_StepsAsOnTheWeightedRowsAlone()
    {
        // (1/N) Σ w_n ℓ_n with w = (2, 0) over 2 rows is ℓ_1: the step of row 1 alone. Dropping the weights would not be.
        Matrix<double> x = RandomMatrices.Uniform<double>(new RandomSource(1), 2, 3);
        Matrix<double> y = RandomMatrices.Uniform<double>(new RandomSource(2), 2, 2);
        Network<double> weighted = Regression(), alone = Regression();

        weighted.TrainStep(x, y, new MeanSquaredError<double>(), new SgdOptimizer<double>(0.1), Vector<double>.Build.Dense([2.0, 0.0]));
        alone.TrainStep(x.SubMatrix(0, 1, 0, 3), y.SubMatrix(0, 1, 0, 2), new MeanSquaredError<double>(), new SgdOptimizer<double>(0.1));

        for (int p = 0; p < weighted.Parameters.Count; p++)
        {
            weighted.Parameters[p].Values.ToArray().Should().BeEquivalentTo(alone.Parameters[p].Values.ToArray(), o => o.Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-12)).WhenTypeIs<double>());
        }
    }

    [Fact]
    public void TrainStep_RunsDropoutInTrainingMode()
    {
        // A network whose dropout drops: the step's loss is that of a masked forward pass, not of the prediction.
        var network = new Network<double>(3, new DenseLayer<double>(4, 16, new Tanh<double>()), new DropoutLayer<double>(16, 0.5), new DenseLayer<double>(16, 1));
        Matrix<double> x = RandomMatrices.Uniform<double>(new RandomSource(4), 8, 4);
        Matrix<double> y = Matrix<double>.Build.Dense(8, 1, 0.5);
        double evaluation = new MeanSquaredError<double>().Loss(network.Predict(x), y);

        double step = network.TrainStep(x, y, new MeanSquaredError<double>(), new SgdOptimizer<double>(1e-9));

        step.Should().NotBe(evaluation);
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    [InlineData("rmsprop")]
    public void Optimizer_Reset_ForgetsEveryMomentAndTheStepCount(string kind)
    {
        Matrix<double> x = RandomMatrices.Uniform<double>(new RandomSource(5), 4, 3);
        Matrix<double> y = RandomMatrices.Uniform<double>(new RandomSource(6), 4, 2);
        Network<double> used = Regression(), fresh = Regression();
        Optimizer<double> reset = Create(kind);
        for (int i = 0; i < 3; i++)
        {
            used.TrainStep(x, y, new MeanSquaredError<double>(), reset);
        }

        reset.Reset();
        reset.Iterations.Should().Be(0);
        for (int p = 0; p < used.Parameters.Count; p++)
        {
            used.Parameters[p].Values.CopyTo(fresh.Parameters[p].Values);
        }

        used.TrainStep(x, y, new MeanSquaredError<double>(), reset);
        fresh.TrainStep(x, y, new MeanSquaredError<double>(), Create(kind));

        for (int p = 0; p < used.Parameters.Count; p++)
        {
            used.Parameters[p].Values.ToArray().Should().Equal(fresh.Parameters[p].Values.ToArray(), $"after Reset, {kind} steps like a new optimizer");
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BinaryCrossEntropy_FusedGradientOnlyForASigmoidOutputOnProbabilities(bool fromLogits)
    {
        // fromLogits with a sigmoid output, and probabilities from a non-sigmoid output: neither may take the fused (p − t)/N.
        ActivationFunction<double> output = fromLogits ? new Sigmoid<double>() : new Custom();
        var network = new Network<double>(7, new DenseLayer<double>(3, 2, new Tanh<double>()), new DenseLayer<double>(2, 1, output));
        Matrix<double> x = RandomMatrices.Uniform<double>(new RandomSource(8), 4, 3);
        Matrix<double> t = Matrix<double>.Build.Dense(4, 1, (r, _) => r % 2);

        GradientChecker.CheckNetwork(network, x, t, new BinaryCrossEntropy<double>(fromLogits)).MaxRelativeError.Should().BeLessThan(1e-6);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(2.0)]
    public void Huber_AwayFromOne_IsLinearBeyondDeltaWithSlopeDelta(double delta)
    {
        var huber = new Huber<double>(delta);
        Matrix<double> prediction = Matrix<double>.Build.DenseOfArray(new double[,] { { 3.0, -0.25 } });
        Matrix<double> target = Matrix<double>.Build.Dense(1, 2);

        // mean of δ(|3| − δ/2) and ½·0.25² over the 2 elements; gradients δ·sign(3)/2 and −0.25/2.
        huber.Loss(prediction, target).Should().BeApproximately(((delta * (3 - (delta / 2))) + (0.5 * 0.0625)) / 2, 1e-12);
        huber.Gradient(prediction, target).Row(0).ToArray().Should().Equal(delta / 2, -0.125);
        GradientChecker.CheckLoss(huber, prediction, target).MaxRelativeError.Should().BeLessThan(1e-6);
    }

    [Fact]
    public void ReLU_DerivativeAtZero_IsZero()
    {
        new ReLU<double>().Derivative(0, 0).Should().Be(0);
        new ReLU<double>().Derivative(-1, 0).Should().Be(0);
        new ReLU<double>().Derivative(1e-300, 1e-300).Should().Be(1);
    }

    [Fact]
    public void PredictVector_IsTheRowOfPredictMatrix_AndParameterCountCountsEveryValue()
    {
        Network<double> network = Regression();
        Vector<double> sample = Vector<double>.Build.Dense([0.1, -0.2, 0.3]);

        network.Predict(sample).ToArray().Should().Equal(network.Predict(sample.ToRowMatrix()).Row(0).ToArray());
        network.ParameterCount.Should().Be((3 * 4) + 4 + (4 * 2) + 2);
        FluentActions.Invoking(() => network.Predict(Vector<double>.Build.Dense(2))).Should().Throw<ArgumentException>().WithParameterName("input");
        FluentActions.Invoking(() => network.Predict((Vector<double>)null!)).Should().Throw<ArgumentNullException>();
    }

    [Theory]
    [InlineData(TrainingMetric.ValidationAccuracy)]
    [InlineData(TrainingMetric.ValidationLoss)]
    public void EarlyStopping_KeepsTheBestEpochOfTheMonitor_HigherOrLowerIsBetter(TrainingMetric monitor)
    {
        var network = new Network<double>(2, new DenseLayer<double>(2, 8, new Tanh<double>()), new DenseLayer<double>(8, 2, new Softmax<double>()));
        Matrix<double> x = RandomMatrices.Uniform<double>(new RandomSource(9), 40, 2);
        Matrix<double> y = Matrix<double>.Build.Dense(40, 1, (r, _) => x[r, 0] * x[r, 1] > 0 ? 1 : 0);
        var trainer = new Trainer<double>(network, new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.5),
            new TrainingOptions { Epochs = 15, BatchSize = 8, EarlyStopping = new EarlyStopping { Monitor = monitor, Patience = 100 } });

        TrainingHistory history = trainer.Fit(x, y, x.SubMatrix(0, 20, 0, 2), y.SubMatrix(0, 20, 0, 1));

        double?[] values = history.Epochs.Select(e => monitor == TrainingMetric.ValidationAccuracy ? e.ValidationAccuracy : e.ValidationLoss).ToArray();
        double best = monitor == TrainingMetric.ValidationAccuracy ? values.Max()!.Value : values.Min()!.Value;
        EpochRecord bestRecord = history.Epochs.Single(e => e.Epoch == history.BestEpoch);
        (monitor == TrainingMetric.ValidationAccuracy ? bestRecord.ValidationAccuracy : bestRecord.ValidationLoss).Should().Be(best);
        values.Distinct().Count().Should().BeGreaterThan(1, "the test needs epochs that differ");
    }

    [Fact]
    public void ArgumentChecks_OfNetworkDropoutAndLoss_NameTheArgument()
    {
        Network<double> network = Regression();
        var loss = new MeanSquaredError<double>();
        Matrix<double> x = Matrix<double>.Build.Dense(2, 3), y = Matrix<double>.Build.Dense(2, 2);

        FluentActions.Invoking(() => network.Predict((Matrix<double>)null!)).Should().Throw<ArgumentNullException>().WithParameterName("input");
        FluentActions.Invoking(() => network.Predict(x, null!)).Should().Throw<ArgumentNullException>().WithParameterName("output");
        FluentActions.Invoking(() => network.Forward(null!, training: true)).Should().Throw<ArgumentNullException>().WithParameterName("input");
        FluentActions.Invoking(() => network.Backward(null!, loss)).Should().Throw<ArgumentNullException>().WithParameterName("target");
        FluentActions.Invoking(() => network.Backward(y, null!)).Should().Throw<ArgumentNullException>().WithParameterName("loss");
        FluentActions.Invoking(() => network.TrainStep(null!, y, loss, new SgdOptimizer<double>(0.1))).Should().Throw<ArgumentNullException>().WithParameterName("input");
        FluentActions.Invoking(() => network.TrainStep(x, null!, loss, new SgdOptimizer<double>(0.1))).Should().Throw<ArgumentNullException>().WithParameterName("target");
        FluentActions.Invoking(() => network.TrainStep(x, y, null!, new SgdOptimizer<double>(0.1))).Should().Throw<ArgumentNullException>().WithParameterName("loss");
        FluentActions.Invoking(() => network.TrainStep(x, y, loss, null!)).Should().Throw<ArgumentNullException>().WithParameterName("optimizer");
        FluentActions.Invoking(() => new Network<double>(null!, new DenseLayer<double>(1, 1))).Should().Throw<ArgumentNullException>().WithParameterName("random");
        FluentActions.Invoking(() => new Network<double>(1, (Layer<double>[])null!)).Should().Throw<ArgumentNullException>().WithParameterName("layers");
        FluentActions.Invoking(() => new Network<double>(1, new DenseLayer<double>(1, 1), null!)).Should().Throw<ArgumentException>().WithParameterName("layers");

        FluentActions.Invoking(() => new DropoutLayer<double>(0, 0.5)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("size");
        FluentActions.Invoking(() => new DropoutLayer<double>(2, 1.0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("rate");
        FluentActions.Invoking(() => new DropoutLayer<double>(2, -0.1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("rate");
        FluentActions.Invoking(() => new DropoutLayer<double>(2, double.NaN)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("rate");
        var dropout = new DropoutLayer<double>(3, 0.5);
        FluentActions.Invoking(() => dropout.Forward(null!, true)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => dropout.Forward(Matrix<double>.Build.Dense(2, 2), true)).Should().Throw<ArgumentException>().WithParameterName("input");
        FluentActions.Invoking(() => dropout.Predict(x, Matrix<double>.Build.Dense(2, 2))).Should().Throw<ArgumentException>().WithParameterName("output");
        FluentActions.Invoking(() => dropout.Backward(null!)).Should().Throw<ArgumentNullException>();

        FluentActions.Invoking(() => loss.Gradient(null!, y)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => loss.Gradient(y, null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => loss.Gradient(y, Matrix<double>.Build.Dense(2, 3))).Should().Throw<ArgumentException>().WithParameterName("target");
        FluentActions.Invoking(() => loss.Gradient(y, y, Vector<double>.Build.Dense(3, 1))).Should().Throw<ArgumentException>().WithParameterName("sampleWeights");
        FluentActions.Invoking(() => loss.Gradient(y, y, Vector<double>.Build.Dense([1, -1]))).Should().Throw<ArgumentException>().WithParameterName("sampleWeights");
    }

    private static Network<double> Regression() =>
        new(11, new DenseLayer<double>(3, 4, new Tanh<double>()), new DenseLayer<double>(4, 2));

    private static Optimizer<double> Create(string kind) => kind switch
    {
        "sgd" => new SgdOptimizer<double>(0.1, momentum: 0.9),
        "adam" => new AdamOptimizer<double>(0.01),
        _ => new RmsPropOptimizer<double>(0.01, momentum: 0.5, centered: true),
    };

    /// <summary>A sigmoid written by a user: not the built-in, so BCE on its probabilities takes the general path.</summary>
    private sealed class Custom : ElementwiseActivationFunction<double>
    {
        public override string Name => "my_sigmoid";

        public override double Value(double z) => 1 / (1 + Math.Exp(-z));

        public override double Derivative(double z, double a) => a * (1 - a);
    }
}
