using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using Xunit;

namespace NeuralNet.Tests.Layers;

/// <summary>A user can write a layer by subclassing <see cref="Layer{T}"/>, check it, and train it inside a network.</summary>
public sealed class CustomLayerTests
{
    [Fact]
    public void UserWrittenLayer_PassesTheGradientCheck_AndTrainsInANetwork()
    {
        var scale = new ScaleLayer(3);
        var network = new Network<double>(5, scale, new DenseLayer<double>(3, 1, new Sigmoid<double>()));
        GradientChecker.CheckLayer(scale, RandomMatrices.Uniform<double>(new RandomSource(1), 4, 3), new RandomSource(2))
            .MaxRelativeError.Should().BeLessThan(1e-6);

        var x = Matrix<double>.Build.DenseOfArray(new double[,] { { 0.9, 0.7, 0.8 } });
        var t = Matrix<double>.Build.Dense(1, 1, 1.0);
        double[] before = scale.Parameters[0].Values.ToArray();
        double first = network.TrainStep(x, t, new MeanSquaredError<double>(), new SgdOptimizer<double>(0.5));
        scale.Parameters[0].Values.ToArray().Should().NotEqual(before, "the optimizer updates the custom layer's parameter too");
        new MeanSquaredError<double>().Loss(network.Predict(x), t).Should().BeLessThan(first);
    }

    [Fact]
    public void WrongBackwardPass_IsCaughtByTheGradientChecker()
    {
        var scale = new ScaleLayer(2) { Wrong = true };
        _ = new Network<double>(5, scale);
        GradientCheckReport report = GradientChecker.CheckLayer(scale, RandomMatrices.Uniform<double>(new RandomSource(1), 3, 2), new RandomSource(2));
        report.Passes(1e-6).Should().BeFalse();
        report.WorstEntry.Should().StartWith("scale[");
    }

    /// <summary>y = x ⊙ s with a trainable scale s per feature: a layer as a user would write it.</summary>
    private sealed class ScaleLayer : Layer<double>
    {
        private readonly Parameter<double> _scale;
        private readonly Parameter<double>[] _parameters;
        private Matrix<double>? _input;

        public ScaleLayer(int size)
        {
            InputSize = size;
            _scale = new Parameter<double>("scale", size, 1);
            _parameters = [_scale];
        }

        public bool Wrong { get; init; }

        public override int InputSize { get; }

        public override int OutputSize => InputSize;

        public override IReadOnlyList<Parameter<double>> Parameters => _parameters;

        public override Matrix<double> Forward(Matrix<double> input, bool training)
        {
            _input = input;
            return Scale(input);
        }

        public override Matrix<double>? Backward(Matrix<double> outputGradient, bool computeInputGradient = true)
        {
            for (int j = 0; j < InputSize; j++)
            {
                _scale.Gradients[j] = outputGradient.Column(j) * _input!.Column(j) * (Wrong ? 2 : 1); // ∂L/∂s_j = Σ_n g_nj x_nj
            }

            return computeInputGradient ? Scale(outputGradient) : null; // ∂L/∂x = g ⊙ s
        }

        public override void Predict(Matrix<double> input, Matrix<double> output) => Scale(input).CopyTo(output);

        protected override void Initialize(RandomSource random) => _scale.Values.Fill(1.0);

        private Matrix<double> Scale(Matrix<double> m) => m.MapIndexed((_, c, v) => v * _scale.Values[c]);
    }
}
