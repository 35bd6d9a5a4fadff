using FluentAssertions;
using NeuralNet.Data;
using Xunit;

namespace NeuralNet.Tests.Data;

public sealed class TrainTestSplitTests
{
    [Fact]
    public void Split_GivesCeilingOfFractionAsTest_DisjointAndComplete()
    {
        (int[] train, int[] test) = TrainTestSplit.Split(442, 0.2, new RandomSource(1));
        test.Should().HaveCount(89);
        train.Should().HaveCount(353);
        train.Concat(test).Order().Should().Equal(Enumerable.Range(0, 442));
    }

    [Fact]
    public void Split_SameSeed_SameSplit_OtherSeed_Other()
    {
        TrainTestSplit.Split(100, 0.3, new RandomSource(5)).Test.Should().Equal(TrainTestSplit.Split(100, 0.3, new RandomSource(5)).Test);
        TrainTestSplit.Split(100, 0.3, new RandomSource(5)).Test.Should().NotEqual(TrainTestSplit.Split(100, 0.3, new RandomSource(6)).Test);
    }

    [Fact]
    public void Stratified_KeepsClassProportionsInBothParts()
    {
        int[] labels = Enumerable.Range(0, 150).Select(i => i / 50).ToArray(); // iris: 50 per class
        (int[] train, int[] test) = TrainTestSplit.Stratified(labels, 0.2, new RandomSource(3));
        test.GroupBy(i => labels[i]).Select(g => g.Count()).Should().Equal(10, 10, 10);
        train.GroupBy(i => labels[i]).Select(g => g.Count()).Should().BeEquivalentTo([40, 40, 40]);
        train.Concat(test).Order().Should().Equal(Enumerable.Range(0, 150));
    }

    [Fact]
    public void Stratified_UnevenClasses_HitsTheExactTestCount()
    {
        int[] labels = [.. Enumerable.Repeat(0, 212), .. Enumerable.Repeat(1, 357)]; // breast cancer
        (_, int[] test) = TrainTestSplit.Stratified(labels, 0.2, new RandomSource(3));
        test.Should().HaveCount(114);
        test.Count(i => labels[i] == 0).Should().BeInRange(42, 43);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.2)]
    [InlineData(double.NaN)]
    public void Split_BadFraction_Throws(double fraction)
    {
        ((Action)(() => TrainTestSplit.Split(10, fraction, new RandomSource(1)))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("testFraction");
        ((Action)(() => TrainTestSplit.Stratified([0, 1, 0, 1], fraction, new RandomSource(1)))).Should().Throw<ArgumentOutOfRangeException>();
    }
}
