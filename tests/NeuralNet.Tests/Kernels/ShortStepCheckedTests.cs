using System.Numerics;
using FluentAssertions;
using NeuralNet.Kernels;
using Xunit;

namespace NeuralNet.Tests.Kernels;

/// <summary>
/// The checked update of a few values inlined into its caller (<see cref="Elementwise.ShortStepChecked{T, TOperator}"/>, a
/// one-sample step's small parameters): for every length under 16 it gives the bits of the vector loop
/// (<see cref="Elementwise.StepChecked{T, TOperator}"/>) for an operator whose two forms agree, copies every old value and
/// nothing past them, and reports a NaN or an infinity at any position.
/// </summary>
public class ShortStepCheckedTests
{
    [Fact]
    public void ShortStepChecked_EveryShortLength_SameBitsAndCopyAsTheVectorLoop()
    {
        Check<float>();
        Check<double>();

        static void Check<T>()
            where T : struct, IFloatingPointIeee754<T>
        {
            var step = new Step<T>(T.CreateChecked(0.3));
            for (int length = 1; length < 16; length++)
            {
                T[] gradients = GemmTests.Fill<T>(length, 6), values = GemmTests.Fill<T>(length, 5), expected = (T[])values.Clone();
                T[] backup = new T[length + 1], expectedBackup = new T[length];

                Elementwise.StepChecked<T, Step<T>>(expected, gradients, step, expectedBackup).Should().BeTrue();
                Elementwise.ShortStepChecked(values.AsSpan(), gradients, step, backup.AsSpan(0, length)).Should().BeTrue();

                values.Should().Equal(expected, $"the same bits as the vector loop ({length} values of {typeof(T).Name})");
                backup.AsSpan(0, length).ToArray().Should().Equal(GemmTests.Fill<T>(length, 5), "every old value is in the copy");
                backup[length].Should().Be(T.Zero, "nothing is written past the copy");
            }
        }
    }

    [Fact]
    public void ShortStepChecked_NonFiniteResultAtAnyPosition_IsReported()
    {
        Check<float>();
        Check<double>();

        static void Check<T>()
            where T : struct, IFloatingPointIeee754<T>
        {
            var step = new Step<T>(T.One);
            foreach (T bad in new[] { T.NaN, T.PositiveInfinity, T.NegativeInfinity })
            {
                for (int length = 1; length < 16; length++)
                {
                    for (int at = 0; at < length; at++)
                    {
                        T[] values = GemmTests.Fill<T>(length, 5), gradients = GemmTests.Fill<T>(length, 6), backup = new T[length];
                        gradients[at] = bad;
                        Elementwise.ShortStepChecked(values.AsSpan(), gradients, step, backup).Should().BeFalse($"{bad} at {at} of {length}");
                        backup.Should().Equal(GemmTests.Fill<T>(length, 5), "the copy can put the values back");
                    }
                }
            }
        }
    }

    [Fact]
    public void ShortStepChecked_ShorterGradientsOrCopy_Throws()
    {
        var step = new Step<double>(0.5);
        double[] values = new double[4];
        FluentActions.Invoking(() => Elementwise.ShortStepChecked(values.AsSpan(), new double[3], step, new double[4]))
            .Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => Elementwise.ShortStepChecked(values.AsSpan(), new double[4], step, new double[3]))
            .Should().Throw<ArgumentException>();
    }

    /// <summary><c>p ← p − ηg</c>, the same unfused multiply and subtraction in both forms.</summary>
    private readonly struct Step<T>(T eta) : IBinaryOperator<T>
        where T : struct, IFloatingPointIeee754<T>
    {
        public T Invoke(T x, T y) => x - (eta * y);

        public Vector<T> Invoke(Vector<T> x, Vector<T> y) => x - (new Vector<T>(eta) * y);
    }
}
