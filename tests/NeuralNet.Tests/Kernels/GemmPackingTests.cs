using FluentAssertions;
using NeuralNet.Kernels;
using Xunit;

namespace NeuralNet.Tests.Kernels;

/// <summary>The packed panels of op(A) and op(B) hold exactly their values, in panel order, zero-padded at the edge, for every panel size and odd block.</summary>
public class GemmPackingTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PackB_Float_WritesEachPanelInOrderWithZeroPadding(bool transpose) => CheckPackB<float>(transpose);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PackB_Double_WritesEachPanelInOrderWithZeroPadding(bool transpose) => CheckPackB<double>(transpose);

    [Fact]
    public void Transpose_CopiesEveryValueToItsTransposedPlaceAndNothingElse()
    {
        CheckTranspose<float>();
        CheckTranspose<double>();
    }

    /// <summary>
    /// <c>panel[i + p·stride] = a[p + i·lda]</c> (the direct path's scratch copy of a transposed op(A)): rows around the
    /// in-register groups (8 floats, 4 doubles) and W2's weight gradient (128 rows, depth 64), depths around the transposes'
    /// 8 steps, from a stored matrix with a leading dimension above the depth, into a panel whose stride is above the rows.
    /// </summary>
    private static unsafe void CheckTranspose<T>()
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        foreach (int m in new[] { 1, 3, 4, 7, 8, 9, 15, 16, 17, 33, 128 })
        {
            foreach (int k in new[] { 1, 7, 8, 9, 16, 23, 64 })
            {
                int lda = k + 3, stride = m + 5;
                var a = new T[lda * m];
                for (int i = 0; i < a.Length; i++)
                {
                    a[i] = T.CreateChecked(i + 1); // every value distinct and nonzero
                }

                var panel = new T[(stride * k) + 16];
                Array.Fill(panel, T.CreateChecked(-1)); // what the copy does not write stays -1
                fixed (T* pa = a, pp = panel)
                {
                    GemmPacking.Transpose(pa, lda, m, k, pp, stride);
                }

                var expected = new T[panel.Length];
                Array.Fill(expected, T.CreateChecked(-1));
                for (int i = 0; i < m; i++)
                {
                    for (int p = 0; p < k; p++)
                    {
                        expected[i + (p * stride)] = a[p + (i * lda)];
                    }
                }

                panel.Should().Equal(expected, $"{typeof(T).Name} m={m} k={k}");
            }
        }
    }

    /// <summary>
    /// Every panel width of the micro-kernels (4, 6, 12 columns), depths around the packing's steps per pass (8) and
    /// widths around whole panels, from a block that starts inside a larger stored matrix (leading dimension above the block).
    /// </summary>
    private static unsafe void CheckPackB<T>(bool transpose)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        foreach (int nr in new[] { 4, 6, 12 })
        {
            foreach (int kc in new[] { 1, 7, 8, 9, 16, 17, 24, 256 })
            {
                foreach (int nc in new[] { 1, 5, 6, 12, 13, 25, 100 })
                {
                    // op(B) is kc × nc; stored as nc × kc (transpose) or kc × nc, inside a matrix 3 rows taller, at row 2.
                    int storedRows = (transpose ? nc : kc) + 3, storedColumns = transpose ? kc : nc;
                    var b = new T[storedRows * storedColumns];
                    for (int i = 0; i < b.Length; i++)
                    {
                        b[i] = T.CreateChecked(i + 1); // every value distinct and nonzero
                    }

                    int panels = (nc + nr - 1) / nr;
                    var packed = new T[(panels * nr * kc) + 64];
                    Array.Fill(packed, T.CreateChecked(-1)); // what the packing does not write stays -1
                    fixed (T* pb = b, pp = packed)
                    {
                        GemmPacking.PackB(transpose, pb + 2, storedRows, kc, nc, nr, pp);
                    }

                    var expected = new T[packed.Length];
                    Array.Fill(expected, T.CreateChecked(-1));
                    for (int q = 0; q < panels; q++)
                    {
                        for (int p = 0; p < kc; p++)
                        {
                            for (int j = 0; j < nr; j++)
                            {
                                int column = (q * nr) + j; // op(B)[p, column], 0 past the last column
                                expected[(q * nr * kc) + (p * nr) + j] = column >= nc ? T.Zero
                                    : transpose ? b[2 + column + (p * storedRows)] : b[2 + p + (column * storedRows)];
                            }
                        }
                    }

                    int wrong = 0;
                    while (wrong < packed.Length && packed[wrong] == expected[wrong])
                    {
                        wrong++;
                    }

                    wrong.Should().Be(packed.Length, $"the packed block equals op(B) panel by panel (nr {nr}, kc {kc}, nc {nc}; first difference at index {wrong}, nothing written past the last panel)");
                }
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PackA_Float_WritesEachPanelInOrderWithZeroPadding(bool transpose) => CheckPackA<float>(transpose, [8, 16, 32]);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PackA_Double_WritesEachPanelInOrderWithZeroPadding(bool transpose) => CheckPackA<double>(transpose, [4, 8, 16]);

    /// <summary>
    /// Every panel height of the micro-kernels, depths around the source prefetch's distance (<see cref="GemmPacking.ColumnsAhead"/>)
    /// and the transposes' 8 steps, heights around whole panels and past one pass of <see cref="GemmPacking.PanelsPerPass"/> panels,
    /// from a block that starts inside a larger stored matrix.
    /// </summary>
    private static unsafe void CheckPackA<T>(bool transpose, int[] panelRows)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int ahead = GemmPacking.ColumnsAhead;
        foreach (int mr in panelRows)
        {
            foreach (int kc in new[] { 1, 7, 8, ahead, ahead + 1, 17, 256 })
            {
                foreach (int mc in new[] { 1, 5, mr, mr + 1, (GemmPacking.PanelsPerPass * mr) + 3 })
                {
                    // op(A) is mc × kc; stored as kc × mc (transpose) or mc × kc, inside a matrix 3 rows taller, at row 2.
                    int storedRows = (transpose ? kc : mc) + 3, storedColumns = transpose ? mc : kc;
                    var a = new T[storedRows * storedColumns];
                    for (int i = 0; i < a.Length; i++)
                    {
                        a[i] = T.CreateChecked(i + 1); // every value distinct and nonzero
                    }

                    int panels = (mc + mr - 1) / mr;
                    var packed = new T[(panels * mr * kc) + 64];
                    Array.Fill(packed, T.CreateChecked(-1)); // what the packing does not write stays -1
                    fixed (T* pa = a, pp = packed)
                    {
                        GemmPacking.PackA(transpose, pa + 2, storedRows, mc, kc, mr, pp);
                    }

                    var expected = new T[packed.Length];
                    Array.Fill(expected, T.CreateChecked(-1));
                    for (int q = 0; q < panels; q++)
                    {
                        for (int p = 0; p < kc; p++)
                        {
                            for (int r = 0; r < mr; r++)
                            {
                                int row = (q * mr) + r; // op(A)[row, p], 0 past the last row
                                expected[(q * mr * kc) + (p * mr) + r] = row >= mc ? T.Zero
                                    : transpose ? a[2 + p + (row * storedRows)] : a[2 + row + (p * storedRows)];
                            }
                        }
                    }

                    int wrong = 0;
                    while (wrong < packed.Length && packed[wrong] == expected[wrong])
                    {
                        wrong++;
                    }

                    wrong.Should().Be(packed.Length, $"the packed block equals op(A) panel by panel (mr {mr}, kc {kc}, mc {mc}; first difference at index {wrong}, nothing written past the last panel)");
                }
            }
        }
    }
}
