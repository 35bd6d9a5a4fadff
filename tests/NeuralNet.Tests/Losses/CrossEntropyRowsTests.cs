using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Losses;
using Xunit;

namespace NeuralNet.Tests.Losses;

/// <summary>
/// Cross-entropy from logits runs down the batch's columns, all rows at once (SIMD across rows): every batch size (whole
/// vectors and the rows left over), every target form and sample weights must give the per-row formula, worked here in
/// double.
/// </summary>
public class CrossEntropyRowsTests
{
    [Theory]
    [InlineData(1, 2)]
    [InlineData(3, 10)]
    [InlineData(17, 3)]
    [InlineData(64, 10)]
    [InlineData(100, 7)]
    public void FromLogits_EveryBatchSize_MatchesThePerRowFormula(int rows, int classes)
    {
        var random = new RandomSource((ulong)(rows * 100 + classes));
        Matrix<float> logits = Matrix<float>.Build.Dense(rows, classes, (_, _) => (float)((random.NextDouble() * 20) - 10));
        logits[0, classes - 1] = 100; // a large logit in the last column: only the shift by the maximum over every column keeps e^z finite in float
        var indices = new double[rows];
        var weights = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            indices[r] = (int)(random.NextDouble() * classes);
            weights[r] = 0.5 + random.NextDouble();
        }

        Matrix<float> indexTargets = Matrix<float>.Build.Dense(rows, 1, (r, _) => (float)indices[r]);
        Matrix<float> probabilityTargets = Matrix<float>.Build.Dense(rows, classes, (r, c) => c == (int)indices[r] ? 0.75f : 0.25f / (classes - 1));
        Vector<float> sampleWeights = Vector<float>.Build.Dense(rows, r => (float)weights[r]);
        var loss = new CategoricalCrossEntropy<float>(fromLogits: true);

        foreach ((Matrix<float> targets, Vector<float>? w) in new[] { (indexTargets, null), (probabilityTargets, null), (indexTargets, sampleWeights), (probabilityTargets, sampleWeights) })
        {
            double expectedLoss = 0;
            var expectedGradient = new double[rows, classes];
            for (int r = 0; r < rows; r++)
            {
                double max = Enumerable.Range(0, classes).Max(c => (double)logits[r, c]);
                double sum = Enumerable.Range(0, classes).Sum(c => Math.Exp(logits[r, c] - max));
                double weight = w is null ? 1 : w[r];
                double targetSum = 0;
                for (int c = 0; c < classes; c++)
                {
                    double t = targets.ColumnCount == 1 ? (c == (int)indices[r] ? 1 : 0) : targets[r, c];
                    expectedLoss -= weight * t * (logits[r, c] - max - Math.Log(sum)); // −w Σ t (z − ln Σ e^z)
                    targetSum += t;
                }

                for (int c = 0; c < classes; c++)
                {
                    double t = targets.ColumnCount == 1 ? (c == (int)indices[r] ? 1 : 0) : targets[r, c];
                    expectedGradient[r, c] = weight * ((Math.Exp(logits[r, c] - max) / sum * targetSum) - t) / rows; // w(softmax·Σt − t)/N
                }
            }

            expectedLoss /= rows;
            string because = $"{rows} rows, {classes} classes, {(targets.ColumnCount == 1 ? "class indices" : "probabilities")}, {(w is null ? "unweighted" : "weighted")}";
            ((double)loss.Loss(logits, targets, w)).Should().BeApproximately(expectedLoss, 2e-6 * Math.Max(1, Math.Abs(expectedLoss)), because);
            Matrix<float> gradient = loss.Gradient(logits, targets, w);
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < classes; c++)
                {
                    ((double)gradient[r, c]).Should().BeApproximately(expectedGradient[r, c], 1e-6 / rows, $"{because}, [{r}, {c}]");
                }
            }
        }
    }
}
