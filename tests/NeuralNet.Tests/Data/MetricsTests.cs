using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using Xunit;

namespace NeuralNet.Tests.Data;

public sealed class MetricsTests
{
    private static readonly int[] Actual = [0, 0, 0, 1, 1, 2, 2, 2, 2, 1];
    private static readonly int[] Predicted = [0, 1, 0, 1, 2, 2, 2, 0, 2, 1];

    [Fact]
    public void Accuracy_IsTheShareOfCorrectPredictions() => ClassificationMetrics.Accuracy(Actual, Predicted).Should().Be(0.7);

    [Fact]
    public void ConfusionMatrix_CountsPairsAndGivesPerClassMetrics()
    {
        var matrix = new ConfusionMatrix(Actual, Predicted, 3);
        matrix[0, 0].Should().Be(2);
        matrix[0, 1].Should().Be(1);
        matrix[2, 0].Should().Be(1);
        matrix.Accuracy.Should().Be(0.7);
        matrix.Support(2).Should().Be(4);

        // class 0: TP 2, FP 1 (a 2 predicted 0), FN 1 → P 2/3, R 2/3; class 2: TP 3, FP 1, FN 1 → P 3/4, R 3/4.
        matrix.Precision(0).Should().BeApproximately(2.0 / 3, 1e-15);
        matrix.Recall(0).Should().BeApproximately(2.0 / 3, 1e-15);
        matrix.Precision(1).Should().BeApproximately(2.0 / 3, 1e-15);
        matrix.Recall(1).Should().BeApproximately(2.0 / 3, 1e-15);
        matrix.F1(2).Should().BeApproximately(0.75, 1e-15);
        matrix.ToString().Should().Contain("precision").And.Contain("accuracy 0.7000");
    }

    [Fact]
    public void ConfusionMatrix_ClassNeverPredicted_HasPrecisionAndF1Zero()
    {
        var matrix = new ConfusionMatrix([0, 1, 1], [0, 0, 0], 2);
        matrix.Precision(1).Should().Be(0);
        matrix.F1(1).Should().Be(0);
        matrix.Recall(0).Should().Be(1);
    }

    [Fact]
    public void ClassificationMetrics_BadInput_Throws()
    {
        ((Action)(() => ClassificationMetrics.Accuracy([0, 1], [0]))).Should().Throw<ArgumentException>().Which.Message.Should().Contain("2");
        ((Action)(() => ClassificationMetrics.Accuracy([], []))).Should().Throw<ArgumentException>();
        ((Action)(() => _ = new ConfusionMatrix([0, 3], [0, 1], 3))).Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().Contain("received 3 at index 1");
    }

    [Fact]
    public void RegressionMetrics_MatchHandComputedValues()
    {
        var actual = Matrix<double>.Build.DenseOfColumnArrays([1.0, 2, 3, 4]);
        var predicted = Matrix<double>.Build.DenseOfColumnArrays([1.5, 2, 2, 5]);

        // errors 0.5, 0, −1, 1: SSE 2.25, MSE 0.5625, MAE 0.625; Σ(y − ȳ)² = 5 → R² = 1 − 2.25/5 = 0.55.
        RegressionMetrics.RootMeanSquaredError(actual, predicted).Should().BeApproximately(0.75, 1e-15);
        RegressionMetrics.MeanAbsoluteError(actual, predicted).Should().BeApproximately(0.625, 1e-15);
        RegressionMetrics.RSquared(actual, predicted).Should().BeApproximately(0.55, 1e-15);
        RegressionMetrics.RSquared(actual, Matrix<double>.Build.Dense(4, 1, 2.5)).Should().Be(0, "predicting the mean scores 0");
    }

    [Fact]
    public void RSquared_SeveralOutputs_IsTheMeanOfPerOutputScores()
    {
        var actual = Matrix<double>.Build.DenseOfColumnArrays([1.0, 2, 3, 4], [0.0, 0, 1, 1]);
        var predicted = Matrix<double>.Build.DenseOfColumnArrays([1.5, 2, 2, 5], [0.0, 0, 1, 1]);
        RegressionMetrics.RSquared(actual, predicted).Should().BeApproximately((0.55 + 1) / 2, 1e-15);
    }

    [Fact]
    public void RegressionMetrics_ShapeMismatch_Throws()
    {
        Action rmse = () => RegressionMetrics.RootMeanSquaredError(Matrix<double>.Build.Dense(3, 1), Matrix<double>.Build.Dense(2, 1));
        rmse.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("predicted");
    }
}
