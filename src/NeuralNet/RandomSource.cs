using System.Numerics;

namespace NeuralNet;

/// <summary>
/// The one seedable source of randomness in NeuralNet: weight initialisation, shuffling and dropout
/// all draw from an instance of this class, so the same seed gives the same numbers on every machine
/// and every .NET version (the algorithm is xoshiro256** seeded through SplitMix64, not
/// <see cref="System.Random"/>, whose seeded sequence is not a documented contract).
/// </summary>
/// <remarks>Not thread-safe: give each thread its own instance.</remarks>
public sealed class RandomSource
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareGaussian;
    private bool _hasSpareGaussian;

    /// <summary>Creates a source whose whole sequence is determined by <paramref name="seed"/>.</summary>
    /// <param name="seed">Any 64-bit value; equal seeds give equal sequences.</param>
    public RandomSource(ulong seed)
    {
        Seed = seed;
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>Creates a source whose whole sequence is determined by <paramref name="seed"/> (the same as the <see cref="ulong"/> seed of equal value).</summary>
    /// <param name="seed">Any value ≥ 0.</param>
    public RandomSource(int seed)
        : this(PlainInputs.Seed(seed, nameof(seed)))
    {
    }

    /// <summary>The seed this source was created with.</summary>
    public ulong Seed { get; }

    /// <summary>The next 64 uniformly distributed random bits.</summary>
    public ulong NextUInt64()
    {
        // xoshiro256** (Blackman and Vigna, 2018).
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>), without modulo bias.</summary>
    /// <param name="maxExclusive">The exclusive upper bound; must be positive.</param>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        ulong bound = (ulong)maxExclusive;
        ulong threshold = (0UL - bound) % bound; // 2^64 mod bound: values below it would bias the result
        while (true)
        {
            ulong r = NextUInt64();
            ulong high = Math.BigMul(r, bound, out ulong low);
            if (low >= threshold)
            {
                return (int)high;
            }
        }
    }

    /// <summary>A standard normal sample (mean 0, variance 1), by the Box-Muller transform.</summary>
    public double NextGaussian()
    {
        if (_hasSpareGaussian)
        {
            _hasSpareGaussian = false;
            return _spareGaussian;
        }

        double u1 = 1.0 - NextDouble(); // in (0, 1], so the logarithm is finite
        double u2 = NextDouble();
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        (double sin, double cos) = Math.SinCos(2.0 * Math.PI * u2);
        _spareGaussian = radius * sin;
        _hasSpareGaussian = true;
        return radius * cos;
    }

    /// <summary>Shuffles <paramref name="values"/> in place (Fisher-Yates), uniformly over all orders.</summary>
    /// <typeparam name="TItem">The element type.</typeparam>
    /// <param name="values">The items to reorder.</param>
    public void Shuffle<TItem>(Span<TItem> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary>
    /// The generator's whole state (the four xoshiro words and the spare Gaussian sample, if one is
    /// waiting), so that a saved model resumes the same random sequence; not all four words may be 0.
    /// </summary>
    internal (ulong S0, ulong S1, ulong S2, ulong S3, double? SpareGaussian) State
    {
        get => (_s0, _s1, _s2, _s3, _hasSpareGaussian ? _spareGaussian : null);
        set
        {
            if ((value.S0 | value.S1 | value.S2 | value.S3) == 0)
            {
                throw new ArgumentException("A xoshiro256** state must not be all zeros (received four zero words).", nameof(value));
            }

            (_s0, _s1, _s2, _s3) = (value.S0, value.S1, value.S2, value.S3);
            _hasSpareGaussian = value.SpareGaussian.HasValue;
            _spareGaussian = value.SpareGaussian.GetValueOrDefault();
        }
    }

    /// <summary>Creates an independent source from this one, for a consumer that needs its own stream.</summary>
    public RandomSource Fork() => new(NextUInt64());

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
