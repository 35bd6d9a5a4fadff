using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using Xunit;

namespace NeuralNet.Tests.Data;

public sealed class OneHotTests
{
    [Fact]
    public void Encode_PutsAOneInTheClassColumn()
    {
        Matrix<float> encoded = OneHot.Encode<float>([2, 0, 1], 3);
        encoded.ToArray().Should().BeEquivalentTo(new float[,] { { 0, 0, 1 }, { 1, 0, 0 }, { 0, 1, 0 } });
        ClassLabels.FromScores(encoded).Should().Equal(2, 0, 1);
    }

    [Fact]
    public void Encode_FromIndexColumn_MatchesEncodeFromList()
    {
        var column = Matrix<double>.Build.DenseOfColumnArrays([1.0, 0, 1]);
        OneHot.Encode(column, 2).Should().Be(OneHot.Encode<double>([1, 0, 1], 2));
    }

    [Fact]
    public void Encode_LabelOutOfRange_ThrowsNamingTheIndex()
    {
        ((Action)(() => OneHot.Encode<double>([0, 3], 3))).Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().Contain("received 3 at index 1");
        ((Action)(() => OneHot.Encode<double>([0, -1], 3))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => OneHot.Encode(Matrix<double>.Build.DenseOfColumnArrays([0.5]), 3))).Should().Throw<ArgumentException>().Which.Message.Should().Contain("whole numbers");
    }

    [Fact]
    public void FromScores_SingleColumn_Thresholds()
    {
        ClassLabels.FromScores(Matrix<double>.Build.DenseOfColumnArrays([0.2, 0.5, 0.9])).Should().Equal(0, 1, 1);
        ClassLabels.FromScores(Matrix<double>.Build.DenseOfColumnArrays([-0.1, 0.3]), threshold: 0).Should().Equal(0, 1);
    }
}
