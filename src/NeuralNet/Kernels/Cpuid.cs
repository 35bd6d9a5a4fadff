using System.Runtime.Intrinsics.X86;
using System.Text;

namespace NeuralNet.Kernels;

/// <summary>
/// What an x86 processor says of itself through the <c>CPUID</c> instruction, on any operating system: its brand string
/// and the size of each data cache. <see cref="MachineProfile"/> asks it where the system offers no
/// <c>/sys/devices/system/cpu</c> or <c>/proc/cpuinfo</c> to read (Windows, macOS, a container that hides them); on
/// Linux those files are filled from these same leaves. On other processors it reports nothing.
/// </summary>
internal static class Cpuid
{
    /// <summary>Intel's (and Zhaoxin's) leaf of deterministic cache parameters, one sub-leaf per cache.</summary>
    private const uint IntelCacheLeaf = 4;

    /// <summary>AMD's (and Hygon's) leaf of the same layout, present where the topology extensions are.</summary>
    private const uint AmdCacheLeaf = 0x8000_001D;

    /// <summary>The leaf whose EAX is the highest extended leaf.</summary>
    private const uint ExtendedLeaves = 0x8000_0000;

    /// <summary>The first of the three leaves of the brand string.</summary>
    private const uint BrandLeaf = 0x8000_0002;

    /// <summary>
    /// The processor's brand string (leaves 0x80000002-0x80000004, as <c>/proc/cpuinfo</c>'s model name shows it),
    /// or null where there is none.
    /// </summary>
    public static string? BrandString()
    {
        if (!X86Base.IsSupported || (uint)Leaf(ExtendedLeaves, 0).Eax < BrandLeaf + 2)
        {
            return null;
        }

        Span<byte> text = stackalloc byte[48];
        for (int i = 0; i < 3; i++)
        {
            (int eax, int ebx, int ecx, int edx) = Leaf(BrandLeaf + (uint)i, 0);
            Span<byte> part = text.Slice(16 * i, 16);
            BitConverter.TryWriteBytes(part, eax);
            BitConverter.TryWriteBytes(part[4..], ebx);
            BitConverter.TryWriteBytes(part[8..], ecx);
            BitConverter.TryWriteBytes(part[12..], edx);
        }

        string brand = Encoding.ASCII.GetString(text).TrimEnd('\0').Trim();
        return brand.Length > 0 ? brand : null;
    }

    /// <summary>Whether the vendor is AMD (<c>AuthenticAMD</c>) or Hygon (<c>HygonGenuine</c>, the same Zen cores).</summary>
    public static bool VendorIsAmd()
    {
        if (!X86Base.IsSupported)
        {
            return false;
        }

        // Leaf 0 spells the vendor in EBX, EDX, ECX: "Auth" "enti" "cAMD" and "Hygo" "nGen" "uine", little-endian.
        (_, int ebx, int ecx, int edx) = X86Base.CpuId(0, 0);
        return (ebx, edx, ecx) is (0x6874_7541, 0x6974_6E65, 0x444D_4163) or (0x6F67_7948, 0x6E65_476E, 0x656E_6975);
    }

    /// <summary>
    /// Bytes of the data or unified cache at <paramref name="level"/> (1, 2, 3) that the processor's cache leaf describes
    /// for the core running this, or 0 where it describes none (another processor, a hypervisor that hides the leaf).
    /// </summary>
    public static long CacheBytes(int level)
    {
        if (!X86Base.IsSupported)
        {
            return 0;
        }

        uint leaf = VendorIsAmd()
            ? (uint)Leaf(ExtendedLeaves, 0).Eax >= AmdCacheLeaf ? AmdCacheLeaf : 0
            : (uint)Leaf(0, 0).Eax >= IntelCacheLeaf ? IntelCacheLeaf : 0;
        if (leaf == 0)
        {
            return 0;
        }

        for (int index = 0; index < 16; index++)
        {
            (int eax, int ebx, int ecx, _) = Leaf(leaf, index);
            CacheLevel cache = Decode(eax, ebx, ecx);
            if (cache.Kind == CacheKind.None)
            {
                break; // the end of the list
            }

            if (cache.Level == level && cache.Kind != CacheKind.Instruction)
            {
                return cache.Bytes;
            }
        }

        return 0;
    }

    /// <summary>
    /// Decodes one sub-leaf of either cache leaf. Its size is ways × partitions × line size × sets, each field stored
    /// as one less than its value: ways in EBX bits 31-22, partitions in bits 21-12, the line size in bits 11-0, sets
    /// in ECX; the kind is EAX bits 4-0 (0 ends the list) and the level EAX bits 7-5.
    /// </summary>
    internal static CacheLevel Decode(int eax, int ebx, int ecx)
    {
        var kind = (CacheKind)(eax & 0x1F);
        if (kind is not (CacheKind.Data or CacheKind.Instruction or CacheKind.Unified))
        {
            return default;
        }

        long ways = ((uint)ebx >> 22) + 1L;
        long partitions = (((uint)ebx >> 12) & 0x3FF) + 1L;
        long lineBytes = ((uint)ebx & 0xFFF) + 1L;
        long sets = (uint)ecx + 1L;
        return new CacheLevel(kind, (eax >> 5) & 0x7, ways * partitions * lineBytes * sets);
    }

    /// <summary>Runs <c>CPUID</c> for <paramref name="leaf"/> (leaves from 0x80000000 are negative as the int the instruction takes).</summary>
    private static (int Eax, int Ebx, int Ecx, int Edx) Leaf(uint leaf, int subLeaf) => X86Base.CpuId(unchecked((int)leaf), subLeaf);

    /// <summary>The kind of cache a sub-leaf describes (EAX bits 4-0).</summary>
    internal enum CacheKind
    {
        /// <summary>No cache: the end of the list.</summary>
        None = 0,

        /// <summary>Data only.</summary>
        Data = 1,

        /// <summary>Instructions only.</summary>
        Instruction = 2,

        /// <summary>Data and instructions.</summary>
        Unified = 3,
    }

    /// <summary>One cache as a sub-leaf describes it: its kind, level and size in bytes.</summary>
    internal readonly record struct CacheLevel(CacheKind Kind, int Level, long Bytes);
}
