using FluentAssertions;
using NeuralNet.Data;
using Xunit;

namespace NeuralNet.Tests.Data;

/// <summary>CSV files with names: numeric and text columns, quoted fields, errors naming the line.</summary>
public sealed class TableTests
{
    [Fact]
    public void ReadCsv_DecidesPerColumnBetweenNumbersAndText()
    {
        const string csv = "sepal_length,colour,species\n5.1,red,setosa\n6.2,\"dark, blue\",versicolor\n\n7,\"say \"\"hi\"\"\",virginica\n";

        Table table = Table.ReadCsv(new StringReader(csv));

        table.ColumnNames.Should().Equal("sepal_length", "colour", "species");
        table.RowCount.Should().Be(3);
        table["sepal_length"].IsNumeric.Should().BeTrue();
        table["sepal_length"].Numbers.Should().Equal(5.1, 6.2, 7);
        table["colour"].ToText().Should().Equal("red", "dark, blue", "say \"hi\"");
        table["species"].IsNumeric.Should().BeFalse();
        table.Without("species").ColumnNames.Should().Equal("sepal_length", "colour");
    }

    [Fact]
    public void ReadCsv_RowWithTooFewFields_ThrowsNamingTheLine()
    {
        Action read = () => Table.ReadCsv(new StringReader("a,b\n1,2\n3\n"), "data.csv");

        read.Should().Throw<InvalidDataException>().WithMessage("data.csv, line 3: expected 2 fields*received 1*");
    }

    [Theory]
    [InlineData("a,b\n1,2\n3,\"x\n", "data.csv, line 3: a quoted field is not closed*")]
    [InlineData("a,b\n1,\"x\"y\n", "data.csv, line 2: expected a comma after a quoted field (received 'y')*")]
    [InlineData("a,a\n1,2\n", "data.csv, line 1: expected a header of distinct, non-empty column names*")]
    [InlineData("", "data.csv is empty*")]
    [InlineData("a,b\n\n", "data.csv has a header but no data rows*")]
    public void ReadCsv_MalformedText_ThrowsNamingTheLine(string csv, string expected)
    {
        Action read = () => Table.ReadCsv(new StringReader(csv), "data.csv");

        read.Should().Throw<InvalidDataException>().WithMessage(expected);
    }

    [Fact]
    public void ReadCsv_QuotedFieldOverTwoLines_IsOneFieldAndLaterLinesKeepTheirNumbers()
    {
        Table table = Table.ReadCsv(new StringReader("a,note\n1,\"two\nlines\"\n2,plain\n"), "data.csv");

        table["note"].ToText().Should().Equal("two\nlines", "plain");
        Action read = () => Table.ReadCsv(new StringReader("a,note\n1,\"two\nlines\"\n2\n"), "data.csv");
        read.Should().Throw<InvalidDataException>().WithMessage("data.csv, line 4: expected 2 fields*received 1*");
    }

    [Fact]
    public void NumericLabels_ReadAsTheirInvariantText()
    {
        Table table = Table.ReadCsv(new StringReader("x,label\n1.5,0\n2.5,2\n"));

        table["label"].ToText().Should().Equal("0", "2");
    }

    [Fact]
    public void Constructor_ColumnsOfDifferentLengths_Throws()
    {
        Action create = () => _ = new Table([TableColumn.Numeric("a", [1, 2]), TableColumn.Text("b", ["x"])]);

        create.Should().Throw<ArgumentException>().WithMessage("*2 rows*received 1 in 'b'*");
    }
}
