using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Tests.Activations;
using Xunit;

namespace NeuralNet.Tests.Layers;

public sealed class DenseLayerTests
{
    public static TheoryData<string> Activations => ActivationGradientTests.Names;

    [Theory]
    [MemberData(nameof(Activations))]
    public void DenseLayer_Backward_MatchesFiniteDifferences(string activation)
    {
        for (ulong seed = 1; seed <= 4; seed++)
        {
            var random = new RandomSource(seed);
            int batch = 1 + random.NextInt(5), inputs = 1 + random.NextInt(6), outputs = 1 + random.NextInt(5);
            var layer = new DenseLayer<double>(inputs, outputs, ActivationGradientTests.Named<double>(activation));
            _ = new Network<double>(seed, layer);
            layer.Biases.SetValues(Enumerable.Range(0, outputs).Select(_ => random.NextDouble() - 0.5).ToArray());
            Matrix<double> x = RandomMatrices.Uniform<double>(random, batch, inputs, -2, 2);
            GradientCheckReport report = GradientChecker.CheckLayer(layer, x, random);
            report.MaxRelativeError.Should().BeLessThan(1e-6, $"seed {seed}, {batch}×{inputs}→{outputs}: {report}");
        }
    }

    [Fact]
    public void Forward_ComputesXWTransposePlusBias_ThenTheActivation()
    {
        var layer = new DenseLayer<double>(3, 2, new Sigmoid<double>());
        layer.Weights.SetRow(0, [0.2, -0.3, 0.4]);
        layer.Weights.SetRow(1, [0.1, -0.5, 0.2]);
        layer.Biases.SetValues([-0.4, 0.2]);
        var x = Matrix<double>.Build.DenseOfArray(new double[,] { { 0.9, 0.7, 0.8 }, { 1, 0, -1 } });
        Matrix<double> a = layer.Forward(x, training: false);
        Matrix<double> expected = (x * layer.Weights.Transpose()).MapIndexed((r, c, z) => 1 / (1 + Math.Exp(-(z + layer.Biases[c]))));
        (a - expected).FrobeniusNorm().Should().BeLessThan(1e-15);
        var predicted = Matrix<double>.Build.Dense(2, 2);
        layer.Predict(x, predicted);
        predicted.Should().BeEquivalentTo(a, "Predict computes the same as the training forward pass");
    }

    [Fact]
    public void Buffers_AreReusedPerBatchSize_AndTheLastPartialBatchKeepsItsOwn()
    {
        var layer = new DenseLayer<double>(2, 2);
        _ = new Network<double>(1, layer);
        var random = new RandomSource(1);
        Matrix<double> full1 = layer.Forward(RandomMatrices.Uniform<double>(random, 4, 2), true);
        Matrix<double> partial = layer.Forward(RandomMatrices.Uniform<double>(random, 3, 2), true);
        Matrix<double> full2 = layer.Forward(RandomMatrices.Uniform<double>(random, 4, 2), true);
        Matrix<double> partial2 = layer.Forward(RandomMatrices.Uniform<double>(random, 3, 2), true);
        full2.Should().BeSameAs(full1);
        partial2.Should().BeSameAs(partial);
    }

    [Fact]
    public void WrongInputShape_IsRejectedWithTheShapesNamed()
    {
        var layer = new DenseLayer<double>(3, 2);
        FluentActions.Invoking(() => layer.Forward(Matrix<double>.Build.Dense(4, 2), true))
            .Should().Throw<ArgumentException>().WithParameterName("input").WithMessage("*3 columns*received 4×2*");
        FluentActions.Invoking(() => layer.Backward(Matrix<double>.Build.Dense(4, 2)))
            .Should().Throw<InvalidOperationException>().WithMessage("*before Forward*");
        FluentActions.Invoking(() => new DenseLayer<double>(0, 2)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("inputSize");
    }

    [Fact]
    public void DefaultInitializer_FollowsTheActivation()
    {
        new DenseLayer<double>(2, 2, new ReLU<double>()).Initializer.Name.Should().Be("he_uniform");
        new DenseLayer<double>(2, 2, new Tanh<double>()).Initializer.Name.Should().Be("glorot_uniform");
        new DenseLayer<double>(2, 2, new SELU<double>()).Initializer.Name.Should().Be("lecun_normal");
    }
}
