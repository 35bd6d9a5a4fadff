using FluentAssertions;
using NeuralNet.Training;
using Xunit;

namespace NeuralNet.Tests.Training;

public sealed class RecordToStringTests
{
    [Fact]
    public void Evaluation_OfAClassifier_ShowsLossAndAccuracyOnly()
    {
        new Evaluation(0.25, 0.875, null, null).ToString().Should().Be("Evaluation { Loss = 0.25, Accuracy = 0.875 }");
        new Evaluation(0.5, null, 1.5, 0.75).ToString().Should().Be("Evaluation { Loss = 0.5, Rmse = 1.5, RSquared = 0.75 }");
    }

    [Fact]
    public void EpochRecord_WithoutValidation_LeavesTheValidationFiguresOut()
    {
        var record = new EpochRecord
        {
            Epoch = 3,
            LearningRate = 0.1,
            TrainingLoss = 0.5,
            TrainingAccuracy = 0.75,
            Duration = TimeSpan.FromSeconds(1),
            Elapsed = TimeSpan.FromSeconds(3),
        };

        record.ToString().Should().Be("EpochRecord { Epoch = 3, LearningRate = 0.1, TrainingLoss = 0.5, TrainingAccuracy = 0.75, Duration = 00:00:01, Elapsed = 00:00:03 }");
    }
}
