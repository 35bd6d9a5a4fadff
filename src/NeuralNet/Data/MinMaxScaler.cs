using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNet.Data;

/// <summary>
/// Min-max scaling: each column's training range [min, max] mapped linearly onto [low, high],
/// <c>x' = low + (x − min)·(high − low)/(max − min)</c>; a constant column is only shifted to low.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class MinMaxScaler<T> : FeatureScaler<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly T _low;
    private readonly T _high;

    /// <summary>Creates a scaler onto [<paramref name="low"/>, <paramref name="high"/>].</summary>
    /// <param name="low">The value the training minimum maps to; default 0.</param>
    /// <param name="high">The value the training maximum maps to; must exceed low; default 1.</param>
    public MinMaxScaler(double low = 0, double high = 1)
    {
        if (!(double.IsFinite(low) && double.IsFinite(high) && high > low))
        {
            throw new ArgumentOutOfRangeException(nameof(high), high, $"the target range must be finite with high > low (received [{low}, {high}]).");
        }

        _low = T.CreateChecked(low);
        _high = T.CreateChecked(high);
        Low = low;
        High = high;
    }

    /// <summary>Creates a fitted scaler from known column ranges (e.g. saved ones).</summary>
    /// <param name="minimum">The training minimum of each column, finite.</param>
    /// <param name="maximum">The training maximum of each column, finite and ≥ the minimum.</param>
    /// <param name="low">The value the minimum maps to; default 0.</param>
    /// <param name="high">The value the maximum maps to; must exceed low; default 1.</param>
    public MinMaxScaler(IReadOnlyList<T> minimum, IReadOnlyList<T> maximum, double low = 0, double high = 1)
        : this(low, high)
    {
        ArgumentNullException.ThrowIfNull(minimum);
        ArgumentNullException.ThrowIfNull(maximum);
        if (minimum.Count != maximum.Count)
        {
            throw new ArgumentException($"maximum must hold one value per column of minimum: {minimum.Count} (received {maximum.Count}).", nameof(maximum));
        }

        var center = new T[minimum.Count];
        var scale = new T[minimum.Count];
        for (int c = 0; c < center.Length; c++)
        {
            if (!(maximum[c] >= minimum[c]))
            {
                throw new ArgumentOutOfRangeException(nameof(maximum), $"each maximum must be ≥ its minimum (received [{minimum[c]}, {maximum[c]}] for column {c}).");
            }

            T[] pair = [minimum[c], maximum[c]];
            (center[c], scale[c]) = FitColumn(pair);
        }

        SetStatistics(center, scale, nameof(minimum));
    }

    /// <summary>The value the training minimum maps to.</summary>
    public double Low { get; }

    /// <summary>The value the training maximum maps to.</summary>
    public double High { get; }

    /// <summary>A fitted scaler with exactly these saved center and scale values (the model file keeps them, not the ranges, so a reloaded scaler is bit for bit the saved one).</summary>
    internal static MinMaxScaler<T> FromAffine(IReadOnlyList<T> center, IReadOnlyList<T> scale, double low, double high)
    {
        var scaler = new MinMaxScaler<T>(low, high);
        scaler.SetStatistics(center, scale, nameof(center));
        return scaler;
    }

    /// <inheritdoc />
    protected override (T Center, T Scale) FitColumn(ReadOnlySpan<T> column)
    {
        T min = TensorPrimitives.Min(column), max = TensorPrimitives.Max(column);
        T scale = max == min ? T.One : (max - min) / (_high - _low);
        return (min - (_low * scale), scale); // (x − (min − low·s))/s = low + (x − min)/s
    }
}
