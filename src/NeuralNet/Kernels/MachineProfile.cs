using System.Globalization;
using System.Runtime.Intrinsics;

namespace NeuralNet.Kernels;

/// <summary>
/// What the running processor reports, read once: its name, the cores this process may use, the widest
/// accelerated vector, and the data cache sizes per core. The kernels size their blocks and decide the
/// two-core split from it rather than from constants of one machine.
/// </summary>
/// <remarks>
/// The name and the caches come from Linux's <c>/proc/cpuinfo</c> and <c>/sys/devices/system/cpu/cpu0/cache</c>; where
/// those are missing (Windows, macOS), from the processor itself through x86's <c>CPUID</c> (<see cref="Cpuid"/>, the
/// leaves Linux fills those files from); and only where neither answers (an Arm processor off Linux), from sizes common
/// to current cores. <see cref="CacheSource"/> says which, and <see cref="Describe"/> prints it.
/// </remarks>
internal static class MachineProfile
{
    private const string CacheDirectory = "/sys/devices/system/cpu/cpu0/cache";

    /// <summary>The processor's name (<c>/proc/cpuinfo</c>'s model name, else <c>CPUID</c>'s brand string), or the architecture when unknown.</summary>
    public static string ProcessorName { get; } = ReadProcessorName("/proc/cpuinfo");

    /// <summary>Cores this process may run on (its affinity).</summary>
    public static int Cores { get; } = Environment.ProcessorCount;

    /// <summary>The widest vector the processor accelerates, in bits.</summary>
    public static int VectorBits { get; } =
        Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 128;

    /// <summary>Level-1 data cache per core, in bytes (32 KB when neither the system nor the processor says).</summary>
    public static int L1DataBytes { get; } = (int)CacheBytes(CacheDirectory, 1, 32 << 10).Bytes;

    private static readonly (long Bytes, string Source) L2 = CacheBytes(CacheDirectory, 2, 1 << 20);

    /// <summary>Level-2 cache per core, in bytes (1 MB when neither the system nor the processor says).</summary>
    public static int L2Bytes { get; } = (int)L2.Bytes;

    /// <summary>Level-3 cache (shared), in bytes (8 MB when neither the system nor the processor says).</summary>
    public static long L3Bytes { get; } = CacheBytes(CacheDirectory, 3, 8 << 20).Bytes;

    /// <summary>Where the level-2 size (the one the blocks depend on most) came from: <c>/sys</c>, <c>CPUID</c> or <c>assumed</c>.</summary>
    public static string CacheSource { get; } = L2.Source;

    /// <summary>
    /// Whether the processor is AMD's (x86 vendor <c>AuthenticAMD</c>, or Hygon's <c>HygonGenuine</c>: the same Zen cores).
    /// Their L3 cache is filled by what each core's L2 evicts, which decides how the step's undo copy is best written
    /// (<see cref="Elementwise.StreamsCopy{T}(int)"/>). Tests set it to run the other processors' path.
    /// </summary>
    public static bool IsAmd { get; internal set; } = Cpuid.VendorIsAmd();

    /// <summary>One line for logs and benchmark output: the processor, what it reports, and what the kernels chose from it.</summary>
    public static string Describe()
        => string.Create(
            CultureInfo.InvariantCulture,
            $"{ProcessorName}; {Cores} cores, {VectorBits}-bit vectors, L1d {L1DataBytes >> 10} KB, L2 {L2Bytes >> 10} KB, L3 {L3Bytes >> 20} MB (from {CacheSource}); chosen: {GemmKernels.Best} micro-kernel (2 vectors × {GemmKernels.ColumnsPerTile(GemmKernels.Best)} columns), blocks kc {GemmDriver.BlockDepth} mc {GemmDriver.BlockRows} (float {GemmDriver.RowsPerBlock<float>()}) nc {GemmDriver.BlockColumns}, {(WorkSplit.TwoCores ? "two cores from 2^20 multiply-adds / 2^15 updated values, shared packed blocks from 2^26" : "one core")}, {(DirectGemm.Supported<float>() ? $"unpacked products of up to {WorkSplit.DirectRowsLimit} rows or {WorkSplit.DirectColumnsLimit} columns ({(DirectGemm.Wide ? "" : $"op(A) not read at {WorkSplit.AliasedColumnBytes >> 10} KB strides; ")}{(DirectGemm.Supported<double>() ? "float and double" : "float")})" : "every product packed")}, undo copy {(Elementwise.StreamsCopy<float>(int.MaxValue / 4) ? $"streamed past the caches from {Math.Max(Elementwise.SmallestStreamedCopyBytes, L2Bytes / Elementwise.StreamedShareOfL2) >> 10} KB" : "stored through the caches")}");

    /// <summary>The model name in <paramref name="cpuinfo"/> (Linux's <c>/proc/cpuinfo</c>), else the processor's brand string, else the architecture.</summary>
    internal static string ReadProcessorName(string cpuinfo)
    {
        try
        {
            if (File.Exists(cpuinfo))
            {
                foreach (string line in File.ReadLines(cpuinfo))
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

        return Cpuid.BrandString() ?? System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
    }

    /// <summary>
    /// The data or unified cache at <paramref name="level"/>, in bytes, and where that came from: the system's files in
    /// <paramref name="directory"/> (<c>/sys</c>), else the processor (<c>CPUID</c>), else <paramref name="fallback"/> (<c>assumed</c>).
    /// </summary>
    internal static (long Bytes, string Source) CacheBytes(string directory, int level, long fallback)
        => SystemCacheBytes(directory, level) is > 0 and <= int.MaxValue and var system ? (system, "/sys")
            : Cpuid.CacheBytes(level) is > 0 and <= int.MaxValue and var processor ? (processor, "CPUID")
            : (fallback, "assumed");

    /// <summary>The size Linux's cache files in <paramref name="directory"/> give the data or unified cache at <paramref name="level"/>; 0 when they do not.</summary>
    internal static long SystemCacheBytes(string directory, int level)
    {
        try
        {
            if (!Directory.Exists(directory))
            {
                return 0;
            }

            foreach (string index in Directory.EnumerateDirectories(directory, "index*"))
            {
                string type = ReadText(Path.Combine(index, "type"));
                if (ReadText(Path.Combine(index, "level")) == level.ToString(CultureInfo.InvariantCulture) && type is "Data" or "Unified")
                {
                    return ParseSize(ReadText(Path.Combine(index, "size")));
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return 0;
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
