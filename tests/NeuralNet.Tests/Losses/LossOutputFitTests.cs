using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;
using Xunit;

namespace NeuralNet.Tests.Losses;

/// <summary>A loss that cannot work on the network's output is refused before training, with a message naming the layer, the loss and the fix.</summary>
public sealed class LossOutputFitTests
{
    [Theory]
    [InlineData("identity")]
    [InlineData("relu")]
    public void CategoricalCrossEntropy_OnAnOutputThatIsNotAProbability_IsRefusedBeforeTraining(string activation)
    {
        (Matrix<double> x, Matrix<double> y) = Training.ToyProblems.Blobs(12, 1);
        ActivationFunction<double> f = activation == "relu" ? new ReLU<double>() : new Identity<double>();
        var network = new Network<double>(1, new DenseLayer<double>(2, 4, new Tanh<double>()), new DenseLayer<double>(4, 3, f));
        double[] before = Training.ToyProblems.Weights(network);
        var loss = new CategoricalCrossEntropy<double>();

        Action step = () => network.TrainStep(x, y, loss, new SgdOptimizer<double>(0.1));
        Action fit = () => new Trainer<double>(network, loss, new SgdOptimizer<double>(0.1)).Fit(x, y);

        foreach (Action train in new[] { step, fit })
        {
            train.Should().Throw<ArgumentException>()
                .WithMessage($"*categorical_cross_entropy*Dense(4 → 3, {activation})*fromLogits: true*Softmax*");
        }

        Training.ToyProblems.Weights(network).Should().Equal(before);
        network.TrainStep(x, y, new CategoricalCrossEntropy<double>(fromLogits: true), new SgdOptimizer<double>(0.1)); // the fix named works
    }

    [Fact]
    public void BinaryCrossEntropy_OnAOneUnitSoftmax_IsRefused_ItCouldNeverLearn()
    {
        var network = new Network<double>(1, new DenseLayer<double>(2, 1, new Softmax<double>()));
        var x = Matrix<double>.Build.Dense(4, 2, 0.5);
        var y = Matrix<double>.Build.Dense(4, 1, (i, _) => i % 2);

        Action step = () => network.TrainStep(x, y, new BinaryCrossEntropy<double>(), new SgdOptimizer<double>(0.1));

        step.Should().Throw<ArgumentException>().WithMessage("*binary_cross_entropy*Dense(2 → 1, softmax)*one unit always outputs 1*Sigmoid*");
    }

    [Fact]
    public void BinaryCrossEntropy_OnATanhOutput_IsRefused_NamingFromLogits()
    {
        var network = new Network<double>(1, new DenseLayer<double>(2, 1, new Tanh<double>()));
        var x = Matrix<double>.Build.Dense(4, 2, 0.5);
        var y = Matrix<double>.Build.Dense(4, 1, (i, _) => i % 2);

        Action fit = () => new Trainer<double>(network, new BinaryCrossEntropy<double>(), new SgdOptimizer<double>(0.1)).Fit(x, y);

        fit.Should().Throw<ArgumentException>().WithMessage("*binary_cross_entropy*Dense(2 → 1, tanh)*fromLogits: true*Sigmoid*");
    }

    [Fact]
    public void AUsersOwnOutputActivation_ThatDeclaresProbabilities_IsAccepted()
    {
        var network = new Network<double>(1, new DenseLayer<double>(2, 1, new HardSigmoid()));
        var x = Matrix<double>.Build.Dense(4, 2, (i, j) => i + j);
        var y = Matrix<double>.Build.Dense(4, 1, (i, _) => i % 2);

        double loss = network.TrainStep(x, y, new BinaryCrossEntropy<double>(), new SgdOptimizer<double>(0.1));

        double.IsFinite(loss).Should().BeTrue();
    }

    [Fact]
    public void PredictClasses_OnANetworkWhoseOutputIsNeitherProbabilitiesNorLogits_IsRefused()
    {
        var network = new Network<double>(1, new DenseLayer<double>(2, 3, new ReLU<double>()));

        Action predict = () => network.PredictClasses(Matrix<double>.Build.Dense(2, 2, 1.0));

        predict.Should().Throw<ArgumentException>().WithMessage("*Dense(2 → 3, relu)*neither probabilities nor logits*");
    }

    /// <summary>max(0, min(1, 0.2z + 0.5)): a user's activation whose outputs are probabilities, and says so.</summary>
    private sealed class HardSigmoid : ElementwiseActivationFunction<double>
    {
        public override string Name => "hard_sigmoid";

        public override ActivationOutput OutputKind => ActivationOutput.Probabilities;

        public override double Value(double z) => Math.Clamp((0.2 * z) + 0.5, 0, 1);

        public override double Derivative(double z, double a) => a is > 0 and < 1 ? 0.2 : 0;
    }
}
