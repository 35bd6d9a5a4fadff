using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Kernels;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using Xunit;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// A large batch through ReLU layers has the activation applied inside the forward product and ∂L/∂Z and ∂L/∂b made
/// inside the layer above's ∂L/∂X product, column group by column group: the same bits as the separate passes, with the
/// second core on time or late. These tests pause the helper, so they run alone.
/// </summary>
[Collection(nameof(NeuralNet.Tests.Kernels.SecondCoreHeld))]
public class DenseLayerFusedPassesTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TrainSteps_WithPassesInsideTheProducts_GiveTheBitsOfSeparatePasses(bool helperLate)
    {
        // 256 × 512 × 512 multiply-adds: the forward products are shared in column groups (Z filled with the bias inside);
        // 256 × 512 values per layer are enough for the passes to be shared by both cores too.
        (Network<float> fused, DenseLayer<float>[] fusedLayers) = Build();
        (Network<float> separate, DenseLayer<float>[] separateLayers) = Build();
        foreach (DenseLayer<float> layer in separateLayers)
        {
            layer.FusedPasses = false;
        }

        var loss = new CategoricalCrossEntropy<float>(fromLogits: true);
        var fusedOptimizer = new SgdOptimizer<float>(0.05);
        var separateOptimizer = new SgdOptimizer<float>(0.05);
        var random = new RandomSource(7);
        for (int step = 0; step < 3; step++)
        {
            var x = Matrix<float>.Build.Dense(256, 512, (_, _) => (float)random.NextGaussian());
            var t = Matrix<float>.Build.Dense(256, 1, (r, _) => (r * 7 + step) % 10);
            float fusedLoss;
            SecondCore.Paused = helperLate;
            try
            {
                fusedLoss = fused.TrainStep(x, t, loss, fusedOptimizer);
            }
            finally
            {
                SecondCore.Paused = false;
            }

            float separateLoss = separate.TrainStep(x, t, loss, separateOptimizer);
            fusedLoss.Should().Be(separateLoss);
            for (int l = 0; l < fusedLayers.Length; l++)
            {
                fusedLayers[l].LastOutput.ToColumnMajorArray().Should().Equal(separateLayers[l].LastOutput.ToColumnMajorArray(), $"layer {l}'s activations");
                fusedLayers[l].PreActivationGradient.ToArray().Should().Equal(separateLayers[l].PreActivationGradient.ToArray(), $"layer {l}'s ∂L/∂Z");
                for (int p = 0; p < 2; p++)
                {
                    fusedLayers[l].Parameters[p].Gradients.ToArray().Should().Equal(separateLayers[l].Parameters[p].Gradients.ToArray(), $"layer {l}'s gradient {p}");
                    fusedLayers[l].Parameters[p].Values.ToArray().Should().Equal(separateLayers[l].Parameters[p].Values.ToArray(), $"layer {l}'s parameter {p}");
                }
            }
        }
    }

    [Fact]
    public void HandWrittenBackward_AfterAFusedStep_MakesItsOwnActivationGradient()
    {
        // A fused step leaves no mark that a later backward pass of the layer (another batch, called by hand) could mistake
        // for its ∂L/∂Z being made already.
        (Network<float> network, DenseLayer<float>[] layers) = Build();
        (_, DenseLayer<float>[] reference) = Build();
        foreach (DenseLayer<float> layer in reference)
        {
            layer.FusedPasses = false;
        }

        var random = new RandomSource(9);
        var x = Matrix<float>.Build.Dense(256, 512, (_, _) => (float)random.NextGaussian());
        var t = Matrix<float>.Build.Dense(256, 1, (r, _) => r % 10);
        network.TrainStep(x, t, new CategoricalCrossEntropy<float>(fromLogits: true), new SgdOptimizer<float>(0.01));
        for (int l = 0; l < layers.Length; l++)
        {
            reference[l].Weights.SetSubMatrix(0, 0, layers[l].Weights);
            reference[l].Biases.SetSubVector(0, reference[l].Biases.Count, layers[l].Biases);
        }

        var g = Matrix<float>.Build.Dense(256, 512, (_, _) => (float)random.NextGaussian());
        layers[0].Forward(x, training: true);
        layers[1].Forward(layers[0].LastOutput, training: true);
        reference[0].Forward(x, training: true);
        reference[1].Forward(reference[0].LastOutput, training: true);
        layers[1].Backward(g)!.ToColumnMajorArray().Should().Equal(reference[1].Backward(g)!.ToColumnMajorArray());
        layers[1].PreActivationGradient.ToArray().Should().Equal(reference[1].PreActivationGradient.ToArray());
        layers[1].Parameters[1].Gradients.ToArray().Should().Equal(reference[1].Parameters[1].Gradients.ToArray());
    }

    private static (Network<float> Network, DenseLayer<float>[] Layers) Build()
    {
        DenseLayer<float>[] layers =
        [
            new DenseLayer<float>(512, 512, new ReLU<float>()),
            new DenseLayer<float>(512, 512, new ReLU<float>()),
            new DenseLayer<float>(512, 10),
        ];
        return (new Network<float>(5, layers), layers);
    }
}
