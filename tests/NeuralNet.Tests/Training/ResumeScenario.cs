using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Serialization;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <summary>
/// One training run, split or not: a small classifier with dropout, a validation split, early stopping
/// that keeps the best weights, a schedule and an optimizer chosen by name. Shared by the resume tests
/// and by the test program's <c>resume</c> command, which continues a checkpoint in another process.
/// </summary>
internal static class ResumeScenario
{
    public static (Matrix<double> X, Matrix<double> Y) Data() => ToyProblems.Blobs(45, 21);

    public static Network<double> Network() => new(31,
        new DenseLayer<double>(2, 10, new Tanh<double>()),
        new DropoutLayer<double>(10, 0.2),
        new DenseLayer<double>(10, 3, new Softmax<double>()));

    public static Optimizer<double> Optimizer(string name) => name switch
    {
        "sgd" => new SgdOptimizer<double>(0.1, momentum: 0.9, nesterov: true),
        "adam" => new AdamOptimizer<double>(0.02),
        "adamw" => new AdamWOptimizer<double>(0.02, weightDecay: 0.05),
        "rmsprop" => new RmsPropOptimizer<double>(0.01, momentum: 0.5, centered: true),
        _ => throw new ArgumentException($"unknown optimizer {name}", nameof(name)),
    };

    public static LearningRateSchedule? Schedule(string name) => name switch
    {
        "none" => null,
        "constant" => new ConstantSchedule(),
        "step" => new StepDecaySchedule(1, 0.5),
        "exponential" => new ExponentialDecaySchedule(0.8),
        "cosine" => new CosineAnnealingSchedule(5, 1e-4),
        "plateau" => new ReduceOnPlateauSchedule(factor: 0.5, patience: 1, minDelta: 0.05),
        "plateau-val_accuracy" => new ReduceOnPlateauSchedule(factor: 0.5, patience: 1, minDelta: 0) { MonitorName = "val_accuracy" }, // higher is better
        _ => throw new ArgumentException($"unknown schedule {name}", nameof(name)),
    };

    /// <param name="ownRandom">Shuffle from a source of the run's own (its position is saved), not the network's.</param>
    public static TrainingOptions Options(string schedule, int epochs, bool ownRandom) => new()
    {
        Epochs = epochs,
        BatchSize = 8,
        ValidationSplit = 0.2,
        Schedule = Schedule(schedule),
        EarlyStopping = new EarlyStopping { Patience = 100, RestoreBestWeights = true },
        Random = ownRandom ? new RandomSource(77) : null,
    };

    public static Trainer<double> Trainer(Network<double> network, Optimizer<double> optimizer, string schedule, int epochs, bool ownRandom)
        => new(network, new CategoricalCrossEntropy<double>(), optimizer, Options(schedule, epochs, ownRandom));

    /// <summary>Loads <paramref name="checkpoint"/>, trains <paramref name="epochs"/> more epochs and saves the network to <paramref name="output"/>.</summary>
    public static void Continue(string checkpoint, string schedule, int epochs, bool ownRandom, string output)
    {
        TrainingCheckpoint<double> loaded = NetworkSerializer.LoadCheckpoint<double>(checkpoint);
        Trainer<double> trainer = Trainer(loaded.Network, loaded.Optimizer, schedule, epochs, ownRandom);
        trainer.State = loaded.State;
        (Matrix<double> x, Matrix<double> y) = Data();
        trainer.Fit(x, y);
        NetworkSerializer.Save(loaded.Network, output);
    }
}
