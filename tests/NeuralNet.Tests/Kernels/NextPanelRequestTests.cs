using FluentAssertions;
using NeuralNet.Kernels;
using Xunit;

namespace NeuralNet.Tests.Kernels;

/// <summary>
/// While a B̂ panel's tiles run, each tile requests its share of the next panel (<see cref="GemmDriver.NextPanelShare{T}"/>):
/// the shares must be whole cache lines and together cover the whole next panel, for floats only, and nothing where a
/// block has a single tile.
/// </summary>
public class NextPanelRequestTests
{
    [Theory]
    [InlineData(512, 256, 32, 12)] // a float block of the Vector512 kernel: 16 tiles, a panel of 12 KB
    [InlineData(530, 234, 32, 12)] // an edge tile and an uneven depth
    [InlineData(64, 196, 32, 12)] // two tiles
    [InlineData(96, 7, 32, 12)] // a panel smaller than a line per tile
    [InlineData(256, 256, 16, 6)] // a float block of the Vector256 kernel (an AVX2 CPU's): 16 tiles, a panel of 6 KB
    public void FloatShares_AreWholeLines_AndCoverTheNextPanel(int mc, int kc, int mr, int nr)
    {
        int share = GemmDriver.NextPanelShare<float>(mc, kc, mr, nr);
        if (!System.Runtime.Intrinsics.X86.Sse.IsSupported)
        {
            share.Should().Be(0, "the requests are x86 instructions");
            return;
        }

        int tiles = (mc + mr - 1) / mr;
        share.Should().BePositive();
        (share % 64).Should().Be(0, "a share is whole cache lines");
        ((long)share * tiles).Should().BeGreaterThanOrEqualTo((long)kc * nr * sizeof(float), "the tiles' shares together cover the next panel");
        ((long)share * (tiles - 1)).Should().BeLessThan((long)kc * nr * sizeof(float) + 64, "no tile's share lies wholly past the panel but the rounding");
    }

    [Fact]
    public void DoublesAndSingleTileBlocks_RequestNothing()
    {
        GemmDriver.NextPanelShare<double>(256, 256, 16, 12).Should().Be(0, "the double kernel requests its own B̂ lines");
        GemmDriver.NextPanelShare<float>(32, 256, 32, 12).Should().Be(0, "a block of one tile has no tiles to spread the requests over");
        GemmDriver.NextPanelShare<float>(20, 256, 32, 12).Should().Be(0);
    }
}
