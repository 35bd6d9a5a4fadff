using System.Numerics;
using System.Runtime.Intrinsics.X86;
using FluentAssertions;
using NeuralNet.Kernels;
using Xunit;

namespace NeuralNet.Tests.Kernels;

/// <summary>
/// The training step's undo copy written with streaming stores (a parameter of at least a sixteenth of a core's L2 cache): at every
/// alignment of the copy the update gives the same bits as the update without a copy, the copy holds every old value
/// (the elements before the first aligned vector and after the last whole one included), and a non-finite value
/// anywhere is reported. On an AMD processor, where the copy goes through the cache, each test runs with the processor
/// taken for another's, so that the streaming path is tested there too.
/// </summary>
public class StreamedUndoCopyTests
{
    [Fact]
    public void StreamsCopy_NeverOnAnAmdProcessor()
    {
        bool amd = MachineProfile.IsAmd;
        try
        {
            MachineProfile.IsAmd = true;
            Elementwise.StreamsCopy<float>(MachineProfile.L2Bytes).Should().BeFalse("on AMD's Zen cores a copy stored through the cache waits in L3");
            Elementwise.StreamsCopy<double>(MachineProfile.L2Bytes).Should().BeFalse();
        }
        finally
        {
            MachineProfile.IsAmd = amd;
        }
    }

    [Fact]
    public void MachineDescription_NamesTheUndoCopyChoice()
    {
        bool amd = MachineProfile.IsAmd;
        try
        {
            MachineProfile.IsAmd = true;
            MachineProfile.Describe().Should().EndWith("undo copy stored through the caches");
        }
        finally
        {
            MachineProfile.IsAmd = amd;
        }

        AsAnotherProcessor(() => MachineProfile.Describe().Should().EndWith(
            Avx.IsSupported && Vector<byte>.Count == 32
                ? $"undo copy streamed past the caches from {Math.Max(Elementwise.SmallestStreamedCopyBytes, MachineProfile.L2Bytes / Elementwise.StreamedShareOfL2) >> 10} KB"
                : "undo copy stored through the caches"));
    }

    [Fact]
    public void StreamsCopy_OnlyForCopiesOfASixteenthOfTheL2CacheOrMore_AndNeverUnder32KB() => AsAnotherProcessor(() =>
    {
        int floats = (int)Math.Max(Elementwise.SmallestStreamedCopyBytes, MachineProfile.L2Bytes / Elementwise.StreamedShareOfL2) / sizeof(float);
        bool streams = Avx.IsSupported && Vector<byte>.Count == 32;
        Elementwise.StreamsCopy<float>(floats - 1).Should().BeFalse("a smaller copy is stored through the cache");
        Elementwise.StreamsCopy<float>(floats).Should().Be(streams);
        Elementwise.StreamsCopy<double>(floats / 2).Should().Be(streams);
        Elementwise.StreamsCopy<double>((floats / 2) - 1).Should().BeFalse();
        Elementwise.StreamsCopy<float>((int)(Elementwise.SmallestStreamedCopyBytes / sizeof(float)) - 1).Should().BeFalse("never under 32 KB, whatever the cache");
        Elementwise.StreamsCopy<float>(MachineProfile.L2Bytes / 2 / sizeof(float)).Should().Be(streams, "half the L2 cache is streamed, as before");
    });

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    public void StepChecked_Streamed_SameBitsAsWithoutACopy_AndTheCopyHoldsEveryOldValue(int offset)
    {
        AsAnotherProcessor(() =>
        {
            Check<float>(offset);
            Check<double>(offset);
        });

        static void Check<T>(int offset)
            where T : struct, IFloatingPointIeee754<T>
        {
            int length = (MachineProfile.L2Bytes / 2 / System.Runtime.CompilerServices.Unsafe.SizeOf<T>()) + 37;
            Elementwise.StreamsCopy<T>(length).Should().Be(Avx.IsSupported && Vector<byte>.Count == 32);
            T[] values = GemmTests.Fill<T>(length, 5), gradients = GemmTests.Fill<T>(length, 6);
            T[] expected = (T[])values.Clone(), backupArray = new T[length + offset + 1];
            Span<T> backup = backupArray.AsSpan(offset, length); // the copy starts at every alignment in turn
            var step = new Step<T>(T.CreateChecked(0.3));

            Elementwise.StepChecked<T, Step<T>>(expected, gradients, step, default).Should().BeTrue();
            Elementwise.StepChecked(values, gradients, step, backup).Should().BeTrue();

            values.Should().Equal(expected, "the streamed copy does not change the update");
            backup.ToArray().Should().Equal(GemmTests.Fill<T>(length, 5), "every old value is in the copy");
            backupArray[offset + length].Should().Be(T.Zero, "nothing is written past the copy");

            foreach (int at in new[] { 0, length / 2, length - 1 })
            {
                T[] poisoned = GemmTests.Fill<T>(length, 5), bad = (T[])gradients.Clone();
                bad[at] = T.PositiveInfinity;
                Elementwise.StepChecked(poisoned, bad, step, backup).Should().BeFalse($"an infinite gradient at {at} of {length}");
                backup.ToArray().Should().Equal(GemmTests.Fill<T>(length, 5), $"the copy can put the values back (infinity at {at})");
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(7)]
    public void UpdateChecked_Streamed_SameBitsAsWithoutACopy_AndTheCopyHoldsEveryOldValue(int offset)
    {
        AsAnotherProcessor(() =>
        {
            Check<float>(offset);
            Check<double>(offset);
        });

        static void Check<T>(int offset)
            where T : struct, IFloatingPointIeee754<T>
        {
            int length = (MachineProfile.L2Bytes / 2 / System.Runtime.CompilerServices.Unsafe.SizeOf<T>()) + 29;
            T[] values = GemmTests.Fill<T>(length, 7), state = GemmTests.Fill<T>(length, 8), gradients = GemmTests.Fill<T>(length, 9);
            T[] expected = (T[])values.Clone(), expectedState = (T[])state.Clone(), backupArray = new T[length + offset];
            Span<T> backup = backupArray.AsSpan(offset, length);
            var update = new Momentum<T>(T.CreateChecked(0.9), T.CreateChecked(0.05));

            Elementwise.UpdateChecked<T, Momentum<T>>(expected, expectedState, gradients, update, default).Should().BeTrue();
            Elementwise.UpdateChecked(values, state, gradients, update, backup).Should().BeTrue();

            values.Should().Equal(expected, "the streamed copy does not change the values");
            state.Should().Equal(expectedState, "nor the state");
            backup.ToArray().Should().Equal(GemmTests.Fill<T>(length, 7), "every old value is in the copy");

            T[] poisoned = GemmTests.Fill<T>(length, 7), bad = (T[])gradients.Clone();
            bad[1] = T.NaN; // within the elements before the first aligned vector (or the first vector)
            Elementwise.UpdateChecked(poisoned, GemmTests.Fill<T>(length, 8), bad, update, backup).Should().BeFalse("a NaN gradient at 1");
            backup.ToArray().Should().Equal(GemmTests.Fill<T>(length, 7), "the copy can put the values back");
        }
    }

    /// <summary>Runs <paramref name="test"/> with the processor taken for one that is not AMD's (which streams large copies).</summary>
    private static void AsAnotherProcessor(Action test)
    {
        bool amd = MachineProfile.IsAmd;
        try
        {
            MachineProfile.IsAmd = false;
            test();
        }
        finally
        {
            MachineProfile.IsAmd = amd;
        }
    }

    /// <summary><c>p ← p − η·g</c>.</summary>
    private readonly struct Step<T>(T eta) : IBinaryOperator<T>
        where T : struct, IFloatingPointIeee754<T>
    {
        public T Invoke(T x, T y) => x - (eta * y);

        public Vector<T> Invoke(Vector<T> x, Vector<T> y) => x - (new Vector<T>(eta) * y);
    }

    /// <summary><c>v ← μv + g; p ← p − ηv</c>.</summary>
    private readonly struct Momentum<T>(T mu, T eta) : IUpdateOperator<T>
        where T : struct, IFloatingPointIeee754<T>
    {
        public void Invoke(ref T value, ref T state, T gradient)
        {
            state = (state * mu) + gradient;
            value -= eta * state;
        }

        public void Invoke(ref Vector<T> value, ref Vector<T> state, Vector<T> gradient)
        {
            state = (state * new Vector<T>(mu)) + gradient;
            value -= new Vector<T>(eta) * state;
        }
    }
}
