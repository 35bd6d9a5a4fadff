using FluentAssertions;
using NeuralNet.Layers;
using NeuralNet.Optimizers;
using Xunit;

namespace NeuralNet.Tests.Optimizers;

/// <summary>The one-pass momentum update gives exactly PyTorch's two-step rule, v ← μv + g then p ← p − ηv, on vector bodies and odd tails.</summary>
public class SgdMomentumPassTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 5)]
    [InlineData(17, 9)]
    [InlineData(40, 25)]
    public void Step_WithMomentum_MatchesTheTwoStepRuleBitForBit(int inputs, int outputs)
    {
        var layer = new DenseLayer<float>(inputs, outputs);
        _ = new Network<float>(3, layer);
        var optimizer = new SgdOptimizer<float>(0.05, momentum: 0.9);
        var random = new RandomSource(11);
        float[] weights = layer.Parameters[0].Values.ToArray();
        float[] velocity = new float[weights.Length];
        for (int step = 0; step < 3; step++)
        {
            Span<float> gradient = layer.Parameters[0].Gradients;
            for (int i = 0; i < gradient.Length; i++)
            {
                gradient[i] = (float)random.NextGaussian();
                velocity[i] = (velocity[i] * 0.9f) + gradient[i]; // v ← μv + g
                weights[i] = (velocity[i] * -0.05f) + weights[i]; // p ← p − ηv
            }

            optimizer.Step(layer.Parameters);
            layer.Parameters[0].Values.ToArray().Should().Equal(weights);
        }
    }
}
