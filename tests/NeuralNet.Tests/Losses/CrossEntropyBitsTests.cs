using System.Numerics;
using System.Numerics.Tensors;
using NeuralNet.Losses;
using Xunit;

namespace NeuralNet.Tests.Losses;

/// <summary>
/// Cross-entropy from logits gives the bits of the separate per-column passes it replaced (one exponential call for the
/// whole batch, and for class indices one pass of softmax − onehot times w/N): every batch size around whole vectors,
/// both target forms, with and without sample weights, float and double. The reference below is the earlier code,
/// kept as the oracle.
/// </summary>
public class CrossEntropyBitsTests
{
    [Theory]
    [InlineData(1, 2)]
    [InlineData(7, 3)]
    [InlineData(16, 10)]
    [InlineData(64, 10)]
    [InlineData(67, 5)]
    public void FromLogits_ValueAndGradient_HaveTheSeparatePassesBits(int rows, int classes)
    {
        Check<float>(rows, classes);
        Check<double>(rows, classes);
    }

    private static void Check<T>(int rows, int classes)
        where T : struct, IFloatingPointIeee754<T>
    {
        var random = new RandomSource((ulong)((rows * 31) + classes));
        T[] logits = Enumerable.Range(0, rows * classes).Select(_ => T.CreateChecked((random.NextDouble() * 20) - 10)).ToArray();
        logits[0] = T.CreateChecked(80);
        T[] indices = Enumerable.Range(0, rows).Select(_ => T.CreateChecked((int)(random.NextDouble() * classes))).ToArray();
        T[] oneHot = new T[rows * classes];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < classes; c++)
            {
                oneHot[r + (c * rows)] = int.CreateTruncating(indices[r]) == c ? T.CreateChecked(0.75) : T.CreateChecked(0.25 / (classes - 1));
            }
        }

        T[] weights = Enumerable.Range(0, rows).Select(_ => T.CreateChecked(0.5 + random.NextDouble())).ToArray();
        var loss = new CategoricalCrossEntropy<T>(fromLogits: true);
        foreach ((T[] target, T[] w) in new[] { (indices, Array.Empty<T>()), (oneHot, Array.Empty<T>()), (indices, weights), (oneHot, weights) })
        {
            bool byIndex = target.Length == rows && classes > 1;
            string what = $"{typeof(T).Name} {rows}×{classes} {(byIndex ? "indices" : "probabilities")}{(w.Length > 0 ? " weighted" : string.Empty)}";
            T value = loss.Value(logits, target, w, rows, classes);
            Assert.True(value.Equals(ReferenceValue(logits, target, w, rows, classes, byIndex)), what);
            T[] gradient = new T[rows * classes];
            loss.Gradient(logits, target, w, gradient, rows, classes);
            Assert.Equal(ReferenceGradient(logits, target, w, rows, classes, byIndex), gradient);
        }
    }

    private static T TargetAt<T>(T[] target, bool byIndex, int r, int c, int rows)
        where T : struct, IFloatingPointIeee754<T>
        => byIndex ? (int.CreateTruncating(target[r]) == c ? T.One : T.Zero) : target[r + (c * rows)];

    private static T WeightOf<T>(T[] w, int r)
        where T : struct, IFloatingPointIeee754<T>
        => w.Length == 0 ? T.One : w[r];

    private static (T[] Maxima, T[] Sums, T[] Exponentials) Shifted<T>(T[] logits, int rows, int columns, bool oneColumn)
        where T : struct, IFloatingPointIeee754<T>
    {
        T[] maxima = logits[..rows], sums = new T[rows], e = new T[oneColumn ? rows : rows * columns];
        for (int c = 1; c < columns; c++)
        {
            TensorPrimitives.Max(maxima, logits.AsSpan(c * rows, rows), maxima);
        }

        for (int c = 0; c < columns; c++)
        {
            Span<T> ec = e.AsSpan(oneColumn ? 0 : c * rows, rows);
            TensorPrimitives.Subtract(logits.AsSpan(c * rows, rows), maxima, ec);
            TensorPrimitives.Exp(ec, ec);
            TensorPrimitives.Add(sums, ec, sums);
        }

        return (maxima, sums, e);
    }

    private static T ReferenceValue<T>(T[] logits, T[] target, T[] w, int rows, int columns, bool byIndex)
        where T : struct, IFloatingPointIeee754<T>
    {
        (T[] logSumExps, T[] sums, _) = Shifted(logits, rows, columns, oneColumn: true);
        TensorPrimitives.Log(sums, sums);
        TensorPrimitives.Add(logSumExps, sums, logSumExps);
        T sum = T.Zero;
        for (int r = 0; r < rows; r++)
        {
            T l = T.Zero;
            for (int c = 0; c < columns; c++)
            {
                T t = TargetAt(target, byIndex, r, c, rows);
                if (t != T.Zero)
                {
                    l -= t * (logits[r + (c * rows)] - logSumExps[r]);
                }
            }

            sum += WeightOf(w, r) * l;
        }

        return sum / T.CreateChecked(rows);
    }

    private static T[] ReferenceGradient<T>(T[] logits, T[] target, T[] w, int rows, int columns, bool byIndex)
        where T : struct, IFloatingPointIeee754<T>
    {
        (_, T[] sums, T[] g) = Shifted(logits, rows, columns, oneColumn: false);
        T inverseN = T.One / T.CreateChecked(rows);
        T[] scales = Enumerable.Range(0, rows).Select(r => inverseN * WeightOf(w, r)).ToArray();
        T[] targetSums = new T[rows];
        if (!byIndex)
        {
            for (int c = 0; c < columns; c++)
            {
                TensorPrimitives.Add(targetSums, target.AsSpan(c * rows, rows), targetSums);
            }
        }

        for (int c = 0; c < columns; c++)
        {
            Span<T> gc = g.AsSpan(c * rows, rows);
            TensorPrimitives.Divide(gc, sums, gc);
            if (!byIndex)
            {
                TensorPrimitives.Multiply(gc, targetSums, gc);
                TensorPrimitives.Subtract(gc, target.AsSpan(c * rows, rows), gc);
            }
        }

        if (byIndex)
        {
            for (int r = 0; r < rows; r++)
            {
                g[r + (int.CreateTruncating(target[r]) * rows)] -= T.One;
            }
        }

        for (int c = 0; c < columns; c++)
        {
            TensorPrimitives.Multiply(g.AsSpan(c * rows, rows), scales, g.AsSpan(c * rows, rows));
        }

        return g;
    }
}
