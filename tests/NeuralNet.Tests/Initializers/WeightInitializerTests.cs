using FluentAssertions;
using NeuralNet.Initializers;
using Xunit;

namespace NeuralNet.Tests.Initializers;

public sealed class WeightInitializerTests
{
    public static TheoryData<string, double, bool> Distributions => new()
    {
        // name, expected variance for fanIn 200 / fanOut 100, uniform?
        { "glorot_uniform", 2.0 / 300, true },
        { "glorot_normal", 2.0 / 300, false },
        { "he_uniform", 2.0 / 200, true },
        { "he_normal", 2.0 / 200, false },
        { "lecun_uniform", 1.0 / 200, true },
        { "lecun_normal", 1.0 / 200, false },
        { "pytorch_uniform", 1.0 / 600, true },
    };

    private static WeightInitializer Named(string name) =>
        new[]
        {
            WeightInitializer.GlorotUniform, WeightInitializer.GlorotNormal, WeightInitializer.HeUniform, WeightInitializer.HeNormal,
            WeightInitializer.LeCunUniform, WeightInitializer.LeCunNormal, WeightInitializer.PyTorchUniform, WeightInitializer.Zeros,
        }.Single(i => i.Name == name);

    [Theory]
    [MemberData(nameof(Distributions))]
    public void Draws_HaveMeanZeroAndTheSpecifiedVariance(string name, double variance, bool uniform)
    {
        double[] w = new double[200_000];
        Named(name).Initialize<double>(w, 200, 100, new RandomSource(1));
        double mean = w.Average();
        double var = w.Select(v => (v - mean) * (v - mean)).Average();
        mean.Should().BeApproximately(0, 4 * Math.Sqrt(variance / w.Length) + 1e-12);
        var.Should().BeApproximately(variance, variance * 0.02);
        if (uniform)
        {
            w.Max(Math.Abs).Should().BeLessThanOrEqualTo(Math.Sqrt(3 * variance) * (1 + 1e-12), "a uniform draw stays within its limit");
        }
    }

    [Fact]
    public void FloatAndDouble_FromTheSameSeed_AgreeUpToRounding()
    {
        double[] d = new double[100];
        float[] f = new float[100];
        WeightInitializer.HeNormal.Initialize<double>(d, 10, 10, new RandomSource(3));
        WeightInitializer.HeNormal.Initialize<float>(f, 10, 10, new RandomSource(3));
        f.Should().Equal(d.Select(v => (float)v));
    }

    [Fact]
    public void Zeros_GivesZeros()
    {
        double[] w = [1, 2, 3];
        WeightInitializer.Zeros.Initialize<double>(w, 3, 1, new RandomSource(1));
        w.Should().OnlyContain(v => v == 0);
    }
}
