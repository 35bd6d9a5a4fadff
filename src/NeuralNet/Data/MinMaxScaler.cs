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
    }

    /// <inheritdoc />
    protected override (T Center, T Scale) FitColumn(ReadOnlySpan<T> column)
    {
        T min = TensorPrimitives.Min(column), max = TensorPrimitives.Max(column);
        T scale = max == min ? T.One : (max - min) / (_high - _low);
        return (min - (_low * scale), scale); // (x − (min − low·s))/s = low + (x − min)/s
    }
}
