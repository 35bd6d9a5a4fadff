using System.Numerics;
using NeuralNet.Layers;

namespace NeuralNet;

using MathNet.Numerics.LinearAlgebra;

/// <summary>
/// Each thread's intermediate outputs for <see cref="Network{T}.Predict(Matrix{T}, Matrix{T})"/>: scratch
/// matrices reused while the batch size and the layers' output sizes stay the same.
/// </summary>
internal static class PredictionBuffers<T>
    where T : struct, IFloatingPointIeee754<T>
{
    [ThreadStatic]
    private static Matrix<T>[]? t_hidden;

    [ThreadStatic]
    private static Matrix<T>? t_inputRow;

    [ThreadStatic]
    private static Matrix<T>? t_outputRow;

    /// <summary>This thread's 1-row input and output matrices of the given widths (made once per width).</summary>
    public static (Matrix<T> Input, Matrix<T> Output) SingleRow(int inputs, int outputs)
    {
        if (t_inputRow is null || t_inputRow.ColumnCount != inputs)
        {
            t_inputRow = Matrix<T>.Build.Dense(1, inputs);
        }

        if (t_outputRow is null || t_outputRow.ColumnCount != outputs)
        {
            t_outputRow = Matrix<T>.Build.Dense(1, outputs);
        }

        return (t_inputRow, t_outputRow);
    }

    public static Matrix<T>[] For(Layer<T>[] layers, int rows)
    {
        Matrix<T>[]? hidden = t_hidden;
        if (hidden is null || !Fits(hidden, layers, rows))
        {
            hidden = new Matrix<T>[layers.Length - 1];
            for (int i = 0; i < hidden.Length; i++)
            {
                hidden[i] = Matrix<T>.Build.Dense(rows, layers[i].OutputSize);
            }

            t_hidden = hidden;
        }

        return hidden;
    }

    private static bool Fits(Matrix<T>[] hidden, Layer<T>[] layers, int rows)
    {
        if (hidden.Length != layers.Length - 1)
        {
            return false;
        }

        for (int i = 0; i < hidden.Length; i++)
        {
            if (hidden[i].RowCount != rows || hidden[i].ColumnCount != layers[i].OutputSize)
            {
                return false;
            }
        }

        return true;
    }
}
