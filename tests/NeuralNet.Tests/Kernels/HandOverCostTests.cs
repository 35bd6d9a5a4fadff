using System.Diagnostics;
using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Kernels;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using Xunit;

namespace NeuralNet.Tests.Kernels;

/// <summary>
/// The measured cost of a hand-over to the helper (<see cref="SecondCore.HandOverIsCheap"/>): the running mean of the
/// recent pick-ups, and the one choice taken on it, W2's output layer's backward pass in two parts
/// (<see cref="WorkSplit.BackwardInputHalves"/>), which is made only while a hand-over is cheap. These tests change the
/// helper's shared state, so they run alone.
/// </summary>
[Collection(nameof(SecondCoreHeld))]
public sealed class HandOverCostTests : IDisposable
{
    public void Dispose()
    {
        SecondCore.HandOverCostOverride = null;
        Forget();
    }

    [Fact]
    public void RecentMean_WeighsEachNewPickUpAnEighth()
    {
        SecondCore.RecentMean(0, 800).Should().Be(100);
        SecondCore.RecentMean(100, 100).Should().Be(100);
        SecondCore.RecentMean(1000, 200).Should().Be(900);
        long mean = 0;
        for (int i = 0; i < 64; i++)
        {
            mean = SecondCore.RecentMean(mean, 2400);
        }

        mean.Should().BeInRange(2350, 2400, "64 pick-ups of the same length leave the mean within a few ticks of it");
    }

    [Fact]
    public void HandOverIsCheap_FollowsTheRecentPickUps()
    {
        Forget();
        SecondCore.HandOverIsCheap.Should().BeTrue("recent pick-ups of no time are cheap");

        SecondCore.NotePickUp(Stopwatch.Frequency / 1000); // one late pick-up of 1 ms (the helper's core taken for a while)
        SecondCore.HandOverIsCheap.Should().BeFalse();
        SecondCore.RecentPickUpNanoseconds.Should().BeApproximately(125_000, 1_000);

        for (int i = 0; i < 100; i++)
        {
            SecondCore.NotePickUp(SecondCore.DearPickUpTicks / 2); // quick ones again
        }

        SecondCore.HandOverIsCheap.Should().BeTrue("a hundred quick pick-ups outweigh one late one");
        SecondCore.NotePickUp(SecondCore.DearPickUpTicks * 20);
        SecondCore.HandOverIsCheap.Should().BeFalse("a pick-up of twenty times the limit lifts the mean past it");
    }

    [Fact]
    public void HandOverCostOverride_FixesTheAnswer()
    {
        SecondCore.NotePickUp(Stopwatch.Frequency); // a second: dear by measurement
        SecondCore.HandOverCostOverride = true;
        SecondCore.HandOverIsCheap.Should().BeTrue();
        SecondCore.HandOverCostOverride = false;
        Forget();
        SecondCore.HandOverIsCheap.Should().BeFalse();
    }

    [Fact]
    public void BackwardInputHalves_OnlyWhileAHandOverIsCheap()
    {
        SecondCore.HandOverCostOverride = false;
        WorkSplit.BackwardInputHalves(64, 128, 10, 256).Should().BeFalse("a line between the cores is dear");
        SecondCore.HandOverCostOverride = true;
        WorkSplit.BackwardInputHalves(64, 128, 10, 256).Should().Be(WorkSplit.TwoCores);
    }

    [Fact]
    public void TrainStep_WhenAHandOverIsDear_KeepsTheOutputLayersBackwardOnTheCaller_WithTheSameBits()
    {
        if (!WorkSplit.TwoCores)
        {
            return; // one core: nothing is handed over either way
        }

        float[][] Run(bool cheap, out long handOffsPerStep)
        {
            SecondCore.HandOverCostOverride = cheap;
            DenseLayer<float>[] layers = [new DenseLayer<float>(256, 128, new ReLU<float>()), new DenseLayer<float>(128, 10)];
            var network = new Network<float>(31, layers);
            var loss = new CategoricalCrossEntropy<float>(fromLogits: true);
            var optimizer = new SgdOptimizer<float>(0.05, momentum: 0.9);
            var random = new RandomSource(32);
            var x = Matrix<float>.Build.Dense(64, 256, (_, _) => (float)random.NextGaussian());
            var t = Matrix<float>.Build.Dense(64, 1, (r, _) => r % 10);
            network.TrainStep(x, t, loss, optimizer); // buffers made
            long before = SecondCore.HandOffs;
            network.TrainStep(x, t, loss, optimizer);
            handOffsPerStep = SecondCore.HandOffs - before;
            return [.. network.Parameters.Select(p => p.Values.ToArray())];
        }

        float[][] cheap = Run(cheap: true, out long cheapHandOffs);
        float[][] dear = Run(cheap: false, out long dearHandOffs);
        (cheapHandOffs - dearHandOffs).Should().Be(1, "while a hand-over is cheap the output layer's backward pass gives the helper a part");
        for (int p = 0; p < cheap.Length; p++)
        {
            dear[p].Should().Equal(cheap[p], $"parameter {p}: the same bits either way");
        }
    }

    /// <summary>Brings the running mean of the pick-ups down to the cheap side again (many pick-ups of no time).</summary>
    private static void Forget()
    {
        for (int i = 0; i < 400; i++)
        {
            SecondCore.NotePickUp(0);
        }
    }
}
