using System.Numerics;
using System.Numerics.Tensors;
using FluentAssertions;
using NeuralNet.Kernels;
using Xunit;

namespace NeuralNet.Tests.Kernels;

/// <summary>
/// The passes that tell a training step how large its values are: the largest magnitude with the finiteness check
/// (<see cref="Elementwise.FiniteMaxMagnitude{T}"/>), the sum C += S that reports whether it stayed finite
/// (<see cref="Elementwise.AddFinite{T}"/>), and the depth-cut product that measures its op(A) and its result
/// (<see cref="Gemm.MultiplySplitDepthMeasured{T}"/>), at every position of every length around their block sizes.
/// </summary>
[Collection(nameof(SecondCoreHeld))]
public sealed class MagnitudeTests
{
    private static readonly int[] Lengths = [0, 1, 3, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 200];

    [Fact]
    public void FiniteMaxMagnitude_IsTheLargestMagnitude_OrNaNForAnyNonFiniteValue()
    {
        Check<float>();
        Check<double>();

        static void Check<T>()
            where T : struct, IFloatingPointIeee754<T>
        {
            foreach (int length in Lengths)
            {
                T[] values = GemmTests.Fill<T>(length, (ulong)length + 7);
                T expected = length == 0 ? T.Zero : TensorPrimitives.MaxMagnitude<T>(values);
                Elementwise.FiniteMaxMagnitude<T>(values).Should().Be(T.Abs(expected), $"{typeof(T).Name} {length} values");
                for (int i = 0; i < length; i++)
                {
                    T kept = values[i];
                    values[i] = T.CreateChecked(-1e30); // the largest, negative, at every place
                    Elementwise.FiniteMaxMagnitude<T>(values).Should().Be(T.CreateChecked(1e30), $"{typeof(T).Name} −1e30 at {i} of {length}");
                    foreach (T bad in new[] { T.NaN, T.PositiveInfinity, T.NegativeInfinity })
                    {
                        values[i] = bad;
                        T.IsNaN(Elementwise.FiniteMaxMagnitude<T>(values)).Should().BeTrue($"{typeof(T).Name} {bad} at {i} of {length}");
                    }

                    values[i] = kept;
                }
            }
        }
    }

    [Fact]
    public void AddFinite_AddsAsTensorPrimitives_AndFindsEveryNonFiniteSum()
    {
        Check<float>();
        Check<double>();

        static void Check<T>()
            where T : struct, IFloatingPointIeee754<T>
        {
            foreach (int length in Lengths)
            {
                T[] c = GemmTests.Fill<T>(length, (ulong)length + 3), s = GemmTests.Fill<T>(length, (ulong)length + 4);
                T[] expected = new T[length];
                TensorPrimitives.Add<T>(c, s, expected);
                T[] sum = (T[])c.Clone();
                Elementwise.AddFinite<T>(sum, s).Should().BeTrue($"{typeof(T).Name} {length}");
                sum.Should().Equal(expected, $"{typeof(T).Name} {length}: the same bits");
                for (int i = 0; i < length; i++)
                {
                    T[] big = (T[])c.Clone(), addend = (T[])s.Clone();
                    big[i] = T.BitDecrement(T.PositiveInfinity); // the largest finite value plus itself: an overflow, not an input
                    addend[i] = big[i];
                    Elementwise.AddFinite<T>(big, addend).Should().BeFalse($"{typeof(T).Name} overflow at {i} of {length}");
                    addend[i] = T.NaN;
                    Elementwise.AddFinite<T>((T[])c.Clone(), addend).Should().BeFalse($"{typeof(T).Name} NaN at {i} of {length}");
                }
            }
        }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void MultiplySplitDepthMeasured_MeasuresBothHalves_AndTheProduct_WithTheUnmeasuredBits(bool transposeA, bool helperHeld)
    {
        const int m = 64, n = 128, k = 784, split = 392;
        (int aRows, int aColumns) = transposeA ? (k, m) : (m, k);
        float[] a = GemmTests.Fill<float>(aRows * aColumns, 31), b = GemmTests.Fill<float>(n * k, 32), start = GemmTests.Fill<float>(m * n, 33);
        float[] reference = (float[])start.Clone();
        Gemm.MultiplySplitDepth<float>(transposeA, true, m, n, k, split, a, aRows, b, n, reference, m, accumulate: true);

        foreach ((int row, int depth) in new[] { (0, 0), (63, 391), (5, 392), (63, 783) })
        {
            int index = transposeA ? depth + (row * aRows) : row + (depth * aRows);
            float kept = a[index];
            a[index] = -50; // larger than every other value (|x| < 1), in the caller's half and in the helper's
            float[] c = (float[])start.Clone();
            (float largest, bool finite) = Measure(a, c);
            largest.Should().Be(50, $"op(A)[{row}, {depth}]");
            finite.Should().BeTrue();
            a[index] = float.NaN;
            (largest, finite) = Measure(a, (float[])start.Clone());
            float.IsNaN(largest).Should().BeTrue($"NaN at op(A)[{row}, {depth}]");
            finite.Should().BeFalse("op(A) is not finite");
            a[index] = kept;
        }

        float[] product = (float[])start.Clone();
        Measure(a, product).Finite.Should().BeTrue();
        product.Should().Equal(reference, "measuring changes nothing in the product");

        // A product that overflows from finite operands: op(A) measured finite, C not.
        float[] huge = (float[])b.Clone();
        huge.AsSpan().Fill(3e38f);
        float[] ones = new float[a.Length];
        ones.AsSpan().Fill(1);
        Run(
            () =>
            {
                Gemm.MultiplySplitDepthMeasured<float>(transposeA, true, m, n, k, split, ones, aRows, huge, n, new float[m * n], m, accumulate: false, out float l, out bool f);
                return (l, f);
            },
            out float one,
            out bool overflowed);
        one.Should().Be(1);
        overflowed.Should().BeFalse("784 × 3e38 is past the largest float");

        (float Largest, bool Finite) Measure(float[] operand, float[] c)
        {
            Run(
                () =>
                {
                    Gemm.MultiplySplitDepthMeasured<float>(transposeA, true, m, n, k, split, operand, aRows, b, n, c, m, accumulate: true, out float l, out bool f);
                    return (l, f);
                },
                out float largest,
                out bool finite);
            return (largest, finite);
        }

        void Run(Func<(float, bool)> measured, out float largest, out bool finite)
        {
            (float, bool) answer = default;
            if (helperHeld)
            {
                HeldSecondCore.While(() => answer = measured());
            }
            else
            {
                answer = measured();
            }

            (largest, finite) = answer;
        }
    }
}
