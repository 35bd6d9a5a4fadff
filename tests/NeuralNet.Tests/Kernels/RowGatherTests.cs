using System.Numerics;
using FluentAssertions;
using NeuralNet.Kernels;
using Xunit;

namespace NeuralNet.Tests.Kernels;

/// <summary>The mini-batch gather (row-major table → column-major batch) against its definition, both element types.</summary>
[Collection(nameof(SecondCoreHeld))]
public class RowGatherTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(8, 5)]
    [InlineData(13, 784)]
    [InlineData(64, 33)]
    [InlineData(64, 784)] // from here on cut between the cores (WorkSplit.GatherSplit)
    [InlineData(13, 2600)] // rows past the last group of eight, cut too
    [InlineData(5, 6555)] // an odd number of features: the helper takes one more
    public void Gather_CopiesEachChosenRowDownItsBatchColumn(int batchRows, int features)
    {
        Check<float>(batchRows, features);
        Check<double>(batchRows, features);

        static void Check<T>(int n, int features)
            where T : struct, IFloatingPointIeee754<T>
        {
            const int tableRows = 70;
            T[] table = GemmTests.Fill<T>(tableRows * features, 3);
            var random = new RandomSource(4);
            int[] rows = Enumerable.Range(0, n).Select(_ => (int)(random.NextDouble() * tableRows)).ToArray();
            rows[^1] = tableRows - 1; // the last row of the table, read to its last value
            T[] batch = Enumerable.Repeat(T.NaN, (n * features) + 2).ToArray();

            RowGather.Gather<T>(table, features, rows, batch);

            for (int i = 0; i < n; i++)
            {
                for (int c = 0; c < features; c++)
                {
                    batch[i + (c * n)].Should().Be(table[(rows[i] * features) + c], $"row {i} (table row {rows[i]}), feature {c} of {typeof(T).Name}");
                }
            }

            T.IsNaN(batch[^1]).Should().BeTrue("nothing past n × features is written");
            T.IsNaN(batch[^2]).Should().BeTrue("nothing past n × features is written");
        }
    }

    /// <summary>
    /// A gather cut between the cores is complete when the helper never picks its part up (its core busy elsewhere:
    /// the caller takes the part back) and when another caller holds the second core (all on this thread).
    /// </summary>
    [Fact]
    public void Gather_CutBetweenTheCores_IsCompleteWhenTheHelperIsLateOrBusy()
    {
        const int n = 64, features = 784;
        WorkSplit.GatherSplit(n, features).Should().Be(WorkSplit.TwoCores ? features / 2 : 0);
        float[] table = GemmTests.Fill<float>(100 * features, 5);
        int[] rows = Enumerable.Range(0, n).Select(i => (i * 37) % 100).ToArray();
        float[] expected = new float[n * features];
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < features; c++)
            {
                expected[i + (c * n)] = table[(rows[i] * features) + c];
            }
        }

        float[] late = new float[n * features], busy = new float[n * features];
        long handOffs = SecondCore.HandOffs, takenBack = SecondCore.TakenBack;
        SecondCore.Paused = true;
        try
        {
            RowGather.Gather<float>(table, features, rows, late);
        }
        finally
        {
            SecondCore.Paused = false;
        }

        if (WorkSplit.TwoCores)
        {
            (SecondCore.HandOffs - handOffs).Should().Be(1, "a gather of 64 × 784 values is cut in two");
            (SecondCore.TakenBack - takenBack).Should().Be(1, "the paused helper never starts its part, so the caller takes it back");
        }

        HeldSecondCore.While(() =>
        {
            long before = SecondCore.HandOffs;
            RowGather.Gather<float>(table, features, rows, busy);
            (SecondCore.HandOffs - before).Should().Be(0, "the second core is held by another caller");
        });

        late.Should().Equal(expected);
        busy.Should().Equal(expected);
    }

    [Fact]
    public void Gather_RefusesRowsOutsideTheTableAndABatchTooShort_BeforeWritingAnything()
    {
        float[] table = new float[5 * 4];
        float[] batch = Enumerable.Repeat(float.NaN, 8 * 4).ToArray();

        FluentActions.Invoking(() => RowGather.Gather<float>(table, 4, [0, 1, 2, 3, 4, 0, 1, 5], batch))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("rows").WithMessage("Row 5 is outside the table of 5 rows.*");
        FluentActions.Invoking(() => RowGather.Gather<float>(table, 4, [0, 1, 2, 3, 4, 0, 1, -1], batch))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("rows");
        FluentActions.Invoking(() => RowGather.Gather<float>(table, 4, [0, 1, 2, 3, 4, 0, 1, 2, 3], batch))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("batch").WithMessage("A batch of 9 rows × 4 features does not fit in 32 values.*");
        FluentActions.Invoking(() => RowGather.Gather<float>(table, -1, [0], batch))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("features");
        batch.Should().OnlyContain(v => float.IsNaN(v));

        RowGather.Gather<float>(table, 4, [], batch); // no rows: nothing to do
        RowGather.Gather<float>(table, 0, [], batch);
        batch.Should().OnlyContain(v => float.IsNaN(v));
    }

    /// <summary>
    /// Requesting the next batch's rows (while copying, each core its features) changes nothing in the batch: the same
    /// bits as a gather without them, for both element types, on one core and cut between the cores, with the last row
    /// of the table among the next rows and with fewer next rows than the batch has (an epoch's last batch).
    /// </summary>
    [Theory]
    [InlineData(13, 7)] // next rows past the one group of eight: requested after the copy
    [InlineData(3, 40)] // no group of eight (four for double): all next rows requested after the copy
    [InlineData(64, 784)] // cut between the cores
    [InlineData(5, 6555)]
    public void Gather_WithTheNextRowsRequested_GivesTheSameBatch(int batchRows, int features)
    {
        Check<float>(batchRows, features);
        Check<double>(batchRows, features);

        static void Check<T>(int n, int features)
            where T : struct, IFloatingPointIeee754<T>
        {
            const int tableRows = 70;
            T[] table = GemmTests.Fill<T>(tableRows * features, 6);
            var random = new RandomSource(7);
            int[] order = Enumerable.Range(0, (2 * n) - 1).Select(_ => (int)(random.NextDouble() * tableRows)).ToArray();
            order[^1] = tableRows - 1;
            T[] plain = new T[n * features], requested = new T[n * features];

            RowGather.Gather<T>(table, features, order.AsSpan(0, n), plain);
            RowGather.Gather<T>(table, features, order.AsSpan(0, n), requested, order.AsSpan(n));

            requested.Should().Equal(plain, $"{typeof(T).Name}, {n} rows × {features} features");
        }
    }

    [Fact]
    public void Gather_RefusesNextRowsOutsideTheTable_BeforeWritingAnything()
    {
        float[] table = new float[5 * 4];
        float[] batch = Enumerable.Repeat(float.NaN, 2 * 4).ToArray();

        FluentActions.Invoking(() => RowGather.Gather<float>(table, 4, [0, 1], batch, [2, 5]))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("next").WithMessage("Next row 5 is outside the table of 5 rows.*");
        FluentActions.Invoking(() => RowGather.Gather<float>(table, 4, [0, 1], batch, [-1]))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("next");
        batch.Should().OnlyContain(v => float.IsNaN(v));
    }

}
