using System.Numerics;
using FluentAssertions;
using NeuralNet.Activations;
using NeuralNet.Kernels;
using Xunit;

namespace NeuralNet.Tests.Kernels;

/// <summary>
/// ReLU over a large batch shared by the cores in chunks (<see cref="SharedMap{T, TOperator}"/>): every value as the
/// one-value rule gives it, whether the helper takes its chunks, is late (the caller maps them all) or is held by another caller.
/// </summary>
[Collection(nameof(SecondCoreHeld))]
public class SharedMapTests
{
    // 37 × 1001 = 37,037 values: shared (≥ 2^15), and not a whole number of vectors, so the second part ends in the scalar tail.
    private const int Rows = 37, Columns = 1001;

    public enum Helper { OnTime, Late, Busy }

    [Theory]
    [InlineData(Helper.OnTime)]
    [InlineData(Helper.Late)]
    [InlineData(Helper.Busy)]
    public void ReLU_LargeBatch_CutBetweenTheCores_GivesEveryValueAsTheOneValueRule(Helper helper)
    {
        Check<float>(helper);
        Check<double>(helper);

        static void Check<T>(Helper helper)
            where T : struct, IFloatingPointIeee754<T>
        {
            int length = Rows * Columns;
            T[] z = GemmTests.Fill<T>(length, 11), g = GemmTests.Fill<T>(length, 12);
            z[0] = T.Zero;
            z[1] = T.NegativeZero;
            z[^1] = T.NaN; // the scalar tail: ReLU'(NaN) passes nothing, as z > 0 is false
            z[length / 2] = T.Epsilon;
            var relu = new ReLU<T>();
            T[] a = Enumerable.Repeat(T.NaN, length).ToArray(), dz = Enumerable.Repeat(T.NaN, length).ToArray();
            (long handOffs, long takenBack) = Run(helper, () =>
            {
                relu.Forward(z, a, Rows, Columns);
                relu.Backward(z, a, g, dz, Rows, Columns);
            });

            for (int i = 0; i < length; i++)
            {
                a[i].Should().Be(relu.Value(z[i]), $"value {i} of {typeof(T).Name}");
                dz[i].Should().Be(z[i] > T.Zero ? g[i] : T.Zero, $"gradient {i} of {typeof(T).Name}");
            }

            if (WorkSplit.TwoCores)
            {
                handOffs.Should().Be(helper == Helper.Busy ? 0 : 2, "the forward and the backward pass are each shared unless another caller holds the helper");
                if (helper == Helper.Late)
                {
                    takenBack.Should().Be(2, "a paused helper never starts, so the caller takes its work back (and finds every chunk done)"); // on time, a busy machine may make it late too
                }
            }
        }
    }

    [Theory]
    [InlineData(1 << 15)]
    [InlineData(37 * 1001)]
    [InlineData(256 * 1024)]
    public void MapChunks_AreWholeCacheLines_AndCutASpanIntoAboutSixteen(int length)
    {
        int chunk = WorkSplit.MapChunk(length);
        (chunk % 64).Should().Be(0, "every chunk then starts on a multiple of every vector width: the same vector loop as one map");
        ((length + chunk - 1) / chunk).Should().BeInRange(15, 16);
    }

    [Fact]
    public void ReLU_SmallBatch_StaysOnOneCore()
    {
        var relu = new ReLU<float>();
        float[] z = GemmTests.Fill<float>(64 * 128, 13), a = new float[z.Length];
        long handOffs = SecondCore.HandOffs;

        relu.Forward(z, a, 64, 128);

        (SecondCore.HandOffs - handOffs).Should().Be(0, "8,192 values are below WorkSplit.MinimumUpdateLength");
        a.Should().Equal(z.Select(v => v > 0 ? v : 0));
    }

    [Fact]
    public void ReLU_LargeBatches_FromTwoThreadsAtOnce_EachGetsItsOwnValues()
    {
        // Two networks trained on two threads share the one helper and the one job object per operator: a caller that
        // filled the job before reserving the helper overwrote the other caller's spans while its chunks were mapped.
        const int Length = 1 << 16, Rounds = 400;
        var relu = new ReLU<float>();
        using var start = new Barrier(2);
        long handOffs = SecondCore.HandOffs;
        int[] wrong = new int[2];
        Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, caller =>
        {
            float[] z = GemmTests.Fill<float>(Length, 20UL + (ulong)caller), a = new float[Length];
            float[] expected = z.Select(v => v > 0 ? v : 0).ToArray();
            start.SignalAndWait();
            for (int round = 0; round < Rounds; round++)
            {
                Array.Fill(a, float.NaN);
                relu.Forward(z, a, 64, Length / 64);
                if (!a.AsSpan().SequenceEqual(expected))
                {
                    wrong[caller]++;
                }
            }
        });

        wrong.Should().Equal([0, 0], "each caller's output comes from its own input, whoever held the helper");
        if (WorkSplit.TwoCores)
        {
            (SecondCore.HandOffs - handOffs).Should().BePositive("some of the passes were shared, or this test tested nothing");
        }
    }

    /// <summary>Runs <paramref name="action"/> with the helper as <paramref name="helper"/> says; returns the hand-offs and take-backs it made.</summary>
    private static (long HandOffs, long TakenBack) Run(Helper helper, Action action)
    {
        long handOffs = 0, takenBack = 0;
        switch (helper)
        {
            case Helper.Late:
                SecondCore.Paused = true;
                try
                {
                    (handOffs, takenBack) = Counted(action);
                }
                finally
                {
                    SecondCore.Paused = false;
                }

                break;
            case Helper.Busy:
                HeldSecondCore.While(() => (handOffs, takenBack) = Counted(action));
                break;
            default:
                (handOffs, takenBack) = Counted(action);
                break;
        }

        return (handOffs, takenBack);

        static (long, long) Counted(Action action)
        {
            long handOffs = SecondCore.HandOffs, takenBack = SecondCore.TakenBack;
            action();
            return (SecondCore.HandOffs - handOffs, SecondCore.TakenBack - takenBack);
        }
    }

}
