using FluentAssertions;
using NeuralNet.Kernels;
using Xunit;

namespace NeuralNet.Tests.Kernels;

/// <summary>
/// <see cref="ColumnGroupGemm{T}"/> walking a group panel by panel over a part's depth blocks (op(B) as stored) or block by
/// block (op(B) transposed), with C's start values filled inside: the same bits as one core, on both cores, with the helper
/// late, and on each side alone. Its tests hold the second core, so they run alone.
/// </summary>
[Collection(nameof(SecondCoreHeld))]
public unsafe class ColumnGroupGemmPanelTests
{
    private const int M = ColumnGroupGemmTests.M, N = ColumnGroupGemmTests.N, K = ColumnGroupGemmTests.K;

    [Theory]
    [InlineData(false, null)]
    [InlineData(true, null)]
    [InlineData(false, 0)]
    [InlineData(true, 0)]
    public void DoubleOpBAsStored_OverPartsOfDepthBlocks_GivesTheSameBitsAsOneCore(bool fromEnd, int? both)
    {
        // 256 × 300 × 1024 doubles, op(B) as stored: each group is multiplied panel by panel over a part's depth blocks
        // (four blocks of 256; on a 2 MB L2 two parts of two), on both cores (both) and on each side alone.
        const int m = 256, n = 300, k = 1024;
        double[] a = GemmTests.Fill<double>(m * k, 42), b = GemmTests.Fill<double>(k * n, 43), start = GemmTests.Fill<double>(m * n, 44);
        double[] oneCore = (double[])start.Clone(), shared = (double[])start.Clone();
        fixed (double* pa = a, pb = b, po = oneCore, ps = shared)
        {
            GemmDriver.Run(GemmKernels.Best, false, false, m, n, k, pa, m, pb, k, po, m, accumulate: true);
            if (both is null)
            {
                ColumnGroupGemm<double> job = new();
                job.Prepare(GemmKernels.Best, false, false, m, n, k, pa, m, pb, k, ps, m, accumulate: true, columnStart: null);
                job.Work(fromEnd);
            }
            else
            {
                SpinWait.SpinUntil(SecondCore.TryReserve);
                SecondCore.Paused = fromEnd; // a late helper: the caller takes its part back
                try
                {
                    ColumnGroupGemm<double>.Run(GemmKernels.Best, false, false, m, n, k, pa, m, pb, k, ps, m, accumulate: true, columnStart: null);
                }
                finally
                {
                    SecondCore.Paused = false;
                }
            }
        }

        shared.Should().Equal(oneCore);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(true, false)]
    public void ColumnStart_GivesTheBitsOfFillingCAndAccumulating(bool fromEnd, bool transposeB)
    {
        // A layer's bias: each column of C starts at its value, filled panel by panel inside the product, on both cores and
        // on each side alone; the bits of filling C first and multiplying onto it on one core. op(B) transposed (a layer's
        // forward product: a group's op(B) packed per depth block) or as stored (packed panel by panel over the blocks).
        (float[] a, float[] b, _, int lda, int ldb) = ColumnGroupGemmTests.Operands(false, transposeB);
        float[] bias = GemmTests.Fill<float>(N, 39);
        float[] expected = new float[M * N], shared = GemmTests.Fill<float>(M * N, 40), alone = GemmTests.Fill<float>(M * N, 41);
        for (int j = 0; j < N; j++)
        {
            expected.AsSpan(j * M, M).Fill(bias[j]);
        }

        ColumnGroupGemm<float> job = new();
        SpinWait.SpinUntil(SecondCore.TryReserve);
        fixed (float* pa = a, pb = b, pe = expected, ps = shared, pl = alone, pv = bias)
        {
            GemmDriver.Run(GemmKernels.Best, false, transposeB, M, N, K, pa, lda, pb, ldb, pe, M, accumulate: true);
            ColumnGroupGemm<float>.Run(GemmKernels.Best, false, transposeB, M, N, K, pa, lda, pb, ldb, ps, M, accumulate: false, columnStart: pv);
            job.Prepare(GemmKernels.Best, false, transposeB, M, N, K, pa, lda, pb, ldb, pl, M, accumulate: false, columnStart: pv);
            job.Work(fromEnd);
        }

        shared.Should().Equal(expected);
        alone.Should().Equal(expected);
    }
}
