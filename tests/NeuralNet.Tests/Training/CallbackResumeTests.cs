using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Serialization;
using NeuralNet.Training;
using Xunit;

namespace NeuralNet.Tests.Training;

/// <summary>
/// Early stopping is a public callback like any other, and callbacks' own state (the checkpoint's best
/// value, early stopping's record, a user's numbers) rides in the trainer state of a checkpoint, so a run
/// resumed with its callbacks saves, logs and stops exactly as the run straight through.
/// </summary>
public sealed class CallbackResumeTests
{
    private const int K = 4;

    [Fact]
    public void EarlyStoppingCallback_InCallbacks_BehavesAsTheOptionsPath()
    {
        (Matrix<double> x, Matrix<double> y) = ResumeScenario.Data();
        var settings = new EarlyStopping { Patience = 2, MinDelta = 0.02, RestoreBestWeights = true };
        Network<double> byCallback = ResumeScenario.Network(), byOptions = ResumeScenario.Network();
        var trainer = new Trainer<double>(byCallback, new CategoricalCrossEntropy<double>(), ResumeScenario.Optimizer("sgd"), Options(30));
        var early = new EarlyStoppingCallback<double>(settings);
        trainer.Callbacks.Add(early);

        TrainingHistory viaCallback = trainer.Fit(x, y);
        TrainingHistory viaOptions = new Trainer<double>(byOptions, new CategoricalCrossEntropy<double>(), ResumeScenario.Optimizer("sgd"), Options(30, settings)).Fit(x, y);

        viaCallback.StopReason.Should().Be(StopReason.EarlyStopping, "patience 2 with min delta 0.02 stops well before 30 epochs");
        (viaCallback.StopReason, viaCallback.Epochs.Count, viaCallback.BestEpoch).Should().Be((viaOptions.StopReason, viaOptions.Epochs.Count, viaOptions.BestEpoch));
        early.BestEpoch.Should().Be(viaCallback.BestEpoch);
        Weights(byCallback).Should().Equal(Weights(byOptions), "both put the same best weights back");
    }

    [Fact]
    public void TwoEarlyStoppings_AreRefusedBeforeTraining()
    {
        (Matrix<double> x, Matrix<double> y) = ResumeScenario.Data();
        var trainer = new Trainer<double>(ResumeScenario.Network(), new CategoricalCrossEntropy<double>(), ResumeScenario.Optimizer("sgd"), Options(3, new EarlyStopping()));
        trainer.Callbacks.Add(new EarlyStoppingCallback<double>(new EarlyStopping()));

        Action fit = () => trainer.Fit(x, y);

        fit.Should().Throw<ArgumentException>().WithMessage("*one early stopping*").Which.ParamName.Should().Be("Callbacks");
    }

    [Fact]
    public void KEpochs_Checkpoint_KMore_WithCallbacks_SavesLogsAndStopsAsTheRunStraightThrough()
    {
        string folder = Directory.CreateTempSubdirectory("neuralnet-callback-resume-").FullName;
        try
        {
            (Matrix<double> x, Matrix<double> y) = ResumeScenario.Data();
            Network<double> straight = ResumeScenario.Network();
            (Trainer<double> whole, Callbacks wholeCallbacks) = Trainer(straight, ResumeScenario.Optimizer("adam"), 2 * K, Path.Combine(folder, "a"));
            TrainingHistory wholeHistory = whole.Fit(x, y);

            Network<double> first = ResumeScenario.Network();
            Optimizer<double> optimizer = ResumeScenario.Optimizer("adam");
            (Trainer<double> firstTrainer, Callbacks firstCallbacks) = Trainer(first, optimizer, K, Path.Combine(folder, "b"));
            firstTrainer.Fit(x, y);
            string checkpointPath = Path.Combine(folder, "checkpoint.nnet");
            NetworkSerializer.Save(first, checkpointPath, optimizer, firstTrainer.State!);

            TrainingCheckpoint<double> checkpoint = NetworkSerializer.LoadCheckpoint<double>(checkpointPath);
            (Trainer<double> resumed, Callbacks resumedCallbacks) = Trainer(checkpoint.Network, checkpoint.Optimizer, K, Path.Combine(folder, "b")); // new callback objects, as in a new process
            resumed.State = checkpoint.State;
            TrainingHistory second = resumed.Fit(x, y);

            Weights(checkpoint.Network).Should().Equal(Weights(straight));
            (second.StopReason, second.BestEpoch).Should().Be((wholeHistory.StopReason, wholeHistory.BestEpoch));
            resumedCallbacks.Counter.Restored.Should().Equal([K, double.NaN, double.NegativeInfinity], "the user's callback got its saved numbers back, NaN and −∞ included");
            resumedCallbacks.Best.LastSavedEpoch.Should().Be(wholeCallbacks.Best.LastSavedEpoch);
            Saved(folder, "a").Should().Equal(Saved(folder, "b"), "the resumed checkpoint callback saved on the same epochs: it remembered the best value");
            Saved(folder, "a").Should().HaveCountGreaterThan(1);
            WithoutTimes(File.ReadAllLines(Path.Combine(folder, "b.csv"))).Should().Equal(WithoutTimes(File.ReadAllLines(Path.Combine(folder, "a.csv"))), "the resumed log kept the earlier epochs' lines");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static TrainingOptions Options(int epochs, EarlyStopping? early = null) => new()
    {
        Epochs = epochs,
        BatchSize = 8,
        ValidationSplit = 0.2,
        EarlyStopping = early,
        Random = new RandomSource(77),
    };

    private static (Trainer<double>, Callbacks) Trainer(Network<double> network, Optimizer<double> optimizer, int epochs, string prefix)
    {
        var trainer = new Trainer<double>(network, new CategoricalCrossEntropy<double>(), optimizer, Options(epochs));
        var callbacks = new Callbacks(
            new ModelCheckpoint<double>(prefix + "-best-{epoch}.nnet", TrainingMetric.ValidationLoss, minDelta: 0.01),
            new EarlyStoppingCallback<double>(new EarlyStopping { Patience = K, MinDelta = 0.01, Monitor = TrainingMetric.ValidationLoss }), // cannot stop before epoch K + 1
            new CsvLogger<double>(prefix + ".csv"),
            new EpochCounter());
        trainer.Callbacks.Add(callbacks.Best);
        trainer.Callbacks.Add(callbacks.Early);
        trainer.Callbacks.Add(callbacks.Log);
        trainer.Callbacks.Add(callbacks.Counter);
        return (trainer, callbacks);
    }

    private static string[] Saved(string folder, string prefix)
        => Directory.GetFiles(folder, prefix + "-best-*.nnet").Select(f => Path.GetFileName(f)[(prefix.Length + 1)..]).Order().ToArray();

    private static string[] WithoutTimes(string[] lines) => lines.Select(l => string.Join(',', l.Split(',')[..^2])).ToArray();

    private static double[] Weights(Network<double> network) => network.Parameters.SelectMany(p => p.Values.ToArray()).ToArray();

    private sealed record Callbacks(ModelCheckpoint<double> Best, EarlyStoppingCallback<double> Early, CsvLogger<double> Log, EpochCounter Counter);

    /// <summary>A user's callback with a state of its own: epochs seen, and two numbers JSON cannot hold as numbers.</summary>
    private sealed class EpochCounter : TrainingCallback<double>
    {
        private int _epochs;

        public double[]? Restored { get; private set; }

        public override void OnEpochEnd(TrainingContext<double> context) => _epochs++;

        public override double[]? SaveState() => [_epochs, double.NaN, double.NegativeInfinity];

        public override void RestoreState(double[] state)
        {
            Restored = state;
            _epochs = (int)state[0];
        }
    }
}
