using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Benchmarks.Workloads;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;

namespace NeuralNet.Benchmarks.Benchmarks;

/// <summary>One training step: W1's per-sample step (3-4-1 sigmoid, float64) and a W2 batch of 64 (784-128-10, float32, momentum).</summary>
[MemoryDiagnoser]
public class TrainStepBenchmarks
{
    private readonly Network<double> _seed = SeedWorkload.Build();
    private readonly Matrix<double> _seedInput = Matrix<double>.Build.DenseOfRowArrays([0.9, 0.7, 0.8]);
    private readonly Matrix<double> _seedTarget = Matrix<double>.Build.Dense(1, 1, 1.0);
    private readonly MeanSquaredError<double> _mse = new();
    private readonly SgdOptimizer<double> _sgd = new(0.5);

    private readonly Network<float> _fashion = new(1, new DenseLayer<float>(784, 128, new ReLU<float>()), new DenseLayer<float>(128, 10));
    private readonly Matrix<float> _fashionInput = Matrix<float>.Build.Dense(64, 784, (r, c) => ((r + c) % 13) / 13f);
    private readonly Matrix<float> _fashionTarget = Matrix<float>.Build.Dense(64, 1, (r, _) => r % 10);
    private readonly CategoricalCrossEntropy<float> _crossEntropy = new(fromLogits: true);
    private readonly SgdOptimizer<float> _momentum = new(0.05, momentum: 0.9);

    [Benchmark]
    public double SeedStep() => _seed.TrainStep(_seedInput, _seedTarget, _mse, _sgd);

    [Benchmark]
    public float FashionBatchStep() => _fashion.TrainStep(_fashionInput, _fashionTarget, _crossEntropy, _momentum);
}
