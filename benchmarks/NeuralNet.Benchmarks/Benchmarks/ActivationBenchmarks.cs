using BenchmarkDotNet.Attributes;
using NeuralNet.Activations;

namespace NeuralNet.Benchmarks.Benchmarks;

/// <summary>Every built-in activation's forward and backward pass on a 64 × 128 float batch (W2's hidden layer).</summary>
[MemoryDiagnoser]
public class ActivationBenchmarks
{
    private const int Rows = 64, Columns = 128;
    private readonly float[] _z = new float[Rows * Columns], _a = new float[Rows * Columns];
    private readonly float[] _gradient = new float[Rows * Columns], _result = new float[Rows * Columns];
    private ActivationFunction<float> _activation = null!;

    [Params("identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "softplus", "silu", "gelu", "softmax")]
    public string Activation { get; set; } = "relu";

    [GlobalSetup]
    public void Setup()
    {
        _activation = Activation switch
        {
            "identity" => new Identity<float>(),
            "sigmoid" => new Sigmoid<float>(),
            "tanh" => new Tanh<float>(),
            "relu" => new ReLU<float>(),
            "leaky_relu" => new LeakyReLU<float>(),
            "elu" => new ELU<float>(),
            "selu" => new SELU<float>(),
            "softplus" => new Softplus<float>(),
            "silu" => new SiLU<float>(),
            "gelu" => new GELU<float>(),
            _ => new Softmax<float>(),
        };
        var random = new RandomSource(7);
        for (int i = 0; i < _z.Length; i++)
        {
            _z[i] = (float)(3 * random.NextGaussian());
            _gradient[i] = (float)random.NextGaussian();
        }

        _activation.Forward(_z, _a, Rows, Columns);
    }

    [Benchmark]
    public void Forward() => _activation.Forward(_z, _result, Rows, Columns);

    [Benchmark]
    public void Backward() => _activation.Backward(_z, _a, _gradient, _result, Rows, Columns);
}
