using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Kernels;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Tests.Kernels;
using NeuralNet.Tests.Networks;
using Xunit;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// A small output layer over a first layer cut between the cores (W2's shape, scaled down: 256 → 128 ReLU → 10 over a
/// batch of 64) has its backward pass cut into two parts of its inputs, one a core, the layer below's ∂L/∂Z and bias
/// gradient made there too (<see cref="WorkSplit.BackwardInputHalves"/>): the same bits as the separate passes on one core,
/// with the helper on time, late or busy with another caller. These tests pause or hold the helper, so they run alone; they
/// take handing work over as cheap whatever the machine's state (<see cref="SecondCore.HandOverCostOverride"/>), so that
/// the cut is made.
/// </summary>
[Collection(nameof(SecondCoreHeld))]
public sealed class DenseLayerInputHalvesTests : IDisposable
{
    public DenseLayerInputHalvesTests() => SecondCore.HandOverCostOverride = true;

    public void Dispose() => SecondCore.HandOverCostOverride = null;

    public enum Helper { OnTime, Late, Held }

    [Fact]
    public void ThisShape_IsCutInHalves()
    {
        if (WorkSplit.TwoCores)
        {
            WorkSplit.BackwardInputHalves(64, 128, 10, 256).Should().BeTrue();
        }

        WorkSplit.InputCut(128).Should().Be(80);
        WorkSplit.InputCut(24).Should().Be(0);
        WorkSplit.BackwardInputHalves(1, 128, 10, 256).Should().BeFalse("one sample");
        WorkSplit.BackwardInputHalves(64, 128, 10, 64).Should().BeFalse("the layer below is not cut between the cores");
        WorkSplit.BackwardInputHalves(64, 1024, 256, 256).Should().BeFalse("its products are shared on their own");
    }

    [Theory]
    [InlineData(Helper.OnTime)]
    [InlineData(Helper.Late)]
    [InlineData(Helper.Held)]
    public void TrainSteps_WithTheBackwardInHalves_GiveTheBitsOfSeparatePasses(Helper helper)
    {
        (Network<float> halves, DenseLayer<float>[] halvesLayers) = Build();
        (Network<float> separate, DenseLayer<float>[] separateLayers) = Build();
        separateLayers[0].FusedPasses = false; // the layer below makes its own ∂L/∂Z: the output layer's pass stays whole

        var loss = new CategoricalCrossEntropy<float>(fromLogits: true);
        var halvesOptimizer = new SgdOptimizer<float>(0.05, momentum: 0.9);
        var separateOptimizer = new SgdOptimizer<float>(0.05, momentum: 0.9);
        var random = new RandomSource(14);
        for (int step = 0; step < 3; step++)
        {
            var x = Matrix<float>.Build.Dense(64, 256, (_, _) => (float)random.NextGaussian());
            var t = Matrix<float>.Build.Dense(64, 1, (r, _) => (r * 3 + step) % 10);
            float halvesLoss = Run(helper, () => halves.TrainStep(x, t, loss, halvesOptimizer));
            float separateLoss = separate.TrainStep(x, t, loss, separateOptimizer);
            halvesLoss.Should().Be(separateLoss);
            halvesLayers[0].PreActivationGradient.ToArray().Should().Equal(separateLayers[0].PreActivationGradient.ToArray(), "the hidden layer's ∂L/∂Z");
            for (int l = 0; l < halvesLayers.Length; l++)
            {
                for (int p = 0; p < 2; p++)
                {
                    halvesLayers[l].Parameters[p].Gradients.ToArray().Should().Equal(separateLayers[l].Parameters[p].Gradients.ToArray(), $"layer {l}'s gradient {p}");
                    halvesLayers[l].Parameters[p].Values.ToArray().Should().Equal(separateLayers[l].Parameters[p].Values.ToArray(), $"layer {l}'s parameter {p}");
                }
            }
        }

        HeldSecondCore.FreesWithin(TimeSpan.FromSeconds(10)).Should().BeTrue("every step releases the helper");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TrainStep_WithTheBackwardInHalves_AllocatesNothingOnceWarm(bool helperLate)
    {
        (Network<float> network, _) = Build();
        var loss = new CategoricalCrossEntropy<float>(fromLogits: true);
        var optimizer = new SgdOptimizer<float>(0.05, momentum: 0.9);
        var random = new RandomSource(15);
        var x = Matrix<float>.Build.Dense(64, 256, (_, _) => (float)random.NextGaussian());
        var t = Matrix<float>.Build.Dense(64, 1, (r, _) => r % 10);
        long allocated = Run(helperLate ? Helper.Late : Helper.OnTime, () => NetworkAllocationTests.AllocatedBy(() => network.TrainStep(x, t, loss, optimizer)));
        allocated.Should().Be(0);
    }

    private static TResult Run<TResult>(Helper helper, Func<TResult> step)
    {
        TResult result = default!;
        switch (helper)
        {
            case Helper.Held:
                HeldSecondCore.While(() => result = step());
                return result;
            case Helper.Late:
                SecondCore.Paused = true;
                try
                {
                    return step();
                }
                finally
                {
                    SecondCore.Paused = false;
                }

            default:
                return step();
        }
    }

    private static (Network<float> Network, DenseLayer<float>[] Layers) Build()
    {
        DenseLayer<float>[] layers =
        [
            new DenseLayer<float>(256, 128, new ReLU<float>()),
            new DenseLayer<float>(128, 10),
        ];
        return (new Network<float>(22, layers), layers);
    }
}
