using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;

namespace NeuralNet.Tests.Serialization;

/// <summary>Seeded networks and batches shared by the serialization and export tests.</summary>
internal static class SampleNetworks
{
    /// <summary>Every built-in activation, with non-default parameters where it has any.</summary>
    public static ActivationFunction<T>[] AllActivations<T>()
        where T : struct, IFloatingPointIeee754<T> =>
    [
        new Identity<T>(), new Sigmoid<T>(), new Tanh<T>(), new ReLU<T>(), new LeakyReLU<T>(0.2), new ELU<T>(0.7),
        new SELU<T>(), new Softplus<T>(), new SiLU<T>(), new GELU<T>(), new Softmax<T>(),
    ];

    /// <summary>A network that uses every layer kind and every activation: a chain of dense layers with dropout in between.</summary>
    public static Network<T> EveryKind<T>(ulong seed = 7)
        where T : struct, IFloatingPointIeee754<T>
    {
        var layers = new List<Layer<T>>();
        int width = 5;
        foreach (ActivationFunction<T> activation in AllActivations<T>())
        {
            int next = 3 + layers.Count % 4;
            layers.Add(new DenseLayer<T>(width, next, activation));
            layers.Add(new DropoutLayer<T>(next, 0.25));
            width = next;
        }

        layers.Add(new DenseLayer<T>(width, 3, new Softmax<T>()));
        return new Network<T>(seed, layers.ToArray());
    }

    /// <summary>A small regression network: 4 → 8 (tanh) → 6 (leaky ReLU) → 2.</summary>
    public static Network<T> Small<T>(ulong seed = 11)
        where T : struct, IFloatingPointIeee754<T> =>
        new(seed, new DenseLayer<T>(4, 8, new Tanh<T>()), new DenseLayer<T>(8, 6, new LeakyReLU<T>(0.1)), new DenseLayer<T>(6, 2));

    /// <summary>A batch of uniform values in [−2, 2).</summary>
    public static Matrix<T> Batch<T>(int rows, int columns, ulong seed)
        where T : struct, IFloatingPointIeee754<T>
    {
        var random = new RandomSource(seed);
        return Matrix<T>.Build.Dense(rows, columns, (_, _) => T.CreateChecked(4 * random.NextDouble() - 2));
    }

    /// <summary>Saves to memory and returns the bytes.</summary>
    public static byte[] ToBytes<T>(Network<T> network, NeuralNet.Optimizers.Optimizer<T>? optimizer = null)
        where T : struct, IFloatingPointIeee754<T>
    {
        using var stream = new MemoryStream();
        NeuralNet.Serialization.NetworkSerializer.Save(network, stream, optimizer);
        return stream.ToArray();
    }
}
