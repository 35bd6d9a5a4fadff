using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Losses;
using Xunit;

namespace NeuralNet.Tests.Losses;

public sealed class LossGradientTests
{
    public static TheoryData<string> Cases => new(LossCase<double>.All(new RandomSource(0)).Select(c => c.Label));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradient_MatchesFiniteDifferences_ForRandomShapesAndSeeds(string label)
    {
        for (ulong seed = 1; seed <= 5; seed++)
        {
            LossCase<double> c = LossCase<double>.All(new RandomSource(seed)).Single(x => x.Label == label);
            GradientCheckReport plain = GradientChecker.CheckLoss(c.Loss, c.Prediction, c.Target);
            plain.MaxRelativeError.Should().BeLessThan(1e-6, $"seed {seed}: {plain}");
            GradientCheckReport weighted = GradientChecker.CheckLoss(c.Loss, c.Prediction, c.Target, c.Weights);
            weighted.MaxRelativeError.Should().BeLessThan(1e-6, $"seed {seed}, with sample weights: {weighted}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float_AgreesWithDouble(string label)
    {
        LossCase<double> d = LossCase<double>.All(new RandomSource(7)).Single(x => x.Label == label);
        LossCase<float> f = LossCase<float>.All(new RandomSource(7)).Single(x => x.Label == label);
        double l64 = d.Loss.Loss(d.Prediction, d.Target, d.Weights);
        float l32 = f.Loss.Loss(f.Prediction, f.Target, f.Weights);
        l32.Should().BeApproximately((float)l64, 1e-5f * Math.Max(1f, Math.Abs((float)l64)));
        Matrix<double> g64 = d.Loss.Gradient(d.Prediction, d.Target, d.Weights);
        Matrix<float> g32 = f.Loss.Gradient(f.Prediction, f.Target, f.Weights);
        for (int i = 0; i < g64.RowCount; i++)
        {
            for (int j = 0; j < g64.ColumnCount; j++)
            {
                g32[i, j].Should().BeApproximately((float)g64[i, j], 1e-5f * Math.Max(1f, Math.Abs((float)g64[i, j])));
            }
        }
    }

    [Fact]
    public void MeanSquaredError_IsTheMeanOverAllElements_WithoutAHalf()
    {
        var p = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2 }, { 3, 4 } });
        var t = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 2 }, { 3, 6 } });
        new MeanSquaredError<double>().Loss(p, t).Should().Be((1.0 + 0 + 0 + 4) / 4);
        new MeanSquaredError<double>().Gradient(p, t)[1, 1].Should().Be(2.0 * (4 - 6) / 4);
        new MeanAbsoluteError<double>().Loss(p, t).Should().Be((1.0 + 2) / 4);
        new Huber<double>(1).Loss(p, t).Should().Be((0.5 + 1.5) / 4); // ½·1² and 1·(2 − ½)
    }

    [Fact]
    public void CrossEntropy_ClassIndicesAndOneHot_GiveTheSameLossAndGradient()
    {
        var random = new RandomSource(5);
        Matrix<double> logits = RandomMatrices.Uniform<double>(random, 6, 4, -3, 3);
        var indices = Matrix<double>.Build.Dense(6, 1, (r, _) => r % 4);
        var onehot = Matrix<double>.Build.Dense(6, 4, (r, c) => c == r % 4 ? 1 : 0);
        var loss = new CategoricalCrossEntropy<double>(fromLogits: true);
        loss.Loss(logits, indices).Should().BeApproximately(loss.Loss(logits, onehot), 1e-15);
        (loss.Gradient(logits, indices) - loss.Gradient(logits, onehot)).FrobeniusNorm().Should().BeLessThan(1e-15);
    }

    [Fact]
    public void CrossEntropy_OnSaturatedProbabilities_StaysFinite()
    {
        var p = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 0 }, { 0, 1 } });
        var t = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 1 }, { 0, 1 } });
        double ce = new CategoricalCrossEntropy<double>().Loss(p, t);
        ce.Should().Be(50, "ln 0 is clamped at −100, and the batch mean of (100, 0) is 50");
        double bce = new BinaryCrossEntropy<double>().Loss(p, t);
        double.IsFinite(bce).Should().BeTrue();
        var logits = Matrix<double>.Build.DenseOfArray(new double[,] { { 1000, -1000 } });
        new CategoricalCrossEntropy<double>(fromLogits: true).Loss(logits, Matrix<double>.Build.Dense(1, 1, 1)).Should().BeApproximately(2000, 1e-9);
        new BinaryCrossEntropy<double>(fromLogits: true).Loss(logits, Matrix<double>.Build.Dense(1, 2, 0)).Should().BeApproximately(500, 1e-9);
    }

    [Fact]
    public void SampleWeights_ScaleEachSamplesShareOfTheMean()
    {
        var p = Matrix<double>.Build.DenseOfArray(new double[,] { { 1 }, { 3 } });
        var t = Matrix<double>.Build.DenseOfArray(new double[,] { { 0 }, { 0 } });
        var w = Vector<double>.Build.DenseOfArray([2, 0]);
        new MeanSquaredError<double>().Loss(p, t, w).Should().Be((2 * 1.0 + 0 * 9) / 2);
    }

    [Fact]
    public void MeanSquaredError_WithoutWeights_TheBitsOfWeightsOfOne()
    {
        // Without weights the loss skips the weight lookup (and its row division): the same products, the same bits.
        for (ulong seed = 1; seed <= 5; seed++)
        {
            var random = new RandomSource(seed);
            int rows = 1 + (int)(seed % 4), columns = 1 + (int)(seed % 3);
            Matrix<double> p = RandomMatrices.Uniform<double>(random, rows, columns, -3, 3);
            Matrix<double> t = RandomMatrices.Uniform<double>(random, rows, columns, -3, 3);
            var ones = Vector<double>.Build.Dense(rows, 1.0);
            var mse = new MeanSquaredError<double>();
            mse.Loss(p, t).Should().Be(mse.Loss(p, t, ones), $"seed {seed}");
            mse.Gradient(p, t).ToColumnMajorArray().Should().Equal(mse.Gradient(p, t, ones).ToColumnMajorArray(), $"seed {seed}");
        }
    }

    [Fact]
    public void BadTargets_AreRejectedWithTheArgumentNamed()
    {
        var p = Matrix<double>.Build.Dense(3, 2, 0.5);
        FluentActions.Invoking(() => new MeanSquaredError<double>().Loss(p, Matrix<double>.Build.Dense(3, 3)))
            .Should().Throw<ArgumentException>().WithParameterName("target").WithMessage("*3×2*received 3×3*");
        FluentActions.Invoking(() => new CategoricalCrossEntropy<double>().Loss(p, Matrix<double>.Build.Dense(3, 1, 2)))
            .Should().Throw<ArgumentException>().WithParameterName("target").WithMessage("*[0, 1]*received 2*");
        FluentActions.Invoking(() => new CategoricalCrossEntropy<double>().Loss(p, Matrix<double>.Build.Dense(3, 1, 0.5)))
            .Should().Throw<ArgumentException>().WithParameterName("target").WithMessage("*whole numbers*");
        FluentActions.Invoking(() => new BinaryCrossEntropy<double>().Loss(p, Matrix<double>.Build.Dense(3, 2, 1.5)))
            .Should().Throw<ArgumentException>().WithParameterName("target").WithMessage("*[0, 1]*1.5*");
        FluentActions.Invoking(() => new MeanSquaredError<double>().Loss(p, Matrix<double>.Build.Dense(3, 2, double.NaN)))
            .Should().Throw<ArgumentException>().WithParameterName("target").WithMessage("*finite*NaN*");
        FluentActions.Invoking(() => new MeanSquaredError<double>().Loss(p, Matrix<double>.Build.Dense(3, 2), Vector<double>.Build.Dense(2)))
            .Should().Throw<ArgumentException>().WithParameterName("sampleWeights").WithMessage("*3*received 2*");
        FluentActions.Invoking(() => new MeanSquaredError<double>().Loss(p, Matrix<double>.Build.Dense(3, 2), Vector<double>.Build.Dense(3, -1)))
            .Should().Throw<ArgumentException>().WithParameterName("sampleWeights").WithMessage("*≥ 0*");
        FluentActions.Invoking(() => new Huber<double>(-1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("delta");
    }
}

/// <summary>A loss with a valid random prediction, target and sample weights for it.</summary>
internal sealed record LossCase<T>(string Label, LossFunction<T> Loss, Matrix<T> Prediction, Matrix<T> Target, Vector<T> Weights)
    where T : struct, System.Numerics.IFloatingPointIeee754<T>
{
    public static IEnumerable<LossCase<T>> All(RandomSource random)
    {
        int rows = 1 + random.NextInt(5), columns = 2 + random.NextInt(4);
        Matrix<T> Values() => RandomMatrices.AwayFromZero<T>(random, rows, columns, scale: 2, gap: 0.05);
        Matrix<T> Probabilities() => RandomMatrices.Uniform<T>(random, rows, columns, 0.05, 0.95);
        Matrix<T> SoftmaxRows()
        {
            Matrix<T> m = RandomMatrices.Uniform<T>(random, rows, columns, 0.1, 1);
            return Matrix<T>.Build.DenseOfRowVectors(m.EnumerateRows().Select(r => r / r.Sum()));
        }

        Matrix<T> Indices() => Matrix<T>.Build.Dense(rows, 1, (_, _) => T.CreateChecked(random.NextInt(columns)));
        Vector<T> weights = Vector<T>.Build.Dense(rows, _ => T.CreateChecked(0.25 + 2 * random.NextDouble()));

        yield return new("mse", new MeanSquaredError<T>(), Values(), Values(), weights);
        yield return new("mae", new MeanAbsoluteError<T>(), Values(), Values() * T.CreateChecked(3), weights);
        yield return new("huber", new Huber<T>(0.7), Values(), Values() * T.CreateChecked(2), weights);
        yield return new("bce", new BinaryCrossEntropy<T>(), Probabilities(), Probabilities(), weights);
        yield return new("bce_logits", new BinaryCrossEntropy<T>(fromLogits: true), Values(), Probabilities(), weights);
        yield return new("cce_onehot", new CategoricalCrossEntropy<T>(), SoftmaxRows(), RandomMatrices.OneHot<T>(random, rows, columns), weights);
        yield return new("cce_indices", new CategoricalCrossEntropy<T>(), SoftmaxRows(), Indices(), weights);
        yield return new("cce_logits_onehot", new CategoricalCrossEntropy<T>(fromLogits: true), Values(), RandomMatrices.OneHot<T>(random, rows, columns), weights);
        yield return new("cce_logits_indices", new CategoricalCrossEntropy<T>(fromLogits: true), Values(), Indices(), weights);
        yield return new("cce_logits_soft", new CategoricalCrossEntropy<T>(fromLogits: true), Values(), SoftmaxRows(), weights);
    }
}
