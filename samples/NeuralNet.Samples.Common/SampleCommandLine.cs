using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;

namespace NeuralNet.Samples;

/// <summary>
/// The command line of a sample (System.CommandLine): the shared options (<c>--epochs</c>,
/// <c>--learning-rate</c>, <c>--batch-size</c>, <c>--seed</c>, <c>--output</c>, <c>--help</c>) with the
/// sample's defaults, plus any options of its own (<see cref="Add{T}"/>).
/// </summary>
public sealed class SampleCommandLine
{
    private readonly Option<int> _epochs, _batchSize;
    private readonly Option<double> _learningRate;
    private readonly Option<ulong> _seed;
    private readonly Option<string> _output;

    /// <summary>Creates the command line of one sample.</summary>
    /// <param name="name">The sample's name, as in <c>dotnet run --project samples/NAME</c>.</param>
    /// <param name="description">One or two sentences on what the sample shows.</param>
    /// <param name="defaults">The default training settings.</param>
    public SampleCommandLine(string name, string description, SampleOptions defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        Name = name;
        _epochs = WholeNumber("--epochs", "passes over the training data", defaults.Epochs, 1);
        _learningRate = Create("--learning-rate", "step size of the optimizer, > 0", "X", defaults.LearningRate, "a number > 0", (string text, out double x) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out x) && x > 0 && double.IsFinite(x));
        _batchSize = WholeNumber("--batch-size", "samples per training step; 1 = per-sample SGD", defaults.BatchSize, 1);
        _seed = Create("--seed", "seed of every random draw: weights, shuffling, the validation rows", "N", defaults.Seed, "a whole number ≥ 0", (string text, out ulong n) =>
            ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out n));
        _output = new Option<string>("--output") { Description = "folder for the PNG plots and the CSV history (default: the current directory)", HelpName = "DIR" };
        Command = new RootCommand(
            $"{name}: {description}\n\nRun it with: dotnet run --project samples/{name} -- [options]\n"
            + "Exit codes: 0 success, 1 unexpected error, 2 bad option or missing data.\n"
            + "Colour and the live progress bar appear only on a terminal (colour only when NO_COLOR is unset); "
            + "redirected output is plain text, as wide as COLUMNS (80 by default).")
        {
            _epochs, _learningRate, _batchSize, _seed, _output,
        };

        // RootCommand lists a --version; a sample has none to show, and Parse would ignore it and train.
        Command.Options.Remove(Command.Options.OfType<VersionOption>().Single());
    }

    private delegate bool TryParse<T>(string text, out T value);

    /// <summary>The sample's name.</summary>
    public string Name { get; }

    /// <summary>The System.CommandLine command behind it.</summary>
    public RootCommand Command { get; }

    /// <summary>An option of whole numbers in [<paramref name="min"/>, <paramref name="max"/>], with its default, whose errors name the option and the value received.</summary>
    /// <param name="name">The option, with its two dashes.</param>
    /// <param name="description">What it does.</param>
    /// <param name="defaultValue">Its default.</param>
    /// <param name="min">The smallest value accepted.</param>
    /// <param name="max">The largest value accepted.</param>
    /// <returns>The option (add it with <see cref="Add{T}"/>).</returns>
    public static Option<int> WholeNumber(string name, string description, int defaultValue, int min, int max = int.MaxValue) =>
        Create(name, description, "N", defaultValue, max == int.MaxValue ? $"a whole number ≥ {min}" : $"a whole number from {min} to {max}", (string text, out int n) =>
            int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n) && n >= min && n <= max);

    /// <summary>Adds an option of this sample's own, e.g. <c>--data DIR</c>.</summary>
    /// <typeparam name="T">The option's value type.</typeparam>
    /// <param name="option">The option.</param>
    /// <returns>The option, to read its value with <see cref="SampleOptions.Get{T}"/>.</returns>
    public Option<T> Add<T>(Option<T> option)
    {
        Command.Options.Add(option);
        return option;
    }

    /// <summary>The text printed by <c>--help</c>, wrapped at <paramref name="width"/> columns.</summary>
    /// <param name="width">The widest line.</param>
    /// <returns>The help text.</returns>
    public string HelpText(int width = 80)
    {
        var output = new StringWriter(CultureInfo.InvariantCulture);
        ParseResult help = Command.Parse(["--help"]);
        ((HelpAction)help.Action!).MaxWidth = width;
        help.Invoke(new InvocationConfiguration { Output = output, Error = output });
        return output.ToString();
    }

    /// <summary>Parses the arguments; null means <c>--help</c> was asked for.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <returns>The options, or null for <c>--help</c>.</returns>
    /// <exception cref="UsageException">An unknown option, a missing value or a value out of range.</exception>
    public SampleOptions? Parse(IReadOnlyList<string> args)
    {
        ParseResult result = Command.Parse(args);
        return result.Action is HelpAction ? null
            : result.Errors.Count > 0 ? throw new UsageException($"{result.Errors[0].Message} (try --help)")
            : new SampleOptions(result.GetValue(_epochs), result.GetValue(_learningRate), result.GetValue(_batchSize), result.GetValue(_seed), result.GetValue(_output) is { Length: > 0 } output ? Path.GetFullPath(output) : Directory.GetCurrentDirectory())
            {
                Parsed = result,
            };
    }

    // System.CommandLine's own messages name the type (System.Int32); ours say what is accepted and what was received.
    private static Option<T> Create<T>(string name, string description, string helpName, T defaultValue, string expected, TryParse<T> tryParse) => new(name)
    {
        Description = description,
        HelpName = helpName,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            string text = string.Join(' ', result.Tokens.Select(t => t.Value));
            if (tryParse(text, out T value))
            {
                return value;
            }

            result.AddError($"option {name} needs {expected} (received '{text}').");
            return default!;
        },
    };
}
