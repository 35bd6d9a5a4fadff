using Spectre.Console;

namespace NeuralNet.Samples;

/// <summary>
/// The entry point every sample goes through: parses the options, prints <c>--help</c>, and turns
/// problems into one clear line on standard error and an exit code.
/// </summary>
public static class SampleApp
{
    /// <summary>Exit code of a run that finished.</summary>
    public const int SuccessExitCode = 0;

    /// <summary>Exit code of an unexpected failure.</summary>
    public const int ErrorExitCode = 1;

    /// <summary>Exit code of a bad option or a missing data set (something the person can fix).</summary>
    public const int UsageExitCode = 2;

    /// <summary>Runs a sample on the process's console.</summary>
    /// <param name="commandLine">The sample's options and defaults.</param>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="body">The sample itself; returns its exit code.</param>
    /// <returns>The process exit code.</returns>
    public static int Run(SampleCommandLine commandLine, string[] args, Func<SampleOptions, IAnsiConsole, int> body)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        ArgumentNullException.ThrowIfNull(body);
        IAnsiConsole console = SampleConsole.ForStandardOutput();
        try
        {
            SampleOptions? options = commandLine.Parse(args);
            Console.Out.Write(options is null ? commandLine.HelpText(console.Profile.Width) : string.Empty);
            return options is null ? SuccessExitCode : body(options, console);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"{commandLine.Name}: {e.Message}");
            return UsageExitCode;
        }
#pragma warning disable CA1031 // the entry point reports any failure as one message and exit code 1
        catch (Exception e)
#pragma warning restore CA1031
        {
            Console.Error.WriteLine($"{commandLine.Name}: unexpected error: {e}");
            return ErrorExitCode;
        }
        finally
        {
            Console.Out.Flush();
        }
    }
}
