using System.Diagnostics;
using System.Globalization;
using NeuralNet.Tests.Training;

namespace NeuralNet.Tests;

/// <summary>
/// The test assembly's entry point (instead of the one the test SDK generates, which does nothing):
/// <c>dotnet NeuralNet.Tests.dll resume CHECKPOINT SCHEDULE EPOCHS OWNRANDOM OUTPUT</c> continues a
/// training checkpoint in a process of its own, for <see cref="Training.ResumeTests"/>; <c>dotnet NeuralNet.Tests.dll
/// one-setting-then-train</c> trains a network built after exactly one settings change, for
/// <see cref="Networks.SettingsCounterTests"/>; <c>dotnet NeuralNet.Tests.dll one-core-train</c> trains in a process limited
/// to one core, for <see cref="Kernels.CoresUsedTests"/>.
/// </summary>
public static class TestProgram
{
    /// <summary>Runs a command; returns 0 on success, 2 for unknown arguments.</summary>
    public static int Main(string[] args)
    {
        if (args.Length == 6 && args[0] == "resume")
        {
            ResumeScenario.Continue(args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture), bool.Parse(args[4]), args[5]);
            return 0;
        }

        if (args.Length == 1 && args[0] == Networks.SettingsCounterTests.Command)
        {
            return Networks.SettingsCounterTests.OneSettingThenTrain();
        }

        if (args.Length == 1 && args[0] == Kernels.CoresUsedTests.Command)
        {
            return Kernels.CoresUsedTests.OneCoreTrain();
        }

        return 2;
    }

    /// <summary>
    /// Runs this test assembly in a process of its own with <paramref name="arguments"/> (one of the commands above), and
    /// <paramref name="environment"/> added to this process's; returns its exit code and what it wrote.
    /// </summary>
    internal static (int ExitCode, string Output, string Errors) RunInNewProcess(IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(typeof(TestProgram).Assembly.Location);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync(); // both pipes drained at once: neither can fill and stall the child
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, errors);
    }
}
