using FluentAssertions;
using NeuralNet.Data;
using Xunit;

namespace NeuralNet.Tests.Data;

public sealed class SplitFileTests
{
    [Fact]
    public void Read_GivesTrainAndTestRowsInFileOrder()
    {
        (int[] train, int[] test) = SplitFile.Read(new StringReader("row,split\n0,train\n1,test\n2,train\n\n3,test\n"));
        train.Should().Equal(0, 2);
        test.Should().Equal(1, 3);
    }

    [Fact]
    public void ShippedIrisSplit_Has120TrainAnd30TestRowsCoveringEveryRowOnce()
    {
        (int[] train, int[] test) = SplitFile.Load(Path.Combine(ReadmeExampleTests.RepositoryRoot(), "samples", "data", "iris.split.csv"));
        train.Should().HaveCount(120);
        test.Should().HaveCount(30);
        train.Concat(test).Order().Should().Equal(Enumerable.Range(0, 150));
    }

    [Theory]
    [InlineData("row,label\n0,train\n", "*line 1*header 'row,split'*")]
    [InlineData("row,split\n0,train\nx,test\n", "*line 3*row number*received 'x,test'*")]
    [InlineData("row,split\n0,train\n1,validate\n", "*line 3*'train' or 'test'*validate*")]
    [InlineData("row,split\n0,train\n0,test\n", "*line 3*row 0 is named twice*")]
    [InlineData("row,split\n-1,train\n", "*line 2*≥ 0*")]
    public void MalformedFiles_AreRejectedNamingTheLine(string text, string message)
    {
        FluentActions.Invoking(() => SplitFile.Read(new StringReader(text), "s.csv"))
            .Should().Throw<InvalidDataException>().WithMessage("s.csv, " + message);
    }
}
