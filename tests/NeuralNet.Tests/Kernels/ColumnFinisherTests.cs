using FluentAssertions;
using NeuralNet.Kernels;
using Xunit;

namespace NeuralNet.Tests.Kernels;

/// <summary>
/// Every product path hands each column of C to a <see cref="ColumnFinisher"/> exactly once, after its last sum, and C
/// has the same bits as without one: column groups, column strips, row strips, one core, the direct and tiny paths, with
/// the helper on time and late. Its tests hold the second core, so they run alone.
/// </summary>
[Collection(nameof(SecondCoreHeld))]
public class ColumnFinisherTests
{
    [Theory]
    [InlineData(false, true, 256, 1024, 1024, false)] // W3's forward X·Wᵀ: column groups
    [InlineData(false, false, 256, 1024, 1024, true)] // W3's ∂L/∂X: column groups, helper late
    [InlineData(false, false, 256, 1024, 10, false)] // W3's last ∂L/∂X: two column strips
    [InlineData(false, false, 256, 1024, 10, true)]
    [InlineData(false, false, 1024, 16, 256, false)] // row strips: finished after both
    [InlineData(true, false, 512, 512, 256, false)] // shared packed blocks or groups (a weight gradient's shape)
    [InlineData(false, false, 40, 24, 30, false)] // one core, direct
    [InlineData(false, false, 3, 2, 4, false)] // tiny
    [InlineData(false, false, 8, 200, 1, false)] // few rows
    public void MultiplyThenFinish_FinishesEveryColumnOnceFinal_WithTheBitsOfMultiply(bool transposeA, bool transposeB, int m, int n, int k, bool helperLate)
    {
        float[] a = GemmTests.Fill<float>(m * k, 41), b = GemmTests.Fill<float>(k * n, 42);
        float[] expected = new float[m * n], c = new float[m * n];
        Gemm.Multiply<float>(transposeA, transposeB, m, n, k, a, transposeA ? k : m, b, transposeB ? n : k, expected, m, accumulate: false);
        var finisher = new Recorder(c, m, n);
        SecondCore.Paused = helperLate;
        try
        {
            Gemm.MultiplyThenFinish<float>(transposeA, transposeB, m, n, k, a, transposeA ? k : m, b, transposeB ? n : k, c, m, accumulate: false, finisher);
        }
        finally
        {
            SecondCore.Paused = false;
        }

        c.Should().Equal(expected);
        finisher.Times.Should().AllBeEquivalentTo(1, "each column is handed over once");
        finisher.Seen.Should().Equal(expected, "a column is handed over only once its sums are complete");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MultiplyOntoColumnValues_WithAFinisher_FinishesEveryColumnOnce(bool helperLate)
    {
        const int m = 256, n = 1024, k = 1024;
        float[] a = GemmTests.Fill<float>(m * k, 43), b = GemmTests.Fill<float>(k * n, 44), bias = GemmTests.Fill<float>(n, 45);
        float[] expected = new float[m * n], c = new float[m * n];
        Gemm.MultiplyOntoColumnValues<float>(false, true, m, n, k, a, m, b, n, expected, m, bias);
        var finisher = new Recorder(c, m, n);
        SecondCore.Paused = helperLate;
        try
        {
            Gemm.MultiplyOntoColumnValues<float>(false, true, m, n, k, a, m, b, n, c, m, bias, finisher);
        }
        finally
        {
            SecondCore.Paused = false;
        }

        c.Should().Equal(expected);
        finisher.Times.Should().AllBeEquivalentTo(1);
        finisher.Seen.Should().Equal(expected);
    }

    /// <summary>Counts the hand-overs of each column and copies each column as it was when handed over.</summary>
    private sealed class Recorder(float[] c, int m, int n) : ColumnFinisher
    {
        public int[] Times { get; } = new int[n];

        public float[] Seen { get; } = new float[m * n];

        public override void Finish(int firstColumn, int columns)
        {
            for (int j = firstColumn; j < firstColumn + columns; j++)
            {
                Interlocked.Increment(ref Times[j]);
                c.AsSpan(j * m, m).CopyTo(Seen.AsSpan(j * m, m));
            }
        }
    }
}
