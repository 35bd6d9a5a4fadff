using System.Numerics;
using NeuralNet.Kernels;
using Xunit;

namespace NeuralNet.Tests.Kernels;

/// <summary>
/// The finiteness check (up to four values inlined one by one; otherwise four vector sums at a time, then one, then values
/// one by one) finds a NaN or an infinity at every position of every length around its block sizes, float and double, and
/// passes finite values of any size.
/// </summary>
public class AllFiniteTests
{
    [Fact]
    public void AllFinite_FindsEveryBadValueAtEveryPosition()
    {
        Check<float>();
        Check<double>();

        static void Check<T>()
            where T : struct, IFloatingPointIeee754<T>
        {
            foreach (int length in new[] { 0, 1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 200 })
            {
                T[] values = GemmTests.Fill<T>(length, (ulong)length + 1);
                values.AsSpan(0, length / 2).Fill(T.CreateChecked(3e38)); // x − x = 0 even near the largest finite float
                Assert.True(Elementwise.AllFinite<T>(values), $"{typeof(T).Name} {length} finite values");
                for (int i = 0; i < length; i++)
                {
                    foreach (T bad in new[] { T.NaN, T.PositiveInfinity, T.NegativeInfinity })
                    {
                        T kept = values[i];
                        values[i] = bad;
                        Assert.False(Elementwise.AllFinite<T>(values), $"{typeof(T).Name} {bad} at {i} of {length}");
                        values[i] = kept;
                    }
                }
            }
        }
    }
}
