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
}
