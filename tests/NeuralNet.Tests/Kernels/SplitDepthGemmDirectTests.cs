using System.Numerics;
using FluentAssertions;
using NeuralNet.Kernels;
using Xunit;

namespace NeuralNet.Tests.Kernels;

/// <summary>
/// A product cut along its depth whose halves are multiplied without packing (<see cref="WorkSplit.DirectHalves"/>,
/// W2's forward product) gives the bits of the same two halves packed and summed, on both element types, every transpose,
/// with the helper free or held.
/// </summary>
public unsafe class SplitDepthGemmDirectTests
{
    public static TheoryData<bool, bool> Transposes() => new() { { false, false }, { false, true }, { true, false }, { true, true } };

    [Theory]
    [MemberData(nameof(Transposes))]
    public void DirectHalves_GiveThePackedHalvesBits_Float(bool transposeA, bool transposeB)
        => Check<float>(transposeA, transposeB);

    [Theory]
    [MemberData(nameof(Transposes))]
    public void DirectHalves_GiveThePackedHalvesBits_Double(bool transposeA, bool transposeB)
        => Check<double>(transposeA, transposeB);

    [Fact]
    public void DirectHalves_TakesFewRowsOrFewColumns_NotALargeProduct()
    {
        WorkSplit.DirectHalves<float>(false, 64, 128, 64, 392, 392).Should().Be(DirectGemm.Supported<float>(), "W2's forward product: 64 rows");
        WorkSplit.DirectHalves<float>(false, 256, 10, 256, 512, 512).Should().Be(DirectGemm.Supported<float>(), "few columns");
        WorkSplit.DirectHalves<float>(false, 128, 128, 128, 392, 392).Should().Be(DirectGemm.Wide, "W2's forward product over a batch of 128: the Vector512 tiles' limit, over the Vector256 ones' 96 rows");
        WorkSplit.DirectHalves<float>(false, 96, 128, 96, 392, 392).Should().Be(DirectGemm.Supported<float>(), "96 rows: either kind of tiles");
        WorkSplit.DirectHalves<float>(false, 256, 128, 256, 392, 392).Should().BeFalse("256 rows and 128 columns are packed");
        WorkSplit.DirectHalves<float>(false, 1000, 10, 1000, 512, 512).Should().Be(DirectGemm.Supported<float>(), "few columns, many rows");
        WorkSplit.DirectHalves<float>(false, 1024, 10, 1024, 512, 512).Should().Be(DirectGemm.Wide, "few columns whose op(A) is read at 4 KB strides: packed with the Vector256 tiles");
    }

    [Fact]
    public void SplitDepth_IntoCWithGapsBetweenItsColumns_GivesTheBitsOfAdjacentColumns()
    {
        // C += S runs as one pass when C's columns are adjacent (ldc = m) and column by column otherwise: the same sums.
        const int m = 64, n = 128, k = 784, split = 392, ldc = m + 3;
        float[] a = Fill<float>(m * k, 11), b = Fill<float>(k * n, 12), start = Fill<float>(ldc * n, 13);
        float[] gapped = (float[])start.Clone();
        float[] adjacent = new float[m * n];
        for (int j = 0; j < n; j++)
        {
            Array.Copy(start, j * ldc, adjacent, j * m, m);
        }

        Gemm.MultiplySplitDepth<float>(false, false, m, n, k, split, a, m, b, k, gapped, ldc, accumulate: true);
        Gemm.MultiplySplitDepth<float>(false, false, m, n, k, split, a, m, b, k, adjacent, m, accumulate: true);
        for (int j = 0; j < n; j++)
        {
            gapped.AsSpan(j * ldc, m).ToArray().Should().Equal(adjacent.AsSpan(j * m, m).ToArray(), $"column {j}");
            gapped.AsSpan((j * ldc) + m, ldc - m).ToArray().Should().Equal(start.AsSpan((j * ldc) + m, ldc - m).ToArray(), "the gap is not C's");
        }
    }

    private static void Check<T>(bool transposeA, bool transposeB)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // W2's forward shape, with odd rows so the masked rows are crossed too: 61 × 128, depth 784 cut at 392
        // (two balanced depth blocks a half).
        const int m = 61, n = 128, k = 784, split = 392;
        (int aRows, int aColumns) = transposeA ? (k, m) : (m, k);
        (int bRows, int bColumns) = transposeB ? (n, k) : (k, n);
        T[] a = Fill<T>(aRows * aColumns, 8), b = Fill<T>(bRows * bColumns, 9), start = Fill<T>(m * n, 10);
        WorkSplit.DirectHalves<float>(transposeA, m, n, aRows, split, k - split).Should().Be(DirectGemm.Supported<float>(), "this test is about the unpacked halves");

        // The old path: each half packed (GemmDriver), the second half's sum added to C afterwards.
        T[] expected = (T[])start.Clone(), second = new T[m * n];
        fixed (T* pa = a, pb = b, pe = expected, ps = second)
        {
            T* a2 = transposeA ? pa + split : pa + ((nint)split * aRows);
            T* b2 = transposeB ? pb + ((nint)split * bRows) : pb + split;
            GemmDriver.Run(GemmKernels.Best, transposeA, transposeB, m, n, split, pa, aRows, pb, bRows, pe, m, accumulate: true);
            GemmDriver.Run(GemmKernels.Best, transposeA, transposeB, m, n, k - split, a2, aRows, b2, bRows, ps, m, accumulate: false);
        }

        for (int i = 0; i < expected.Length; i++)
        {
            expected[i] += second[i]; // C += S
        }

        T[] shared = (T[])start.Clone();
        Gemm.MultiplySplitDepth<T>(transposeA, transposeB, m, n, k, split, a, aRows, b, bRows, shared, m, accumulate: true);
        shared.Should().Equal(expected);

        // With the helper held by someone else, the caller multiplies both halves: the same bits.
        T[] alone = (T[])start.Clone();
        HeldSecondCore.While(() => Gemm.MultiplySplitDepth<T>(transposeA, transposeB, m, n, k, split, a, aRows, b, bRows, alone, m, accumulate: true));

        alone.Should().Equal(expected);
    }

    private static T[] Fill<T>(int length, ulong seed)
        where T : IFloatingPointIeee754<T>
    {
        var random = new Random((int)seed);
        var values = new T[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = T.CreateChecked((random.NextDouble() * 2) - 1);
        }

        return values;
    }
}
