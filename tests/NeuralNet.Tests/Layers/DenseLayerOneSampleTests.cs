using System.Numerics;
using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Kernels;
using NeuralNet.Layers;
using Xunit;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// One sample through a small dense layer takes loops of the layer's own (vectors where a sum's terms lie side by side):
/// Z, ∂L/∂W, ∂L/∂b and ∂L/∂X must have the bits of the bias fill and the products <see cref="Gemm"/> forms, zeros' signs
/// included (a one-term sum from zero turns −0 into +0).
/// </summary>
public class DenseLayerOneSampleTests
{
    [Theory]
    [InlineData(3, 4)]
    [InlineData(4, 1)]
    [InlineData(1, 1)]
    [InlineData(5, 9)]
    [InlineData(9, 8)]
    [InlineData(7, 1)]
    [InlineData(1, 13)]
    [InlineData(16, 32)] // 512 multiply-adds: the largest tiny product
    [InlineData(17, 31)] // 527: the product's other paths, as before
    public void OneSamplePasses_GiveTheBitsOfTheProducts(int inputs, int outputs)
    {
        Check<double>(inputs, outputs);
        Check<float>(inputs, outputs);
    }

    private static void Check<T>(int inputs, int outputs)
        where T : struct, IFloatingPointIeee754<T>
    {
        var layer = new DenseLayer<T>(inputs, outputs);
        _ = new Network<T>(5, layer);
        var random = new RandomSource(11);
        T Draw(int i) => i % 5 == 0 ? T.Zero : T.CreateChecked(random.NextGaussian()); // zeros (and so −0 products) among them
        for (int i = 0; i < layer.Weights.RowCount * layer.Weights.ColumnCount; i++)
        {
            layer.Weights[i % outputs, i / outputs] = Draw(i + 1);
        }

        for (int j = 0; j < outputs; j++)
        {
            layer.Biases[j] = Draw(j + 2);
        }

        var x = Matrix<T>.Build.Dense(1, inputs, (_, c) => Draw(c));
        var dz = Matrix<T>.Build.Dense(1, outputs, (_, c) => -T.Abs(Draw(c + 3))); // ≤ 0: with a zero input, −0 terms

        layer.Forward(x, training: true);
        T[] w = layer.Weights.ToColumnMajorArray(), b = layer.Biases.ToArray(), xs = x.ToColumnMajorArray(), d = dz.ToColumnMajorArray();
        var z = (T[])b.Clone();
        Gemm.Multiply<T>(false, true, 1, outputs, inputs, xs, 1, w, outputs, z, 1, accumulate: true);
        Bits(layer.LastWeightedSum.ToColumnMajorArray()).Should().Equal(Bits(z), "Z");

        Matrix<T>? dx = layer.BackwardFromActivationInput(dz);
        var dw = new T[outputs * inputs];
        Gemm.Multiply<T>(true, false, outputs, inputs, 1, d, 1, xs, 1, dw, outputs, accumulate: false);
        var expectedDx = new T[inputs];
        Gemm.Multiply<T>(false, false, 1, inputs, outputs, d, 1, w, outputs, expectedDx, 1, accumulate: false);
        Bits(layer.Parameters[0].Gradients.ToArray()).Should().Equal(Bits(dw), "∂L/∂W");
        Bits(layer.Parameters[1].Gradients.ToArray()).Should().Equal(Bits(d), "∂L/∂b");
        Bits(dx!.ToColumnMajorArray()).Should().Equal(Bits(expectedDx), "∂L/∂X");
        layer.BackwardFromActivationInput(dz, computeInputGradient: false).Should().BeNull();
    }

    private static long[] Bits<T>(T[] values)
        where T : struct, IFloatingPointIeee754<T>
        => values.Select(v => BitConverter.DoubleToInt64Bits(double.CreateChecked(v))).ToArray();
}
