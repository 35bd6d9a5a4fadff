using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;

namespace NeuralNet.Benchmarks.Benchmarks;

/// <summary>The latency of predicting one sample with W2's network (784-128 ReLU-10, float32) into a caller-supplied output.</summary>
[MemoryDiagnoser]
public class PredictBenchmarks
{
    private readonly Network<float> _network = new(1, new DenseLayer<float>(784, 128, new ReLU<float>()), new DenseLayer<float>(128, 10));
    private readonly Matrix<float> _input = Matrix<float>.Build.Dense(1, 784, (_, c) => (c % 17) / 17f);
    private readonly Matrix<float> _output = Matrix<float>.Build.Dense(1, 10);

    [Benchmark]
    public void PredictOneSample() => _network.Predict(_input, _output);
}
