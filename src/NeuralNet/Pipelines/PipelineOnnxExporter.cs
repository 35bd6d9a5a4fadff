using System.Numerics;
using NeuralNet.Onnx;
using NeuralNet.Serialization;

namespace NeuralNet.Pipelines;

/// <summary>The ONNX graph of a whole pipeline: preprocessing operators, the network's, and the output decoding (see <see cref="ModelPipeline{T}.ExportOnnx(string)"/>).</summary>
internal static class PipelineOnnxExporter
{
    private const long OnnxFloat = 1;

    public static void Export<T>(ModelPipeline<T> pipeline, string path)
        where T : struct, IFloatingPointIeee754<T>
    {
        ProtobufWriter model = Build(pipeline);
        AtomicFile.Write(path, nameof(path), model.CopyTo);
    }

    public static void Export<T>(ModelPipeline<T> pipeline, Stream stream)
        where T : struct, IFloatingPointIeee754<T>
    {
        ShapeCheck.Writable(stream, nameof(stream));
        Build(pipeline).CopyTo(stream);
    }

    private static ProtobufWriter Build<T>(ModelPipeline<T> pipeline)
        where T : struct, IFloatingPointIeee754<T>
    {
        long dataType = OnnxGraph<T>.DataType;
        var graph = new OnnxGraph<T>();
        var inputs = new List<(string Name, long ElementType, object[] Dims)>();
        var parts = new List<string>();
        if (pipeline.NumericColumnCount > 0)
        {
            inputs.Add(("input", dataType, ["batch", (long)pipeline.NumericColumnCount]));
            string numeric = "input";
            if (pipeline.InputScaler is { } scaler)
            {
                graph.VectorInitializer("pipeline.center", scaler.Center);
                graph.VectorInitializer("pipeline.scale", scaler.Scale);
                graph.Node("Sub", ["input", "pipeline.center"], "pipeline.centered");
                graph.Node("Div", ["pipeline.centered", "pipeline.scale"], "pipeline.scaled"); // x' = (x − center)/scale
                numeric = "pipeline.scaled";
            }

            parts.Add(numeric);
        }

        for (int c = 0; c < pipeline.ColumnNames.Count; c++)
        {
            if (pipeline.Categories[c] is not { } encoder)
            {
                continue;
            }

            string name = pipeline.ColumnNames[c];
            if (name == "input" || name.StartsWith("pipeline.", StringComparison.Ordinal) || name is "probabilities" or "label" or "output")
            {
                throw new NotSupportedException($"The categorical column '{name}' cannot be an ONNX input: its name is one the exported graph uses itself; rename the column.");
            }

            inputs.Add((name, OnnxGraph<T>.StringType, ["batch", 1L]));
            string prefix = $"pipeline.column{c}";
            graph.DomainNode("ai.onnx.ml", "OneHotEncoder", [name], $"{prefix}.onehot3", ("cats_strings", encoder.Categories.ToArray()), ("zeros", 0L));
            graph.Int64Initializer($"{prefix}.shape", [2], [-1, encoder.Count]);
            graph.Node("Reshape", [$"{prefix}.onehot3", $"{prefix}.shape"], $"{prefix}.onehot32");
            if (dataType == OnnxFloat)
            {
                parts.Add($"{prefix}.onehot32");
            }
            else
            {
                graph.Node("Cast", [$"{prefix}.onehot32"], $"{prefix}.onehot", ("to", dataType));
                parts.Add($"{prefix}.onehot");
            }
        }

        string features = parts[0];
        if (parts.Count > 1)
        {
            graph.Node("Concat", parts.ToArray(), "pipeline.features", ("axis", 1L));
            features = "pipeline.features";
        }

        OnnxExporter.AddNetwork(graph, pipeline.Network, features, "pipeline.network", "network.");
        var outputs = new List<(string Name, long ElementType, object[] Dims)>();
        switch (pipeline)
        {
            case ClassifierPipeline<T> classifier:
                AddClassifierOutputs(graph, classifier);
                outputs.Add(("probabilities", dataType, ["batch", (long)classifier.Classes.Count]));
                outputs.Add(("label", OnnxGraph<T>.StringType, ["batch"]));
                break;
            case RegressorPipeline<T> regressor:
                if (regressor.TargetScaler is { } target)
                {
                    graph.VectorInitializer("pipeline.target_scale", target.Scale);
                    graph.VectorInitializer("pipeline.target_center", target.Center);
                    graph.Node("Mul", ["pipeline.network", "pipeline.target_scale"], "pipeline.unscaled");
                    graph.Node("Add", ["pipeline.unscaled", "pipeline.target_center"], "output"); // y = y'·scale + center
                }
                else
                {
                    graph.Node("Identity", ["pipeline.network"], "output");
                }

                outputs.Add(("output", dataType, ["batch", (long)pipeline.Network.OutputSize]));
                break;
            default:
                throw new NotSupportedException($"The pipeline {pipeline.GetType().Name} has no ONNX form.");
        }

        return graph.ToModel(inputs, outputs, $"{typeof(PipelineOnnxExporter).Assembly.GetName().Version}");
    }

    private static void AddClassifierOutputs<T>(OnnxGraph<T> graph, ClassifierPipeline<T> classifier)
        where T : struct, IFloatingPointIeee754<T>
    {
        if (classifier.Network.OutputSize == 1)
        {
            string p = "pipeline.network";
            if (!classifier.OutputsProbabilities)
            {
                graph.Node("Sigmoid", ["pipeline.network"], "pipeline.p1");
                p = "pipeline.p1";
            }

            graph.Node("Sub", [graph.Constant(1), p], "pipeline.p0");
            graph.Node("Concat", ["pipeline.p0", p], "probabilities", ("axis", 1L)); // [1 − p, p]
        }
        else if (classifier.OutputsProbabilities)
        {
            graph.Node("Identity", ["pipeline.network"], "probabilities");
        }
        else
        {
            graph.Node("Softmax", ["pipeline.network"], "probabilities", ("axis", 1L));
        }

        graph.Node("ArgMax", ["probabilities"], "pipeline.label_index", ("axis", 1L), ("keepdims", 0L), ("select_last_index", 0L));
        graph.StringInitializer("pipeline.classes", classifier.Classes);
        graph.Node("Gather", ["pipeline.classes", "pipeline.label_index"], "label", ("axis", 0L));
    }
}
