using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using Xunit;

namespace NeuralNet.Tests.Networks;

public sealed class NetworkValidationTests
{
    private static Network<double> Small() => new(1, new DenseLayer<double>(3, 4, new Tanh<double>()), new DenseLayer<double>(4, 2, new Softmax<double>()));

    [Fact]
    public void LayersThatDoNotConnect_AreRejected()
    {
        FluentActions.Invoking(() => new Network<double>(1, new DenseLayer<double>(3, 4), new DenseLayer<double>(5, 1)))
            .Should().Throw<ArgumentException>().WithParameterName("layers").WithMessage("*layer 1*takes 5 inputs*gives 4 outputs*");
        FluentActions.Invoking(() => new Network<double>(1)).Should().Throw<ArgumentException>().WithParameterName("layers");
        var shared = new DenseLayer<double>(2, 2);
        FluentActions.Invoking(() => new Network<double>(1, shared, shared)).Should().Throw<ArgumentException>().WithMessage("*only once*");
    }

    [Fact]
    public void BadInputs_AreRejectedBeforeAnyWeightChanges()
    {
        Network<double> network = Small();
        double[] before = network.Parameters.SelectMany(p => p.Values.ToArray()).ToArray();
        var loss = new CategoricalCrossEntropy<double>();
        var sgd = new SgdOptimizer<double>(0.1);
        var x = Matrix<double>.Build.Dense(2, 3, 0.5);
        var t = Matrix<double>.Build.DenseOfArray(new double[,] { { 0 }, { 1 } });

        FluentActions.Invoking(() => network.TrainStep(Matrix<double>.Build.Dense(2, 4), t, loss, sgd))
            .Should().Throw<ArgumentException>().WithParameterName("input").WithMessage("*3 columns*received 2×4*");
        FluentActions.Invoking(() => network.TrainStep(Matrix<double>.Build.Dense(0, 3), t, loss, sgd))
            .Should().Throw<ArgumentException>().WithParameterName("input").WithMessage("*at least one row*");
        Matrix<double> nan = x.Clone();
        nan[1, 2] = double.NaN;
        FluentActions.Invoking(() => network.TrainStep(nan, t, loss, sgd))
            .Should().Throw<ArgumentException>().WithParameterName("input").WithMessage("*finite*NaN at row 1, column 2*");
        Matrix<double> inf = x.Clone();
        inf[0, 0] = double.PositiveInfinity;
        FluentActions.Invoking(() => network.Predict(inf)).Should().Throw<ArgumentException>().WithParameterName("input");
        FluentActions.Invoking(() => network.TrainStep(x, Matrix<double>.Build.DenseOfArray(new double[,] { { 0 }, { 2 } }), loss, sgd))
            .Should().Throw<ArgumentException>().WithParameterName("target").WithMessage("*[0, 1]*received 2*");
        FluentActions.Invoking(() => network.TrainStep(x, Matrix<double>.Build.Dense(3, 1), loss, sgd))
            .Should().Throw<ArgumentException>().WithParameterName("target").WithMessage("*2×2 or 2×1*received 3×1*");
        FluentActions.Invoking(() => network.TrainStep(x, t, loss, sgd, Vector<double>.Build.Dense(5)))
            .Should().Throw<ArgumentException>().WithParameterName("sampleWeights");
        FluentActions.Invoking(() => network.Predict(x, Matrix<double>.Build.Dense(2, 3)))
            .Should().Throw<ArgumentException>().WithParameterName("output").WithMessage("*2×2*received 2×3*");

        network.Parameters.SelectMany(p => p.Values.ToArray()).Should().Equal(before, "no rejected call may change a weight");
        sgd.Iterations.Should().Be(0);
    }

    [Fact]
    public void Backward_WithoutForward_SaysWhatToDoFirst()
    {
        FluentActions.Invoking(() => Small().Backward(Matrix<double>.Build.Dense(1, 1), new CategoricalCrossEntropy<double>()))
            .Should().Throw<InvalidOperationException>().WithMessage("*Forward*");
    }

    [Fact]
    public async Task TrainingFromTwoThreadsAtOnce_IsRefused()
    {
        using var inForward = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var blocking = new BlockingLayer(3, inForward, release);
        var network = new Network<double>(1, blocking, new DenseLayer<double>(3, 1));
        var x = Matrix<double>.Build.Dense(1, 3, 1.0);
        var t = Matrix<double>.Build.Dense(1, 1, 1.0);
        var first = Task.Run(() => network.TrainStep(x, t, new MeanSquaredError<double>(), new SgdOptimizer<double>(0.1)));
        inForward.Wait(TimeSpan.FromSeconds(10)).Should().BeTrue();
        FluentActions.Invoking(() => network.TrainStep(x, t, new MeanSquaredError<double>(), new SgdOptimizer<double>(0.1)))
            .Should().Throw<InvalidOperationException>().WithMessage("*another thread*");
        release.Set();
        await first.WaitAsync(TimeSpan.FromSeconds(10));
        blocking.Block = false;
        network.TrainStep(x, t, new MeanSquaredError<double>(), new SgdOptimizer<double>(0.1)).Should().BeGreaterThanOrEqualTo(0, "once the first step is done, training works again");
    }

    [Fact]
    public void ConcurrentPredictions_EqualSequentialOnes()
    {
        Network<double> network = Small();
        Matrix<double>[] inputs = Enumerable.Range(0, 16).Select(i => RandomMatrices.Uniform<double>(new RandomSource((ulong)i), 1 + (i % 5), 3)).ToArray();
        Matrix<double>[] expected = inputs.Select(network.Predict).ToArray();
        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            int k = i % inputs.Length;
            network.Predict(inputs[k]).Should().BeEquivalentTo(expected[k]);
        });
    }

    [Fact]
    public void PredictIntoACallerSuppliedMatrix_AllocatesNothingOnceWarm()
    {
        Network<double> network = Small();
        var x = Matrix<double>.Build.Dense(4, 3, 0.25);
        var y = Matrix<double>.Build.Dense(4, 2);
        for (int i = 0; i < 200; i++)
        {
            network.Predict(x, y); // past the runtime's tier-up of these methods (30 calls), which may allocate once
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            network.Predict(x, y);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    /// <summary>An identity layer whose forward pass can wait, to hold one training step open.</summary>
    private sealed class BlockingLayer(int size, ManualResetEventSlim entered, ManualResetEventSlim release) : Layer<double>
    {
        public bool Block { get; set; } = true;

        public override int InputSize => size;

        public override int OutputSize => size;

        public override Matrix<double> Forward(Matrix<double> input, bool training)
        {
            if (Block)
            {
                entered.Set();
                release.Wait(TimeSpan.FromSeconds(10));
            }

            return input;
        }

        public override Matrix<double>? Backward(Matrix<double> outputGradient, bool computeInputGradient = true) => computeInputGradient ? outputGradient : null;

        public override void Predict(Matrix<double> input, Matrix<double> output) => input.CopyTo(output);
    }
}
