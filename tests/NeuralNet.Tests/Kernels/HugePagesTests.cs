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
/// Large arrays marked for 2 MB pages (<see cref="HugePages"/>) keep their address and contents, small ones are left
/// alone, and a network whose large arrays are marked trains to the same bits as one whose are not. (Whether the kernel
/// then gives large pages depends on the machine; a benchmark measures what they are worth.)
/// </summary>
public class HugePagesTests
{
    [Fact]
    public void Advise_LargeArray_KeepsItAndItsContents()
    {
        float[] array = GemmTests.Fill<float>(3 << 18, 17); // 3 MB: one whole 2 MB block and parts of others
        float[] before = (float[])array.Clone();
        int marked = HugePages.Marked;

        float[] advised = HugePages.Advise(array);

        advised.Should().BeSameAs(array);
        array.Should().Equal(before);
        array[^1] = 5f;
        array[0] = -5f;
        array[^1].Should().Be(5f);
        array[0].Should().Be(-5f);
        if (OperatingSystem.IsLinux() && File.Exists("/sys/kernel/mm/transparent_hugepage/enabled"))
        {
            HugePages.Marked.Should().BeGreaterThan(marked, "a kernel with transparent huge pages takes the request");
        }
    }

    [Fact]
    public void Advise_SmallOrEmptyArray_ReturnsItUntouched()
    {
        double[] small = [1.5, -2.5, 3.5];
        HugePages.Advise(small).Should().BeSameAs(small);
        small.Should().Equal(1.5, -2.5, 3.5);
        float[] empty = [];
        HugePages.Advise(empty).Should().BeSameAs(empty);
    }

    [Fact]
    public void TrainSteps_WithLargeArraysMarked_GiveTheBitsOfUnmarkedArrays()
    {
        // 2 MB of weights in the first layer, and (at 512 rows) 2 MB batch buffers: all marked in one network, none in the other.
        bool was = HugePages.Enabled;
        Network<float> marked, plain;
        try
        {
            HugePages.Enabled = true;
            marked = Build();
            HugePages.Enabled = false;
            plain = Build();
        }
        finally
        {
            HugePages.Enabled = was;
        }

        var loss = new CategoricalCrossEntropy<float>(fromLogits: true);
        var markedOptimizer = new SgdOptimizer<float>(0.05);
        var plainOptimizer = new SgdOptimizer<float>(0.05);
        var random = new RandomSource(11);
        for (int step = 0; step < 2; step++)
        {
            var x = Matrix<float>.Build.Dense(512, 1024, (_, _) => (float)random.NextGaussian());
            var t = Matrix<float>.Build.Dense(512, 1, (r, _) => (r * 3 + step) % 10);
            marked.TrainStep(x, t, loss, markedOptimizer).Should().Be(plain.TrainStep(x, t, loss, plainOptimizer));
        }

        for (int p = 0; p < marked.Parameters.Count; p++)
        {
            marked.Parameters[p].Values.ToArray().Should().Equal(plain.Parameters[p].Values.ToArray(), $"parameter {p}");
        }
    }

    private static Network<float> Build()
        => new(5, new DenseLayer<float>(1024, 512, new ReLU<float>()), new DenseLayer<float>(512, 10));
}
