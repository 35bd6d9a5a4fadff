using System.Numerics;
using NeuralNet.Layers;

namespace NeuralNet.Benchmarks.Workloads;

/// <summary>The deterministic numbers of WORKLOADS.md: hash32, rnd, u, the weight initialisation and the sample order.</summary>
internal static class DeterministicNumbers
{
    /// <summary>hash32(x): x ^= x >> 16; x *= 0x7FEB352D; x ^= x >> 15; x *= 0x846CA68B; x ^= x >> 16 (32-bit wrap-around).</summary>
    public static uint Hash32(uint x)
    {
        unchecked
        {
            x ^= x >> 16;
            x *= 0x7FEB352D;
            x ^= x >> 15;
            x *= 0x846CA68B;
            x ^= x >> 16;
            return x;
        }
    }

    /// <summary>rnd(s, i) = hash32(hash32(s) XOR i).</summary>
    public static uint Rnd(uint s, uint i) => Hash32(Hash32(s) ^ i);

    /// <summary>u(s, i) = rnd(s, i) / 2^32, in [0, 1).</summary>
    public static double U(uint s, uint i) => Rnd(s, i) / 4294967296.0;

    /// <summary>Sets the weights of layer <paramref name="l"/> (1-based) to W[o, i] = (2·u(100 + l, o·fan_in + i) − 1)/√fan_in and its biases to 0.</summary>
    public static void Initialize<T>(DenseLayer<T> layer, int l)
        where T : struct, IFloatingPointIeee754<T>
    {
        int fanIn = layer.InputSize;
        double scale = 1.0 / Math.Sqrt(fanIn);
        for (int o = 0; o < layer.OutputSize; o++)
        {
            for (int i = 0; i < fanIn; i++)
            {
                double w = ((2 * U((uint)(100 + l), unchecked((uint)((o * fanIn) + i)))) - 1) * scale;
                layer.Weights[o, i] = T.CreateChecked(w);
            }
        }

        layer.Biases.Clear();
    }

    /// <summary>The sample order of epoch e: indices sorted by the key rnd(1000 + e, i)·2^32 + i.</summary>
    public static int[] SampleOrder(int epoch, int count)
    {
        var keys = new ulong[count];
        var order = new int[count];
        for (int i = 0; i < count; i++)
        {
            keys[i] = ((ulong)Rnd((uint)(1000 + epoch), (uint)i) << 32) | (uint)i;
            order[i] = i;
        }

        Array.Sort(keys, order);
        return order;
    }

    /// <summary>Prints the spec's check values of these numbers on stderr.</summary>
    public static void ReportChecks()
    {
        Console.Error.WriteLine($"# hash32(1) = {Hash32(1)} (spec 1753845952), rnd(7, 0) = {Rnd(7, 0)} (1420618368), rnd(7, 1) = {Rnd(7, 1)} (2229265414)");
        Console.Error.WriteLine($"# sample order e=0 n=10: {string.Join(' ', SampleOrder(0, 10))} (spec 4 2 7 0 8 5 6 3 1 9)");
    }
}
