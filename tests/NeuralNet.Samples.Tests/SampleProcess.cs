using System.Diagnostics;

namespace NeuralNet.Samples.Tests;

/// <summary>Runs a sample's program (built into the test output folder) as its own process, output redirected.</summary>
internal static class SampleProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>Runs <paramref name="sample"/> with <paramref name="args"/>, as wide as an 80-column terminal.</summary>
    public static SampleRun Run(string sample, string workingDirectory, params string[] args) => RunWithColumns(sample, workingDirectory, 80, args);

    /// <summary>Runs <paramref name="sample"/> with <c>COLUMNS</c> set to <paramref name="columns"/>.</summary>
    public static SampleRun RunWithColumns(string sample, string workingDirectory, int columns, params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, $"NeuralNet.Samples.{sample}.dll");
        File.Exists(dll).Should().BeTrue($"the sample {sample} is built next to the tests ({dll})");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.Environment["COLUMNS"] = columns.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{sample} {string.Join(' ', args)} did not finish within {Timeout}.");
        }

        return new SampleRun(process.ExitCode, stdout.Result, stderr.Result);
    }
}

/// <summary>What a sample run left: its exit code and everything it printed.</summary>
internal sealed record SampleRun(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit code {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
}
