using System.Globalization;

namespace NeuralNet.Benchmarks.Workloads;

/// <summary>The output format of WORKLOADS.md: metrics on stdout, diagnostics on stderr after "# ".</summary>
internal static class WorkloadOutput
{
    /// <summary>Prints <c>neuralnet &lt;workload&gt; &lt;metric&gt; &lt;value&gt;</c> on stdout, invariant culture.</summary>
    public static void Metric(string workload, string metric, double value)
        => Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"neuralnet {workload} {metric} {value:0.###}"));

    /// <summary>Prints a diagnostic line on stderr.</summary>
    public static void Note(FormattableString message)
        => Console.Error.WriteLine("# " + message.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// Nanoseconds this thread has spent on a CPU (Linux's schedstat; -1 elsewhere): beside the wall clock
    /// it shows how much of a timing was lost to other processes on a shared machine.
    /// </summary>
    public static long ThreadCpuNanoseconds()
    {
        const string path = "/proc/thread-self/schedstat";
        return File.Exists(path) && long.TryParse(File.ReadAllText(path).Split(' ')[0], out long ns) ? ns : -1;
    }
}
