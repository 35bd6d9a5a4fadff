using System.Numerics;
using System.Runtime.Intrinsics;
using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;
using Xunit;

namespace NeuralNet.Tests.Losses;

/// <summary>
/// The training step takes softmax cross-entropy's value and gradient from one pass of shifted exponentials
/// (<c>TryValueAndGradient</c>): each has the bits of the separate <c>Value</c> and <c>Gradient</c> calls it replaced, for
/// every batch size around whole vectors, both target forms, with and without sample weights, float and double; and a
/// W2-shaped network trained with it (by <c>TrainStep</c> and by the trainer) follows the separate calls' trajectory bit
/// for bit.
/// </summary>
public class CrossEntropyValueAndGradientTests
{
    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 10)]
    [InlineData(7, 10)]
    [InlineData(64, 10)]
    [InlineData(65, 10)]
    [InlineData(7, 3)]
    [InlineData(16, 2)]
    [InlineData(8, 10)]
    [InlineData(32, 10)]
    [InlineData(128, 7)]
    public void FromLogits_ValueAndGradientTogether_HaveTheSeparateCallsBits(int rows, int classes)
    {
        Check<float>(rows, classes);
        Check<double>(rows, classes);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(64)]
    public void FromLogits_EdgeLogits_ValueAndGradientTogether_HaveTheSeparateCallsBits(int rows)
    {
        // Rows of ties, of +0 and −0, of exponentials that underflow to subnormals and to 0, of huge logits; then one
        // infinite logit, whose NaN loss the step refuses (the value only has to be NaN there too). Double stays within
        // logits 709 apart and finite: beyond, its 512-bit exponential computes a whole vector by the scalar function, so
        // a value's bits depend on which values share its vector, in the separate calls' passes as well (by address).
        EdgeCheck<float>(rows, infinite: false);
        EdgeCheck<float>(rows, infinite: true);
        EdgeCheck<double>(rows, infinite: false);
    }

    [Fact]
    public void ClassIndexBlocks_TakeBatchesOfWholeVectors_WhereTheHardwareHasThem()
    {
        // W2's batch of 64 float rows goes through the blocks on a processor with 512-bit vectors (so do the bit tests'
        // batches of 16, 32, 64 and 128 rows, and of 8 doubles); batches of 1, 2, 7 and 65 rows take the column passes.
        CategoricalCrossEntropy<float>.IndexBlocksFit(64).Should().Be(Vector512.IsHardwareAccelerated);
        CategoricalCrossEntropy<double>.IndexBlocksFit(8).Should().Be(Vector512.IsHardwareAccelerated);
        CategoricalCrossEntropy<float>.IndexBlocksFit(65).Should().BeFalse();
        CategoricalCrossEntropy<double>.IndexBlocksFit(7).Should().BeFalse();
    }

    [Fact]
    public void OnProbabilities_AndForOtherLosses_ThereIsNoJointPath_AndNothingIsWritten()
    {
        float[] prediction = [0.2f, 0.7f, 0.8f, 0.3f];
        float[] gradient = [float.NaN, float.NaN, float.NaN, float.NaN];
        foreach (LossFunction<float> loss in new LossFunction<float>[] { new CategoricalCrossEntropy<float>(), new MeanSquaredError<float>(), new BinaryCrossEntropy<float>(fromLogits: true), new SeparateCalls<float>(new CategoricalCrossEntropy<float>(fromLogits: true)) })
        {
            loss.TryValueAndGradient(prediction, [0f, 1f, 1f, 0f], default, gradient, 2, 2, out _).Should().BeFalse(loss.Name);
            gradient.Should().OnlyContain(g => float.IsNaN(g), loss.Name);
        }
    }

    [Fact]
    public void W2ShapedTraining_WithTheJointPath_FollowsTheSeparateCallsBitForBit()
    {
        // 784 → 128 ReLU → 10 logits, batches of 64 and a last one of 37, SGD with momentum: W2's step, both cores.
        var random = new RandomSource(21);
        Matrix<float> x = RandomMatrices.Uniform<float>(random, 64 + 64 + 37, 784, 0, 1);
        Matrix<float> classes = Matrix<float>.Build.Dense(x.RowCount, 1, (_, _) => random.NextInt(10));
        var fused = new CategoricalCrossEntropy<float>(fromLogits: true);
        (Network<float> a, SgdOptimizer<float> optimizerA) = W2Shaped();
        (Network<float> b, SgdOptimizer<float> optimizerB) = W2Shaped();
        for (int step = 0; step < 6; step++)
        {
            int first = step % 3 * 64, rows = Math.Min(64, x.RowCount - first);
            Matrix<float> input = x.SubMatrix(first, rows, 0, 784), target = classes.SubMatrix(first, rows, 0, 1);
            float joint = a.TrainStep(input, target, fused, optimizerA);
            float separate = b.TrainStep(input, target, new SeparateCalls<float>(fused), optimizerB);
            BitConverter.SingleToInt32Bits(joint).Should().Be(BitConverter.SingleToInt32Bits(separate), $"step {step}'s loss");
            SameParameters(a, b, $"after step {step}");
        }
    }

    [Fact]
    public void TrainerWithWeightsAndRegularization_WithTheJointPath_FollowsTheSeparateCallsBitForBit()
    {
        // The trainer's epoch loop runs the same step: one-hot targets, sample weights and an L2 penalty on the way.
        var random = new RandomSource(22);
        Matrix<double> x = RandomMatrices.Uniform<double>(random, 50, 6);
        Matrix<double> y = RandomMatrices.OneHot<double>(random, 50, 4);
        MathNet.Numerics.LinearAlgebra.Vector<double> weights = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(50, i => 0.5 + (i % 3));
        var fused = new CategoricalCrossEntropy<double>(fromLogits: true);
        Network<double> Net() => new(5, new DenseLayer<double>(6, 8, new Tanh<double>()) { Regularization = new Regularization(l2: 1e-3) }, new DenseLayer<double>(8, 4));
        TrainingOptions Options() => new() { Epochs = 3, BatchSize = 16, Random = new RandomSource(7) };
        Network<double> a = Net(), b = Net();
        TrainingHistory joint = new Trainer<double>(a, fused, new SgdOptimizer<double>(0.1, momentum: 0.9), Options()).Fit(x, y, sampleWeights: weights);
        TrainingHistory separate = new Trainer<double>(b, new SeparateCalls<double>(fused), new SgdOptimizer<double>(0.1, momentum: 0.9), Options()).Fit(x, y, sampleWeights: weights);
        joint.Epochs.Select(e => e.TrainingLoss).Should().Equal(separate.Epochs.Select(e => e.TrainingLoss));
        joint.Epochs.Should().OnlyContain(e => e.TrainingAccuracy != null, "the accuracy observer still sees each batch's outputs");
        SameParameters(a, b, "after three epochs");
    }

    [Fact]
    public void NonFiniteLoss_FromLogits_ThrowsBeforeAnythingChanges_AndTheNextStepIsAsIfItWereNeverTaken()
    {
        // Weights of 1e10 on inputs up to 1e38: every logit +∞, the loss NaN. The gradient written beside the value is
        // scratch: the network and the optimizer's momentum are untouched, and the next step is a fresh network's.
        var random = new RandomSource(23);
        Matrix<float> x = RandomMatrices.Uniform<float>(random, 8, 4, 0, 1);
        Matrix<float> target = Matrix<float>.Build.Dense(8, 1, (_, _) => random.NextInt(3));
        var loss = new CategoricalCrossEntropy<float>(fromLogits: true);
        (Network<float> a, SgdOptimizer<float> optimizerA) = Large();
        (Network<float> b, SgdOptimizer<float> optimizerB) = Large();
        b.TrainStep(x, target, loss, optimizerB); // both carry momentum into the rejected step
        a.TrainStep(x, target, loss, optimizerA);

        Action rejected = () => a.TrainStep(x * 1e38f, target, loss, optimizerA);

        rejected.Should().Throw<TrainingDivergedException>().Which.Loss.Should().Be(double.NaN);
        SameParameters(a, b, "after the rejected step");
        float next = a.TrainStep(x, target, loss, optimizerA);
        BitConverter.SingleToInt32Bits(next).Should().Be(BitConverter.SingleToInt32Bits(b.TrainStep(x, target, loss, optimizerB)));
        SameParameters(a, b, "after the next step");

        static (Network<float>, SgdOptimizer<float>) Large()
        {
            var network = new Network<float>(4, new DenseLayer<float>(4, 3));
            network.Parameters[0].Values.Fill(1e10f);
            return (network, new SgdOptimizer<float>(0.1, momentum: 0.9));
        }
    }

    private static (Network<float> Network, SgdOptimizer<float> Optimizer) W2Shaped()
        => (new Network<float>(3, new DenseLayer<float>(784, 128, new ReLU<float>()), new DenseLayer<float>(128, 10)), new SgdOptimizer<float>(0.05, momentum: 0.9));

    private static void SameParameters<T>(Network<T> a, Network<T> b, string when)
        where T : struct, IFloatingPointIeee754<T>
    {
        for (int p = 0; p < a.Parameters.Count; p++)
        {
            Bits(a.Parameters[p].Values.ToArray()).Should().Equal(Bits(b.Parameters[p].Values.ToArray()), $"parameter {p} {when}");
        }
    }

    private static void Check<T>(int rows, int classes)
        where T : struct, IFloatingPointIeee754<T>
    {
        var random = new RandomSource((ulong)((rows * 37) + classes));
        T[] logits = Enumerable.Range(0, rows * classes).Select(_ => T.CreateChecked((random.NextDouble() * 20) - 10)).ToArray();
        logits[0] = T.CreateChecked(80);
        T[] indices = Enumerable.Range(0, rows).Select(_ => T.CreateChecked(random.NextInt(classes))).ToArray();
        T[] probabilities = new T[rows * classes];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < classes; c++)
            {
                probabilities[r + (c * rows)] = int.CreateTruncating(indices[r]) == c ? T.CreateChecked(0.75) : T.CreateChecked(0.25 / (classes - 1));
            }
        }

        T[] weights = Enumerable.Range(0, rows).Select(_ => T.CreateChecked(0.5 + random.NextDouble())).ToArray();
        var loss = new CategoricalCrossEntropy<T>(fromLogits: true);
        foreach ((T[] target, T[] w) in new[] { (indices, Array.Empty<T>()), (probabilities, Array.Empty<T>()), (indices, weights), (probabilities, weights) })
        {
            string what = $"{typeof(T).Name} {rows}×{classes} {(target.Length == rows ? "indices" : "probabilities")}{(w.Length > 0 ? " weighted" : string.Empty)}";
            T separateValue = loss.Value(logits, target, w, rows, classes);
            T[] separateGradient = new T[rows * classes];
            loss.Gradient(logits, target, w, separateGradient, rows, classes);
            T[] gradient = Enumerable.Repeat(T.NaN, rows * classes).ToArray(); // every element must be written
            loss.TryValueAndGradient(logits, target, w, gradient, rows, classes, out T value).Should().BeTrue(what);
            Bits([value]).Should().Equal(Bits([separateValue]), what);
            Bits(gradient).Should().Equal(Bits(separateGradient), what);
        }
    }

    private static void EdgeCheck<T>(int rows, bool infinite)
        where T : struct, IFloatingPointIeee754<T>
    {
        const int classes = 10;
        var random = new RandomSource((ulong)rows);
        bool single = typeof(T) == typeof(float);
        double[] specials = single ? [0.0, -0.0, 3.0, 3.0, -90.0, -110.0, -800.0, 1e30, -1e30, 745.0] : [0.0, -0.0, 3.0, 3.0, -90.0, -110.0, -700.0, 5.0, -700.0, 0.25];
        T[] logits = new T[rows * classes];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < classes; c++)
            {
                double v = (r % 4) switch
                {
                    0 => specials[(r + c) % classes], // ties, signed zeros, underflowing and huge values in one row
                    1 => c % 2 == 0 ? 0.0 : -0.0, // a row of zeros of both signs
                    2 => (single ? -100.0 : -78.0) * c, // exponentials down to 0 through the subnormals (float)
                    _ => (random.NextDouble() * 20) - 10,
                };
                logits[r + (c * rows)] = T.CreateChecked(v);
            }
        }

        if (infinite)
        {
            logits[rows - 1] = T.PositiveInfinity;
        }

        T[] indices = Enumerable.Range(0, rows).Select(r => T.CreateChecked((r * 7) % classes)).ToArray();
        T[] weights = Enumerable.Range(0, rows).Select(r => T.CreateChecked(r % 5 == 0 ? 0.0 : 0.25 * (r % 5))).ToArray();
        var loss = new CategoricalCrossEntropy<T>(fromLogits: true);
        foreach (T[] w in new[] { Array.Empty<T>(), weights })
        {
            string what = $"{typeof(T).Name} {rows} rows{(infinite ? " with an infinite logit" : string.Empty)}{(w.Length > 0 ? " weighted" : string.Empty)}";
            T separateValue = loss.Value(logits, indices, w, rows, classes);
            T[] separateGradient = new T[rows * classes];
            loss.Gradient(logits, indices, w, separateGradient, rows, classes);
            T[] gradient = new T[rows * classes];
            loss.TryValueAndGradient(logits, indices, w, gradient, rows, classes, out T value).Should().BeTrue(what);
            if (infinite)
            {
                T.IsNaN(value).Should().BeTrue(what);
                T.IsNaN(separateValue).Should().BeTrue(what);
            }
            else
            {
                Bits([value]).Should().Equal(Bits([separateValue]), what);
            }

            Bits(gradient).Should().Equal(Bits(separateGradient), what);
        }
    }

    /// <summary>Each value's bits (a float's widened to double exactly), so that −0 and +0 differ.</summary>
    private static long[] Bits<T>(T[] values)
        where T : struct, IFloatingPointIeee754<T>
        => values.Select(v => BitConverter.DoubleToInt64Bits(double.CreateTruncating(v))).ToArray();

    /// <summary>A loss that makes the separate <c>Value</c> and <c>Gradient</c> calls of another: the path before the joint one.</summary>
    private sealed class SeparateCalls<T>(LossFunction<T> inner) : LossFunction<T>
        where T : struct, IFloatingPointIeee754<T>
    {
        public override string Name => inner.Name;

        protected internal override bool AcceptsTargetColumns(int outputs, int targetColumns) => inner.AcceptsTargetColumns(outputs, targetColumns);

        protected internal override T Value(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, ReadOnlySpan<T> sampleWeights, int rows, int columns)
            => inner.Value(prediction, target, sampleWeights, rows, columns);

        protected internal override void Gradient(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, ReadOnlySpan<T> sampleWeights, Span<T> gradient, int rows, int columns)
            => inner.Gradient(prediction, target, sampleWeights, gradient, rows, columns);
    }
}
