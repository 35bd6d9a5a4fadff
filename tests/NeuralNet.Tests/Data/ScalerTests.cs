using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using Xunit;

namespace NeuralNet.Tests.Data;

public sealed class ScalerTests
{
    private static readonly Matrix<double> Train = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 10, 5 }, { 2, 20, 5 }, { 3, 30, 5 }, { 6, 60, 5 } });
    private static readonly Matrix<double> Test = Matrix<double>.Build.DenseOfArray(new double[,] { { 3, 0, 7 } });

    [Fact]
    public void StandardScaler_FitsOnTrainOnly_AndAppliesTrainStatisticsToOtherData()
    {
        var scaler = new StandardScaler<double>();
        Matrix<double> scaled = scaler.FitTransform(Train);
        for (int c = 0; c < 2; c++)
        {
            scaled.Column(c).Average().Should().BeApproximately(0, 1e-15);
            Math.Sqrt(scaled.Column(c).Select(x => x * x).Average()).Should().BeApproximately(1, 1e-15); // population σ
        }

        scaler.Center.Should().Equal(3.0, 30.0, 5.0);
        scaler.Scale[0].Should().BeApproximately(Math.Sqrt(3.5), 1e-15);
        scaler.Scale[2].Should().Be(1, "a constant column keeps scale 1");
        Matrix<double> test = scaler.Transform(Test);
        test[0, 0].Should().Be(0);
        test[0, 1].Should().BeApproximately(-30 / Math.Sqrt(350), 1e-14);
        test[0, 2].Should().Be(2);
        scaler.InverseTransform(test).Should().Match<Matrix<double>>(m => (m - Test).FrobeniusNorm() < 1e-12);
    }

    [Fact]
    public void MinMaxScaler_MapsTrainRangeOntoTheTargetRange()
    {
        var scaler = new MinMaxScaler<double>(-1, 1);
        Matrix<double> scaled = scaler.FitTransform(Train);
        scaled.Column(0).ToArray().Should().Equal([-1, -0.6, -0.2, 1], (a, e) => Math.Abs(a - e) < 1e-15);
        scaled.Column(2).ToArray().Should().AllBeEquivalentTo(-1.0);
        scaler.Transform(Test)[0, 1].Should().BeApproximately(-1 - (2 * 10.0 / 50), 1e-15);
    }

    [Fact]
    public void Scaler_BadUse_ThrowsClearly()
    {
        var scaler = new StandardScaler<double>();
        ((Action)(() => scaler.Transform(Test))).Should().Throw<InvalidOperationException>().Which.Message.Should().Contain("Fit");
        scaler.Fit(Train);
        ((Action)(() => scaler.Transform(Matrix<double>.Build.Dense(1, 2)))).Should().Throw<ArgumentException>().Which.Message.Should().Contain("3 columns");
        var withNaN = Train.Clone();
        withNaN[1, 1] = double.NaN;
        ((Action)(() => new StandardScaler<double>().Fit(withNaN))).Should().Throw<ArgumentException>().Which.Message.Should().Contain("finite");
        ((Action)(() => _ = new MinMaxScaler<double>(1, 1))).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Scaler_FailedFit_KeepsThePreviousFit()
    {
        var scaler = new StandardScaler<double>().Fit(Train);
        var withInfinity = Train.Clone();
        withInfinity[0, 0] = double.PositiveInfinity;
        ((Action)(() => scaler.Fit(withInfinity))).Should().Throw<ArgumentException>();
        scaler.Center.Should().Equal(3.0, 30.0, 5.0);
    }
}
