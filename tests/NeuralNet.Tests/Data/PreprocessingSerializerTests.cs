using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Serialization;
using Xunit;

namespace NeuralNet.Tests.Data;

/// <summary>Each preprocessing step saves and loads on its own, and can be built from saved statistics.</summary>
public sealed class PreprocessingSerializerTests
{
    private static readonly Matrix<double> Training = Matrix<double>.Build.DenseOfArray(new[,] { { 1.0, 10, 5 }, { 2, 30, 5 }, { 4, 20, 5 }, { 0.5, -7, 5 } });

    [Fact]
    public void StandardScaler_SavedAndLoaded_TransformsBitForBit()
    {
        var scaler = new StandardScaler<double>();
        scaler.Fit(Training);

        FeatureScaler<double> loaded = RoundTrip(scaler);

        loaded.Should().BeOfType<StandardScaler<double>>();
        loaded.Transform(Training).ToColumnMajorArray().Should().Equal(scaler.Transform(Training).ToColumnMajorArray());
    }

    [Fact]
    public void MinMaxScaler_Float_SavedAndLoaded_TransformsBitForBit()
    {
        Matrix<float> training = Training.Map(v => (float)v);
        var scaler = new MinMaxScaler<float>(-1, 1);
        scaler.Fit(training);

        var loaded = (MinMaxScaler<float>)RoundTrip(scaler);

        (loaded.Low, loaded.High).Should().Be((-1, 1));
        loaded.Transform(training).ToColumnMajorArray().Should().Equal(scaler.Transform(training).ToColumnMajorArray());
    }

    [Fact]
    public void Scalers_BuiltFromStatistics_EqualTheFittedOnes()
    {
        var fitted = new StandardScaler<double>();
        fitted.Fit(Training);
        var minMax = new MinMaxScaler<double>();
        minMax.Fit(Training);

        new StandardScaler<double>(fitted.Center, Enumerable.Range(0, 3).Select(c => c == 2 ? 0 : fitted.Scale[c]).ToArray()).Transform(Training)
            .ToColumnMajorArray().Should().Equal(fitted.Transform(Training).ToColumnMajorArray());
        new MinMaxScaler<double>([0.5, -7, 5], [4, 30, 5]).Transform(Training).ToColumnMajorArray()
            .Should().Equal(minMax.Transform(Training).ToColumnMajorArray());
    }

    [Fact]
    public void OneHotEncoder_SavedAndLoaded_KeepsItsCategoriesInOrder()
    {
        OneHotEncoder encoder = OneHotEncoder.Fit(["red", "green", "red", "blue"]);
        using var stream = new MemoryStream();
        PreprocessingSerializer.Save(encoder, stream);
        stream.Position = 0;

        OneHotEncoder loaded = PreprocessingSerializer.LoadOneHotEncoder(stream);

        loaded.Categories.Should().Equal("blue", "green", "red");
        var row = new double[3];
        loaded.Encode<double>("green", row);
        row.Should().Equal(0, 1, 0);
        Action unseen = () => loaded.IndexOf("purple");
        unseen.Should().Throw<ArgumentException>().WithMessage("*'purple'*not seen*blue, green, red*");
    }

    [Fact]
    public void SavedScaler_DamagedAnywhere_RaisesOnlyInvalidData()
    {
        var scaler = new StandardScaler<double>();
        scaler.Fit(Training);
        using var stream = new MemoryStream();
        PreprocessingSerializer.Save(scaler, stream);
        byte[] bytes = stream.ToArray();

        for (int length = 0; length < bytes.Length; length++)
        {
            Action load = () => PreprocessingSerializer.LoadScaler<double>(new MemoryStream(bytes[..length]));
            load.Should().Throw<InvalidDataException>();
        }

        for (int i = 0; i < bytes.Length; i++)
        {
            byte[] damaged = (byte[])bytes.Clone();
            damaged[i] ^= 0x21;
            Action load = () => PreprocessingSerializer.LoadScaler<double>(new MemoryStream(damaged));
            load.Should().Throw<InvalidDataException>($"byte {i} changed");
        }

        Action wrongType = () => PreprocessingSerializer.LoadScaler<float>(new MemoryStream(bytes));
        wrongType.Should().Throw<InvalidDataException>().WithMessage("*float64*");
    }

    [Fact]
    public void Save_UnfittedScaler_Throws()
    {
        Action save = () => PreprocessingSerializer.Save(new StandardScaler<double>(), new MemoryStream());

        save.Should().Throw<ArgumentException>().WithMessage("*fitted*");
    }

    private static FeatureScaler<T> RoundTrip<T>(FeatureScaler<T> scaler)
        where T : struct, System.Numerics.IFloatingPointIeee754<T>
    {
        string path = Path.Combine(Path.GetTempPath(), $"neuralnet-{Guid.NewGuid():N}.scaler");
        try
        {
            PreprocessingSerializer.Save(scaler, path);
            return PreprocessingSerializer.LoadScaler<T>(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
