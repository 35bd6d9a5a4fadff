using System.Reflection;
using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Initializers;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Onnx;
using NeuralNet.Optimizers;
using NeuralNet.Pipelines;
using NeuralNet.Serialization;
using NeuralNet.Training;

namespace NeuralNet.Tests.Hardening;

/// <summary>
/// Valid arguments and receivers for every public constructor and method of the library, in one small, consistent
/// world of <c>double</c>s: 4 rows of 2 features, 2 one-hot classes ("a", "b"), a 2 → 2 softmax network. A checklist
/// test replaces one argument at a time by a bad value; every other argument comes from here, so the bad one is
/// the only thing wrong with the call. Each instance is new (calls may train, fit or write).
/// </summary>
internal sealed class SurfaceSamples : IDisposable
{
    private TrainingContext<double>? _context;
    private TrainingHistory? _history;

    public SurfaceSamples()
    {
        Folder = Path.Combine(Path.GetTempPath(), "neuralnet-surface-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        File.WriteAllText(CsvPath, "a,b\n1,0\n0,1\n1,0\n0,1\n");
    }

    public string Folder { get; }

    public string CsvPath => Path.Combine(Folder, "data.csv");

    public static Matrix<double> Rows() => Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 0 }, { 0, 1 }, { 1, 0 }, { 0, 1 } });

    public static double[][] Jagged() => [[1, 0], [0, 1], [1, 0], [0, 1]];

    public static Network<double> Network() => new(1, new DenseLayer<double>(2, 2, new Softmax<double>()));

    /// <summary>Puts <paramref name="layer"/> in a network and runs a forward pass, so that its Backward may run.</summary>
    public static Network<double> Attached(Layer<double> layer)
    {
        var network = new Network<double>(1, layer);
        network.Forward(Rows(), training: true);
        return network;
    }

    /// <summary>A valid value for a parameter, or <see cref="Missing"/> when this world has none for its type.</summary>
    public object? Value(ParameterInfo parameter)
    {
        Type type = parameter.ParameterType;
        string name = parameter.Name ?? "";
        if (parameter.HasDefaultValue && (!type.IsValueType || type.IsPrimitive || type.IsEnum) && name is not ("sourceName"))
        {
            return parameter.DefaultValue is DBNull ? Missing : parameter.DefaultValue;
        }

        return Value(type, name);
    }

    public object? Value(Type type, string name)
    {
        if (type == typeof(int))
        {
            return name switch { "classes" or "inputColumns" or "targetColumns" or "rows" or "columns" => 2, "k" or "row" or "index" or "epoch" or "targetColumn" => 0, "count" => 4, _ => 1 };
        }

        if (type == typeof(long) || type == typeof(ulong) || type == typeof(uint))
        {
            return Convert.ChangeType(1, type, null);
        }

        if (type == typeof(double))
        {
            return name switch { "value" or "loss" => 0.5, "testFraction" or "rate" => 0.5, "tolerance" => 1e-3, _ => 0.5 };
        }

        if (type == typeof(bool))
        {
            return false;
        }

        if (type.IsEnum)
        {
            return Enum.GetValues(type).GetValue(0);
        }

        if (type == typeof(CancellationToken))
        {
            return CancellationToken.None;
        }

        if (type == typeof(string))
        {
            return name switch
            {
                "path" => Path.Combine(Folder, "out.bin"),
                "targetColumn" => "b",
                "kind" or "name" => "surface-check",
                _ => "a",
            };
        }

        if (type == typeof(Matrix<double>))
        {
            return Rows();
        }

        if (type == typeof(Vector<double>))
        {
            return Vector<double>.Build.Dense([1.0, 0.0]);
        }

        if (type == typeof(double[][]))
        {
            return Jagged();
        }

        if (type == typeof(double[,]))
        {
            return Rows().ToArray();
        }

        if (type == typeof(double[]))
        {
            return new[] { 0.5, 0.25 };
        }

        if (type == typeof(long[]))
        {
            return new long[] { 2 };
        }

        if (type == typeof(int[]))
        {
            return new[] { 0, 1, 0, 1 };
        }

        if (type == typeof(string[]))
        {
            return name == "names" ? new[] { "a" } : new[] { "x" };
        }

        if (type == typeof((string, object)[]))
        {
            return Array.Empty<(string, object)>();
        }

        if (type.IsAssignableFrom(typeof(int[])))
        {
            return name == "hiddenLayerSizes" ? new[] { 2 } : new[] { 0, 1, 0, 1 };
        }

        if (type.IsAssignableFrom(typeof(string[])))
        {
            return name is "labels" or "values" ? new[] { "a", "b", "a", "b" } : new[] { "a", "b" };
        }

        if (type.IsAssignableFrom(typeof(double[])))
        {
            return name switch
            {
                "targets" => new[] { 0.1, 0.2, 0.3, 0.4 },
                "values" => new[] { 1.0, 2.0, 3.0, 4.0 },
                "maximum" or "standardDeviation" => new[] { 1.0, 1.0 },
                _ => new[] { 0.0, 0.0 },
            };
        }

        if (type.IsAssignableFrom(typeof(double[][])))
        {
            return Jagged();
        }

        if (type.IsAssignableFrom(typeof(TableColumn[])))
        {
            return Table().Columns.ToArray();
        }

        if (type == typeof(Table))
        {
            return Table();
        }

        if (type == typeof(TableColumn))
        {
            return TableColumn.Numeric("x0", [1, 0, 1, 0]);
        }

        if (type == typeof(Stream))
        {
            return new MemoryStream();
        }

        if (type == typeof(TextReader))
        {
            return new StringReader("a,b\n1,0\n0,1\n");
        }

        if (type == typeof(Network<double>))
        {
            return Network();
        }

        if (type == typeof(Layer<double>))
        {
            return new DenseLayer<double>(2, 2);
        }

        if (type == typeof(Layer<double>[]) || type.IsAssignableFrom(typeof(Layer<double>[])))
        {
            return new Layer<double>[] { new DenseLayer<double>(2, 2, new Softmax<double>()) };
        }

        if (type == typeof(LossFunction<double>))
        {
            return new CategoricalCrossEntropy<double>();
        }

        if (type == typeof(Optimizer<double>))
        {
            return new SgdOptimizer<double>(0.1);
        }

        if (type == typeof(ActivationFunction<double>))
        {
            return new Tanh<double>();
        }

        if (type == typeof(WeightInitializer))
        {
            return WeightInitializer.GlorotUniform;
        }

        if (type.IsAssignableFrom(typeof(Parameter<double>[])))
        {
            return Network().Parameters.ToArray();
        }

        if (type == typeof(RandomSource))
        {
            return new RandomSource(1);
        }

        if (type == typeof(Dataset<double>))
        {
            return new Dataset<double>(Rows(), Rows());
        }

        if (type == typeof(Func<IEnumerable<Dataset<double>>>))
        {
            return (Func<IEnumerable<Dataset<double>>>)(() => [new Dataset<double>(Rows(), Rows())]);
        }

        if (type == typeof(BatchSource<double>))
        {
            return BatchSources.FromChunks<double>(2, 2, () => [new Dataset<double>(Rows(), Rows())]);
        }

        if (type == typeof(OnnxGraph<double>))
        {
            return new OnnxGraph<double>();
        }

        if (type == typeof(TrainingContext<double>))
        {
            return Context();
        }

        if (type == typeof(TrainingState<double>))
        {
            return Context().CaptureState();
        }

        if (type == typeof(EpochRecord))
        {
            return Record();
        }

        if (type == typeof(TrainingOptions))
        {
            return new TrainingOptions { Epochs = 1 };
        }

        if (type == typeof(OneHotEncoder))
        {
            return new OneHotEncoder(["a", "b"]);
        }

        if (type == typeof(FeatureScaler<double>))
        {
            return new StandardScaler<double>([0.0, 0.0], [1.0, 1.0]);
        }

        if (type == typeof(ILayerFactory))
        {
            return new NoLayers();
        }

        if (type == typeof(IActivationFactory))
        {
            return new NoActivations();
        }

        if (type == typeof(JsonObject))
        {
            return new JsonObject();
        }

        if (type == typeof(Exception))
        {
            return new InvalidOperationException("inner");
        }

        return Missing;
    }

    /// <summary>A receiver for an instance method declared on <paramref name="type"/> (a closed type).</summary>
    public object? Instance(Type type)
    {
        Type open = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        if (open == typeof(Network<>))
        {
            Network<double> network = Network();
            network.Forward(Rows(), training: true); // so that Backward has a forward pass to go back through
            return network;
        }

        if (open == typeof(DenseLayer<>) || open == typeof(Layer<>))
        {
            var layer = new DenseLayer<double>(2, 2, new Softmax<double>());
            Attached(layer);
            return layer;
        }

        if (open == typeof(DropoutLayer<>) || open == typeof(BatchNormalization<>) || open == typeof(LayerNormalization<>))
        {
            var layer = (Layer<double>)Activator.CreateInstance(type, open == typeof(DropoutLayer<>) ? [2, 0.5] : open == typeof(BatchNormalization<>) ? [2, 0.1, 1e-5] : [2, 1e-5])!;
            Attached(layer);
            return layer;
        }

        if (open == typeof(ResidualBlock<>))
        {
            var block = new ResidualBlock<double>(new DenseLayer<double>(2, 2));
            Attached(block);
            return block;
        }

        if (open == typeof(ActivationFunction<>) || open == typeof(ElementwiseActivationFunction<>))
        {
            return new Tanh<double>();
        }

        if (open == typeof(LossFunction<>))
        {
            return new MeanSquaredError<double>();
        }

        if (open == typeof(Optimizer<>))
        {
            return new SgdOptimizer<double>(0.1);
        }

        if (open == typeof(FeatureScaler<>) || open == typeof(StandardScaler<>))
        {
            return new StandardScaler<double>([0.0, 0.0], [1.0, 1.0]);
        }

        if (open == typeof(MinMaxScaler<>))
        {
            return new MinMaxScaler<double>([0.0, 0.0], [1.0, 1.0]);
        }

        if (open == typeof(Dataset<>))
        {
            return new Dataset<double>(Rows(), Rows());
        }

        if (type == typeof(ConfusionMatrix))
        {
            return new ConfusionMatrix([0, 1], [0, 1], 2);
        }

        if (type == typeof(OneHotEncoder))
        {
            return new OneHotEncoder(["a", "b"]);
        }

        if (type == typeof(Table))
        {
            return Table();
        }

        if (type == typeof(TableColumn))
        {
            return TableColumn.Text("c", ["a", "b"]);
        }

        if (open == typeof(ClassifierPipeline<>) || open == typeof(ModelPipeline<>))
        {
            return new ClassifierPipeline<double>(Network(), ["a", "b"]);
        }

        if (open == typeof(RegressorPipeline<>))
        {
            return new RegressorPipeline<double>(new Network<double>(1, new DenseLayer<double>(2, 1)));
        }

        if (open == typeof(MlpClassifier<>) || open == typeof(MlpEstimator<>))
        {
            var classifier = new MlpClassifier<double>([2], seed: 1) { MaxEpochs = 2, EarlyStopping = false };
            classifier.Fit(Jagged(), ["a", "b", "a", "b"]); // fitted, so that only the argument can be wrong
            return classifier;
        }

        if (open == typeof(MlpRegressor<>))
        {
            var regressor = new MlpRegressor<double>([2], seed: 1) { MaxEpochs = 2, EarlyStopping = false };
            regressor.Fit(Jagged(), [0.1, 0.2, 0.3, 0.4]);
            return regressor;
        }

        if (open == typeof(OnnxGraph<>))
        {
            return new OnnxGraph<double>();
        }

        if (open == typeof(Trainer<>))
        {
            return new Trainer<double>(Network(), new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1), new TrainingOptions { Epochs = 1 });
        }

        if (open == typeof(CsvLogger<>))
        {
            return new CsvLogger<double>(Path.Combine(Folder, "log.csv"));
        }

        if (open == typeof(ModelCheckpoint<>))
        {
            return new ModelCheckpoint<double>(Path.Combine(Folder, "checkpoint.bin"), 1);
        }

        if (open == typeof(EarlyStoppingCallback<>))
        {
            return new EarlyStoppingCallback<double>(new EarlyStopping());
        }

        if (open == typeof(TrainingCallback<>))
        {
            return new NoCallback();
        }

        if (type == typeof(TrainingHistory))
        {
            return History();
        }

        if (type == typeof(LearningRateSchedule) || type == typeof(ConstantSchedule))
        {
            return new ConstantSchedule();
        }

        if (type == typeof(ReduceOnPlateauSchedule))
        {
            return new ReduceOnPlateauSchedule();
        }

        if (type == typeof(EpochRecord))
        {
            return Record();
        }

        if (type == typeof(RandomSource))
        {
            return new RandomSource(1);
        }

        if (type.IsAbstract)
        {
            return Missing;
        }

        ConstructorInfo? simplest = type.GetConstructors().Where(c => c.GetParameters().All(p => p.HasDefaultValue)).OrderBy(c => c.GetParameters().Length).FirstOrDefault();
        return simplest?.Invoke(simplest.GetParameters().Select(p => p.DefaultValue).ToArray()) ?? Missing;
    }

    /// <summary>Marks a type or receiver this world cannot make (the checklist lists them as failures).</summary>
    public static readonly object Missing = new();

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static EpochRecord Record() => new() { Epoch = 1, TrainingLoss = 0.5, ValidationLoss = 0.5, LearningRate = 0.1, Duration = TimeSpan.FromSeconds(1), Elapsed = TimeSpan.FromSeconds(1) };

    private static Table Table() => new([TableColumn.Numeric("x0", [1, 0, 1, 0]), TableColumn.Numeric("x1", [0, 1, 0, 1])]);

    private TrainingContext<double> Context()
    {
        if (_context is null)
        {
            var capture = new CaptureCallback();
            var trainer = new Trainer<double>(Network(), new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1), new TrainingOptions { Epochs = 1 });
            trainer.Callbacks.Add(capture);
            _history = trainer.Fit(Rows(), Rows());
            _context = capture.Context!;
        }

        return _context;
    }

    private TrainingHistory History()
    {
        Context();
        return _history!;
    }

    private sealed class CaptureCallback : TrainingCallback<double>
    {
        public TrainingContext<double>? Context { get; private set; }

        public override void OnEpochEnd(TrainingContext<double> context) => Context = context;
    }

    private sealed class NoCallback : TrainingCallback<double>;

    private sealed class NoLayers : ILayerFactory
    {
        public Layer<T> Create<T>(JsonObject config)
            where T : struct, System.Numerics.IFloatingPointIeee754<T> => throw new NotSupportedException();
    }

    private sealed class NoActivations : IActivationFactory
    {
        public ActivationFunction<T> Create<T>(JsonObject config)
            where T : struct, System.Numerics.IFloatingPointIeee754<T> => throw new NotSupportedException();
    }
}
