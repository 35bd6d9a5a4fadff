using System.Runtime.Intrinsics.X86;
using FluentAssertions;
using NeuralNet.Kernels;
using Xunit;

namespace NeuralNet.Tests.Kernels;

/// <summary>
/// The processor's name and caches reach the kernels on every system: from Linux's files where they exist, else from
/// the processor through <c>CPUID</c> (<see cref="Cpuid"/>), which must then report what Linux reports from the same
/// leaves, else from sizes assumed and said to be.
/// </summary>
public class MachineProfileTests
{
    private const string CacheDirectory = "/sys/devices/system/cpu/cpu0/cache";

    [Fact]
    public void Decode_GivesTheKindLevelAndSizeOfEachCache()
    {
        // An Intel core's L1 data cache: 12 ways, 1 partition, 64-byte lines, 64 sets (48 KB); fields stored minus one.
        Cpuid.Decode(1 | (1 << 5), (11 << 22) | 63, 63)
            .Should().Be(new Cpuid.CacheLevel(Cpuid.CacheKind.Data, 1, 48 << 10));

        // Its L2: unified, 16 ways, 2048 sets (2 MB); an L3 of 15 ways, 2 partitions, 32768 sets (60 MB).
        Cpuid.Decode(3 | (2 << 5), (15 << 22) | 63, 2047)
            .Should().Be(new Cpuid.CacheLevel(Cpuid.CacheKind.Unified, 2, 2 << 20));
        Cpuid.Decode(3 | (3 << 5), (14 << 22) | (1 << 12) | 63, 32767)
            .Should().Be(new Cpuid.CacheLevel(Cpuid.CacheKind.Unified, 3, 15L * 2 * 64 * 32768));

        // An instruction cache is told apart; kind 0 ends the list, and reserved kinds count as its end too.
        Cpuid.Decode(2 | (1 << 5), (7 << 22) | 63, 63).Kind.Should().Be(Cpuid.CacheKind.Instruction);
        Cpuid.Decode(0, (7 << 22) | 63, 63).Should().Be(default(Cpuid.CacheLevel));
        Cpuid.Decode(5 | (1 << 5), (7 << 22) | 63, 63).Should().Be(default(Cpuid.CacheLevel));

        // Every field of EBX at its widest, and 2^30 sets: the product is formed in 64 bits.
        Cpuid.Decode(3 | (3 << 5), -1, (1 << 30) - 1).Bytes.Should().Be(1L << 62);
    }

    [SkippableFact]
    public void OnX86Linux_CpuidReportsTheCachesLinuxReports()
    {
        Skip.IfNot(X86Base.IsSupported && Directory.Exists(CacheDirectory), "needs an x86 processor and Linux's cache files to compare with");

        // CPUID describes the core this thread runs on; on a processor with two kinds of core (Intel's hybrid parts) the
        // caches differ between cores, so its size must be one that Linux reports for some core.
        string[] cores = Directory.GetDirectories("/sys/devices/system/cpu", "cpu*")
            .Select(core => Path.Combine(core, "cache")).Where(Directory.Exists).ToArray();
        for (int level = 1; level <= 3; level++)
        {
            long[] system = cores.Select(cache => MachineProfile.SystemCacheBytes(cache, level)).Where(bytes => bytes > 0).Distinct().ToArray();
            if (system.Length > 0)
            {
                system.Should().Contain(Cpuid.CacheBytes(level), $"Linux fills its level-{level} cache files from the same CPUID leaf");
            }
        }

        MachineProfile.SystemCacheBytes(CacheDirectory, 2).Should().BePositive("every x86 processor Linux runs on here reports an L2");
        MachineProfile.CacheSource.Should().Be("/sys");
    }

    [Fact]
    public void WithoutLinuxsFiles_TheCachesComeFromCpuid_ElseFromTheAssumedSizes()
    {
        string missing = Path.Combine(Path.GetTempPath(), "no-such-cache-directory-" + Guid.NewGuid().ToString("N"));

        for (int level = 1; level <= 3; level++)
        {
            (long bytes, string source) = MachineProfile.CacheBytes(missing, level, fallback: 12345);
            long processor = Cpuid.CacheBytes(level);
            if (processor > 0)
            {
                (bytes, source).Should().Be((processor, "CPUID"));
            }
            else
            {
                (bytes, source).Should().Be((12345L, "assumed"));
            }
        }

        if (X86Base.IsSupported)
        {
            MachineProfile.CacheBytes(missing, 2, fallback: 12345).Source.Should().Be("CPUID", "every x86 processor of this century describes its L2");
        }
        else
        {
            Cpuid.CacheBytes(2).Should().Be(0, "only x86 has CPUID");
        }
    }

    [SkippableFact]
    public void WithoutCpuinfo_TheNameIsTheProcessorsBrandString()
    {
        Skip.IfNot(X86Base.IsSupported && File.Exists("/proc/cpuinfo"), "needs an x86 processor and Linux's /proc/cpuinfo to compare with");

        string fromLinux = MachineProfile.ReadProcessorName("/proc/cpuinfo");
        string missing = Path.Combine(Path.GetTempPath(), "no-such-cpuinfo-" + Guid.NewGuid().ToString("N"));

        Cpuid.BrandString().Should().Be(fromLinux, "Linux's model name is the brand string");
        MachineProfile.ReadProcessorName(missing).Should().Be(fromLinux);
        MachineProfile.ProcessorName.Should().Be(fromLinux);
    }

    [Fact]
    public void Describe_SaysWhereTheCacheSizesCameFrom()
    {
        MachineProfile.Describe().Should().Contain($"L3 {MachineProfile.L3Bytes >> 20} MB (from {MachineProfile.CacheSource}); chosen:");
        MachineProfile.CacheSource.Should().BeOneOf("/sys", "CPUID", "assumed");
    }

    [Fact]
    public void Describe_NamesTheMicroKernelsTile()
    {
        // The Vector128 kernel's width depends on the processor (12 columns on Arm64, 4 elsewhere): the line says which.
        int columns = GemmKernels.ColumnsPerTile(GemmKernels.Best);
        columns.Should().Be(GemmKernels.Best switch
        {
            GemmKernel.Vector512 => 12,
            GemmKernel.Vector256 => 6,
            _ => System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.IsSupported ? 12 : 4,
        });
        MachineProfile.Describe().Should().Contain($"chosen: {GemmKernels.Best} micro-kernel (2 vectors × {columns} columns), blocks kc");
    }
}
