using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using Xunit;

namespace NeuralNet.Tests.Networks;

/// <summary>
/// Behaviour of <see cref="Network{T}"/> that mutation testing (Stryker.NET) found no test pinning down: each test
/// fails when a line of <c>Network*.cs</c> is changed the way a surviving mutant changed it.
/// </summary>
public sealed class NetworkContractTests
{
    [Fact]
    public void Constructor_LayerListingANullParameter_IsRefusedNamingThePlace()
    {
        FluentActions.Invoking(() => new Network<double>(1, new DenseLayer<double>(2, 2), new NullParameterLayer(2)))
            .Should().Throw<ArgumentException>().WithParameterName("layers").WithMessage("*parameter 2 of the network*");
    }

    [Fact]
    public void ToString_NamesTheElementTypeAndEveryLayerInOrder()
    {
        var network = new Network<float>(1, new DenseLayer<float>(3, 4, new Tanh<float>()), new DropoutLayer<float>(4, 0.25), new DenseLayer<float>(4, 2));

        network.ToString().Should().Be($"Network<Single>[{network.Layers[0]}, {network.Layers[1]}, {network.Layers[2]}]");
        network.ToString().Should().Contain("Dense(3 → 4").And.Contain("Dropout(4, p = 0.25)");
    }

    [Fact]
    public void InputAndOutputSize_AreThoseOfTheFirstAndLastLayer()
    {
        var network = new Network<double>(1, new DenseLayer<double>(3, 5), new DenseLayer<double>(5, 2));

        network.InputSize.Should().Be(3);
        network.OutputSize.Should().Be(2);
        network.Layers.Should().HaveCount(2);
        network.Parameters.Should().HaveCount(4);
    }

    [Fact]
    public void PredictOneSampleIntoASpan_WrongLengths_AreRefusedNamingTheArgument()
    {
        Network<double> network = Small();

        FluentActions.Invoking(() => network.Predict(new double[2], new double[2])).Should().Throw<ArgumentException>().WithParameterName("input").WithMessage("*3 features*received 2*");
        FluentActions.Invoking(() => network.Predict(new double[4], new double[2])).Should().Throw<ArgumentException>().WithParameterName("input");
        FluentActions.Invoking(() => network.Predict(new double[3], new double[1])).Should().Throw<ArgumentException>().WithParameterName("output").WithMessage("*room for 2 outputs*received 1*");
        FluentActions.Invoking(() => network.Predict(new double[3], new double[3])).Should().Throw<ArgumentException>().WithParameterName("output");
        FluentActions.Invoking(() => network.Predict(new[] { 0.0, double.NaN, 0.0 }, new double[2])).Should().Throw<ArgumentException>().WithParameterName("input");
    }

    [Fact]
    public void PredictIntoAMatrix_ThatIsNotDense_IsRefused()
    {
        Network<double> network = Small();

        FluentActions.Invoking(() => network.Predict(Matrix<double>.Build.Dense(2, 3), Matrix<double>.Build.Sparse(2, 2)))
            .Should().Throw<ArgumentException>().WithParameterName("output").WithMessage("*dense*");
    }

    [Fact]
    public void PredictIntoTheStorageOfAnyParameter_IsRefusedNamingTheParameter()
    {
        // The last layer's biases are 2 values: a 1 × 2 output bound to them must be refused, not only the first parameter.
        Network<double> network = Small();
        Matrix<double> bound = Matrix<double>.Build.Dense(1, 2, network.Parameters[3].ValueArray);

        FluentActions.Invoking(() => network.Predict(Matrix<double>.Build.Dense(1, 3), bound))
            .Should().Throw<ArgumentException>().WithParameterName("output").WithMessage("*parameter 3*");
    }

    [Fact]
    public void ForwardIntoACallerMatrix_OfTheWrongShapeOrSharingTheInput_IsRefused()
    {
        Network<double> network = Small();
        Matrix<double> x = Matrix<double>.Build.Dense(2, 3);

        FluentActions.Invoking(() => network.Forward(x, true, Matrix<double>.Build.Dense(2, 3))).Should().Throw<ArgumentException>().WithParameterName("output");
        FluentActions.Invoking(() => network.Forward(x, true, null!)).Should().Throw<ArgumentNullException>().WithParameterName("output");
        FluentActions.Invoking(() => network.Forward(Matrix<double>.Build.Dense(2, 4), true)).Should().Throw<ArgumentException>().WithParameterName("input");
        FluentActions.Invoking(() => network.Forward(Matrix<double>.Build.Dense(2, 4), true, Matrix<double>.Build.Dense(2, 2))).Should().Throw<ArgumentException>().WithParameterName("input");
        Matrix<double> nan = Matrix<double>.Build.Dense(2, 3);
        nan[1, 1] = double.NaN;
        FluentActions.Invoking(() => network.Forward(nan, true, Matrix<double>.Build.Dense(2, 2))).Should().Throw<ArgumentException>().WithParameterName("input");
    }

    [Fact]
    public void Backward_WithSampleWeights_GivesTheGradientsOfTheWeightedRowsAlone()
    {
        // (1/N) Σ w_n ℓ_n with w = (2, 0) over 2 rows is ℓ of row 0: Backward must pass the weights on to the loss.
        Matrix<double> x = RandomMatrices.Uniform<double>(new RandomSource(1), 2, 3);
        Matrix<double> y = RandomMatrices.Uniform<double>(new RandomSource(2), 2, 2);
        Network<double> weighted = Small(), alone = Small();
        var loss = new MeanSquaredError<double>();

        weighted.Forward(x, training: true);
        weighted.Backward(y, loss, Vector<double>.Build.Dense([2.0, 0.0]));
        alone.Forward(x.SubMatrix(0, 1, 0, 3), training: true);
        alone.Backward(y.SubMatrix(0, 1, 0, 2), loss);

        for (int p = 0; p < weighted.Parameters.Count; p++)
        {
            double[] expected = alone.Parameters[p].Gradients.ToArray();
            weighted.Parameters[p].Gradients.ToArray().Select((g, i) => Math.Abs(g - expected[i])).Max().Should().BeLessThan(1e-12);
        }
    }

    [Fact]
    public void Backward_WithATargetOrWeightsOfTheWrongShape_IsRefusedNamingIt()
    {
        Network<double> network = Small();
        network.Forward(Matrix<double>.Build.Dense(2, 3), training: true);
        var loss = new MeanSquaredError<double>();

        FluentActions.Invoking(() => network.Backward(Matrix<double>.Build.Dense(3, 2), loss)).Should().Throw<ArgumentException>().WithParameterName("target");
        FluentActions.Invoking(() => network.Backward(Matrix<double>.Build.Dense(2, 2), loss, Vector<double>.Build.Dense(3, 1.0)))
            .Should().Throw<ArgumentException>().WithParameterName("sampleWeights");
    }

    [Fact]
    public void TrainStep_WithALossThatDoesNotFitTheOutput_IsRefusedNamingTheLoss_EveryTime()
    {
        // A linear output is no probability: cross-entropy is refused, on the first step and on a later one with another instance.
        Network<double> network = Small();
        Matrix<double> x = Matrix<double>.Build.Dense(2, 3, 0.5), t = Matrix<double>.Build.Dense(2, 1);
        var sgd = new SgdOptimizer<double>(0.1);
        network.TrainStep(x, Matrix<double>.Build.Dense(2, 2), new MeanSquaredError<double>(), sgd);

        FluentActions.Invoking(() => network.TrainStep(x, t, new CategoricalCrossEntropy<double>(), sgd)).Should().Throw<ArgumentException>().WithParameterName("loss");
        FluentActions.Invoking(() => network.TrainStep(x, t, new CategoricalCrossEntropy<double>(), sgd)).Should().Throw<ArgumentException>().WithParameterName("loss");
    }

    [Fact]
    public void TrainStep_WhileAnotherCallHoldsTheNetwork_IsRefused_AndTheFlagIsReleasedAfterwards()
    {
        Network<double> network = Small();
        Matrix<double> x = Matrix<double>.Build.Dense(2, 3, 0.5), y = Matrix<double>.Build.Dense(2, 2);
        var loss = new MeanSquaredError<double>();
        var sgd = new SgdOptimizer<double>(0.1);

        using (network.EnterTraining())
        {
            FluentActions.Invoking(() => network.TrainStep(x, y, loss, sgd)).Should().Throw<InvalidOperationException>().WithMessage("*already being trained*");
            FluentActions.Invoking(() => network.Forward(x, true)).Should().Throw<InvalidOperationException>();
        }

        network.TrainStep(x, y, loss, sgd);
        network.TrainStep(x, y, loss, sgd);
        sgd.Iterations.Should().Be(2);
    }

    [Fact]
    public void TrainStep_OnASingleLayerNetwork_StepsItsWeights()
    {
        var network = new Network<double>(3, new DenseLayer<double>(2, 1));
        Matrix<double> x = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2 } });
        Matrix<double> y = Matrix<double>.Build.DenseOfArray(new double[,] { { 1 } });
        double w0 = network.Parameters[0].Values[0], w1 = network.Parameters[0].Values[1];
        double error = (w0 * 1) + (w1 * 2) - 1; // bias 0

        double loss = network.TrainStep(x, y, new MeanSquaredError<double>(), new SgdOptimizer<double>(0.1));

        loss.Should().BeApproximately(error * error, 1e-12);
        network.Parameters[0].Values[0].Should().BeApproximately(w0 - (0.1 * 2 * error * 1), 1e-12);
        network.Parameters[0].Values[1].Should().BeApproximately(w1 - (0.1 * 2 * error * 2), 1e-12);
        network.Parameters[1].Values[0].Should().BeApproximately(-0.1 * 2 * error, 1e-12);
    }

    [Fact]
    public void ParameterCount_UpToIntMaxValue_IsAccepted_AndOneMoreIsRefused()
    {
        // A layer may list one parameter many times: 2147 × 1,000,000 + 483,647 = int.MaxValue values with a few MB of memory.
        var big = new Parameter<float>("big", 1000, 1000);
        var rest = new Parameter<float>("rest", 483_647, 1);
        Parameter<float>[] exactly = [.. Enumerable.Repeat(big, 2147), rest];

        new Network<float>(1, new ListedParametersLayer(exactly)).ParameterCount.Should().Be(int.MaxValue);
        FluentActions.Invoking(() => new Network<float>(1, new ListedParametersLayer([.. exactly, new Parameter<float>("one", 1, 1)])))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("layers").WithMessage("*2147483648*");
    }

    [Fact]
    public void FitsWeightSet_TakesOneArrayPerParameter_OrPerParameterAndStateTensor_EachOfItsLength()
    {
        var network = new Network<double>(1, new DenseLayer<double>(2, 3), new BatchNormalization<double>(3));
        double[][] parameters = network.Parameters.Select(p => new double[p.Length]).ToArray();
        double[][] withState = network.WeightsAndState.Select(p => new double[p.Length]).ToArray();

        network.FitsWeightSet(parameters).Should().BeTrue();
        network.FitsWeightSet(withState).Should().BeTrue();
        network.FitsWeightSet(parameters[..^1]).Should().BeFalse();
        network.FitsWeightSet([.. withState, new double[1]]).Should().BeFalse();
        parameters[1] = new double[4];
        network.FitsWeightSet(parameters).Should().BeFalse();
        withState[^1] = new double[2];
        network.FitsWeightSet(withState).Should().BeFalse();
    }

    [Fact]
    public void Constructor_Refusals_NameWhatIsWrong()
    {
        FluentActions.Invoking(() => new Network<double>((RandomSource)null!, new Careless(2))).Should().Throw<ArgumentNullException>().WithParameterName("random");
        FluentActions.Invoking(() => new Network<double>(1, Array.Empty<Layer<double>>())).Should().Throw<ArgumentException>().WithParameterName("layers").WithMessage("a network needs at least one layer*");
        FluentActions.Invoking(() => new Network<double>(1, new Careless(2), new Careless(2), null!)).Should().Throw<ArgumentException>().WithMessage("layers must not contain null (index 2)*");
        FluentActions.Invoking(() => new Network<double>(1, new Careless(2), new Careless(2), new Careless(3)))
            .Should().Throw<ArgumentException>().WithMessage("layer 2 (Careless(3 → 3)) takes 3 inputs but layer 1 (Careless(2 → 2)) gives 2 outputs*");
    }

    [Fact]
    public void PredictOneSampleAsAVector_OfTheWrongLength_IsRefusedCountingItsFeatures()
    {
        FluentActions.Invoking(() => Small().Predict(Vector<double>.Build.Dense([1.5, 2.5])))
            .Should().Throw<ArgumentException>().WithParameterName("input").WithMessage("input must have 3 features (received 2)*");
    }

    [Fact]
    public void PredictAndForwardIntoACallerMatrix_CheckTheirArgumentsThemselves_NotOnlyThroughTheLayers()
    {
        // A user's layer that checks nothing: every refusal below is the network's own.
        var network = new Network<double>(1, new Careless(3));
        Matrix<double> x = Matrix<double>.Build.Dense(2, 3, 1.0), output = Matrix<double>.Build.Dense(2, 3);

        FluentActions.Invoking(() => network.Predict(null!, output)).Should().Throw<ArgumentNullException>().WithParameterName("input");
        FluentActions.Invoking(() => network.Predict(Matrix<double>.Build.Dense(2, 4), output)).Should().Throw<ArgumentException>().WithParameterName("input").WithMessage("*3 columns*");
        FluentActions.Invoking(() => network.Predict(x, Matrix<double>.Build.Dense(2, 4))).Should().Throw<ArgumentException>().WithParameterName("output").WithMessage("*2×3*");
        FluentActions.Invoking(() => network.Predict(x, Matrix<double>.Build.Sparse(2, 3))).Should().Throw<ArgumentException>().WithParameterName("output").WithMessage("*dense*");
        FluentActions.Invoking(() => network.Predict(x, x)).Should().Throw<ArgumentException>().WithParameterName("output").WithMessage("*storage with input*");
        FluentActions.Invoking(() => network.Forward(null!, true, output)).Should().Throw<ArgumentNullException>().WithParameterName("input");
        FluentActions.Invoking(() => network.Forward(Matrix<double>.Build.Dense(2, 4), true, output)).Should().Throw<ArgumentException>().WithParameterName("input").WithMessage("*3 columns*");
        FluentActions.Invoking(() => network.Forward(x, true, x)).Should().Throw<ArgumentException>().WithParameterName("output").WithMessage("*storage with input*");
    }

    [Fact]
    public void ForwardAndPredictIntoTheStorageOfAParameter_AreRefusedNamingTheNetworksParameter()
    {
        Network<double> network = Small();
        Matrix<double> bound = Matrix<double>.Build.Dense(1, 2, network.Parameters[3].ValueArray);
        Matrix<double> x = Matrix<double>.Build.Dense(1, 3);

        FluentActions.Invoking(() => network.Forward(x, true, bound)).Should().Throw<ArgumentException>().WithParameterName("output").WithMessage("*the network's parameter 3*");
        FluentActions.Invoking(() => network.Predict(x, bound)).Should().Throw<ArgumentException>().WithParameterName("output").WithMessage("*the network's parameter 3*");
    }

    [Fact]
    public void ARegularizationSetAfterTheNetworkWasBuilt_CountsInThePenaltyAndInBackward()
    {
        // Each network is asked one way only: the penalty first, or Backward first (either refreshes the cached settings).
        Network<double> plain = Small(), regularized = Small(), asked = Small();
        regularized.Layers[1].Regularization = new Regularization(l2: 0.5);
        asked.Layers[1].Regularization = new Regularization(l2: 0.5);
        Matrix<double> x = RandomMatrices.Uniform<double>(new RandomSource(1), 2, 3), y = RandomMatrices.Uniform<double>(new RandomSource(2), 2, 2);
        var loss = new MeanSquaredError<double>();
        double[] w = regularized.Parameters[2].Values.ToArray();

        asked.RegularizationPenalty().Should().BeApproximately(0.5 * w.Sum(v => v * v), 1e-12);
        plain.Forward(x, training: true);
        plain.Backward(y, loss);
        regularized.Forward(x, training: true);
        regularized.Backward(y, loss);

        double[] expected = plain.Parameters[2].Gradients.ToArray().Select((g, i) => g + (2 * 0.5 * w[i])).ToArray();
        regularized.Parameters[2].Gradients.ToArray().Select((g, i) => Math.Abs(g - expected[i])).Max().Should().BeLessThan(1e-12);
    }

    [Fact]
    public void TheTrainableList_StaysTheSameInstance_WhenOnlyARegularizationChanges()
    {
        // The optimizer keys its per-list cache on this instance: a new one would rebuild it (and allocate) in the next step.
        Network<double> network = Small();
        IReadOnlyList<Parameter<double>> before = network.TrainableParameters();

        network.Layers[0].Regularization = new Regularization(l1: 0.1);

        network.TrainableParameters().Should().BeSameAs(before);
        network.Parameters[3].Frozen = true;
        network.TrainableParameters().Should().NotBeSameAs(before).And.HaveCount(3);
    }

    [Fact]
    public void Backward_TellsOnlyTheFirstLayerThatNoInputGradientIsNeeded()
    {
        // Layer.Backward documents computeInputGradient false for the first layer of a network: a user's layer may skip the work.
        var x = Matrix<double>.Build.Dense(2, 3, 0.5);
        var sgd = new SgdOptimizer<double>(0.01);

        var alone = new Recording(new DenseLayer<double>(3, 2));
        new Network<double>(1, alone).TrainStep(x, Matrix<double>.Build.Dense(2, 2), new MeanSquaredError<double>(), sgd);
        alone.Flags.Should().Equal(false);

        var fused = new Recording(new DenseLayer<double>(3, 2, new Softmax<double>()));
        new Network<double>(1, fused).TrainStep(x, Matrix<double>.Build.Dense(2, 1), new CategoricalCrossEntropy<double>(), sgd);
        fused.Flags.Should().Equal(false);
        fused.Fused.Should().BeTrue();

        var first = new Recording(new DenseLayer<double>(3, 4));
        var second = new Recording(new DenseLayer<double>(4, 2));
        new Network<double>(1, first, second).TrainStep(x, Matrix<double>.Build.Dense(2, 2), new MeanSquaredError<double>(), sgd);
        first.Flags.Should().Equal(false);
        second.Flags.Should().Equal(true);
    }

    [Fact]
    public void TrainStep_WithSampleWeights_StepsAsTheWeightedRowsAlone()
    {
        // (1/N) Σ w_n ℓ_n with w = (2, 0) over 2 rows is ℓ of row 0: the step must pass the weights on.
        Matrix<double> x = RandomMatrices.Uniform<double>(new RandomSource(1), 2, 3);
        Matrix<double> y = RandomMatrices.Uniform<double>(new RandomSource(2), 2, 2);
        Network<double> weighted = Small(), alone = Small();
        var loss = new MeanSquaredError<double>();

        double weightedLoss = weighted.TrainStep(x, y, loss, new SgdOptimizer<double>(0.1), Vector<double>.Build.Dense([2.0, 0.0]));
        double aloneLoss = alone.TrainStep(x.SubMatrix(0, 1, 0, 3), y.SubMatrix(0, 1, 0, 2), loss, new SgdOptimizer<double>(0.1));

        weightedLoss.Should().BeApproximately(aloneLoss, 1e-12);
        for (int p = 0; p < weighted.Parameters.Count; p++)
        {
            double[] expected = alone.Parameters[p].Values.ToArray();
            weighted.Parameters[p].Values.ToArray().Select((v, i) => Math.Abs(v - expected[i])).Max().Should().BeLessThan(1e-12);
        }
    }

    [Fact]
    public void TrainStep_WithAnInfiniteLoss_SaysSo_AndChangesNothing()
    {
        // 1e20² overflows float: the loss is +∞ before any update (the gradient would overflow the weights too, with another message).
        var network = new Network<float>(1, new DenseLayer<float>(1, 1));
        network.Parameters[0].Values[0] = 1f;
        var x = Matrix<float>.Build.Dense(1, 1, 1e20f);

        FluentActions.Invoking(() => network.TrainStep(x, Matrix<float>.Build.Dense(1, 1), new MeanSquaredError<float>(), new SgdOptimizer<float>(0.1)))
            .Should().Throw<NeuralNet.Training.TrainingDivergedException>().WithMessage("training diverged: the loss is *. The network keeps its weights*");
        network.Parameters[0].Values[0].Should().Be(1f);
    }

    [Fact]
    public void TrainStep_WhoseUpdateOverflows_PutsBackTheRunningStatisticsToo()
    {
        var network = new Network<double>(2, new DenseLayer<double>(3, 4), new BatchNormalization<double>(4), new DenseLayer<double>(4, 1));
        Matrix<double> x = RandomMatrices.Uniform<double>(new RandomSource(3), 5, 3);
        double[][] state = network.WeightsAndState.Select(p => p.Values.ToArray()).ToArray();

        FluentActions.Invoking(() => network.TrainStep(x, Matrix<double>.Build.Dense(5, 1, 1e100), new MeanSquaredError<double>(), new SgdOptimizer<double>(1e300)))
            .Should().Throw<NeuralNet.Training.TrainingDivergedException>().WithMessage("*the optimizer step made a weight NaN or infinite*");
        network.WeightsAndState.Select(p => p.Values.ToArray()).Should().BeEquivalentTo(state, o => o.WithStrictOrdering());
    }

    [Fact]
    public void GradientCheck_OfANonFiniteInput_IsRefusedNamingIt()
    {
        Matrix<double> x = Matrix<double>.Build.Dense(2, 3);
        x[1, 2] = double.NaN;

        FluentActions.Invoking(() => GradientChecker.CheckNetwork(Small(), x, Matrix<double>.Build.Dense(2, 2), new MeanSquaredError<double>()))
            .Should().Throw<ArgumentException>().WithParameterName("input").WithMessage("*finite*");
    }

    private static Network<double> Small() => new(1, new DenseLayer<double>(3, 4, new Tanh<double>()), new DenseLayer<double>(4, 2));

    /// <summary>A user's layer without parameters that checks nothing and writes nothing: what the network must check itself.</summary>
    private sealed class Careless(int size) : Layer<double>
    {
        public override int InputSize => size;

        public override int OutputSize => size;

        public override Matrix<double> Forward(Matrix<double> input, bool training) => Matrix<double>.Build.Dense(input.RowCount, size);

        public override Matrix<double>? Backward(Matrix<double> outputGradient, bool computeInputGradient = true) => outputGradient;

        public override void Predict(Matrix<double> input, Matrix<double> output)
        {
        }

        protected override void Initialize(RandomSource random)
        {
        }
    }

    /// <summary>A user's layer around a dense layer that records the computeInputGradient flag of every backward pass.</summary>
    private sealed class Recording(DenseLayer<double> inner) : Layer<double>
    {
        public List<bool> Flags { get; } = [];

        public bool Fused { get; private set; }

        public override int InputSize => inner.InputSize;

        public override int OutputSize => inner.OutputSize;

        public override IReadOnlyList<Parameter<double>> Parameters => inner.Parameters;

        public override NeuralNet.Activations.ActivationFunction<double>? OutputActivation => inner.OutputActivation;

        public override Matrix<double> Forward(Matrix<double> input, bool training) => inner.Forward(input, training);

        public override Matrix<double>? Backward(Matrix<double> outputGradient, bool computeInputGradient = true)
        {
            Flags.Add(computeInputGradient);
            return inner.Backward(outputGradient, computeInputGradient);
        }

        public override Matrix<double>? BackwardFromActivationInput(Matrix<double> activationInputGradient, bool computeInputGradient = true)
        {
            Flags.Add(computeInputGradient);
            Fused = true;
            return inner.BackwardFromActivationInput(activationInputGradient, computeInputGradient);
        }

        public override void Predict(Matrix<double> input, Matrix<double> output) => inner.Predict(input, output);

        protected override void Initialize(RandomSource random) => inner.InitializeFor(random);
    }

    /// <summary>A user's layer whose parameter list holds a null.</summary>
    private sealed class NullParameterLayer(int size) : Layer<double>
    {
        public override int InputSize => size;

        public override int OutputSize => size;

        public override IReadOnlyList<Parameter<double>> Parameters => [null!];

        public override Matrix<double> Forward(Matrix<double> input, bool training) => input;

        public override Matrix<double>? Backward(Matrix<double> outputGradient, bool computeInputGradient = true) => outputGradient;

        public override void Predict(Matrix<double> input, Matrix<double> output) => input.CopyTo(output);
    }

    /// <summary>A user's layer that lists the parameters it is given (the same one may appear many times).</summary>
    private sealed class ListedParametersLayer(Parameter<float>[] parameters) : Layer<float>
    {
        public override int InputSize => 1;

        public override int OutputSize => 1;

        public override IReadOnlyList<Parameter<float>> Parameters => parameters;

        public override Matrix<float> Forward(Matrix<float> input, bool training) => input;

        public override Matrix<float>? Backward(Matrix<float> outputGradient, bool computeInputGradient = true) => outputGradient;

        public override void Predict(Matrix<float> input, Matrix<float> output) => input.CopyTo(output);
    }
}
