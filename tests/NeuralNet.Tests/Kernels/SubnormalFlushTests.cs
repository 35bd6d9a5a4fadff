using FluentAssertions;
using NeuralNet.Kernels;
using Xunit;

namespace NeuralNet.Tests.Kernels;

/// <summary>
/// <see cref="Subnormal{T}"/>'s threshold is the smallest normal value of the type (a folded constant since it stopped
/// being a static field), and the scalar and vector flushes zero exactly the subnormals, keeping their sign.
/// </summary>
public class SubnormalFlushTests
{
    private static readonly float FloatMin = BitConverter.Int32BitsToSingle(0x0080_0000);
    private static readonly double DoubleMin = BitConverter.Int64BitsToDouble(0x0010_0000_0000_0000);

    [Fact]
    public void MinNormal_IsTheSmallestNormalValueOfTheType()
    {
        Subnormal<float>.MinNormal.Should().Be(BitConverter.Int32BitsToSingle(0x0080_0000));
        float.IsNormal(Subnormal<float>.MinNormal).Should().BeTrue();
        float.IsSubnormal(float.BitDecrement(Subnormal<float>.MinNormal)).Should().BeTrue();
        Subnormal<double>.MinNormal.Should().Be(BitConverter.Int64BitsToDouble(0x0010_0000_0000_0000));
        double.IsNormal(Subnormal<double>.MinNormal).Should().BeTrue();
        double.IsSubnormal(double.BitDecrement(Subnormal<double>.MinNormal)).Should().BeTrue();
    }

    [Fact]
    public void Flush_Float_ZeroesSubnormalsOnly() => Check(
        [float.Epsilon, -float.Epsilon, float.BitDecrement(FloatMin), -float.BitDecrement(FloatMin), FloatMin, -FloatMin, 0f, -0f, 1f, float.NaN, float.PositiveInfinity, float.NegativeInfinity],
        float.IsSubnormal);

    [Fact]
    public void Flush_Double_ZeroesSubnormalsOnly() => Check(
        [double.Epsilon, -double.Epsilon, double.BitDecrement(DoubleMin), -double.BitDecrement(DoubleMin), DoubleMin, -DoubleMin, 0d, -0d, 1d, double.NaN, double.PositiveInfinity, double.NegativeInfinity],
        double.IsSubnormal);

    private static void Check<T>(T[] values, Func<T, bool> isSubnormal)
        where T : struct, System.Numerics.IFloatingPointIeee754<T>
    {
        int width = System.Numerics.Vector<T>.Count;
        var padded = new T[(values.Length + width - 1) / width * width];
        values.CopyTo(padded, 0);
        for (int i = 0; i < values.Length; i++)
        {
            T x = values[i];
            T expected = isSubnormal(x) ? T.CopySign(T.Zero, x) : x;
            T scalar = Subnormal<T>.Flush(x);
            T vector = Subnormal<T>.Flush(new System.Numerics.Vector<T>(padded, i / width * width))[i % width];
            foreach (T flushed in new[] { scalar, vector })
            {
                (T.IsNaN(expected) ? T.IsNaN(flushed) : flushed.Equals(expected) && T.IsNegative(flushed) == T.IsNegative(expected))
                    .Should().BeTrue($"{x} flushes to {expected} (got {flushed})");
            }
        }
    }
}
