using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Training;
using Xunit;

namespace NeuralNet.Tests.Training;

public sealed class ClassifierExtensionsTests
{
    private static readonly Matrix<double> X = ToyProblems.Blobs(12, 1).X;

    [Fact]
    public void PredictProbabilities_Softmax_AreTheOutputs_RowsSummingToOne()
    {
        var network = ToyProblems.Classifier(1);
        Matrix<double> p = network.PredictProbabilities(X);
        p.Should().Be(network.Predict(X));
        p.RowSums().Enumerate().Should().OnlyContain(s => Math.Abs(s - 1) < 1e-12);
    }

    [Fact]
    public void PredictProbabilities_Logits_AreSoftmaxed_AndClassesAreTheArgmax()
    {
        var logits = new Network<double>(1, new DenseLayer<double>(2, 3));
        Matrix<double> z = logits.Predict(X);
        Matrix<double> p = logits.PredictProbabilities(X);
        p.RowSums().Enumerate().Should().OnlyContain(s => Math.Abs(s - 1) < 1e-12);
        double expected = Math.Exp(z[0, 1]) / (Math.Exp(z[0, 0]) + Math.Exp(z[0, 1]) + Math.Exp(z[0, 2]));
        p[0, 1].Should().BeApproximately(expected, 1e-12);
        logits.PredictClasses(X).Should().Equal(Enumerable.Range(0, X.RowCount).Select(r => z.Row(r).MaximumIndex()));
    }

    [Fact]
    public void PredictClasses_SingleOutput_ThresholdsTheProbabilityAtOneHalf()
    {
        var sigmoid = new Network<double>(1, new DenseLayer<double>(2, 1, new Sigmoid<double>()));
        Matrix<double> p = sigmoid.PredictProbabilities(X);
        sigmoid.PredictClasses(X).Should().Equal(p.Column(0).Select(v => v >= 0.5 ? 1 : 0));

        var logit = new Network<double>(1, new DenseLayer<double>(2, 1));
        Matrix<double> z = logit.Predict(X);
        logit.PredictProbabilities(X, fromLogits: true)[3, 0].Should().BeApproximately(1 / (1 + Math.Exp(-z[3, 0])), 1e-12);
        logit.PredictClasses(X, fromLogits: true).Should().Equal(z.Column(0).Select(v => v >= 0 ? 1 : 0));
    }

    [Fact]
    public void PredictClasses_OnARegressionNetwork_OneOutputWithoutActivation_IsRefused_NamingTheLayerAndTheFix()
    {
        var regression = new Network<double>(1, new DenseLayer<double>(2, 4, new ReLU<double>()), new DenseLayer<double>(4, 1));

        Action classes = () => regression.PredictClasses(X);
        Action probabilities = () => regression.PredictProbabilities(X);

        classes.Should().Throw<ArgumentException>().WithMessage("*Dense(4 → 1, identity)*regression*fromLogits: true*Sigmoid*").Which.ParamName.Should().Be("network");
        probabilities.Should().Throw<ArgumentException>().WithMessage("*Dense(4 → 1, identity)*regression*");
    }

    [Fact]
    public void PredictClasses_FromLogitsOnAProbabilityOutput_IsRefused()
    {
        var sigmoid = new Network<double>(1, new DenseLayer<double>(2, 1, new Sigmoid<double>()));

        Action classes = () => sigmoid.PredictClasses(X, fromLogits: true);

        classes.Should().Throw<ArgumentException>().WithMessage("*already gives probabilities*").Which.ParamName.Should().Be("fromLogits");
    }

    [Fact]
    public void PredictClasses_WrongInputWidth_Throws()
    {
        ((Action)(() => ToyProblems.Classifier(1).PredictClasses(Matrix<double>.Build.Dense(2, 5)))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("input");
    }
}
