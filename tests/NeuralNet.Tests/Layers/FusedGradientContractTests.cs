using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using Xunit;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// The fused softmax/sigmoid + cross-entropy gradient goes through a public contract
/// (<see cref="Layer{T}.OutputActivation"/>, <see cref="Layer{T}.BackwardFromActivationInput"/>):
/// a user-written layer ending in softmax gets it as a <see cref="DenseLayer{T}"/> does.
/// </summary>
public sealed class FusedGradientContractTests
{
    [Fact]
    public void UsersLayerEndingInSoftmax_GetsTheFusedGradient_AndTheSameParameterGradientsAsADenseLayer()
    {
        var mine = new SoftmaxHead(4, 3);
        var dense = new DenseLayer<double>(4, 3, new Softmax<double>());
        var networkMine = new Network<double>(1, new DenseLayer<double>(2, 4, new Tanh<double>()), mine);
        var networkDense = new Network<double>(1, new DenseLayer<double>(2, 4, new Tanh<double>()), dense);
        mine.Parameters[0].Values.CopyTo(dense.Parameters[0].Values);
        var x = Matrix<double>.Build.Dense(5, 2, (i, j) => (i * 0.7) - (j * 1.3));
        var y = Matrix<double>.Build.Dense(5, 1, (i, _) => i % 3);
        var loss = new CategoricalCrossEntropy<double>();

        networkMine.Forward(x, training: true);
        networkMine.Backward(y, loss);
        networkDense.Forward(x, training: true);
        networkDense.Backward(y, loss);

        mine.FusedCalls.Should().Be(1, "the loss wrote ∂L/∂Z and the network passed it to the user's layer");
        mine.PlainCalls.Should().Be(0);
        for (int i = 0; i < 2; i++)
        {
            mine.Parameters[i].Gradients.ToArray().Should().Equal(dense.Parameters[i].Gradients.ToArray());
        }
    }

    [Fact]
    public void UsersLayerEndingInSoftmax_SaturatedLogits_StillGetsAFiniteUsefulGradient()
    {
        // Logits of ±800: the softmax is exactly 0 or 1 in double, so the unfused chain through ∂L/∂p = −t/p
        // meets p = 0; the fused (p − t)/N is exact and says "move away from the wrong class".
        var mine = new SoftmaxHead(1, 2);
        var network = new Network<double>(1, mine);
        mine.Parameters[0].Values[0] = 800; // z0 = 800x
        mine.Parameters[0].Values[1] = -800;
        var x = Matrix<double>.Build.Dense(1, 1, 1.0);
        var y = Matrix<double>.Build.Dense(1, 1, 1.0); // class 1, the one the network is sure it is not

        network.TrainStep(x, y, new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1));

        mine.FusedCalls.Should().Be(1);
        mine.LastGradient.Should().Equal(1.0, -1.0); // (p − t) = (1 − 0, 0 − 1)
    }

    /// <summary>Z = X·Wᵀ + b, A = softmax(Z), written by a user: it declares its softmax and takes ∂L/∂Z.</summary>
    private sealed class SoftmaxHead : Layer<double>
    {
        private readonly DenseLayer<double> _linear;
        private readonly Softmax<double> _softmax = new();
        private Matrix<double>? _z, _a, _dz;

        public SoftmaxHead(int inputs, int outputs)
        {
            _linear = new DenseLayer<double>(inputs, outputs);
            _ = new Network<double>(9, _linear); // draws its weights
        }

        public int FusedCalls { get; private set; }

        public int PlainCalls { get; private set; }

        public double[] LastGradient { get; private set; } = [];

        public override int InputSize => _linear.InputSize;

        public override int OutputSize => _linear.OutputSize;

        public override IReadOnlyList<Parameter<double>> Parameters => _linear.Parameters;

        public override ActivationFunction<double>? OutputActivation => _softmax;

        public override Matrix<double> Forward(Matrix<double> input, bool training)
        {
            _z = _linear.Forward(input, training);
            _a = Matrix<double>.Build.Dense(_z.RowCount, _z.ColumnCount);
            _softmax.Forward(_z.AsColumnMajorArray(), _a.AsColumnMajorArray(), _z.RowCount, _z.ColumnCount);
            return _a;
        }

        public override Matrix<double>? Backward(Matrix<double> outputGradient, bool computeInputGradient = true)
        {
            PlainCalls++;
            _dz = Matrix<double>.Build.Dense(_z!.RowCount, _z.ColumnCount);
            _softmax.Backward(_z.AsColumnMajorArray(), _a!.AsColumnMajorArray(), outputGradient.AsColumnMajorArray(), _dz.AsColumnMajorArray(), _z.RowCount, _z.ColumnCount);
            return _linear.Backward(_dz, computeInputGradient);
        }

        public override Matrix<double>? BackwardFromActivationInput(Matrix<double> activationInputGradient, bool computeInputGradient = true)
        {
            FusedCalls++;
            LastGradient = activationInputGradient.AsColumnMajorArray().ToArray();
            return _linear.Backward(activationInputGradient, computeInputGradient); // identity: ∂L/∂Z passes through
        }

        public override void Predict(Matrix<double> input, Matrix<double> output)
        {
            _linear.Predict(input, output);
            double[] values = output.AsColumnMajorArray();
            _softmax.Forward(values.ToArray(), values, output.RowCount, output.ColumnCount);
        }
    }
}
