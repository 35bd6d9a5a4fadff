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

    private static Network<double> Small() => new(1, new DenseLayer<double>(3, 4, new Tanh<double>()), new DenseLayer<double>(4, 2));

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
