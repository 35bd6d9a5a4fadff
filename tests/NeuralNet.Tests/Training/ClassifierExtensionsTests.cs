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
        logit.PredictProbabilities(X)[3, 0].Should().BeApproximately(1 / (1 + Math.Exp(-z[3, 0])), 1e-12);
        logit.PredictClasses(X).Should().Equal(z.Column(0).Select(v => v >= 0 ? 1 : 0));
    }

    [Fact]
    public void PredictClasses_WrongInputWidth_Throws()
    {
        ((Action)(() => ToyProblems.Classifier(1).PredictClasses(Matrix<double>.Build.Dense(2, 5)))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("input");
    }
}
