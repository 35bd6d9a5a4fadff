using FluentAssertions;
using NeuralNet.Layers;
using NeuralNet.Optimizers;
using Xunit;

namespace NeuralNet.Tests.Optimizers;

/// <summary>
/// The one-pass momentum update gives exactly PyTorch's two-step rule, v ← μv + g then p ← p − ηv (Nesterov:
/// p ← p − ηg − ημv), on vector bodies and odd tails; a velocity that decays into the subnormal range becomes a zero of its sign instead.
/// </summary>
public class SgdMomentumPassTests
{
    [Theory]
    [InlineData(1, 1, false)]
    [InlineData(3, 5, false)]
    [InlineData(17, 9, false)]
    [InlineData(40, 25, false)]
    [InlineData(3, 5, true)]
    [InlineData(40, 25, true)]
    public void Step_WithMomentum_MatchesTheTwoStepRuleBitForBit(int inputs, int outputs, bool nesterov)
    {
        var layer = new DenseLayer<float>(inputs, outputs);
        _ = new Network<float>(3, layer);
        var optimizer = new SgdOptimizer<float>(0.05, momentum: 0.9, nesterov: nesterov);
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
                weights[i] = nesterov
                    ? ((gradient[i] * -0.05f) + weights[i]) + (velocity[i] * (-0.05f * 0.9f)) // p ← p − ηg − ημv
                    : (velocity[i] * -0.05f) + weights[i]; // p ← p − ηv
            }

            optimizer.Step(layer.Parameters);
            layer.Parameters[0].Values.ToArray().Should().Equal(weights);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Step_VelocityDecayingWithZeroGradients_NeverHoldsSubnormalsAndLeavesWeightsAsTheRuleDoes(bool nesterov)
    {
        // 37 values: whole vectors and a tail. One step with small gradients, then 1,000 with gradients of exactly 0
        // (an input that is 0 in every sample): 0.9^n · 1e-30 passes the subnormal range (< 2^-126) after ~170 steps.
        var layer = new DenseLayer<float>(37, 1);
        _ = new Network<float>(5, layer);
        var optimizer = new SgdOptimizer<float>(0.05, momentum: 0.9, nesterov: nesterov);
        Span<float> gradient = layer.Parameters[0].Gradients;
        for (int i = 0; i < gradient.Length; i++)
        {
            gradient[i] = (i % 2 == 0 ? 1e-30f : -1e-30f) * (1 + i);
        }

        float[] weights = layer.Parameters[0].Values.ToArray();
        float[] velocity = new float[weights.Length];
        int subnormalSteps = 0;
        for (int step = 0; step < 1000; step++)
        {
            for (int i = 0; i < weights.Length; i++)
            {
                float g = gradient[i];
                float v = (velocity[i] * 0.9f) + g;
                subnormalSteps += float.IsSubnormal(v) ? 1 : 0;
                velocity[i] = float.IsSubnormal(v) ? MathF.CopySign(0f, v) : v; // the rule, flushed
                weights[i] = nesterov ? ((g * -0.05f) + weights[i]) + (velocity[i] * (-0.05f * 0.9f)) : (velocity[i] * -0.05f) + weights[i];
            }

            optimizer.Step(layer.Parameters);
            gradient.Clear();
            Span<float> state = optimizer.StateOf(layer.Parameters[0])!.Slot(0);
            foreach (float v in state)
            {
                float.IsSubnormal(v).Should().BeFalse();
            }

            state.ToArray().Select(BitConverter.SingleToInt32Bits).Should().Equal(velocity.Select(BitConverter.SingleToInt32Bits));
            layer.Parameters[0].Values.ToArray().Should().Equal(weights);
        }

        subnormalSteps.Should().BeGreaterThan(0, "the unflushed rule would have produced subnormal velocities");
        optimizer.StateOf(layer.Parameters[0])!.Slot(0).ToArray().Should().OnlyContain(v => v == 0, "every velocity has decayed to zero");
    }
}
