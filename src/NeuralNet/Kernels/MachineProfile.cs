using System.Globalization;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Kernels;

/// <summary>
/// What the running processor reports, read once: its name, the cores this process may use, the widest
/// accelerated vector, and the data cache sizes per core (Linux's <c>/sys/devices/system/cpu/cpu0/cache</c>;
/// elsewhere, sizes common to current x64 and Arm cores). The kernels size their blocks and decide the
/// two-core split from it rather than from constants of one machine.
/// </summary>
internal static class MachineProfile
{
    private const string CacheDirectory = "/sys/devices/system/cpu/cpu0/cache";

    /// <summary>The processor's name (<c>/proc/cpuinfo</c>'s model name), or the architecture when unknown.</summary>
    public static string ProcessorName { get; } = ReadProcessorName();

    /// <summary>Cores this process may run on (its affinity).</summary>
    public static int Cores { get; } = Environment.ProcessorCount;

    /// <summary>The widest vector the processor accelerates, in bits.</summary>
    public static int VectorBits { get; } =
        Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 128;

    /// <summary>Level-1 data cache per core, in bytes (32 KB when the system does not say).</summary>
    public static int L1DataBytes { get; } = CacheBytes(1, 32 << 10);

    /// <summary>Level-2 cache per core, in bytes (1 MB when the system does not say).</summary>
    public static int L2Bytes { get; } = CacheBytes(2, 1 << 20);

    /// <summary>Level-3 cache (shared), in bytes (8 MB when the system does not say).</summary>
    public static long L3Bytes { get; } = CacheBytes(3, 8 << 20);

    /// <summary>
    /// Whether the processor is AMD's (x86 vendor <c>AuthenticAMD</c>, or Hygon's <c>HygonGenuine</c>: the same Zen cores).
    /// Their L3 cache is filled by what each core's L2 evicts, which decides how the step's undo copy is best written
    /// (<see cref="Elementwise.StreamsCopy{T}(int)"/>). Tests set it to run the other processors' path.
    /// </summary>
    public static bool IsAmd { get; internal set; } = ReadIsAmd();

    /// <summary>One line for logs and benchmark output: the processor, what it reports, and what the kernels chose from it.</summary>
    public static string Describe()
        => string.Create(
            CultureInfo.InvariantCulture,
            $"{ProcessorName}; {Cores} cores, {VectorBits}-bit vectors, L1d {L1DataBytes >> 10} KB, L2 {L2Bytes >> 10} KB, L3 {L3Bytes >> 20} MB; chosen: {GemmKernels.Best} micro-kernel, blocks kc {GemmDriver.BlockDepth} mc {GemmDriver.BlockRows} (float {GemmDriver.RowsPerBlock<float>()}) nc {GemmDriver.BlockColumns}, {(WorkSplit.TwoCores ? "two cores from 2^20 multiply-adds / 2^15 updated values, shared packed blocks from 2^26" : "one core")}, {(DirectGemm.Supported<float>() ? $"unpacked products of up to {WorkSplit.DirectRowsLimit} rows or {WorkSplit.DirectColumnsLimit} columns ({(DirectGemm.Wide ? "" : $"op(A) not read at {WorkSplit.AliasedColumnBytes >> 10} KB strides; ")}{(DirectGemm.Supported<double>() ? "float and double" : "float")})" : "every product packed")}, undo copy {(Elementwise.StreamsCopy<float>(int.MaxValue / 4) ? $"streamed past the caches from {Math.Max(Elementwise.SmallestStreamedCopyBytes, L2Bytes / Elementwise.StreamedShareOfL2) >> 10} KB" : "stored through the caches")}");

    private static bool ReadIsAmd()
    {
        if (!X86Base.IsSupported)
        {
            return false;
        }

        // CPUID leaf 0 spells the vendor in EBX, EDX, ECX: "Auth" "enti" "cAMD" and "Hygo" "nGen" "uine", little-endian.
        (_, int ebx, int ecx, int edx) = X86Base.CpuId(0, 0);
        return (ebx, edx, ecx) is (0x6874_7541, 0x6974_6E65, 0x444D_4163) or (0x6F67_7948, 0x6E65_476E, 0x656E_6975);
    }

    private static string ReadProcessorName()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                foreach (string line in File.ReadLines("/proc/cpuinfo"))
                {
                    if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':', StringComparison.Ordinal) is int colon and > 0)
                    {
                        return line[(colon + 1)..].Trim();
                    }
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
    }

    private static int CacheBytes(int level, int fallback)
    {
        try
        {
            if (!Directory.Exists(CacheDirectory))
            {
                return fallback;
            }

            foreach (string index in Directory.EnumerateDirectories(CacheDirectory, "index*"))
            {
                string type = ReadText(Path.Combine(index, "type"));
                if (ReadText(Path.Combine(index, "level")) == level.ToString(CultureInfo.InvariantCulture) && type is "Data" or "Unified")
                {
                    return ParseSize(ReadText(Path.Combine(index, "size"))) is long bytes and > 0 and <= int.MaxValue ? (int)bytes : fallback;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return fallback;
    }

    private static string ReadText(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : string.Empty;

    /// <summary>Parses sysfs sizes such as <c>48K</c>, <c>2048K</c>, <c>300M</c>; 0 when unreadable.</summary>
    internal static long ParseSize(string text)
    {
        if (text.Length == 0)
        {
            return 0;
        }

        long unit = char.ToUpperInvariant(text[^1]) switch { 'K' => 1L << 10, 'M' => 1L << 20, 'G' => 1L << 30, _ => 1 };
        string digits = unit == 1 ? text : text[..^1];
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long value) ? value * unit : 0;
    }
}
