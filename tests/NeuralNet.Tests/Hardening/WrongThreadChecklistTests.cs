using System.Reflection;
using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;
using Xunit;

namespace NeuralNet.Tests.Hardening;

/// <summary>
/// The wrong-thread class of the bad-input checklist (issue #12, item 5), over every public method found by reflection
/// that works on a network: a <see cref="Network{T}"/> or <see cref="Trainer{T}"/> method, or any method taking one.
/// While another thread's <c>Fit</c> holds the network (stopped deterministically inside a batch by a callback, no
/// sleeps), each is called on that network: a training entry is refused at once with
/// <see cref="InvalidOperationException"/>; the few that only read are listed with the reason; and in every case the
/// network's weights, running statistics and gradients are left as they were.
/// </summary>
public sealed class WrongThreadChecklistTests
{
    /// <summary>Methods that may run while another thread trains the network, with the reason. Every other one must be refused.</summary>
    private static readonly Dictionary<string, string> AllowedWhileTraining = new()
    {
        ["Network`1.Predict"] = "prediction reads the weights and keeps its buffers per thread (safe from many threads; while another thread trains it sees the weights of some step)",
        ["Network`1.Summary"] = "reads the layers' shapes and counts",
        ["Network`1.ToString"] = "reads the layers' descriptions",
        ["Network`1.RegularizationPenalty"] = "reads the weights",
        ["ClassifierExtensions.PredictProbabilities"] = "prediction (above)",
        ["ClassifierExtensions.PredictClasses"] = "prediction (above)",
        ["Trainer`1..ctor"] = "keeps the network, loss and optimizer; trains nothing",
        ["Trainer`1.set_State"] = "sets what this (other) trainer's next Fit continues from; the running Fit is not this trainer's",
        ["Trainer`1.Evaluate"] = "prediction (above), with metric objects of this trainer's own (a second trainer's, not the running one's)",
        ["NetworkSerializer.Save"] = "reads the weights (of whichever step they are at) into a file",
        ["OnnxExporter.Export"] = "reads the weights into an ONNX graph",
        ["ClassifierPipeline`1..ctor"] = "keeps the network for prediction",
        ["RegressorPipeline`1..ctor"] = "keeps the network for prediction",
        ["Network`1..ctor"] = "makes a new network: none is trained yet",
    };

    [Fact]
    public void EveryTrainingEntry_WhileAnotherThreadTrainsTheNetwork_IsRefusedAtOnce_AndChangesNothing()
    {
        MethodBase[] members = PublicSurfaceChecklistTests.AllMembers()
            .Where(m => !m.GetParameters().Any(p => p.ParameterType.IsByRefLike)) // Predict(span, span): prediction, allowed
            .Where(m => m.DeclaringType == typeof(Network<double>) || m.DeclaringType == typeof(Trainer<double>)
                || m.GetParameters().Any(p => p.ParameterType == typeof(Network<double>) || p.ParameterType == typeof(Trainer<double>)))
            .ToArray();
        Network<double> network = SurfaceSamples.Network();
        var held = new HoldInsideABatch();
        var trainer = new Trainer<double>(network, new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1), new TrainingOptions { Epochs = 2, BatchSize = 2 });
        trainer.Callbacks.Add(held);
        Exception? fitError = null;
        var fit = new Thread(() => fitError = Record.Exception(() => trainer.Fit(SurfaceSamples.Rows(), SurfaceSamples.Rows())));
        fit.Start();
        var failures = new List<string>();
        var refused = new List<string>();
        try
        {
            held.Inside.Wait(TimeSpan.FromMinutes(2)).Should().BeTrue("the first Fit reaches its first batch");
            double[] before = Everything(network);
            foreach (MethodBase member in members)
            {
                string name = PublicSurfaceChecklistTests.Name(member);
                using var samples = new SurfaceSamples();
                object?[] arguments = member.GetParameters().Select(p => p.ParameterType == typeof(Network<double>) ? network : p.ParameterType == typeof(Trainer<double>) ? Second(network) : samples.Value(p)).ToArray();
                object? receiver = member is MethodInfo { IsStatic: false } ? (member.DeclaringType == typeof(Network<double>) ? network : Second(network)) : null;
                bool allowed = AllowedWhileTraining.ContainsKey(name);
                if (arguments.Any(a => ReferenceEquals(a, SurfaceSamples.Missing)))
                {
                    if (!allowed)
                    {
                        failures.Add($"{name}: no sample argument, so the refusal cannot be checked");
                    }

                    continue;
                }

                Exception? thrown = Invoke(member, receiver, arguments);
                if (!allowed && (thrown is not InvalidOperationException || !thrown.Message.Contains("already being trained", StringComparison.Ordinal)))
                {
                    failures.Add($"{name}({string.Join(", ", member.GetParameters().Select(p => p.Name))}): not refused ({(thrown is null ? "ran" : $"{thrown.GetType().Name}: {thrown.Message}")})");
                }
                else if (allowed && thrown is not null)
                {
                    failures.Add($"{name}: listed as allowed while training, but threw {thrown.GetType().Name}: {thrown.Message}");
                }

                if (!allowed)
                {
                    refused.Add(name);
                }

                if (!Everything(network).AsSpan().SequenceEqual(before))
                {
                    failures.Add($"{name}: changed the network that another thread is training");
                    before = Everything(network);
                }
            }
        }
        finally
        {
            held.Release.Set();
            fit.Join();
        }

        fitError.Should().BeNull("the Fit that held the network ends normally");
        refused.Should().Contain(["Network`1.TrainStep", "Network`1.Forward", "Network`1.Backward", "Trainer`1.Fit", "GradientChecker.CheckNetwork"]);
        refused.Count(n => n == "Trainer`1.Fit").Should().Be(6, "every Fit overload: matrices, data sets, jagged and rectangular arrays, class indices, streamed");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Prepend($"{failures.Count} failures:")));
    }

    [Fact]
    public void AGradientCheck_HoldsTheNetworkForItsWholeCheck_SoAFitStartedMeanwhileIsRefused()
    {
        // The check perturbs one weight at a time between forward passes; a Fit let in between would train on (and
        // keep) a perturbed weight. A loss of the test's own starts the other thread's Fit from inside the check.
        Network<double> network = SurfaceSamples.Network();
        Exception? fitError = null;
        var loss = new CallbackLoss(() =>
        {
            var fit = new Thread(() => fitError = Record.Exception(() => new Trainer<double>(network, new MeanSquaredError<double>(), new SgdOptimizer<double>(0.1)).Fit(SurfaceSamples.Rows(), SurfaceSamples.Rows())));
            fit.Start();
            fit.Join();
        });
        double[] before = Everything(network);

        GradientCheckReport report = GradientChecker.CheckNetwork(network, SurfaceSamples.Rows(), SurfaceSamples.Rows(), loss);

        fitError.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Contain("already being trained");
        report.MaxRelativeError.Should().BeLessThan(1e-6);
        Weights(network).Should().Equal(Weights(before, network), "the check restores every weight it perturbed, and nothing else trained");
    }

    /// <summary>A second trainer of the network, as another part of a program would make.</summary>
    private static Trainer<double> Second(Network<double> network) => new(network, new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1), new TrainingOptions { Epochs = 1 });

    private static Exception? Invoke(MethodBase member, object? receiver, object?[] arguments)
    {
        try
        {
            object? result = member is ConstructorInfo constructor
                ? constructor.Invoke(BindingFlags.DoNotWrapExceptions, null, arguments, null)
                : member.Invoke(receiver, BindingFlags.DoNotWrapExceptions, null, arguments, null);
            (result as IDisposable)?.Dispose();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    /// <summary>Every weight, running statistic and gradient of the network, in order.</summary>
    private static double[] Everything(Network<double> network)
        => network.Layers.SelectMany(l => l.Parameters.Concat(l.State)).SelectMany(p => p.Values.ToArray().Concat(p.Gradients.ToArray())).ToArray();

    private static double[] Weights(Network<double> network) => network.Parameters.SelectMany(p => p.Values.ToArray()).ToArray();

    private static double[] Weights(double[] everything, Network<double> network)
    {
        var weights = new List<double>();
        int at = 0;
        foreach (Parameter<double> p in network.Layers.SelectMany(l => l.Parameters.Concat(l.State)))
        {
            weights.AddRange(everything.AsSpan(at, p.Length).ToArray());
            at += 2 * p.Length;
        }

        return [.. weights];
    }

    /// <summary>Stops its Fit inside the first batch until released: the network is held, deterministically.</summary>
    private sealed class HoldInsideABatch : TrainingCallback<double>
    {
        public ManualResetEventSlim Inside { get; } = new();

        public ManualResetEventSlim Release { get; } = new();

        public override void OnBatchEnd(TrainingContext<double> context)
        {
            if (!Inside.IsSet)
            {
                Inside.Set();
                Release.Wait();
            }
        }
    }

    /// <summary>Mean squared error that runs an action the first time its value is taken: in a gradient check, after the first weight was perturbed.</summary>
    private sealed class CallbackLoss(Action action) : LossFunction<double>
    {
        private readonly MeanSquaredError<double> _mse = new();
        private bool _done;

        public override string Name => "callback_mse";

        protected internal override double Value(ReadOnlySpan<double> prediction, ReadOnlySpan<double> target, ReadOnlySpan<double> sampleWeights, int rows, int columns)
        {
            if (!_done)
            {
                _done = true;
                action();
            }

            return _mse.Value(prediction, target, sampleWeights, rows, columns);
        }

        protected internal override void Gradient(ReadOnlySpan<double> prediction, ReadOnlySpan<double> target, ReadOnlySpan<double> sampleWeights, Span<double> gradient, int rows, int columns)
            => _mse.Gradient(prediction, target, sampleWeights, gradient, rows, columns);
    }
}
