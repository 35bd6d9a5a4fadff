using System.Numerics;
using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Serialization;
using NeuralNet.Training;
using Xunit;

namespace NeuralNet.Tests.Serialization;

public sealed class OptimizerResumeTests
{
    public static TheoryData<double, bool, double> SgdSettings => new()
    {
        { 0.0, false, 0.0 },
        { 0.9, false, 0.0 },
        { 0.9, true, 1e-3 },
    };

    [Theory]
    [MemberData(nameof(SgdSettings))]
    public void LoadCheckpoint_MidTraining_ContinuesToTheSameWeightsAsTrainingStraightThrough_Double(double momentum, bool nesterov, double weightDecay) =>
        ResumesExactly<double>(() => new SgdOptimizer<double>(0.05, momentum, nesterov, weightDecay) { ClipNorm = 5 }, useCheckpoint: true);

    [Theory]
    [MemberData(nameof(SgdSettings))]
    public void LoadCheckpoint_MidTraining_ContinuesToTheSameWeightsAsTrainingStraightThrough_Float(double momentum, bool nesterov, double weightDecay) =>
        ResumesExactly<float>(() => new SgdOptimizer<float>(0.05, momentum, nesterov, weightDecay), useCheckpoint: true);

    public static TheoryData<string> OtherOptimizers => new() { "adam", "adamw", "rmsprop", "rmsprop-centered-momentum" };

    [Theory]
    [MemberData(nameof(OtherOptimizers))]
    public void LoadCheckpoint_OfAdamFamilyAndRmsProp_ContinuesToTheSameWeightsAsTrainingStraightThrough(string kind)
    {
        Func<Optimizer<double>> create = kind switch
        {
            "adam" => () => new AdamOptimizer<double>(0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-7, weightDecay: 1e-3),
            "adamw" => () => new AdamWOptimizer<double>(0.01, weightDecay: 0.05),
            "rmsprop" => () => new RmsPropOptimizer<double>(0.01),
            _ => () => new RmsPropOptimizer<double>(0.01, alpha: 0.9, momentum: 0.5, centered: true),
        };

        ResumesExactly(create, useCheckpoint: true);
        ResumesExactly(create, useCheckpoint: false);
    }

    [Fact]
    public void Load_IntoSuppliedOptimizer_ContinuesToTheSameWeightsAsTrainingStraightThrough() =>
        ResumesExactly<double>(() => new SgdOptimizer<double>(0.05, momentum: 0.8), useCheckpoint: false);

    [Fact]
    public void Load_IntoAUsersOwnOptimizer_RestoresItsSlotsGenerically()
    {
        ResumesExactly<double>(() => new SignMomentum(0.01), useCheckpoint: false);

        Action checkpoint = () => NetworkSerializer.LoadCheckpoint<double>(new MemoryStream(SampleNetworks.ToBytes(SampleNetworks.Small<double>(), TrainedSignMomentum())));
        checkpoint.Should().Throw<InvalidDataException>().WithMessage("*sign_momentum*pass an optimizer of that kind*");
    }

    [Fact]
    public void LoadCheckpoint_WithDropout_ContinuesTheSameMasksToTheSameWeights()
    {
        static Network<double> Create() => new(5, new DenseLayer<double>(4, 16, new ReLU<double>()), new DropoutLayer<double>(16, 0.3), new DenseLayer<double>(16, 2));
        Network<double> straight = Create();
        Train(straight, new AdamOptimizer<double>(0.01), 0, 10);

        Network<double> first = Create();
        var firstOptimizer = new AdamOptimizer<double>(0.01);
        Train(first, firstOptimizer, 0, 4);
        TrainingCheckpoint<double> checkpoint = NetworkSerializer.LoadCheckpoint<double>(new MemoryStream(SampleNetworks.ToBytes(first, firstOptimizer)));
        Train(checkpoint.Network, checkpoint.Optimizer, 4, 10);

        for (int i = 0; i < straight.Parameters.Count; i++)
        {
            checkpoint.Network.Parameters[i].Values.ToArray().Should().Equal(straight.Parameters[i].Values.ToArray(), $"parameter {i} must match bit for bit");
        }
    }

    /// <remarks>
    /// Without shuffling: the Trainer shuffles the previous epoch's order in place, so a new Fit starts from
    /// the unshuffled order and a resumed Fit with shuffling takes other batches than one longer Fit would.
    /// </remarks>
    [Fact]
    public void Trainer_FitResumedFromACheckpoint_EndsWithTheSameWeightsAsOneLongerFit()
    {
        static Network<float> Create() => new(8, new DenseLayer<float>(4, 12, new Tanh<float>()), new DropoutLayer<float>(12, 0.2), new DenseLayer<float>(12, 2));
        Matrix<float> x = SampleNetworks.Batch<float>(40, 4, seed: 1);
        Matrix<float> y = x.SubMatrix(0, 40, 0, 2).Map(v => v * v);
        TrainingOptions Options(int epochs) => new() { Epochs = epochs, BatchSize = 8, Shuffle = true };

        Network<float> straight = Create();
        new Trainer<float>(straight, new MeanSquaredError<float>(), new RmsPropOptimizer<float>(0.01, momentum: 0.5), Options(6)).Fit(x, y);

        Network<float> first = Create();
        var firstOptimizer = new RmsPropOptimizer<float>(0.01, momentum: 0.5);
        new Trainer<float>(first, new MeanSquaredError<float>(), firstOptimizer, Options(3)).Fit(x, y);
        TrainingCheckpoint<float> checkpoint = NetworkSerializer.LoadCheckpoint<float>(new MemoryStream(SampleNetworks.ToBytes(first, firstOptimizer)));
        new Trainer<float>(checkpoint.Network, new MeanSquaredError<float>(), checkpoint.Optimizer, Options(3)).Fit(x, y);

        for (int i = 0; i < straight.Parameters.Count; i++)
        {
            checkpoint.Network.Parameters[i].Values.ToArray().Should().Equal(straight.Parameters[i].Values.ToArray(), $"parameter {i} must match bit for bit");
        }
    }

    [Fact]
    public void LoadCheckpoint_RestoresSettingsAndStepCount()
    {
        Network<double> network = SampleNetworks.Small<double>();
        var optimizer = new SgdOptimizer<double>(0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01) { ClipValue = 0.5, ClipNorm = 3 };
        Train(network, optimizer, 0, 4);

        TrainingCheckpoint<double> checkpoint = NetworkSerializer.LoadCheckpoint<double>(new MemoryStream(SampleNetworks.ToBytes(network, optimizer)));

        var loaded = checkpoint.Optimizer.Should().BeOfType<SgdOptimizer<double>>().Subject;
        (loaded.LearningRate, loaded.Momentum, loaded.Nesterov, loaded.WeightDecay, loaded.ClipValue, loaded.ClipNorm, loaded.Iterations)
            .Should().Be((0.05, 0.9, true, 0.01, 0.5, 3.0, 4L));
        for (int i = 0; i < network.Parameters.Count; i++)
        {
            OptimizerState<double> state = loaded.StateOf(checkpoint.Network.Parameters[i])!;
            state.Steps.Should().Be(4);
            state.Slot(0).ToArray().Should().Equal(optimizer.StateOf(network.Parameters[i])!.Slot(0).ToArray());
        }
    }

    private static void ResumesExactly<T>(Func<Optimizer<T>> createOptimizer, bool useCheckpoint)
        where T : struct, IFloatingPointIeee754<T>
    {
        Network<T> straight = SampleNetworks.Small<T>();
        Train(straight, createOptimizer(), 0, 12);

        Network<T> first = SampleNetworks.Small<T>();
        Optimizer<T> firstOptimizer = createOptimizer();
        Train(first, firstOptimizer, 0, 5);
        byte[] saved = SampleNetworks.ToBytes(first, firstOptimizer);
        Network<T> resumed;
        Optimizer<T> resumedOptimizer;
        if (useCheckpoint)
        {
            TrainingCheckpoint<T> checkpoint = NetworkSerializer.LoadCheckpoint<T>(new MemoryStream(saved));
            (resumed, resumedOptimizer) = (checkpoint.Network, checkpoint.Optimizer);
        }
        else
        {
            resumedOptimizer = createOptimizer();
            resumed = NetworkSerializer.Load(new MemoryStream(saved), resumedOptimizer);
        }

        Train(resumed, resumedOptimizer, 5, 12);

        resumedOptimizer.GetType().Should().Be(firstOptimizer.GetType());
        for (int i = 0; i < straight.Parameters.Count; i++)
        {
            resumed.Parameters[i].Values.ToArray().Should().Equal(straight.Parameters[i].Values.ToArray(), $"parameter {i} must match bit for bit");
        }

        resumedOptimizer.Iterations.Should().Be(12);
    }

    /// <summary>Steps <paramref name="from"/> to <paramref name="to"/> of a fixed sequence of batches.</summary>
    private static void Train<T>(Network<T> network, Optimizer<T> optimizer, int from, int to)
        where T : struct, IFloatingPointIeee754<T>
    {
        var loss = new MeanSquaredError<T>();
        for (int step = from; step < to; step++)
        {
            Matrix<T> x = SampleNetworks.Batch<T>(6, network.InputSize, seed: (ulong)step);
            Matrix<T> y = x.SubMatrix(0, 6, 0, network.OutputSize).Map(v => v * v);
            network.TrainStep(x, y, loss, optimizer);
        }
    }

    private static SignMomentum TrainedSignMomentum()
    {
        var optimizer = new SignMomentum(0.01);
        Train(SampleNetworks.Small<double>(), optimizer, 0, 2);
        return optimizer;
    }

    /// <summary>A user's optimizer unknown to the library: two slots, <c>m ← 0.9m + g</c>, <c>s ← s + |g|</c>, <c>p ← p − η·sign(m)·s/steps</c>.</summary>
    private sealed class SignMomentum(double learningRate) : Optimizer<double>(learningRate, 0)
    {
        public override string Name => "sign_momentum";

        protected override int StateSlots => 2;

        protected override void Update(Span<double> values, ReadOnlySpan<double> gradients, OptimizerState<double> state, double learningRate)
        {
            Span<double> m = state.Slot(0), s = state.Slot(1);
            for (int i = 0; i < values.Length; i++)
            {
                m[i] = 0.9 * m[i] + gradients[i];
                s[i] += Math.Abs(gradients[i]);
                values[i] -= learningRate * Math.Sign(m[i]) * s[i] / state.Steps;
            }
        }
    }
}
