using System.Numerics;
using System.Runtime.Intrinsics;
using FluentAssertions;
using NeuralNet.Kernels;
using Xunit;

namespace NeuralNet.Tests.Kernels;

/// <summary>
/// A block of an untransposed op(A) packed by the tiles of its first panel (<see cref="MicroKernel512.RunPackingA{T}"/>,
/// <see cref="MicroKernel256.RunPackingA{T}"/>, <see cref="GemmDriver.PacksAInKernel"/>) rather than in a pass of its own: each kernel must give the bits of the packed
/// kernel and leave the packed panel <see cref="GemmPacking.PackA{T}"/> would have written; the one-core driver, the
/// product shared in own row blocks and the one shared in column groups must give the bits they give with op(A) packed first. The tests that switch the packing
/// off run in the collection that holds the second core: either setting gives the same bits, so a product elsewhere that
/// meets the switch off is still right.
/// </summary>
[Collection(nameof(SecondCoreHeld))]
public unsafe class PackingAInKernelTests
{
    [Theory]
    [MemberData(nameof(MicroKernelTests.Depths), MemberType = typeof(MicroKernelTests))]
    public void RunPackingA_Float_GivesTheBitsOfThePackedKernel_AndLeavesThePackedPanel(int kc) => CheckKernel<float>(kc);

    [Theory]
    [MemberData(nameof(MicroKernelTests.Depths), MemberType = typeof(MicroKernelTests))]
    public void RunPackingA_Double_GivesTheBitsOfThePackedKernel_AndLeavesThePackedPanel(int kc) => CheckKernel<double>(kc);

    [Theory]
    [MemberData(nameof(MicroKernelTests.Depths), MemberType = typeof(MicroKernelTests))]
    public void RunPackingA_Vector256_Float_GivesTheBitsOfThePackedKernel_AndLeavesThePackedPanel(int kc) => CheckKernel<float>(kc, vector256: true);

    [Theory]
    [MemberData(nameof(MicroKernelTests.Depths), MemberType = typeof(MicroKernelTests))]
    public void RunPackingA_Vector256_Double_GivesTheBitsOfThePackedKernel_AndLeavesThePackedPanel(int kc) => CheckKernel<double>(kc, vector256: true);

    [Fact]
    public void PacksAInKernel_OnlyForAnUntransposedOpA_WholeTilesOfRows_AndAFullFirstPanel()
    {
        const GemmKernel wide = GemmKernel.Vector512;
        GemmDriver.PacksAInKernel(wide, transposeA: false, mc: 512, nc: 1024, mr: 32, nr: 12).Should().BeTrue();
        GemmDriver.PacksAInKernel(wide, transposeA: false, mc: 32, nc: 12, mr: 32, nr: 12).Should().BeTrue("one tile of rows, one full panel");
        GemmDriver.PacksAInKernel(wide, transposeA: true, mc: 512, nc: 1024, mr: 32, nr: 12).Should().BeFalse("a transposed op(A)'s step is not a run of memory");
        GemmDriver.PacksAInKernel(wide, transposeA: false, mc: 500, nc: 1024, mr: 32, nr: 12).Should().BeFalse("the last tile of rows is an edge, which the kernel does not pad");
        GemmDriver.PacksAInKernel(wide, transposeA: false, mc: 512, nc: 11, mr: 32, nr: 12).Should().BeFalse("no full panel of columns");
        GemmDriver.PacksAInKernel(GemmKernel.Vector256, transposeA: false, mc: 512, nc: 1024, mr: 16, nr: 6).Should().BeTrue("the Vector256 kernel packs on the way too");
        GemmDriver.PacksAInKernel(GemmKernel.Vector256, transposeA: false, mc: 504, nc: 1024, mr: 16, nr: 6).Should().BeFalse("an edge tile of rows");
        GemmDriver.PacksAInKernel(GemmKernel.Vector128, transposeA: false, mc: 512, nc: 1024, mr: 8, nr: 4).Should().BeFalse("the Vector128 kernel reads packed panels only");
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void GemmDriver_PackingAInKernel_GivesTheBitsOfPackingFirst(bool accumulate, bool vector256)
    {
        // Float: two row blocks of whole tiles (the second 64 rows), two depth blocks, a last panel of 4 columns; then four
        // depth blocks (with the Vector512 kernel C in its packed copy, GemmDriver.UsesPackedC). Double: the same with its
        // tiles of 16 rows. With the best kernel and with the Vector256 one (an AVX2 CPU's), which pack on the way alike.
        GemmKernel kernel = vector256 ? GemmKernel.Vector256 : GemmKernels.Best;
        CheckDriver<float>(kernel, GemmDriver.RowsPerBlock<float>() + 64, 100, 300, accumulate);
        CheckDriver<float>(kernel, 256, 256, 1024, accumulate);
        CheckDriver<double>(kernel, GemmDriver.RowsPerBlock<double>() + 32, 52, 300, accumulate);
        CheckDriver<double>(kernel, 256, 256, 1024, accumulate);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void SharedBlockGemm_OwnRows_EachSideAlone_GivesTheBitsOfPackingFirst(bool fromEnd, bool vector256)
    {
        // Own row blocks: a thread packs the block of op(A) of each row block it claims with the first panel of the part of
        // the columns it claims first, wherever that part lies; one thread claiming every piece, from either end, is the
        // extreme of any division of the pieces between two.
        const int m = 1088, n = 520, k = 600;
        float[] a = GemmTests.Fill<float>(m * k, 71), b = GemmTests.Fill<float>(k * n, 72), start = GemmTests.Fill<float>(m * n, 73);
        float[] packedFirst = (float[])start.Clone(), alone = (float[])start.Clone();
        var job = new SharedBlockGemm<float>();
        GemmKernel kernel = vector256 ? GemmKernel.Vector256 : GemmKernels.Best;
        fixed (float* pa = a, pb = b, pf = packedFirst, ps = alone)
        {
            using (PackingFirst())
            {
                GemmDriver.Run(kernel, false, false, m, n, k, pa, m, pb, k, pf, m, accumulate: true);
            }

            job.Prepare(kernel, false, false, m, n, k, pa, m, pb, k, ps, m, accumulate: true, ownRows: true);
            job.Work(fromEnd);
        }

        alone.Should().Equal(packedFirst);
    }

    [Fact]
    public void SharedBlockGemm_OwnRows_OnBothCores_GivesTheBitsOfPackingFirst()
    {
        // 1024 × 1024 × 1024 floats, the gemm workload's square product: two row blocks of 512, four depth blocks, C in its
        // packed copy; and doubles, four row blocks of 256.
        Check<float>();
        Check<double>();

        static void Check<T>()
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            const int size = 1024;
            T[] a = GemmTests.Fill<T>(size * size, 74), b = GemmTests.Fill<T>(size * size, 75);
            T[] packedFirst = new T[size * size], shared = new T[size * size];
            fixed (T* pa = a, pb = b, pf = packedFirst, ps = shared)
            {
                using (PackingFirst())
                {
                    GemmDriver.Run(GemmKernels.Best, false, false, size, size, size, pa, size, pb, size, pf, size, accumulate: false);
                }

                SpinWait.SpinUntil(SecondCore.TryReserve);
                SharedBlockGemm<T>.Run(GemmKernels.Best, false, false, size, size, size, pa, size, pb, size, ps, size, accumulate: false, ownRows: true);
            }

            shared.Should().Equal(packedFirst, typeof(T).Name);
        }
    }

    [Theory]
    [InlineData(256, null, false)]
    [InlineData(256, false, false)]
    [InlineData(256, true, false)]
    [InlineData(250, null, false)]
    [InlineData(250, true, false)]
    [InlineData(256, false, true)]
    [InlineData(256, true, true)]
    [InlineData(250, true, true)]
    public void ColumnGroupGemm_PackingAInKernel_GivesTheBitsOfPackingFirst(int m, bool? fromEnd, bool vector256)
    {
        // Column groups (op(A) small enough to be packed whole): each depth block's op(A) is packed by the first panels that
        // reach it, each thread its pieces of rows. 256 rows: four pieces of two tiles, each packed by the tiles; 250 rows:
        // the last piece ends in an edge tile, so it is packed in a pass of its own. On both cores (null) or each side alone.
        const int n = 520, k = 1024;
        float[] a = GemmTests.Fill<float>(m * k, 81), b = GemmTests.Fill<float>(k * n, 82), start = GemmTests.Fill<float>(m * n, 83);
        float[] packedFirst = (float[])start.Clone(), inKernel = (float[])start.Clone();
        GemmKernel kernel = vector256 ? GemmKernel.Vector256 : GemmKernels.Best;
        int mr = GemmKernels.RowsPerTile<float>(kernel);
        ColumnGroupGemm<float>.Takes(m, k, mr).Should().BeTrue();
        fixed (float* pa = a, pb = b, pf = packedFirst, pk = inKernel)
        {
            using (PackingFirst())
            {
                GemmDriver.Run(kernel, false, false, m, n, k, pa, m, pb, k, pf, m, accumulate: true);
            }

            if (fromEnd is bool side)
            {
                var job = new ColumnGroupGemm<float>();
                job.Prepare(kernel, false, false, m, n, k, pa, m, pb, k, pk, m, accumulate: true, columnStart: null);
                job.Work(side);
            }
            else
            {
                SpinWait.SpinUntil(SecondCore.TryReserve);
                ColumnGroupGemm<float>.Run(kernel, false, false, m, n, k, pa, m, pb, k, pk, m, accumulate: true, columnStart: null);
            }
        }

        inKernel.Should().Equal(packedFirst, $"{kernel}, {m} rows, {(fromEnd is null ? "both cores" : fromEnd == true ? "the helper's side alone" : "the caller's side alone")}");
    }

    /// <summary>Switches the packing in the kernel off until disposed.</summary>
    private static PackingSwitch PackingFirst()
    {
        GemmDriver.PackingAInKernel = false;
        return default;
    }

    private readonly struct PackingSwitch : IDisposable
    {
        public void Dispose() => GemmDriver.PackingAInKernel = true;
    }

    /// <summary>
    /// One tile of the Vector512 kernel or (<paramref name="vector256"/>) the Vector256 one packing on the way, against the
    /// packed kernel on the panel <see cref="GemmPacking.PackA{T}"/> writes: in place, and for the Vector512 kernel also
    /// from a copy of C into C (as <see cref="GemmDriver"/>'s packed copy of C moves it, with that kernel only).
    /// </summary>
    private static void CheckKernel<T>(int kc, bool vector256 = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = 2 * (vector256 ? Vector256<T>.Count : Vector512<T>.Count);
        int columns = vector256 ? MicroKernel256.Columns : MicroKernel512.Columns;
        int lda = rows + 7, ldc = rows + 5; // op(A)'s tile inside a larger matrix, its columns not on cache lines
        T[] source = GemmTests.Fill<T>((kc * lda) + 64, 51), b = GemmTests.Fill<T>((kc * columns) + 64, 52);
        var packed = new T[(kc * rows) + 16];
        fixed (T* ps = source, pp = packed)
        {
            GemmPacking.PackA(false, ps + 3, lda, rows, kc, rows, pp);
        }

        foreach ((bool add, bool first, bool last) in new[] { (false, true, true), (true, false, false), (true, true, false), (false, false, true) })
        {
            T[] c = GemmTests.Fill<T>(ldc * (columns + 1), 53), copy = GemmTests.Fill<T>(rows * columns, 54);
            T[] expected = (T[])c.Clone(), actual = (T[])c.Clone(), expectedMoved = (T[])c.Clone(), actualMoved = (T[])c.Clone();
            var panel = new T[packed.Length];
            fixed (T* ps = source, pp = packed, pn = panel, pb = b, pe = expected, pa = actual, pc = copy, pem = expectedMoved, pam = actualMoved)
            {
                if (vector256)
                {
                    MicroKernel256.Run(kc, pp, pb, pe, ldc, add);
                    MicroKernel256.RunPackingA(kc, ps + 3, lda, pn, pb, pa, ldc, add, first, last);
                }
                else
                {
                    MicroKernel512.Run(kc, pp, pb, pe, ldc, add);
                    MicroKernel512.RunPackingA(kc, ps + 3, lda, pn, pb, pa, ldc, pa, ldc, add, first, last);
                    MicroKernel512.Run(kc, pp, pb, pc, rows, pem, ldc, add);
                    MicroKernel512.RunPackingA(kc, ps + 3, lda, pn, pb, pc, rows, pam, ldc, add, first, last);
                }
            }

            actual.Should().Equal(expected, $"kc {kc}, add {add}, first {first}, last {last}: in place");
            if (!vector256)
            {
                actualMoved.Should().Equal(expectedMoved, $"kc {kc}, add {add}: from another tile");
            }

            panel.Should().Equal(packed, $"kc {kc}: the panel PackA writes, and nothing past it");
        }
    }

    private static void CheckDriver<T>(GemmKernel kernel, int m, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int mr = GemmKernels.RowsPerTile<T>(kernel), nr = GemmKernels.ColumnsPerTile(kernel);
        if (kernel is GemmKernel.Vector512 or GemmKernel.Vector256)
        {
            GemmDriver.PacksAInKernel(kernel, false, GemmDriver.Balanced(m, GemmDriver.RowsPerBlock<T>(), mr), n, mr, nr).Should().BeTrue();
        }

        T[] a = GemmTests.Fill<T>(m * k, 61), b = GemmTests.Fill<T>(k * n, 62), start = GemmTests.Fill<T>(m * n, 63);
        T[] packedFirst = (T[])start.Clone(), inKernel = (T[])start.Clone();
        fixed (T* pa = a, pb = b, pf = packedFirst, pk = inKernel)
        {
            using (PackingFirst())
            {
                GemmDriver.Run(kernel, false, false, m, n, k, pa, m, pb, k, pf, m, accumulate);
            }

            GemmDriver.Run(kernel, false, false, m, n, k, pa, m, pb, k, pk, m, accumulate);
        }

        inKernel.Should().Equal(packedFirst, $"{kernel}, {typeof(T).Name} {m} × {n} × {k}, accumulate {accumulate}");
    }
}
