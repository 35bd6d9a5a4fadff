using System.Collections.Concurrent;
using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;
using Xunit;

namespace NeuralNet.Tests.Training;

/// <summary>
/// <see cref="Network{T}.TrainStep(MathNet.Numerics.LinearAlgebra.Matrix{T}, MathNet.Numerics.LinearAlgebra.Matrix{T}, NeuralNet.Losses.LossFunction{T}, NeuralNet.Optimizers.Optimizer{T}, MathNet.Numerics.LinearAlgebra.Vector{T}?)"/> and <see cref="Trainer{T}"/> run one and the same step: the same
/// weights, the same divergence check, and one guard that covers a whole step and a whole Fit.
/// </summary>
public sealed class OneTrainingStepTests
{
    [Fact]
    public void Fit_OneEpochOfOneUnshuffledBatch_EqualsOneTrainStep_BitForBit()
    {
        (Matrix<double> x, Matrix<double> y) = ToyProblems.Blobs(30, 3);
        Network<double> viaTrainer = ToyProblems.Classifier(4), viaStep = ToyProblems.Classifier(4);
        var loss = new CategoricalCrossEntropy<double>();
        new Trainer<double>(viaTrainer, loss, new SgdOptimizer<double>(0.1, momentum: 0.9), new TrainingOptions { Epochs = 1, BatchSize = 30, Shuffle = false }).Fit(x, y);
        viaStep.TrainStep(x, y, loss, new SgdOptimizer<double>(0.1, momentum: 0.9));

        ToyProblems.Weights(viaTrainer).Should().Equal(ToyProblems.Weights(viaStep));
    }

    [Fact]
    public void TrainStep_ExplodingLearningRate_ThrowsDiverged_AndKeepsTheLastFiniteWeights()
    {
        // The case: plain SGD at η = 1e6 on standardised data gave NaN losses from step 22 on, silently.
        (Matrix<double> x, Matrix<double> y) = ToyProblems.Linear(64, 5);
        Network<double> network = ToyProblems.Regressor(6);
        var loss = new MeanSquaredError<double>();
        var optimizer = new SgdOptimizer<double>(1e6);
        double[] before = ToyProblems.Weights(network);
        TrainingDivergedException? error = null;
        for (int step = 0; step < 1000 && error is null; step++)
        {
            before = ToyProblems.Weights(network);
            try
            {
                network.TrainStep(x, y, loss, optimizer);
            }
            catch (TrainingDivergedException e)
            {
                error = e;
            }
        }

        error.Should().NotBeNull("a step at η = 1e6 must diverge within 1000 steps");
        error!.Message.Should().StartWith("training diverged: ");
        ToyProblems.Weights(network).Should().OnlyContain(w => double.IsFinite(w)).And.Equal(before);
    }

    [Fact]
    public void TrainStep_StepThatOverflowsTheWeights_IsRolledBack()
    {
        var x = Matrix<double>.Build.Dense(2, 1, 1.0);
        var y = Matrix<double>.Build.Dense(2, 1, 1e150); // a finite loss (1e300), a step of ~1e450: the weights overflow
        var network = new Network<double>(1, new DenseLayer<double>(1, 1));
        double[] before = ToyProblems.Weights(network);

        Action step = () => network.TrainStep(x, y, new MeanSquaredError<double>(), new SgdOptimizer<double>(1e300));

        step.Should().Throw<TrainingDivergedException>().WithMessage("*weight NaN or infinite*");
        ToyProblems.Weights(network).Should().Equal(before);
    }

    [Fact]
    public void TrainStep_DivergedLoss_PutsBackBatchNormRunningStatistics()
    {
        var dense = new DenseLayer<double>(1, 2, new Identity<double>());
        var norm = new BatchNormalization<double>(2);
        var network = new Network<double>(1, dense, norm, new DenseLayer<double>(2, 1, new Identity<double>()));
        network.TrainStep(Matrix<double>.Build.DenseOfArray(new double[,] { { 1 }, { 2 } }), Matrix<double>.Build.Dense(2, 1, 0.5), new MeanSquaredError<double>(), new SgdOptimizer<double>(0.01));
        double[] mean = norm.RunningMean.ToArray(), variance = norm.RunningVariance.ToArray(), weights = ToyProblems.Weights(network);
        mean.Should().NotEqual([0.0, 0.0]); // the finite step moved them
        var x = Matrix<double>.Build.DenseOfArray(new double[,] { { 1e300 }, { -1e300 } });
        dense.Weights.MapInplace(_ => 1e300); // z = ±∞: the batch statistics and the loss are NaN

        Action step = () => network.TrainStep(x, Matrix<double>.Build.Dense(2, 1, 0.5), new MeanSquaredError<double>(), new SgdOptimizer<double>(0.01));

        step.Should().Throw<TrainingDivergedException>();
        norm.RunningMean.ToArray().Should().Equal(mean);
        norm.RunningVariance.ToArray().Should().Equal(variance);
        ToyProblems.Weights(network).Skip(2).Should().Equal(weights.Skip(2)); // all but the two weights set by hand
        step.Should().Throw<TrainingDivergedException>().WithMessage("*running statistics*");
    }

    [Fact]
    public void TwoFitsStartedTogether_ManyTimes_OneIsRefusedAtOnce_AndNoneTrainsConcurrently()
    {
        (Matrix<double> x, Matrix<double> y) = ToyProblems.Blobs(48, 7);
        int refusals = 0;
        for (int pair = 0; pair < 30; pair++)
        {
            var probe = new OwnerProbe(2);
            var network = new Network<double>((ulong)pair, probe, new DenseLayer<double>(2, 8, new Tanh<double>()), new DenseLayer<double>(8, 3, new Softmax<double>()));
            const int epochs = 3;
            using var barrier = new Barrier(2);
            var outcomes = new ConcurrentBag<(int Thread, Exception? Error, TrainingHistory? History)>();
            void Run()
            {
                var trainer = new Trainer<double>(network, new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.05), new TrainingOptions { Epochs = epochs, BatchSize = 8 });
                trainer.EpochCompleted += (_, e) =>
                {
                    if (e.Record.Epoch == 1)
                    {
                        // Only the Fit that holds the network gets here: it stays inside until the other thread's
                        // Fit has returned, so the two always meet however the scheduler runs them (under load a
                        // short Fit could otherwise end before the other thread starts, and nothing would be tested).
                        SpinWait.SpinUntil(() => !outcomes.IsEmpty, TimeSpan.FromSeconds(10));
                    }

                    if (e.Record.Epoch == epochs)
                    {
                        Volatile.Write(ref probe.Owner, 0); // still inside this Fit, under its guard
                    }
                };
                barrier.SignalAndWait();
                try
                {
                    outcomes.Add((Environment.CurrentManagedThreadId, null, trainer.Fit(x, y)));
                }
                catch (Exception e)
                {
                    outcomes.Add((Environment.CurrentManagedThreadId, e, null));
                }
            }

            var threads = new[] { new Thread(Run), new Thread(Run) };
            Array.ForEach(threads, t => t.Start());
            Array.ForEach(threads, t => t.Join());

            probe.Overlapped.Should().BeFalse($"pair {pair}: two Fits trained the network at the same time");
            foreach (var (thread, error, history) in outcomes)
            {
                if (error is null)
                {
                    history!.Epochs.Should().HaveCount(epochs);
                    continue;
                }

                error.Should().BeOfType<InvalidOperationException>($"pair {pair}: a refused Fit fails with a clear error, not {error.GetType().Name}");
                probe.ForwardsBy(thread).Should().Be(0, "a refused Fit is refused before it trains a batch");
                refusals++;
            }

            outcomes.Count(o => o.Error is null).Should().BeGreaterThanOrEqualTo(1);
        }

        refusals.Should().Be(30, "in every pair the second Fit arrives while the first holds the network");
    }

    [Fact]
    public void TrainStep_FromAnEpochHandlerOfARunningFit_IsRefused()
    {
        (Matrix<double> x, Matrix<double> y) = ToyProblems.Blobs(16, 8);
        Network<double> network = ToyProblems.Classifier(9);
        var trainer = new Trainer<double>(network, new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.05), new TrainingOptions { Epochs = 1 });
        Exception? inner = null;
        trainer.EpochCompleted += (_, _) => inner = Record.Exception(() => network.TrainStep(x, y, new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.05)));

        trainer.Fit(x, y);

        inner.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Contain("already being trained");
    }

    /// <summary>An identity layer that notes which thread's Fit trains through it, and whether a second one did meanwhile.</summary>
    private sealed class OwnerProbe(int size) : Layer<double>
    {
        private readonly ConcurrentDictionary<int, int> _forwards = new();
        private volatile bool _overlapped;
        public int Owner;

        public override int InputSize => size;

        public override int OutputSize => size;

        public bool Overlapped => _overlapped;

        public int ForwardsBy(int thread) => _forwards.GetValueOrDefault(thread);

        public override Matrix<double> Forward(Matrix<double> input, bool training)
        {
            int me = Environment.CurrentManagedThreadId;
            _forwards.AddOrUpdate(me, 1, (_, n) => n + 1);
            int owner = Interlocked.CompareExchange(ref Owner, me, 0);
            if (owner != 0 && owner != me)
            {
                _overlapped = true;
            }

            return input;
        }

        public override Matrix<double>? Backward(Matrix<double> outputGradient, bool computeInputGradient = true) => outputGradient;

        public override void Predict(Matrix<double> input, Matrix<double> output) => input.CopyTo(output);
    }
}
