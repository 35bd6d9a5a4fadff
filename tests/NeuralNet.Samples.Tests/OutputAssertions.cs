using System.Globalization;
using System.Text.RegularExpressions;

namespace NeuralNet.Samples.Tests;

/// <summary>Checks shared by every sample run: success, plain text, width, and numbers read back from the output.</summary>
internal static class OutputAssertions
{
    public static void ShouldHaveSucceededInPlainText(this SampleRun run)
    {
        run.ExitCode.Should().Be(0, run.ToString());
        run.Error.Should().BeEmpty(run.ToString());
        run.Output.Should().NotContain("\u001b", "redirected output must carry no ANSI escape codes");
        run.Output.Should().NotContain("\r", "the live progress bar is drawn only on a terminal");
    }

    /// <summary>Every line of the output fits <paramref name="columns"/> (one column per character: the samples print no double-width ones).</summary>
    /// <summary>Every line fits, except those naming a file under <paramref name="folder"/> (paths are printed whole).</summary>
    public static void ShouldFit(this SampleRun run, int columns, string? folder = null) => run.Output.ShouldFit(columns, folder);

    public static void ShouldFit(this string text, int columns, string? folder = null)
    {
        string[] wide = text.ReplaceLineEndings("\n").Split('\n')
            .Where(l => l.TrimEnd().Length > columns && (folder is null || !l.Contains(folder, StringComparison.Ordinal))).ToArray();
        wide.Should().BeEmpty($"every line fits {columns} columns\n{text}");
    }

    /// <summary>The first number matched by the group "n" of <paramref name="pattern"/>.</summary>
    public static double Number(this SampleRun run, string pattern)
    {
        Match match = Regex.Match(run.Output, pattern, RegexOptions.Multiline);
        match.Success.Should().BeTrue($"the output should match /{pattern}/\n{run}");
        return double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
    }
}
