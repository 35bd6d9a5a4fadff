using FluentAssertions;
using NeuralNet.Data;
using NeuralNet.Tests.Training;
using Xunit;

namespace NeuralNet.Tests.Data;

public sealed class CsvDatasetTests
{
    [Fact]
    public void Load_Iris_ByTargetName_SplitsFeaturesAndLabel()
    {
        Dataset<double> iris = CsvDataset.Load<double>(Path.Combine(SampleData.Directory, "iris.csv"), "label");
        iris.Count.Should().Be(150);
        iris.Features.ColumnCount.Should().Be(4);
        iris.FeatureNames.Should().Equal("sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm");
        iris.TargetNames.Should().Equal("label");
        iris.Features[0, 0].Should().Be(5.1);
        iris.Targets.Column(0).Distinct().Should().BeEquivalentTo([0.0, 1.0, 2.0]);
    }

    [Fact]
    public void Read_TargetByIndex_TakesThatColumnWhereverItIs()
    {
        Dataset<float> data = CsvDataset.Read<float>(new StringReader("y,a,b\n1,2.5,-3e2\n0,0.125,4\n"), targetColumn: 0);
        data.Targets.Column(0).ToArray().Should().Equal(1f, 0f);
        data.Features.Row(0).ToArray().Should().Equal(2.5f, -300f);
        data.FeatureNames.Should().Equal("a", "b");
        CsvDataset.Read<double>(new StringReader("a,b,y\n1,2,3\n"), targetColumn: -1).Targets[0, 0].Should().Be(3);
    }

    [Fact]
    public void Read_QuotedNumbersBlankLinesAndWindowsLineEnds_ReadAsNumbersWithTheirLines()
    {
        Dataset<double> data = CsvDataset.Read<double>(new StringReader("a,b,label\r\n\"1.5\", 2 ,0\r\n\r\n  \r\n3,4,1\r\n"), "label", "test.csv");

        data.Features.ToRowArrays().Should().BeEquivalentTo(new[] { new[] { 1.5, 2 }, new[] { 3.0, 4 } }, o => o.WithStrictOrdering());
        Action read = () => CsvDataset.Read<double>(new StringReader("a,b,label\r\n1,2,0\r\n\r\n3,x,1\r\n"), "label", "test.csv");
        read.Should().Throw<InvalidDataException>().WithMessage("test.csv, line 4, column 2 ('b')*");
    }

    [Theory]
    [InlineData("a,b,label\n1,2,0\n3,x,1\n", "line 3, column 2 ('b')")]
    [InlineData("a,b,label\n1,2,0\n3,4\n", "line 3: expected 3 fields")]
    [InlineData("a,b,label\n1,2,0,9\n", "line 2: expected 3 fields")]
    [InlineData("a,b,label\n1,2,0\n3,1.5,NaN\n", "line 3, column 3 ('label')")]
    [InlineData("a,b,label\n1,2;5,0\n", "line 2, column 2")]
    [InlineData("a,b,label\n", "no data rows")]
    [InlineData("", "empty")]
    public void Read_MalformedInput_ThrowsInvalidDataExceptionNamingLineAndColumn(string text, string expected)
    {
        Action read = () => CsvDataset.Read<double>(new StringReader(text), "label", "test.csv");
        read.Should().Throw<InvalidDataException>().Which.Message.Should().Contain("test.csv").And.Contain(expected);
    }

    [Fact]
    public void Read_UnknownTargetColumn_ThrowsNamingTheColumns()
    {
        Action byName = () => CsvDataset.Read<double>(new StringReader("a,b\n1,2\n"), "label");
        byName.Should().Throw<ArgumentException>().Which.Message.Should().Contain("'label'").And.Contain("a, b");
        Action byIndex = () => CsvDataset.Read<double>(new StringReader("a,b\n1,2\n"), 2);
        byIndex.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("targetColumn");
    }
}
