using System.Globalization;
using System.Text.RegularExpressions;

namespace NeuralNet.Samples.Tests;

/// <summary>Checks shared by every sample run: success, plain text, and numbers read back from the output.</summary>
internal static class OutputAssertions
{
    public static void ShouldHaveSucceededInPlainText(this SampleRun run)
    {
        run.ExitCode.Should().Be(0, run.ToString());
        run.Error.Should().BeEmpty(run.ToString());
        run.Output.Should().NotContain("\u001b", "redirected output must carry no ANSI escape codes");
        run.Output.Should().NotContain("\r", "the live progress bar is drawn only on a terminal");
    }

    /// <summary>The first number matched by the group "n" of <paramref name="pattern"/>.</summary>
    public static double Number(this SampleRun run, string pattern)
    {
        Match match = Regex.Match(run.Output, pattern, RegexOptions.Multiline);
        match.Success.Should().BeTrue($"the output should match /{pattern}/\n{run}");
        return double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
    }
}
