using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Tests.Kernels;
using Xunit;

namespace NeuralNet.Tests.Networks;

/// <summary>
/// A training step whose first layer's product is cut along its depth between the cores checks its batch inside that
/// product (each core the half it multiplies) instead of in a pass before the step: a NaN or an infinity anywhere, in
/// either core's half, gets the same exception as before, and the network, the optimizer and the next step are as if the
/// rejected call had never been made.
/// </summary>
public sealed class InputCheckInProductTests
{
    private const int Inputs = 784, Hidden = 128, Classes = 10, Rows = 64;

    [Fact]
    public void W2sFirstLayer_ChecksItsBatchInTheProduct_ASmallOneDoesNot()
    {
        new DenseLayer<float>(Inputs, Hidden).ChecksInputInProduct(Rows).Should().BeTrue("W2's hidden layer: a depth-cut product");
        new DenseLayer<float>(Inputs, Hidden).ChecksInputInProduct(1).Should().BeFalse("one sample: no product to share");
        new DenseLayer<float>(3, 4).ChecksInputInProduct(Rows).Should().BeFalse("a small layer is not cut");
    }

    public static TheoryData<int, int, float, bool> BadValues() => new()
    {
        { 0, 0, float.NaN, false },
        { 63, 391, float.PositiveInfinity, false }, // the caller's half ends at input 391
        { 0, 392, float.NegativeInfinity, false },  // the helper's half starts at input 392
        { 40, 783, float.NaN, false },
        { 7, 500, float.NaN, true },                // the helper held elsewhere: the caller checks both halves
        { 63, 10, float.PositiveInfinity, true },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void BadValueInEitherHalf_IsRejectedAsBefore_AndNothingChanges(int row, int column, float bad, bool helperHeld)
    {
        (Network<float> network, SgdOptimizer<float> sgd, var loss) = Build();
        (Matrix<float> x, Matrix<float> t) = Batch(5);
        network.TrainStep(x, t, loss, sgd); // a first step, so there is momentum to keep
        float[] before = network.Parameters.SelectMany(p => p.Values.ToArray()).ToArray();

        Matrix<float> badBatch = x.Clone();
        badBatch[row, column] = bad;
        Action step = () => network.TrainStep(badBatch, t, loss, sgd);
        if (helperHeld)
        {
            HeldSecondCore.While(() => step.Should().Throw<ArgumentException>().WithParameterName("input")
                .WithMessage($"*finite*received {bad} at row {row}, column {column}*"));
        }
        else
        {
            step.Should().Throw<ArgumentException>().WithParameterName("input").WithMessage($"*finite*received {bad} at row {row}, column {column}*");
        }

        network.Parameters.SelectMany(p => p.Values.ToArray()).Should().Equal(before, "a rejected batch changes no weight");
        sgd.Iterations.Should().Be(1);

        // The next step: the bits of a network that never saw the rejected batch.
        (Network<float> twin, SgdOptimizer<float> twinSgd, var twinLoss) = Build();
        twin.TrainStep(x, t, twinLoss, twinSgd);
        (Matrix<float> x2, Matrix<float> t2) = Batch(6);
        network.TrainStep(x2, t2, loss, sgd).Should().Be(twin.TrainStep(x2, t2, twinLoss, twinSgd));
        network.Parameters.SelectMany(p => p.Values.ToArray()).Should().Equal(twin.Parameters.SelectMany(p => p.Values.ToArray()));
    }

    [Fact]
    public void FiniteBatch_TrainsToTheSameBits_WithTheHelperFreeOrHeld()
    {
        (Network<float> free, SgdOptimizer<float> freeSgd, var freeLoss) = Build();
        (Network<float> held, SgdOptimizer<float> heldSgd, var heldLoss) = Build();
        for (int s = 0; s < 3; s++)
        {
            (Matrix<float> x, Matrix<float> t) = Batch(10 + s);
            float a = free.TrainStep(x, t, freeLoss, freeSgd);
            float b = 0;
            HeldSecondCore.While(() => b = held.TrainStep(x, t, heldLoss, heldSgd));
            a.Should().Be(b);
        }

        free.Parameters.SelectMany(p => p.Values.ToArray()).Should().Equal(held.Parameters.SelectMany(p => p.Values.ToArray()));
    }

    [Fact]
    public void Double_BadValueInTheHelpersHalf_IsRejected()
    {
        var network = new Network<double>(3, new DenseLayer<double>(Inputs, Hidden, new ReLU<double>()), new DenseLayer<double>(Hidden, Classes));
        var sgd = new SgdOptimizer<double>(0.05, momentum: 0.9);
        var x = Matrix<double>.Build.Dense(Rows, Inputs, (i, j) => ((i * 31) + (j * 7)) % 255 / 255.0);
        var t = Matrix<double>.Build.Dense(Rows, 1, (i, _) => i % Classes);
        x[12, 650] = double.NaN;
        double[] before = network.Parameters.SelectMany(p => p.Values.ToArray()).ToArray();
        FluentActions.Invoking(() => network.TrainStep(x, t, new CategoricalCrossEntropy<double>(fromLogits: true), sgd))
            .Should().Throw<ArgumentException>().WithParameterName("input").WithMessage("*finite*NaN at row 12, column 650*");
        network.Parameters.SelectMany(p => p.Values.ToArray()).Should().Equal(before);
        sgd.Iterations.Should().Be(0);
    }

    private static (Network<float> Network, SgdOptimizer<float> Optimizer, CategoricalCrossEntropy<float> Loss) Build()
    {
        var network = new Network<float>(7, new DenseLayer<float>(Inputs, Hidden, new ReLU<float>()), new DenseLayer<float>(Hidden, Classes));
        return (network, new SgdOptimizer<float>(0.05, momentum: 0.9), new CategoricalCrossEntropy<float>(fromLogits: true));
    }

    private static (Matrix<float> X, Matrix<float> T) Batch(int seed)
    {
        var random = new Random(seed);
        var x = Matrix<float>.Build.Dense(Rows, Inputs, (_, _) => random.Next(256) / 255f);
        var t = Matrix<float>.Build.Dense(Rows, 1, (_, _) => random.Next(Classes));
        return (x, t);
    }
}
