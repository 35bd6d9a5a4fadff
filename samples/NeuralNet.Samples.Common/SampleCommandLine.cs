using System.Globalization;
using System.Text;

namespace NeuralNet.Samples;

/// <summary>
/// The command line of a sample: the shared options (<c>--epochs</c>, <c>--learning-rate</c>,
/// <c>--batch-size</c>, <c>--seed</c>, <c>--output</c>, <c>--help</c>) with the sample's defaults, plus
/// any options of its own. Accepts <c>--name value</c> and <c>--name=value</c>.
/// </summary>
public sealed class SampleCommandLine
{
    private readonly List<(string Name, string Value, string Help)> _extras = [];

    /// <summary>Creates the command line of one sample.</summary>
    /// <param name="name">The sample's name, as in <c>dotnet run --project samples/NAME</c>.</param>
    /// <param name="description">One or two sentences on what the sample shows.</param>
    /// <param name="defaults">The default training settings.</param>
    public SampleCommandLine(string name, string description, SampleDefaults defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        Name = name;
        Description = description;
        Defaults = defaults;
    }

    /// <summary>The sample's name.</summary>
    public string Name { get; }

    /// <summary>What the sample shows.</summary>
    public string Description { get; }

    /// <summary>The default training settings.</summary>
    public SampleDefaults Defaults { get; }

    /// <summary>Adds an option of this sample's own, e.g. <c>--data DIR</c>.</summary>
    /// <param name="name">The option, with its two dashes.</param>
    /// <param name="valueName">The placeholder for its value in the help text, e.g. <c>DIR</c>.</param>
    /// <param name="help">What it does, and its default.</param>
    /// <returns>This command line, for chaining.</returns>
    public SampleCommandLine WithOption(string name, string valueName, string help)
    {
        _extras.Add((name, valueName, help));
        return this;
    }

    /// <summary>The text printed by <c>--help</c>.</summary>
    public string HelpText()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{Name}: {Description}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Usage: dotnet run --project samples/{Name} -- [options]");
        text.AppendLine();
        text.AppendLine("Options:");
        var rows = new List<(string, string)>
        {
            ("--epochs N", Invariant($"passes over the training data (default {Defaults.Epochs})")),
            ("--learning-rate X", Invariant($"step size of the optimizer, > 0 (default {Defaults.LearningRate})")),
            ("--batch-size N", Invariant($"samples per training step; 1 = per-sample SGD (default {Defaults.BatchSize})")),
            ("--seed N", Invariant($"seed of every random draw: weights, shuffling (default {Defaults.Seed})")),
            ("--output DIR", "folder for the PNG plots and the CSV history (default: current directory)"),
        };
        rows.AddRange(_extras.Select(e => ($"{e.Name} {e.Value}", e.Help)));
        rows.Add(("--help", "show this text and exit"));
        int width = rows.Max(r => r.Item1.Length);
        foreach ((string option, string help) in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {option.PadRight(width)}  {help}");
        }

        text.AppendLine();
        text.AppendLine("Exit codes: 0 success, 1 unexpected error, 2 bad option or missing data.");
        text.AppendLine("Colour is used only when the output is a terminal and NO_COLOR is not set.");
        return text.ToString();
    }

    /// <summary>Parses the arguments; null means <c>--help</c> was asked for.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <returns>The options, or null for <c>--help</c>.</returns>
    /// <exception cref="UsageException">An unknown option, a missing value or a value out of range.</exception>
    public SampleOptions? Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        int epochs = Defaults.Epochs;
        double learningRate = Defaults.LearningRate;
        int batchSize = Defaults.BatchSize;
        ulong seed = Defaults.Seed;
        string output = Directory.GetCurrentDirectory();
        var extra = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg is "--help" or "-h" or "-?")
            {
                return null;
            }

            string name = arg;
            string? value = null;
            int equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 0)
            {
                name = arg[..equals];
                value = arg[(equals + 1)..];
            }

            bool known = name is "--epochs" or "--learning-rate" or "--batch-size" or "--seed" or "--output"
                || _extras.Exists(e => e.Name == name);
            if (!known)
            {
                throw new UsageException($"unknown option '{arg}' (try --help).");
            }

            if (value is null)
            {
                if (i + 1 >= args.Count)
                {
                    throw new UsageException($"option {name} needs a value (try --help).");
                }

                value = args[++i];
            }

            switch (name)
            {
                case "--epochs":
                    epochs = ParseInt(name, value, 1);
                    break;
                case "--batch-size":
                    batchSize = ParseInt(name, value, 1);
                    break;
                case "--learning-rate":
                    learningRate = ParsePositive(name, value);
                    break;
                case "--seed":
                    seed = ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out ulong s)
                        ? s
                        : throw new UsageException($"option --seed needs a whole number ≥ 0 (received '{value}').");
                    break;
                case "--output":
                    output = value.Length > 0 ? Path.GetFullPath(value) : throw new UsageException("option --output needs a folder (received an empty value).");
                    break;
                default:
                    extra[name] = value;
                    break;
            }
        }

        return new SampleOptions(epochs, learningRate, batchSize, seed, output, extra);
    }

    private static int ParseInt(string name, string value, int min) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n) && n >= min
            ? n
            : throw new UsageException($"option {name} needs a whole number ≥ {min} (received '{value}').");

    private static double ParsePositive(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && x > 0 && double.IsFinite(x)
            ? x
            : throw new UsageException($"option {name} needs a number > 0 (received '{value}').");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
