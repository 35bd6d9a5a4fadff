using FluentAssertions;
using NeuralNet.Kernels;
using NeuralNet.Optimizers;
using Xunit;

namespace NeuralNet.Tests.Optimizers;

/// <summary>
/// The second half of a parameter updated on two cores is done when <see cref="Optimizer{T}.Step"/> returns, even when
/// the helper thread never picks it up (its core taken by another process). With the helper paused the race is
/// deterministic: a step that did not wait for (or take back) the second half would return with it untouched.
/// </summary>
[Collection(nameof(NeuralNet.Tests.Kernels.SecondCoreHeld))]
public sealed class SharedUpdateLateHelperTests
{
    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    public void Step_WithTheHelperLate_ReturnsWithBothHalvesUpdated(string name)
    {
        const int Length = WorkSplit.MinimumUpdateLength + 100;
        var large = new Parameter<float>("large", Length, 1);
        var reference = new Parameter<float>("reference", Length - WorkSplit.MinimumUpdateLength / 2, 1); // never shared
        for (int i = 0; i < Length; i++)
        {
            large.Values[i] = 0.001f * (i % 1000);
            large.Gradients[i] = 1f + (i % 7);
        }

        Optimizer<float> shared = Create(name), alone = Create(name);
        int tail = reference.Length;
        large.Values[^tail..].CopyTo(reference.Values);
        large.Gradients[^tail..].CopyTo(reference.Gradients);
        long before = SecondCore.TakenBack;
        SecondCore.Paused = true;
        try
        {
            shared.Step([large]);
        }
        finally
        {
            SecondCore.Paused = false;
        }

        alone.Step([reference]);
        if (WorkSplit.SharesUpdate(Length))
        {
            (SecondCore.TakenBack - before).Should().BeGreaterThan(0, "the paused helper never starts the second half, so the caller takes it back");
        }

        large.Values[^tail..].ToArray().Should().Equal(reference.Values.ToArray(), "the second half is updated before Step returns");
    }

    private static Optimizer<float> Create(string name) => name == "sgd" ? new SgdOptimizer<float>(0.1, momentum: 0.9) : new AdamOptimizer<float>(0.01);
}
