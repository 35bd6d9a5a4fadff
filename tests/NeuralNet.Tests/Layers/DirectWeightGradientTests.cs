using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Kernels;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Tests.Kernels;
using Xunit;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// W2's network (784 → 128 ReLU → 10, batches of 64, momentum SGD), whose first layer's weight gradient (128 × 784 of depth
/// 64) is shared by the cores without packing where <see cref="WorkSplit.DirectRowsLimit"/> is 128 (the Vector512 tiles; 96
/// with the Vector256 ones): training steps give the bits of the packed path it took at the limit of 64 rows before (<see cref="WorkSplit.DirectRows"/>), with the helper on
/// time or late. The tests switch a rule every product reads and pause the helper, so they run alone.
/// </summary>
[Collection(nameof(SecondCoreHeld))]
public sealed class DirectWeightGradientTests : IDisposable
{
    public void Dispose()
    {
        WorkSplit.DirectRows = WorkSplit.DirectRowsLimit;
        SecondCore.Paused = false;
    }

    [SkippableFact]
    public void W2sFirstLayerWeightGradient_IsMultipliedWithoutPacking_WithTheVector512Tiles()
    {
        Skip.IfNot(DirectGemm.Supported<float>() && WorkSplit.TwoCores, "no direct path on this processor: the packed one, as before");

        DirectGemm.TakesOnTwoCores<float>(true, 128, 784, 64, 64).Should().Be(DirectGemm.Wide, "128 rows are direct with the Vector512 tiles only");
        DirectGemm.TakesOnTwoCores<float>(true, 96, 784, 64, 64).Should().BeTrue("96 rows are direct with either kind of tiles");
        DirectGemm.TakesOnTwoCores<float>(true, 97, 784, 64, 64).Should().Be(DirectGemm.Wide);
        WorkSplit.DirectRows = 128;
        DirectGemm.TakesOnTwoCores<float>(true, 128, 784, 64, 64).Should().BeTrue("the limit in force decides");
        WorkSplit.DirectRows = 64;
        DirectGemm.TakesOnTwoCores<float>(true, 128, 784, 64, 64).Should().BeFalse("at the limit before, it was packed in strips");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TrainSteps_GiveThePackedPathsBits(bool helperLate)
    {
        Network<float> direct = Build(), packed = Build();
        var loss = new CategoricalCrossEntropy<float>(fromLogits: true);
        var directOptimizer = new SgdOptimizer<float>(0.05, momentum: 0.9);
        var packedOptimizer = new SgdOptimizer<float>(0.05, momentum: 0.9);
        var random = new RandomSource(16);
        for (int step = 0; step < 3; step++)
        {
            var x = Matrix<float>.Build.Dense(64, 784, (_, _) => (float)random.NextDouble());
            var t = Matrix<float>.Build.Dense(64, 1, (r, _) => (r * 7 + step) % 10);
            SecondCore.Paused = helperLate; // a paused helper never picks its half up: the caller takes it back
            WorkSplit.DirectRows = 128; // direct on either kind of tiles
            float directLoss = direct.TrainStep(x, t, loss, directOptimizer);
            WorkSplit.DirectRows = 64;
            float packedLoss = packed.TrainStep(x, t, loss, packedOptimizer);
            SecondCore.Paused = false;
            directLoss.Should().Be(packedLoss);
            for (int p = 0; p < direct.Parameters.Count; p++)
            {
                direct.Parameters[p].Gradients.ToArray().Should().Equal(packed.Parameters[p].Gradients.ToArray(), $"gradient {p} after step {step}");
                direct.Parameters[p].Values.ToArray().Should().Equal(packed.Parameters[p].Values.ToArray(), $"parameter {p} after step {step}");
            }
        }

        HeldSecondCore.FreesWithin(TimeSpan.FromSeconds(10)).Should().BeTrue("every step releases the helper");
    }

    private static Network<float> Build() => new(23, new DenseLayer<float>(784, 128, new ReLU<float>()), new DenseLayer<float>(128, 10));
}
