using System.Numerics;
using System.Text.Json;
using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Losses;
using NeuralNet.Serialization;
using Xunit;

namespace NeuralNet.Tests.Serialization;

/// <summary>
/// Model files of format version 1, written by the library before version 2 existed (Fixtures/, made by
/// Fixtures/WriteV1Fixtures.cs.txt at commit 6ef23bc), keep loading and predicting as the network that
/// wrote them; checkpoints also resume training with their optimizer state. Never delete these tests:
/// they are the promise that a saved model outlives a format change.
/// </summary>
public sealed class VersionOneFixtureTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Serialization", "Fixtures");

    [Theory]
    [InlineData("every_activation_dropout_f32")]
    [InlineData("small_sgd_checkpoint_f32")]
    [InlineData("small_adam_checkpoint_f32")]
    public void VersionOneFile_Float_LoadsAndPredictsAsTheNetworkThatWroteIt(string name) => LoadsAndPredicts<float>(name, 1e-6);

    [Theory]
    [InlineData("every_activation_dropout_f64")]
    [InlineData("dropout_adamw_checkpoint_f64")]
    [InlineData("small_rmsprop_checkpoint_f64")]
    public void VersionOneFile_Double_LoadsAndPredictsAsTheNetworkThatWroteIt(string name) => LoadsAndPredicts<double>(name, 1e-13);

    [Fact]
    public void VersionOneFiles_AreReallyVersionOne()
    {
        foreach (string file in Directory.GetFiles(Folder, "*.nnet"))
        {
            byte[] bytes = File.ReadAllBytes(file);
            BitConverter.ToUInt32(bytes, 8).Should().Be(1u, file);
        }
    }

    // The tolerance (relative, per output) is not 0 only because later kernels may sum in another order;
    // the weights themselves load bit for bit.
    private static void LoadsAndPredicts<T>(string name, double tolerance)
        where T : struct, IFloatingPointIeee754<T>
    {
        using JsonDocument expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, name + ".expected.json")));
        Matrix<T> probe = ReadRows<T>(expected.RootElement.GetProperty("probe"));
        string path = Path.Combine(Folder, name + ".nnet");
        Network<T> network = NetworkSerializer.Load<T>(path);

        AssertClose(network.Predict(probe), expected.RootElement.GetProperty("predictions"), tolerance);

        JsonElement afterStep = expected.RootElement.GetProperty("predictionsAfterOneMoreStep");
        if (afterStep.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        TrainingCheckpoint<T> checkpoint = NetworkSerializer.LoadCheckpoint<T>(path);
        Matrix<T> x = SampleNetworks.Batch<T>(6, checkpoint.Network.InputSize, 100);
        Matrix<T> y = SampleNetworks.Batch<T>(6, checkpoint.Network.OutputSize, 101);
        checkpoint.Network.TrainStep(x, y, new MeanSquaredError<T>(), checkpoint.Optimizer);
        AssertClose(checkpoint.Network.Predict(probe), afterStep, tolerance);
    }

    private static Matrix<T> ReadRows<T>(JsonElement rows)
        where T : struct, IFloatingPointIeee754<T>
    {
        double[][] values = rows.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        return Matrix<T>.Build.Dense(values.Length, values[0].Length, (r, c) => T.CreateChecked(values[r][c]));
    }

    private static void AssertClose<T>(Matrix<T> actual, JsonElement expected, double tolerance)
        where T : struct, IFloatingPointIeee754<T>
    {
        Matrix<double> wanted = ReadRows<double>(expected);
        actual.RowCount.Should().Be(wanted.RowCount);
        actual.ColumnCount.Should().Be(wanted.ColumnCount);
        for (int r = 0; r < wanted.RowCount; r++)
        {
            for (int c = 0; c < wanted.ColumnCount; c++)
            {
                double a = double.CreateChecked(actual[r, c]);
                Math.Abs(a - wanted[r, c]).Should().BeLessThanOrEqualTo(tolerance * Math.Max(1, Math.Abs(wanted[r, c])), $"output ({r}, {c})");
            }
        }
    }
}
