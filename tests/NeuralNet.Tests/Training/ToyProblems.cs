using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;

namespace NeuralNet.Tests.Training;

/// <summary>Small seeded problems for trainer tests.</summary>
internal static class ToyProblems
{
    /// <summary>Three Gaussian blobs in 2-D (σ = 0.5), class indices as an N × 1 target.</summary>
    public static (Matrix<double> X, Matrix<double> Y) Blobs(int n, ulong seed)
    {
        var random = new RandomSource(seed);
        double[][] centers = [[-2, 0], [2, 0], [0, 2.5]];
        var x = Matrix<double>.Build.Dense(n, 2);
        var y = Matrix<double>.Build.Dense(n, 1);
        for (int i = 0; i < n; i++)
        {
            int k = i % 3;
            x[i, 0] = centers[k][0] + (0.5 * random.NextGaussian());
            x[i, 1] = centers[k][1] + (0.5 * random.NextGaussian());
            y[i, 0] = k;
        }

        return (x, y);
    }

    /// <summary>y = 2x₀ − x₁ + 0.5 + 0.1·noise.</summary>
    public static (Matrix<double> X, Matrix<double> Y) Linear(int n, ulong seed)
    {
        var random = new RandomSource(seed);
        var x = Matrix<double>.Build.Dense(n, 2, (_, _) => random.NextGaussian());
        var y = Matrix<double>.Build.Dense(n, 1, (i, _) => (2 * x[i, 0]) - x[i, 1] + 0.5 + (0.1 * random.NextGaussian()));
        return (x, y);
    }

    public static Network<double> Classifier(ulong seed) => new(seed, new DenseLayer<double>(2, 8, new Tanh<double>()), new DenseLayer<double>(8, 3, new Softmax<double>()));

    public static Network<double> Regressor(ulong seed) => new(seed, new DenseLayer<double>(2, 8, new Tanh<double>()), new DenseLayer<double>(8, 1));

    public static double[] Weights(Network<double> network) => network.Parameters.SelectMany(p => p.Values.ToArray()).ToArray();
}

/// <summary>An identity layer that records column 0 of every training batch it sees (put sample ids there).</summary>
internal sealed class RecordingLayer(int size) : Layer<double>
{
    public List<double[]> Batches { get; } = [];

    public override int InputSize => size;

    public override int OutputSize => size;

    public override Matrix<double> Forward(Matrix<double> input, bool training)
    {
        if (training)
        {
            Batches.Add(input.Column(0).ToArray());
        }

        return input;
    }

    public override Matrix<double>? Backward(Matrix<double> outputGradient, bool computeInputGradient = true) => outputGradient;

    public override void Predict(Matrix<double> input, Matrix<double> output) => input.CopyTo(output);
}

/// <summary>An IProgress that reports synchronously on the training thread (Progress&lt;T&gt; posts asynchronously).</summary>
internal sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
