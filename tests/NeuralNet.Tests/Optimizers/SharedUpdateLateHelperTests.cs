using FluentAssertions;
using NeuralNet.Kernels;
using NeuralNet.Optimizers;
using NeuralNet.Tests.Kernels;
using Xunit;

namespace NeuralNet.Tests.Optimizers;

/// <summary>
/// The hand-off of half a large parameter's update to the second core, made deterministic: with the helper paused
/// (as when another process holds its core) or reserved by someone else, every path is taken on purpose.
/// </summary>
[Collection(nameof(NeuralNet.Tests.Kernels.SecondCoreHeld))]
public sealed class SharedUpdateLateHelperTests
{
    private const int Length = WorkSplit.MinimumUpdateLength + 100;

    public static TheoryData<string> Optimizers() => new() { "sgd", "sgd-momentum", "adam", "adamw", "rmsprop" };

    /// <summary>
    /// A step returns with both halves updated even when the helper never picks the second up: a step that did not
    /// wait for it (or take it back) would return with the second half untouched, every time.
    /// </summary>
    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Step_WithTheHelperLate_ReturnsWithBothHalvesUpdated_HavingHandedTheSecondOver(string name)
    {
        (Parameter<float> large, Parameter<float> tail) = Pair();
        Optimizer<float> shared = Create(name), alone = Create(name);
        long handOffs = SecondCore.HandOffs, takenBack = SecondCore.TakenBack;
        SecondCore.Paused = true;
        try
        {
            shared.Step([large]);
        }
        finally
        {
            SecondCore.Paused = false;
        }

        alone.Step([tail]);
        if (WorkSplit.SharesUpdate(Length))
        {
            (SecondCore.HandOffs - handOffs).Should().Be(1, "a built-in update of a large parameter is cut in two");
            (SecondCore.TakenBack - takenBack).Should().Be(1, "the paused helper never starts the second half, so the caller takes it back");
        }

        large.Values[^tail.Length..].ToArray().Should().Equal(tail.Values.ToArray(), "the second half is updated before Step returns");
    }

    /// <summary>A step that finds the second core reserved by another caller does all the work itself and leaves the reservation alone.</summary>
    [Fact]
    public void Step_WhenTheSecondCoreIsReserved_UpdatesEverythingItselfAndLeavesTheReservation()
    {
        (Parameter<float> large, Parameter<float> tail) = Pair();
        Optimizer<float> shared = Create("adam"), alone = Create("adam");
        bool stillHeld = false;
        long handedOver = -1;
        HeldSecondCore.While(() =>
        {
            long handOffs = SecondCore.HandOffs;
            shared.Step([large]);
            handedOver = SecondCore.HandOffs - handOffs;
            stillHeld = !SecondCore.TryReserve();
        });

        alone.Step([tail]);
        stillHeld.Should().BeTrue("the step must not release a reservation it does not hold");
        handedOver.Should().Be(0);
        large.Values[^tail.Length..].ToArray().Should().Equal(tail.Values.ToArray());
    }

    /// <summary>A parameter large enough to be shared, and a copy of its second half small enough to be updated alone.</summary>
    private static (Parameter<float> Large, Parameter<float> Tail) Pair()
    {
        var large = new Parameter<float>("large", Length, 1);
        var tail = new Parameter<float>("tail", Length - WorkSplit.UpdateSplit(Length), 1);
        for (int i = 0; i < Length; i++)
        {
            large.Values[i] = 0.001f * (i % 1000);
            large.Gradients[i] = 1f + (i % 7);
        }

        large.Values[^tail.Length..].CopyTo(tail.Values);
        large.Gradients[^tail.Length..].CopyTo(tail.Gradients);
        return (large, tail);
    }

    private static Optimizer<float> Create(string name) => name switch
    {
        "sgd" => new SgdOptimizer<float>(0.1),
        "sgd-momentum" => new SgdOptimizer<float>(0.1, momentum: 0.9),
        "adam" => new AdamOptimizer<float>(0.01),
        "adamw" => new AdamWOptimizer<float>(0.01),
        _ => new RmsPropOptimizer<float>(0.01, momentum: 0.5, centered: true),
    };

}
