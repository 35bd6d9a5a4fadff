using System.Globalization;
using FluentAssertions;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;
using Xunit;

namespace NeuralNet.Tests.Training;

public sealed class TrainingHistoryTests
{
    [Fact]
    public void ToCsv_HasTheRecordedColumns_AndRoundTripsTheNumbers()
    {
        (var x, var y) = ToyProblems.Blobs(30, 1);
        TrainingHistory history = new Trainer<double>(ToyProblems.Classifier(1), new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1), new TrainingOptions { Epochs = 3 }).Fit(x, y, x, y);
        string[] lines = history.ToCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("epoch,learning_rate,loss,accuracy,val_loss,val_accuracy,seconds,elapsed_seconds");
        lines.Should().HaveCount(4);
        string[] second = lines[2].Split(',');
        second[0].Should().Be("2");
        double.Parse(second[2], CultureInfo.InvariantCulture).Should().Be(history.Epochs[1].TrainingLoss);
        double.Parse(second[4], CultureInfo.InvariantCulture).Should().Be(history.Epochs[1].ValidationLoss);
    }

    [Fact]
    public void ToCsv_Regression_HasRmseAndRSquared()
    {
        (var x, var y) = ToyProblems.Linear(30, 1);
        TrainingHistory history = new Trainer<double>(ToyProblems.Regressor(1), new MeanSquaredError<double>(), new SgdOptimizer<double>(0.01)).Fit(x, y);
        history.ToCsv().Split('\n')[0].Should().Be("epoch,learning_rate,loss,rmse,r2,seconds,elapsed_seconds");
    }

    [Fact]
    public void SaveCsv_WritesTheFile_AndToStringPrintsATable()
    {
        (var x, var y) = ToyProblems.Blobs(30, 1);
        TrainingHistory history = new Trainer<double>(ToyProblems.Classifier(1), new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1), new TrainingOptions { Epochs = 2 }).Fit(x, y);
        string path = Path.Combine(Path.GetTempPath(), $"history-{Guid.NewGuid():N}.csv");
        try
        {
            history.SaveCsv(path);
            File.ReadAllText(path).Should().Be(history.ToCsv());
        }
        finally
        {
            File.Delete(path);
        }

        string table = history.ToString();
        table.Should().Contain("epoch").And.Contain("loss").And.Contain("accuracy").And.Contain("stopped: MaxEpochs after 2 epochs");
        table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(4);
    }
}
