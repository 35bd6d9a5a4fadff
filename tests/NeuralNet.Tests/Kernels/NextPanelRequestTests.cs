using FluentAssertions;
using NeuralNet.Kernels;
using Xunit;

namespace NeuralNet.Tests.Kernels;

/// <summary>
/// While a B̂ panel's tiles run, each tile requests its share of the next panel (<see cref="GemmDriver.NextPanelShare{T}"/>):
/// the shares must be whole cache lines and together cover the whole next panel; nothing for the Vector512 kernel's doubles
/// (it requests its own B̂ lines) or the Vector128 kernel, and nothing where a block has a single tile.
/// </summary>
public class NextPanelRequestTests
{
    [Theory]
    [InlineData(512, 256, 32, 12, false)] // a float block of the Vector512 kernel: 16 tiles, a panel of 12 KB
    [InlineData(530, 234, 32, 12, false)] // an edge tile and an uneven depth
    [InlineData(64, 196, 32, 12, false)] // two tiles
    [InlineData(96, 7, 32, 12, false)] // a panel smaller than a line per tile
    [InlineData(256, 256, 16, 6, false)] // a float block of the Vector256 kernel (an AVX2 CPU's): 16 tiles, a panel of 6 KB
    [InlineData(256, 256, 8, 6, true)] // a double block of the Vector256 kernel: 32 tiles, a panel of 12 KB
    [InlineData(120, 200, 8, 6, true)] // 15 tiles, another depth
    public void Shares_AreWholeLines_AndCoverTheNextPanel(int mc, int kc, int mr, int nr, bool doubles)
    {
        GemmKernel kernel = nr == 6 ? GemmKernel.Vector256 : GemmKernel.Vector512;
        int size = doubles ? sizeof(double) : sizeof(float);
        int share = doubles ? GemmDriver.NextPanelShare<double>(kernel, mc, kc, mr, nr) : GemmDriver.NextPanelShare<float>(kernel, mc, kc, mr, nr);
        if (!System.Runtime.Intrinsics.X86.Sse.IsSupported)
        {
            share.Should().Be(0, "the requests are x86 instructions");
            return;
        }

        int tiles = (mc + mr - 1) / mr;
        share.Should().BePositive();
        (share % 64).Should().Be(0, "a share is whole cache lines");
        ((long)share * tiles).Should().BeGreaterThanOrEqualTo((long)kc * nr * size, "the tiles' shares together cover the next panel");
        ((long)share * (tiles - 1)).Should().BeLessThan((long)kc * nr * size + 64, "no tile's share lies wholly past the panel but the rounding");
    }

    [Fact]
    public void Vector512Doubles_Vector128_AndSingleTileBlocks_RequestNothing()
    {
        GemmDriver.NextPanelShare<double>(GemmKernel.Vector512, 256, 256, 16, 12).Should().Be(0, "the Vector512 double kernel requests its own B̂ lines");
        GemmDriver.NextPanelShare<float>(GemmKernel.Vector128, 256, 256, 8, 4).Should().Be(0, "the Vector128 kernel requests nothing");
        GemmDriver.NextPanelShare<float>(GemmKernel.Vector512, 32, 256, 32, 12).Should().Be(0, "a block of one tile has no tiles to spread the requests over");
        GemmDriver.NextPanelShare<float>(GemmKernel.Vector512, 20, 256, 32, 12).Should().Be(0);
        GemmDriver.NextPanelShare<double>(GemmKernel.Vector256, 8, 256, 8, 6).Should().Be(0);
    }
}
