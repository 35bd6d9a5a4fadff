using System.Numerics;
using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Kernels;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Tests.Kernels;
using NeuralNet.Training;
using Xunit;

namespace NeuralNet.Tests.Optimizers;

/// <summary>
/// The training step's update of a large layer's weights (the first, or a hidden one) without an undo copy, where bounds prove it stays finite
/// (<see cref="SgdOptimizer{T}"/>'s <c>UpdateStaysFinite</c>): the same bits as with the copy; taken in W2's set-up and not
/// where a bound is missing (a non-finite weight hidden by ReLU, a regularised layer, weight decay, clipping, a velocity
/// too large for the bound, a restored optimizer state until it is measured); and a step undone for another parameter
/// leaves these weights as they were.
/// </summary>
[Collection(nameof(SecondCoreHeld))] // CopiesEveryUpdate is process-wide
public sealed class UncopiedUpdateTests : IDisposable
{
    private const int Rows = 64, Inputs = 784, Hidden = 128, Classes = 10;

    public void Dispose() => Optimizer<float>.CopiesEveryUpdate = false;

    [Fact]
    public void TrainStep_FirstLayerUncopied_GivesTheCopiedStepsBits()
    {
        (Network<float> copied, SgdOptimizer<float> copiedOptimizer) = Make(seed: 3);
        (Network<float> proved, SgdOptimizer<float> provedOptimizer) = Make(seed: 3);
        var loss = new CategoricalCrossEntropy<float>(fromLogits: true);
        var random = new RandomSource(11);
        for (int step = 0; step < 6; step++)
        {
            (Matrix<float> x, Matrix<float> y) = Batch(random);
            Optimizer<float>.CopiesEveryUpdate = true;
            float a = copied.TrainStep(x, y, loss, copiedOptimizer);
            Optimizer<float>.CopiesEveryUpdate = false;
            float b = proved.TrainStep(x, y, loss, provedOptimizer);
            b.Should().Be(a, $"step {step}: the same loss");
            for (int i = 0; i < copied.Parameters.Count; i++)
            {
                proved.Parameters[i].Values.ToArray().Should().Equal(copied.Parameters[i].Values.ToArray(), $"step {step}, parameter {i}: the same bits");
                provedOptimizer.StateOf(proved.Parameters[i])!.Slot(0).ToArray().Should().Equal(copiedOptimizer.StateOf(copied.Parameters[i])!.Slot(0).ToArray(), $"step {step}, parameter {i}: the same velocity");
            }
        }

        copiedOptimizer.UncopiedUpdates.Should().Be(0, "every update copied");
        provedOptimizer.UncopiedUpdates.Should().Be(6, "the first layer's weights, every step");
    }

    [Fact]
    public void TrainStep_DoubleFirstLayerUncopied_GivesTheCopiedStepsBits()
    {
        var copied = new Network<double>(4, new DenseLayer<double>(Inputs, Hidden, new ReLU<double>()), new DenseLayer<double>(Hidden, Classes));
        var proved = new Network<double>(4, new DenseLayer<double>(Inputs, Hidden, new ReLU<double>()), new DenseLayer<double>(Hidden, Classes));
        var copiedOptimizer = new SgdOptimizer<double>(0.05, momentum: 0.9, nesterov: true);
        var provedOptimizer = new SgdOptimizer<double>(0.05, momentum: 0.9, nesterov: true);
        TrainAlike(copied, copiedOptimizer, proved, provedOptimizer, new RandomSource(21), Rows, Inputs, steps: 4);
        provedOptimizer.UncopiedUpdates.Should().Be(4, "Nesterov, in double: the first layer's weights every step");
        copiedOptimizer.UncopiedUpdates.Should().Be(0);
    }

    [Fact]
    public void Fit_FirstLayerUncopied_GivesTheCopiedRunsBits()
    {
        var random = new RandomSource(31);
        Matrix<float> x = RandomMatrices.Uniform<float>(random, 300, Inputs, 0, 1);
        Matrix<float> y = Matrix<float>.Build.Dense(300, 1, (r, _) => (r * 7) % Classes);
        (Network<float> copied, SgdOptimizer<float> copiedOptimizer) = Make(seed: 8);
        (Network<float> proved, SgdOptimizer<float> provedOptimizer) = Make(seed: 8);
        var options = new TrainingOptions { Epochs = 2, BatchSize = Rows, Random = new RandomSource(5) };
        try
        {
            Optimizer<float>.CopiesEveryUpdate = true;
            new Trainer<float>(copied, new CategoricalCrossEntropy<float>(fromLogits: true), copiedOptimizer, options).Fit(x, y);
        }
        finally
        {
            Optimizer<float>.CopiesEveryUpdate = false;
        }

        var again = new TrainingOptions { Epochs = 2, BatchSize = Rows, Random = new RandomSource(5) };
        new Trainer<float>(proved, new CategoricalCrossEntropy<float>(fromLogits: true), provedOptimizer, again).Fit(x, y);
        for (int i = 0; i < copied.Parameters.Count; i++)
        {
            proved.Parameters[i].Values.ToArray().Should().Equal(copied.Parameters[i].Values.ToArray(), $"parameter {i}: the same bits");
        }

        copiedOptimizer.UncopiedUpdates.Should().Be(0);
        provedOptimizer.UncopiedUpdates.Should().Be(10, "every batch of both epochs (4 of 64 rows and one of 44 each) measured in the first layer's product");
    }

    [Theory]
    [InlineData(128, 512, 1024, 512, false)] // weights of 2^19 and more: one large product each, measured after it (W3's kind)
    [InlineData(64, 784, 256, 256, true)] // a hidden layer whose product is cut along its depth, measured inside it as the first
    public void TrainStep_HiddenLayersUncopied_GiveTheCopiedStepsBits(int rows, int inputs, int hidden, int hidden2, bool depthCut)
    {
        foreach ((int layerInputs, int layerOutputs) in new[] { (inputs, hidden), (hidden, hidden2) })
        {
            if (depthCut)
            {
                WorkSplit.ForwardDepthSplit(rows, layerInputs, layerOutputs).Should().BeGreaterThan(0, "the product is cut along its depth");
            }
            else
            {
                WorkSplit.ForwardDepthSplit(rows, layerInputs, layerOutputs).Should().Be(0, "one ordinary product");
                ((long)rows * layerInputs * layerOutputs).Should().BeGreaterThanOrEqualTo(WorkSplit.SharedBlocksWork, "a large one");
            }
        }

        Network<float> Deep() => new(17, new DenseLayer<float>(inputs, hidden, new ReLU<float>()), new DenseLayer<float>(hidden, hidden2, new ReLU<float>()), new DenseLayer<float>(hidden2, Classes));
        Network<float> copied = Deep(), proved = Deep();
        var copiedOptimizer = new SgdOptimizer<float>(0.05, momentum: 0.9);
        var provedOptimizer = new SgdOptimizer<float>(0.05, momentum: 0.9);
        const int Steps = 3;
        TrainAlike(copied, copiedOptimizer, proved, provedOptimizer, new RandomSource(23), rows, inputs, Steps);
        copiedOptimizer.UncopiedUpdates.Should().Be(0, "every update copied");
        provedOptimizer.UncopiedUpdates.Should().Be(2 * Steps, "both layers' weights, the hidden one's too, every step (the small output layer is not measured)");
    }

    [Fact]
    public void TrainStep_HiddenWeightMinusInfinity_IsCopiedAndTheStepUndone()
    {
        const int Rows2 = 128, In = 512, Hidden1 = 1024, Hidden2 = 512;
        var network = new Network<float>(19, new DenseLayer<float>(In, Hidden1, new ReLU<float>()), new DenseLayer<float>(Hidden1, Hidden2, new ReLU<float>()), new DenseLayer<float>(Hidden2, Classes));
        var optimizer = new SgdOptimizer<float>(0.05, momentum: 0.9);
        var loss = new CategoricalCrossEntropy<float>(fromLogits: true);
        var random = new RandomSource(29);
        Matrix<float> Inputs() => RandomMatrices.Uniform<float>(random, Rows2, In, 0, 1);
        Matrix<float> labels = Matrix<float>.Build.Dense(Rows2, 1, (r, _) => r % Classes);
        network.TrainStep(Inputs(), labels, loss, optimizer);
        long before = optimizer.UncopiedUpdates;
        before.Should().Be(2, "a normal step updates both large layers' weights without a copy");

        // A −∞ weight in the hidden layer: its Z is −∞ (or NaN where an input is 0) in unit 3 for every sample, which ReLU
        // may hide from the loss; only the measure of Z shows it, so the update is copied, keeps the weight −∞, and is undone.
        ((DenseLayer<float>)network.Layers[1]).Weights[3, 5] = float.NegativeInfinity;
        float[][] values = network.Parameters.Select(p => p.Values.ToArray()).ToArray();
        Matrix<float> x = Inputs();
        Action step = () => network.TrainStep(x, labels, loss, optimizer);
        step.Should().Throw<TrainingDivergedException>();
        for (int i = 0; i < values.Length; i++)
        {
            network.Parameters[i].Values.ToArray().Should().Equal(values[i], $"parameter {i} as before the step");
        }

        optimizer.UncopiedUpdates.Should().Be(before, "no bound for the hidden layer, and the first layer's deferred update never ran");
    }

    [Fact]
    public void TrainStep_WeightMinusInfinityHiddenByRelu_IsStillCopiedAndTheStepUndone()
    {
        (Network<float> network, SgdOptimizer<float> optimizer) = Make(seed: 5);
        var loss = new CategoricalCrossEntropy<float>(fromLogits: true);
        var random = new RandomSource(12);
        network.TrainStep(Batch(random).X, Batch(random).Y, loss, optimizer);
        long before = optimizer.UncopiedUpdates;

        // Input 7 is positive in every sample, so unit 3's weighted sum is −∞ for each: ReLU makes it 0, the loss stays
        // finite, and only Z (measured by the forward pass) shows the weight. The update keeps it −∞: the step is undone.
        DenseLayer<float> first = (DenseLayer<float>)network.Layers[0];
        first.Weights[3, 7] = float.NegativeInfinity;
        (Matrix<float> x, Matrix<float> y) = Batch(random);
        for (int r = 0; r < Rows; r++)
        {
            x[r, 7] = 0.5f;
        }

        float[][] values = network.Parameters.Select(p => p.Values.ToArray()).ToArray();
        Action step = () => network.TrainStep(x, y, loss, optimizer);
        step.Should().Throw<TrainingDivergedException>();
        for (int i = 0; i < values.Length; i++)
        {
            network.Parameters[i].Values.ToArray().Should().Equal(values[i], $"parameter {i} as before the step");
        }

        optimizer.UncopiedUpdates.Should().Be(before, "Z was not finite: no bound, so the update was copied");
    }

    [Fact]
    public void TrainStep_AnotherParameterDiverges_LeavesTheUncopiedWeightsAndTheirVelocityAsTheyWere()
    {
        (Network<float> network, SgdOptimizer<float> optimizer) = Make(seed: 7);
        var loss = new CategoricalCrossEntropy<float>(fromLogits: true);
        var random = new RandomSource(13);
        network.TrainStep(Batch(random).X, Batch(random).Y, loss, optimizer);
        Parameter<float> weights = network.Parameters[0], outputBias = network.Parameters[3];
        optimizer.StateOf(outputBias)!.Slot(0)[2] = float.PositiveInfinity; // the output bias's update will be +∞ − ∞ or −∞
        float[][] values = network.Parameters.Select(p => p.Values.ToArray()).ToArray();
        float[] velocity = optimizer.StateOf(weights)!.Slot(0).ToArray();
        long before = optimizer.UncopiedUpdates;

        (Matrix<float> x, Matrix<float> y) = Batch(random);
        Action step = () => network.TrainStep(x, y, loss, optimizer);
        step.Should().Throw<TrainingDivergedException>();
        for (int i = 0; i < values.Length; i++)
        {
            network.Parameters[i].Values.ToArray().Should().Equal(values[i], $"parameter {i} as before the step");
        }

        optimizer.StateOf(weights)!.Slot(0).ToArray().Should().Equal(velocity, "the deferred update never ran");
        optimizer.UncopiedUpdates.Should().Be(before);
    }

    [Fact]
    public void TrainStep_WithoutABound_CopiesTheUpdate()
    {
        var loss = new CategoricalCrossEntropy<float>(fromLogits: true);
        var random = new RandomSource(14);
        (Matrix<float> x, Matrix<float> y) = Batch(random);

        (Network<float> regularised, SgdOptimizer<float> a) = Make(seed: 9);
        regularised.Layers[0].Regularization = new Regularization(l2: 1e-4);
        regularised.TrainStep(x, y, loss, a);
        a.UncopiedUpdates.Should().Be(0, "the penalty's gradient is not in the layer's bound");

        (Network<float> decayed, _) = Make(seed: 9);
        var decay = new SgdOptimizer<float>(0.05, momentum: 0.9, weightDecay: 1e-4);
        decayed.TrainStep(x, y, loss, decay);
        decay.UncopiedUpdates.Should().Be(0, "weight decay");

        (Network<float> clipped, SgdOptimizer<float> c) = Make(seed: 9);
        c.ClipNorm = 1;
        clipped.TrainStep(x, y, loss, c);
        c.UncopiedUpdates.Should().Be(0, "clipping");

        (Network<float> fast, _) = Make(seed: 9);
        var huge = new SgdOptimizer<float>(1e30, momentum: 0.9);
        try
        {
            fast.TrainStep(x, y, loss, huge);
        }
        catch (TrainingDivergedException)
        {
        }

        huge.UncopiedUpdates.Should().Be(0, "η·G beyond the bound");
    }

    [Fact]
    public void TrainStep_RestoredVelocity_IsMeasuredBeforeItIsTrusted()
    {
        (Network<float> network, SgdOptimizer<float> optimizer) = Make(seed: 15);
        var loss = new CategoricalCrossEntropy<float>(fromLogits: true);
        var random = new RandomSource(16);
        Parameter<float> weights = network.Parameters[0];
        var state = new OptimizerState<float>(1, weights.Length);
        state.Slot(0)[100] = 3e38f; // μv alone is 2.7e38: four times that is past the largest float
        optimizer.RestoreState(weights, state, 0);
        network.TrainStep(Batch(random).X, Batch(random).Y, loss, optimizer);
        optimizer.UncopiedUpdates.Should().Be(0, "the restored velocity was measured, and it is too large");

        (Network<float> calm, SgdOptimizer<float> calmOptimizer) = Make(seed: 15);
        var small = new OptimizerState<float>(1, weights.Length);
        small.Slot(0)[100] = 0.25f;
        calmOptimizer.RestoreState(calm.Parameters[0], small, 0);
        calm.TrainStep(Batch(random).X, Batch(random).Y, loss, calmOptimizer);
        calmOptimizer.UncopiedUpdates.Should().Be(1, "measured, and small");
    }

    [Fact]
    public void UpdateStaysFinite_HoldsOnlyWithinBothLimits()
    {
        var momentum = new SgdOptimizer<float>(0.05, momentum: 0.9);
        var state = new OptimizerState<float>(1, 4);
        momentum.UpdateStaysFinite(state, 1, 0.05f).Should().BeTrue("a new state's velocity is 0");
        momentum.UpdateStaysFinite(state, double.NaN, 0.05f).Should().BeFalse("no bound");
        momentum.UpdateStaysFinite(state, double.PositiveInfinity, 0.05f).Should().BeFalse("no useful bound");
        momentum.UpdateStaysFinite(state, -1, 0.05f).Should().BeFalse("not a bound");

        // η·(μV + G) against a quarter of 2¹⁰³, V = 0: G = 2⁹⁷ / η is just within it, 2¹⁰¹ / η past it.
        momentum.UpdateStaysFinite(state, Math.ScaleB(1, 97) / 0.05, 0.05f).Should().BeTrue();
        momentum.UpdateStaysFinite(state, Math.ScaleB(1, 101) / 0.05, 0.05f).Should().BeFalse();

        // A velocity near the largest float with a tiny η: the step's addition is small, but μV + G could overflow.
        state.SlotBound = 3e38;
        momentum.UpdateStaysFinite(state, 1e38, 1e-30f).Should().BeFalse("μV + G is past a quarter of the largest float");
        state.SlotBound = 1e30;
        momentum.UpdateStaysFinite(state, 1e30, 1e-30f).Should().BeTrue();

        // The bound carried forward: μV + G and a little more; unknown without a gradient bound.
        momentum.NoteUpdate(state, 1e30);
        state.SlotBound.Should().BeGreaterThanOrEqualTo(1.9e30).And.BeLessThan(1.91e30);
        momentum.NoteUpdate(state, double.NaN);
        state.SlotBound.Should().Be(double.PositiveInfinity);

        var plain = new SgdOptimizer<float>(0.05);
        plain.UpdateStaysFinite(new OptimizerState<float>(0, 4), 1, 0.05f).Should().BeTrue("plain SGD keeps no velocity");
        var nesterov = new SgdOptimizer<float>(0.05, momentum: 0.9, nesterov: true);
        nesterov.UpdateStaysFinite(new OptimizerState<float>(1, 4), Math.ScaleB(1, 97) / 0.05 / 1.9, 0.05f).Should().BeTrue("η(G + μG) within");
        double between = Math.ScaleB(1, 100) * Math.Sqrt(2) / 0.05; // η·G = 2^100.5: within for μV + G, past it for G + μ(μV + G)
        new SgdOptimizer<float>(0.05, momentum: 0.9).UpdateStaysFinite(new OptimizerState<float>(1, 4), between, 0.05f).Should().BeTrue();
        nesterov.UpdateStaysFinite(new OptimizerState<float>(1, 4), between, 0.05f).Should().BeFalse("Nesterov adds ημ(μV + G) as well");
        new AdamOptimizer<float>().UpdateStaysFinite(new OptimizerState<float>(2, 4), 1, 0.001f).Should().BeFalse("only SGD proves it");
    }

    [Fact]
    public void HalfSpacingAtLargest_IsHalfTheGapBelowInfinity()
    {
        SgdOptimizer<float>.HalfSpacingAtLargest.Should().Be(Math.ScaleB(1, 103));
        SgdOptimizer<double>.HalfSpacingAtLargest.Should().Be(Math.ScaleB(1, 970));
        SgdOptimizer<float>.LargestFinite.Should().Be(float.MaxValue);
        (float.MaxValue + (float)Math.ScaleB(0.99, 103)).Should().Be(float.MaxValue, "less than half the spacing added rounds back");
        (float.MaxValue + (float)Math.ScaleB(1, 104)).Should().Be(float.PositiveInfinity, "a whole spacing does not");
    }

    /// <summary>
    /// Trains <paramref name="copied"/> with every update copied and <paramref name="proved"/> as a step does, on the same
    /// <paramref name="steps"/> batches of <paramref name="rows"/> × <paramref name="inputs"/> uniform values in [0, 1) (the
    /// labels a class further each step), and checks that every step gives the same loss, the same bits in every parameter.
    /// </summary>
    private static void TrainAlike<T>(Network<T> copied, SgdOptimizer<T> copiedOptimizer, Network<T> proved, SgdOptimizer<T> provedOptimizer, RandomSource random, int rows, int inputs, int steps)
        where T : struct, IFloatingPointIeee754<T>
    {
        var loss = new CategoricalCrossEntropy<T>(fromLogits: true);
        try
        {
            for (int step = 0; step < steps; step++)
            {
                Matrix<T> x = RandomMatrices.Uniform<T>(random, rows, inputs, 0, 1);
                Matrix<T> y = Matrix<T>.Build.Dense(rows, 1, (r, _) => T.CreateChecked((r + step) % Classes));
                Optimizer<T>.CopiesEveryUpdate = true;
                T a = copied.TrainStep(x, y, loss, copiedOptimizer);
                Optimizer<T>.CopiesEveryUpdate = false;
                proved.TrainStep(x, y, loss, provedOptimizer).Should().Be(a, $"step {step}: the same loss");
                for (int i = 0; i < copied.Parameters.Count; i++)
                {
                    proved.Parameters[i].Values.ToArray().Should().Equal(copied.Parameters[i].Values.ToArray(), $"step {step}, parameter {i}: the same bits");
                }
            }
        }
        finally
        {
            Optimizer<T>.CopiesEveryUpdate = false;
        }
    }

    private static (Network<float> Network, SgdOptimizer<float> Optimizer) Make(int seed)
    {
        var network = new Network<float>(seed, new DenseLayer<float>(Inputs, Hidden, new ReLU<float>()), new DenseLayer<float>(Hidden, Classes));
        WorkSplit.ForwardDepthSplit(Rows, Inputs, Hidden).Should().BeGreaterThan(0, "the first layer's product is cut along its depth, where it measures");
        return (network, new SgdOptimizer<float>(0.05, momentum: 0.9));
    }

    private static (Matrix<float> X, Matrix<float> Y) Batch(RandomSource random)
    {
        Matrix<float> x = RandomMatrices.Uniform<float>(random, Rows, Inputs, 0, 1);
        Matrix<float> y = Matrix<float>.Build.Dense(Rows, 1, (r, _) => r % Classes);
        return (x, y);
    }
}
