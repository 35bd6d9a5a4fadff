using FluentAssertions;
using NeuralNet.Kernels;
using Xunit;

namespace NeuralNet.Tests.Kernels;

/// <summary>
/// The benchmark runner's measure of the host's state (<see cref="CrossCoreLatency"/>): a round trip between the caller and
/// the second-core thread, in nanoseconds, when the helper is free; no figure and no wait when another caller holds it;
/// and the helper free again afterwards.
/// </summary>
[Collection(nameof(SecondCoreHeld))] // alone: nobody else holds the helper while these run
public sealed class CrossCoreLatencyTests
{
    [Fact]
    public void Measure_WithTheHelperFree_GivesARoundTripAndFreesTheHelper()
    {
        if (!SecondCore.Exists)
        {
            return; // one core: there is no round trip to measure
        }

        double ns = CrossCoreLatency.Measure();
        ns.Should().BeGreaterThan(1, "a cache line takes tens of nanoseconds to go to another core and back")
            .And.BeLessThan(1e6, "and far less than a millisecond");
        HeldSecondCore.While(() => { }); // the helper can be reserved again: the measure released it
    }

    [Fact]
    public void Measure_WithTheHelperHeld_GivesNoFigureAtOnce()
        => HeldSecondCore.While(() => double.IsNaN(CrossCoreLatency.Measure()).Should().BeTrue("the helper is held by another caller"));
}
