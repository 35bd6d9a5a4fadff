using System.Numerics;
using FluentAssertions;
using NeuralNet.Activations;
using Xunit;

namespace NeuralNet.Tests.Activations;

/// <summary>The SIMD batch passes of the element-wise activations agree with their scalar Value and Derivative, on vector-sized bodies and odd tails.</summary>
public class ActivationBatchPathTests
{
    public static TheoryData<string> Names() => new() { "sigmoid", "tanh", "relu", "leaky_relu" };

    [Theory]
    [MemberData(nameof(Names))]
    public void BatchPasses_Float_MatchScalarValueAndDerivative(string name) => Check<float>(name, 2e-6);

    [Theory]
    [MemberData(nameof(Names))]
    public void BatchPasses_Double_MatchScalarValueAndDerivative(string name) => Check<double>(name, 1e-14);

    [Fact]
    public void ReLU_BatchPasses_TreatZeroAsInactive()
    {
        var relu = new ReLU<double>();
        double[] z = [0, -0.0, 1e-300, -1e-300, 0, 0, 0, 0, 0, 2];
        double[] a = new double[z.Length], dz = new double[z.Length];
        relu.Forward(z, a, z.Length, 1);
        relu.Backward(z, a, Enumerable.Repeat(5.0, z.Length).ToArray(), dz, z.Length, 1);
        a.Should().Equal(0, 0, 1e-300, 0, 0, 0, 0, 0, 0, 2);
        dz.Should().Equal(0, 0, 5, 0, 0, 0, 0, 0, 0, 5);
    }

    [Fact]
    public void ReLU_LayerBackward_FromTheActivationsInPlaceOfZ_GivesTheBitsOfZ()
    {
        // DerivativeFromActivation: a layer's fused gradient passes a = max(0, z) where z goes; on vector bodies and a tail,
        // with ±0, subnormals, ±∞ and NaN in z and in the gradient.
        var relu = new ReLU<float>();
        relu.DerivativeFromActivation.Should().BeTrue();
        new Sigmoid<float>().DerivativeFromActivation.Should().BeFalse();
        float[] specials = [0f, -0f, 1e-40f, -1e-40f, float.Epsilon, -float.Epsilon, float.PositiveInfinity, float.NegativeInfinity, float.NaN, -float.NaN, 3f, -3f];
        var random = new Random(22);
        float[] z = [.. Enumerable.Range(0, 203).Select(i => i < specials.Length ? specials[i] : (float)(random.NextDouble() - 0.5))];
        float[] g = [.. Enumerable.Range(0, z.Length).Select(i => i % 7 == 0 ? specials[(i / 7) % specials.Length] : (float)(random.NextDouble() - 0.5))];
        float[] a = new float[z.Length], fromZ = new float[z.Length], fromA = new float[z.Length];
        relu.ForwardOwnBuffers(z, a, z.Length, 1);
        relu.BackwardOwnBuffers(z, a, g, fromZ, z.Length, 1);
        relu.BackwardOwnBuffers(a, a, g, fromA, z.Length, 1);
        fromA.Select(BitConverter.SingleToInt32Bits).Should().Equal(fromZ.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void Identity_LayerPasses_GiveTheElementwiseBits()
    {
        // A layer's own-buffer passes copy (W2's logits): the bits of Value(z) and g · Derivative, element by element.
        var identity = new Identity<float>();
        float[] z = [0f, -0f, 1e-40f, -3.5f, float.MaxValue, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 7f];
        float[] g = [2f, -0f, -1e-42f, 0.25f, float.NaN, 1f, -1f, 3f, float.MinValue];
        float[] a = new float[z.Length], dz = new float[z.Length];
        identity.ForwardOwnBuffers(z, a, z.Length, 1);
        identity.BackwardOwnBuffers(z, a, g, dz, z.Length, 1);
        for (int i = 0; i < z.Length; i++)
        {
            BitConverter.SingleToInt32Bits(a[i]).Should().Be(BitConverter.SingleToInt32Bits(identity.Value(z[i])), $"f({z[i]})");
            BitConverter.SingleToInt32Bits(dz[i]).Should().Be(BitConverter.SingleToInt32Bits(g[i] * identity.Derivative(z[i], a[i])), $"backward at {i}");
        }
    }

    private static void Check<T>(string name, double tolerance)
        where T : struct, IFloatingPointIeee754<T>
    {
        ElementwiseActivationFunction<T> f = name switch
        {
            "sigmoid" => new Sigmoid<T>(),
            "tanh" => new Tanh<T>(),
            "relu" => new ReLU<T>(),
            _ => new LeakyReLU<T>(0.1),
        };
        var random = new RandomSource(5);
        foreach (int length in new[] { 1, 3, 17, 129, 1000 })
        {
            T[] z = Enumerable.Range(0, length).Select(_ => T.CreateChecked(6 * random.NextGaussian())).ToArray();
            T[] g = Enumerable.Range(0, length).Select(_ => T.CreateChecked(random.NextGaussian())).ToArray();
            T[] a = new T[length], dz = new T[length];
            f.Forward(z, a, length, 1);
            f.Backward(z, a, g, dz, length, 1);
            for (int i = 0; i < length; i++)
            {
                Close(a[i], f.Value(z[i]), tolerance).Should().BeTrue($"{name} f({z[i]}) = {a[i]}, scalar {f.Value(z[i])}");
                T expected = g[i] * f.Derivative(z[i], a[i]);
                Close(dz[i], expected, tolerance).Should().BeTrue($"{name} backward at z = {z[i]}: {dz[i]}, scalar {expected}");
            }

            // In place, as the layers call it: a over z, ∂L/∂z over ∂L/∂a.
            T[] inPlace = (T[])z.Clone();
            f.Forward(inPlace, inPlace, length, 1);
            inPlace.Should().Equal(a);
            T[] gradient = (T[])g.Clone();
            f.Backward(z, a, gradient, gradient, length, 1);
            gradient.Should().Equal(dz);
        }
    }

    private static bool Close<T>(T got, T expected, double tolerance)
        where T : struct, IFloatingPointIeee754<T>
    {
        double x = double.CreateChecked(got), y = double.CreateChecked(expected);
        return Math.Abs(x - y) <= tolerance * Math.Max(1, Math.Abs(y));
    }
}
