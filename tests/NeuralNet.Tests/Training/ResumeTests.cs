using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Optimizers;
using NeuralNet.Serialization;
using NeuralNet.Training;
using Xunit;

namespace NeuralNet.Tests.Training;

/// <summary>
/// Resuming to the bit: 2k epochs in one Fit end with the same weights, learning rates and validation
/// losses as k epochs, a checkpoint (network, optimizer, trainer state), and k more, for every schedule
/// and optimizer, with a validation split, dropout and early stopping that restores the best weights.
/// </summary>
public sealed class ResumeTests
{
    private const int K = 3;

    public static TheoryData<string, string, bool> Runs => new()
    {
        { "none", "sgd", false },
        { "constant", "adam", false },
        { "step", "sgd", false },
        { "step", "adam", true },
        { "step", "adamw", false },
        { "step", "rmsprop", false },
        { "exponential", "rmsprop", false },
        { "cosine", "adamw", false },
        { "plateau", "sgd", true },
        { "plateau-val_accuracy", "sgd", false },
        { "plateau-val_accuracy", "adam", true },
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public void KEpochs_Checkpoint_KMore_EqualsTwoKEpochsStraight_BitForBit(string schedule, string optimizer, bool ownRandom)
    {
        (Matrix<double> x, Matrix<double> y) = ResumeScenario.Data();
        Network<double> straight = ResumeScenario.Network();
        TrainingHistory whole = ResumeScenario.Trainer(straight, ResumeScenario.Optimizer(optimizer), schedule, 2 * K, ownRandom).Fit(x, y);

        Network<double> first = ResumeScenario.Network();
        Optimizer<double> firstOptimizer = ResumeScenario.Optimizer(optimizer);
        Trainer<double> firstTrainer = ResumeScenario.Trainer(first, firstOptimizer, schedule, K, ownRandom);
        firstTrainer.Fit(x, y);
        string path = Path.Combine(Path.GetTempPath(), $"neuralnet-resume-{Guid.NewGuid():N}.nnet");
        try
        {
            NetworkSerializer.Save(first, path, firstOptimizer, firstTrainer.State!);
            TrainingCheckpoint<double> checkpoint = NetworkSerializer.LoadCheckpoint<double>(path);
            Trainer<double> resumed = ResumeScenario.Trainer(checkpoint.Network, checkpoint.Optimizer, schedule, K, ownRandom);
            resumed.State = checkpoint.State;
            TrainingHistory second = resumed.Fit(x, y);

            second.Epochs.Select(e => e.Epoch).Should().Equal(K + 1, K + 2, K + 3);
            second.Epochs.Select(e => e.LearningRate).Should().Equal(whole.Epochs.Skip(K).Select(e => e.LearningRate));
            second.Epochs.Select(e => e.ValidationLoss).Should().Equal(whole.Epochs.Skip(K).Select(e => e.ValidationLoss));
            second.BestEpoch.Should().Be(whole.BestEpoch);
            Weights(checkpoint.Network).Should().Equal(Weights(straight), "k + k epochs end where 2k epochs end");
            checkpoint.Optimizer.LearningRate.Should().Be(whole.Last!.LearningRate, "after Fit the optimizer keeps the last epoch's rate");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void SecondFitOnTheSameTrainer_ContinuesTheRun_AndStateNullStartsANewOne()
    {
        (Matrix<double> x, Matrix<double> y) = ResumeScenario.Data();
        Network<double> straight = ResumeScenario.Network();
        ResumeScenario.Trainer(straight, ResumeScenario.Optimizer("sgd"), "step", 2 * K, false).Fit(x, y);

        Network<double> network = ResumeScenario.Network();
        Trainer<double> trainer = ResumeScenario.Trainer(network, ResumeScenario.Optimizer("sgd"), "step", K, false);
        trainer.Fit(x, y);
        TrainingHistory second = trainer.Fit(x, y);

        second.Epochs.Select(e => e.LearningRate).Should().Equal(0.1 * 0.125, 0.1 * 0.0625, 0.1 * 0.03125); // η₀ = 0.1 halved every epoch, epochs 4-6
        Weights(network).Should().Equal(Weights(straight));
        trainer.State!.EpochsDone.Should().Be(2 * K);

        trainer.State = null;
        trainer.Fit(x, y).Epochs.Select(e => (e.Epoch, e.LearningRate)).Should().Equal((1, 0.1 * 0.03125), (2, 0.1 * 0.03125 * 0.5), (3, 0.1 * 0.03125 * 0.25)); // a new run starts from the optimizer's rate now
    }

    [Theory]
    [InlineData("plateau")]
    [InlineData("plateau-val_accuracy")]
    public void Checkpoint_ContinuedInANewProcess_EqualsTwoKEpochsStraight_BitForBit(string schedule)
    {
        (Matrix<double> x, Matrix<double> y) = ResumeScenario.Data();
        Network<double> straight = ResumeScenario.Network();
        ResumeScenario.Trainer(straight, ResumeScenario.Optimizer("adam"), schedule, 2 * K, true).Fit(x, y);

        Network<double> first = ResumeScenario.Network();
        Optimizer<double> optimizer = ResumeScenario.Optimizer("adam");
        Trainer<double> trainer = ResumeScenario.Trainer(first, optimizer, schedule, K, true);
        trainer.Fit(x, y);
        string folder = Directory.CreateTempSubdirectory("neuralnet-resume-").FullName;
        try
        {
            string checkpoint = Path.Combine(folder, "checkpoint.nnet"), output = Path.Combine(folder, "continued.nnet");
            NetworkSerializer.Save(first, checkpoint, optimizer, trainer.State!);

            (int exitCode, _, string errors) = TestProgram.RunInNewProcess(null, "resume", checkpoint, schedule, K.ToString(System.Globalization.CultureInfo.InvariantCulture), "true", output);
            exitCode.Should().Be(0, errors);

            Weights(NetworkSerializer.Load<double>(output)).Should().Equal(Weights(straight));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void ContinuedRun_OnDataOfAnotherSize_IsRefusedBeforeAnythingChanges()
    {
        (Matrix<double> x, Matrix<double> y) = ResumeScenario.Data();
        Network<double> network = ResumeScenario.Network();
        Trainer<double> trainer = ResumeScenario.Trainer(network, ResumeScenario.Optimizer("sgd"), "none", 1, false);
        trainer.Fit(x, y);
        double[] before = Weights(network);

        Action other = () => trainer.Fit(x.SubMatrix(0, 30, 0, 2), y.SubMatrix(0, 30, 0, 1));

        other.Should().Throw<ArgumentException>().WithMessage("*held out 9 validation rows*Trainer.State to null*");
        Weights(network).Should().Equal(before);
    }

    private static double[] Weights(Network<double> network) => network.Parameters.SelectMany(p => p.Values.ToArray()).ToArray();
}
