using System.Numerics;
using FluentAssertions;
using NeuralNet.Kernels;
using Xunit;

namespace NeuralNet.Tests.Kernels;

/// <summary>
/// A product cut along its depth can check op(A) for NaN and infinities, each core the half it multiplies
/// (<see cref="Gemm.MultiplySplitDepth{T}"/> with checkA, a network's input check in its first layer): the answer is false
/// for a non-finite value in either half, whichever core holds it, and the product's bits are those of the unchecked product.
/// </summary>
public sealed class SplitDepthGemmCheckTests
{
    public static TheoryData<bool, bool, bool> Cases()
    {
        var data = new TheoryData<bool, bool, bool>();
        foreach (bool transposeA in new[] { false, true })
        {
            foreach (bool helperHeld in new[] { false, true })
            {
                foreach (bool gapped in new[] { false, true })
                {
                    data.Add(transposeA, helperHeld, gapped);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Check_FindsANonFiniteValueInEitherHalf_AndLeavesTheProductsBits(bool transposeA, bool helperHeld, bool gapped)
    {
        // W2's forward shape (64 × 128, depth 784 cut at 392); A's leading dimension with a gap of 3 too (then each half
        // is checked column by column, and the gap's values, which are not A's, must not count).
        const int m = 64, n = 128, k = 784, split = 392;
        (int aRows, int aColumns) = transposeA ? (k, m) : (m, k);
        int lda = aRows + (gapped ? 3 : 0);
        float[] a = Fill(lda * aColumns, 21), b = Fill(n * k, 22), start = Fill(m * n, 23);
        if (gapped)
        {
            for (int j = 0; j < aColumns; j++)
            {
                a[(j * lda) + aRows] = float.NaN; // in the gap: not part of A
            }
        }

        float[] unchecked_ = (float[])start.Clone();
        Gemm.MultiplySplitDepth<float>(transposeA, true, m, n, k, split, a, lda, b, n, unchecked_, m, accumulate: true);

        float[] c = (float[])start.Clone();
        Run(helperHeld, () => Gemm.MultiplySplitDepth<float>(transposeA, true, m, n, k, split, a, lda, b, n, c, m, accumulate: true, checkA: true))
            .Should().BeTrue("every value of A is finite");
        c.Should().Equal(unchecked_, "the check changes nothing in the product");

        // op(A)[row, depth]: rows 0 and 63, depth in the caller's half (0, 391) and in the helper's (392, 783).
        foreach ((int row, int depth, float bad) in new[] { (0, 0, float.NaN), (63, 391, float.PositiveInfinity), (5, 392, float.NegativeInfinity), (63, 783, float.NaN), (17, 600, float.PositiveInfinity) })
        {
            int index = transposeA ? depth + (row * lda) : row + (depth * lda);
            float kept = a[index];
            a[index] = bad;
            Run(helperHeld, () => Gemm.MultiplySplitDepth<float>(transposeA, true, m, n, k, split, a, lda, b, n, new float[m * n], m, accumulate: false, checkA: true))
                .Should().BeFalse($"op(A)[{row}, {depth}] is {bad}");
            a[index] = kept;
        }
    }

    [Fact]
    public void Check_OfDoubles_FindsTheHelpersHalf()
    {
        const int m = 64, n = 128, k = 784, split = 392;
        double[] a = Fill(m * k, 24).Select(v => (double)v).ToArray(), b = Fill(n * k, 25).Select(v => (double)v).ToArray();
        Gemm.MultiplySplitDepth<double>(false, true, m, n, k, split, a, m, b, n, new double[m * n], m, accumulate: false, checkA: true).Should().BeTrue();
        a[3 + (700 * m)] = double.NaN;
        Gemm.MultiplySplitDepth<double>(false, true, m, n, k, split, a, m, b, n, new double[m * n], m, accumulate: false, checkA: true).Should().BeFalse();
        Gemm.MultiplySplitDepth<double>(false, true, m, n, k, split, a, m, b, n, new double[m * n], m, accumulate: false).Should().BeTrue("unchecked: nothing is looked at");
    }

    private static bool Run(bool helperHeld, Func<bool> product)
    {
        bool answer = false;
        if (helperHeld)
        {
            HeldSecondCore.While(() => answer = product());
        }
        else
        {
            answer = product();
        }

        return answer;
    }

    private static float[] Fill(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }
}
