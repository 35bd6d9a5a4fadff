using System.Globalization;
using System.Numerics;
using System.Text;
using NeuralNet.Layers;

namespace NeuralNet;

/// <summary>One row of a <see cref="ModelSummary"/>: a layer (or a layer inside a block).</summary>
/// <param name="Name">Its position, e.g. <c>2</c>, or <c>2.1</c> for the first layer inside layer 2.</param>
/// <param name="Kind">Its kind, as <see cref="Layer{T}.Kind"/> gives it (the model file's name).</param>
/// <param name="Description">Its <see cref="object.ToString"/>: sizes and activation.</param>
/// <param name="OutputShape">The shape of its output, <c>(batch, features)</c>.</param>
/// <param name="TrainableParameters">Scalars an optimizer updates (its <see cref="Layer{T}.Parameters"/> that are not <see cref="Parameter{T}.Frozen"/>; a block's include its layers').</param>
/// <param name="FrozenParameters">Scalars of its parameters that are <see cref="Parameter{T}.Frozen"/>: kept as they are in training.</param>
/// <param name="NonTrainableValues">Scalars saved with it but not trained: its <see cref="Layer{T}.State"/> (running statistics).</param>
/// <param name="Depth">0 for a layer of the network, 1 for a layer inside a block, and so on.</param>
public sealed record LayerSummary(string Name, string Kind, string Description, string OutputShape, long TrainableParameters, long FrozenParameters, long NonTrainableValues, int Depth);

/// <summary>
/// What a network is made of, as Keras's <c>summary()</c> prints it: per layer its kind, output shape
/// and parameter counts, and the totals. Read from the layers' own self-description, so a user-written
/// layer appears like a built-in one. <see cref="ToString"/> gives the table.
/// </summary>
public sealed class ModelSummary
{
    internal ModelSummary(string title, int inputSize, IReadOnlyList<LayerSummary> layers)
    {
        Title = title;
        InputSize = inputSize;
        Layers = layers;
        TrainableParameters = layers.Where(l => l.Depth == 0).Sum(l => l.TrainableParameters);
        FrozenParameters = layers.Where(l => l.Depth == 0).Sum(l => l.FrozenParameters);
        NonTrainableValues = layers.Where(l => l.Depth == 0).Sum(l => l.NonTrainableValues);
    }

    /// <summary>The network's element type and size, e.g. <c>Network&lt;Single&gt;: 784 → 10</c>.</summary>
    public string Title { get; }

    /// <summary>Features per input row.</summary>
    public int InputSize { get; }

    /// <summary>The layers, input first; a block's layers follow it with a greater <see cref="LayerSummary.Depth"/>.</summary>
    public IReadOnlyList<LayerSummary> Layers { get; }

    /// <summary>Total trainable scalars (equals <see cref="Network{T}.ParameterCount"/>).</summary>
    public long TrainableParameters { get; }

    /// <summary>Total scalars of frozen parameters (<see cref="Parameter{T}.Frozen"/>): parameters training leaves as they are.</summary>
    public long FrozenParameters { get; }

    /// <summary>Total scalars saved but not trained (running statistics).</summary>
    public long NonTrainableValues { get; }

    /// <summary>All scalars a saved model holds besides the optimizer's state.</summary>
    public long TotalValues => TrainableParameters + FrozenParameters + NonTrainableValues;

    /// <summary>Describes the layers of <paramref name="network"/>.</summary>
    internal static ModelSummary Of<T>(Network<T> network)
        where T : struct, IFloatingPointIeee754<T>
    {
        var rows = new List<LayerSummary>();
        for (int i = 0; i < network.Layers.Count; i++)
        {
            Add(rows, network.Layers[i], i.ToString(CultureInfo.InvariantCulture), 0);
        }

        return new ModelSummary($"Network<{typeof(T).Name}>: {network.InputSize} → {network.OutputSize}", network.InputSize, rows);
    }

    /// <summary>The table: one row per layer, then the totals.</summary>
    /// <returns>Lines separated by <see cref="Environment.NewLine"/>.</returns>
    public override string ToString()
    {
        string[] header = ["#", "layer", "output shape", "trainable", "frozen", "non-trainable"];
        List<string[]> cells = [header, [string.Empty, $"input", $"(batch, {InputSize})", string.Empty, string.Empty, string.Empty]];
        cells.AddRange(Layers.Select(l => new[]
        {
            l.Name, new string(' ', 2 * l.Depth) + (l.Depth > 0 ? "└ " : string.Empty) + $"{l.Kind}: {l.Description}", l.OutputShape,
            Count(l.TrainableParameters), Count(l.FrozenParameters), Count(l.NonTrainableValues),
        }));
        int[] widths = Enumerable.Range(0, header.Length).Select(c => cells.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        text.AppendLine(Title);
        string rule = new('-', widths.Sum() + 2 * (widths.Length - 1));
        for (int r = 0; r < cells.Count; r++)
        {
            var line = new StringBuilder();
            for (int c = 0; c < widths.Length; c++)
            {
                string cell = cells[r][c];
                line.Append(c >= 3 ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]));
                if (c < widths.Length - 1)
                {
                    line.Append("  ");
                }
            }

            text.AppendLine(line.ToString().TrimEnd());
            if (r == 0)
            {
                text.AppendLine(rule);
            }
        }

        text.AppendLine(rule);
        text.AppendLine(CultureInfo.InvariantCulture, $"trainable parameters: {Count(TrainableParameters)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"frozen parameters: {Count(FrozenParameters)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"non-trainable values: {Count(NonTrainableValues)}");
        text.Append(CultureInfo.InvariantCulture, $"total: {Count(TotalValues)}");
        return text.ToString();
    }

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static void Add<T>(List<LayerSummary> rows, Layer<T> layer, string name, int depth)
        where T : struct, IFloatingPointIeee754<T>
    {
        rows.Add(new LayerSummary(
            name, layer.Kind, layer.ToString() ?? layer.Kind, $"(batch, {layer.OutputSize})",
            layer.Parameters.Where(p => !p.Frozen).Sum(p => (long)p.Length), layer.Parameters.Where(p => p.Frozen).Sum(p => (long)p.Length),
            layer.State.Sum(s => (long)s.Length), depth));
        for (int i = 0; i < layer.Sublayers.Count; i++)
        {
            Add(rows, layer.Sublayers[i], $"{name}.{i + 1}", depth + 1);
        }
    }
}
