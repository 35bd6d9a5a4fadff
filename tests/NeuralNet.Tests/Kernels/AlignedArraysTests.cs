using System.Runtime.CompilerServices;
using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Kernels;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using Xunit;

namespace NeuralNet.Tests.Kernels;

/// <summary>
/// The training step's large buffers start a cache line (<see cref="AlignedArrays"/>). Where a program's pinned heap still
/// hands out memory in order (at its start, when a network is usually built: here, the test assembly's module initializer,
/// before any test has run), a network's weights, gradients, velocity and batch buffers and arrays of every size asked for
/// all start a line; wherever the heap has gaps, the arrays are still the right, zeroed arrays.
/// </summary>
public sealed class AlignedArraysTests
{
    [Fact]
    public void Allocate_InAFreshHeap_StartsEveryArrayACacheLine()
    {
        FreshHeap.Arrays.Should().OnlyContain(a => a.Aligned, "every array allocated before the tests ran");
        FreshHeap.Network.Should().OnlyContain(a => a.Aligned, "a network's buffers after a training step");
    }

    [Fact]
    public void Allocate_AnyHeap_GivesZeroedArraysOfTheLength_AndSmallOnesAsUsual()
    {
        foreach (int length in new[] { 0, 16, 1023, 1024, 1025, 4099, 100_352 })
        {
            float[] floats = AlignedArrays.Allocate<float>(length);
            floats.Should().HaveCount(length);
            floats.Count(v => v != 0).Should().Be(0);
            double[] doubles = AlignedArrays.Allocate<double>(length);
            doubles.Should().HaveCount(length);
            doubles.Count(v => v != 0).Should().Be(0);
        }
    }

    /// <summary>What <see cref="AlignedArrays"/> gave before any test ran.</summary>
    internal static class FreshHeap
    {
        public static List<(string What, bool Aligned)> Arrays { get; } = [];

        public static List<(string What, bool Aligned)> Network { get; } = [];

        private static readonly List<object> Kept = []; // alive: the heap stays without gaps, as at a program's start

        [ModuleInitializer]
        internal static void Record()
        {
            foreach (int length in new[] { 1024, 1025, 4099, 100_352, 262_144 })
            {
                float[] floats = AlignedArrays.Allocate<float>(length);
                double[] doubles = AlignedArrays.Allocate<double>(length);
                Kept.Add(floats);
                Kept.Add(doubles);
                Arrays.Add(($"{length} floats", AlignedArrays.IsAligned(floats)));
                Arrays.Add(($"{length} doubles", AlignedArrays.IsAligned(doubles)));
            }

            var first = new DenseLayer<float>(784, 128, new ReLU<float>());
            var network = new Network<float>(1, first, new DenseLayer<float>(128, 10));
            var optimizer = new SgdOptimizer<float>(0.05, momentum: 0.9);
            var input = Matrix<float>.Build.Dense(64, 784, (r, c) => ((r * 31) + c) % 7 / 7f);
            network.TrainStep(input, Matrix<float>.Build.Dense(64, 1, (r, _) => r % 10), new CategoricalCrossEntropy<float>(fromLogits: true), optimizer);
            Kept.Add(network);
            Kept.Add(optimizer);
            Parameter<float> weights = network.Parameters[0];
            Network.Add(("weights", AlignedArrays.IsAligned(weights.ValueArray)));
            Network.Add(("gradient", AlignedArrays.IsAligned(weights.GradientArray)));
            Network.Add(("velocity", StartsALine(optimizer.StateOf(weights)!.Slot(0))));
            Network.Add(("Z", AlignedArrays.IsAligned(DenseStorage.Of(first.LastWeightedSum))));
            Network.Add(("A", AlignedArrays.IsAligned(DenseStorage.Of(first.LastOutput))));
        }

        private static unsafe bool StartsALine(Span<float> values)
            => ((nint)Unsafe.AsPointer(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(values)) & 63) == 0;
    }
}
