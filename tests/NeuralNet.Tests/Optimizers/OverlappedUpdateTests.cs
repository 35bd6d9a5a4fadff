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
/// The training step updates the small parameters while the second core updates its part of the large one, and waits
/// for it once: the same bits as when one core does everything (the old order), for many steps, and a step that makes
/// any value non-finite, in a small parameter or in either core's part of the large one, is put back completely.
/// </summary>
[Collection(nameof(SecondCoreHeld))]
public sealed class OverlappedUpdateTests
{
    // W2's parameters: the hidden layer's weights (784 × 128, shared by the cores) and biases, the output layer's.
    private static readonly (int Rows, int Columns)[] Shapes = [(128, 784), (128, 1), (10, 128), (10, 1)];

    public static TheoryData<string> Names() => new() { "momentum", "nesterov-decay", "sgd" };

    [Theory]
    [MemberData(nameof(Names))]
    public void StepChecked_ManySteps_Float_GivesTheBitsOfOneCore(string name) => ManySteps<float>(name);

    [Theory]
    [MemberData(nameof(Names))]
    public void StepChecked_ManySteps_Double_GivesTheBitsOfOneCore(string name) => ManySteps<double>(name);

    /// <summary>
    /// A NaN gradient in one parameter (a small one updated while the helper works, or either core's part of the large
    /// one): the step reports it and every parameter's undo copy holds its values from before the step, with the helper
    /// free or held by someone else (this thread then does everything); the second core is released either way.
    /// </summary>
    [Theory]
    [InlineData(3, 9, false)]
    [InlineData(3, 9, true)]
    [InlineData(1, 0, false)]
    [InlineData(2, 1279, true)]
    [InlineData(0, 5, false)]
    [InlineData(0, 5, true)]
    [InlineData(0, 100_351, false)]
    [InlineData(0, 100_351, true)]
    public void StepChecked_NonFiniteAnywhere_KeepsEveryOldValue(int parameter, int index, bool helperHeld)
    {
        var random = new RandomSource(29);
        Parameter<float>[] parameters = Make<float>(random);
        var optimizer = new SgdOptimizer<float>(0.05, momentum: 0.9);
        float[][] backup = parameters.Select(p => new float[p.Length]).ToArray();
        optimizer.StepChecked(parameters, backup).Should().BeTrue("a first, finite step");
        float[][] before = parameters.Select(p => p.Values.ToArray()).ToArray();
        Fill(parameters, random);
        parameters[parameter].Gradients[index] = float.NaN;

        bool finite = true;
        Run(helperHeld, () => finite = optimizer.StepChecked(parameters, backup));

        finite.Should().BeFalse($"parameter {parameter} is NaN at {index}");
        float.IsNaN(parameters[parameter].Values[index]).Should().BeTrue("the update ran");
        for (int i = 0; i < parameters.Length; i++)
        {
            backup[i].Should().Equal(before[i], $"parameter {i} can be put back");
        }

        SecondCoreIsFree().Should().BeTrue("the step released the second core");
    }

    /// <summary>
    /// Through the network: an input of zeros leaves the large first layer's weights where they are (their gradient is 0)
    /// while its biases and the output layer overflow; the step throws and every weight, the large layer's included, is
    /// what it was. The same when the overflow reaches the large layer's helper part too (an input column past the cut).
    /// </summary>
    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void TrainStep_OverflowInTheSmallParametersOrTheLargeOne_IsRolledBack(bool largeToo, bool helperHeld)
    {
        const int Inputs = 300, Hidden = 128; // 38,400 weights: shared by the cores
        var network = new Network<double>(3, new DenseLayer<double>(Inputs, Hidden, new Identity<double>()), new DenseLayer<double>(Hidden, 1, new Identity<double>()));
        var x = Matrix<double>.Build.Dense(4, Inputs);
        if (largeToo)
        {
            x.SetColumn(Inputs - 1, MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(4, 1.0)); // the last input column is the helper's
        }

        var y = Matrix<double>.Build.Dense(4, 1, 1e150); // a finite loss (1e300), gradients of ~1e150: a step of η = 1e300 overflows
        double[][] before = network.Parameters.Select(p => p.Values.ToArray()).ToArray();
        Exception? error = null;

        Run(helperHeld, () => error = Record(() => network.TrainStep(x, y, new MeanSquaredError<double>(), new SgdOptimizer<double>(1e300, momentum: 0.9))));

        error.Should().BeOfType<TrainingDivergedException>().Which.Message.Should().Contain("weight NaN or infinite");
        for (int i = 0; i < before.Length; i++)
        {
            network.Parameters[i].Values.ToArray().Should().Equal(before[i], $"parameter {i} is put back");
        }

        SecondCoreIsFree().Should().BeTrue("the step released the second core");
    }

    /// <summary>
    /// 25 steps of fresh gradients: the overlapped checked step, the same step with the second core held (one core does
    /// every parameter in list order, as the step did before the overlap) and the public step end with the same values and
    /// velocities, bit for bit, and the checked steps' undo copies hold each step's old values.
    /// </summary>
    private static void ManySteps<T>(string name)
        where T : struct, IFloatingPointIeee754<T>
    {
        var random = new RandomSource(31);
        Parameter<T>[] overlapped = Make<T>(random), oneCore = Clone(overlapped), plain = Clone(overlapped);
        Optimizer<T> a = Create<T>(name), b = Create<T>(name), c = Create<T>(name);
        T[][] backupA = overlapped.Select(p => new T[p.Length]).ToArray(), backupB = overlapped.Select(p => new T[p.Length]).ToArray();
        for (int step = 0; step < 25; step++)
        {
            T[][] old = overlapped.Select(p => p.Values.ToArray()).ToArray();
            Fill(overlapped, random);
            for (int i = 0; i < overlapped.Length; i++)
            {
                overlapped[i].Gradients.CopyTo(oneCore[i].Gradients);
                overlapped[i].Gradients.CopyTo(plain[i].Gradients);
            }

            a.StepChecked(overlapped, backupA).Should().BeTrue();
            bool finite = false;
            HeldSecondCore.While(() => finite = b.StepChecked(oneCore, backupB));
            finite.Should().BeTrue();
            c.Step(plain);
            for (int i = 0; i < overlapped.Length; i++)
            {
                T[] values = overlapped[i].Values.ToArray();
                values.Should().Equal(oneCore[i].Values.ToArray(), $"{name}, step {step}, parameter {i}: the one-core bits");
                values.Should().Equal(plain[i].Values.ToArray(), $"{name}, step {step}, parameter {i}: the public step's bits");
                backupA[i].Should().Equal(old[i], $"{name}, step {step}, parameter {i}: the undo copy");
                backupB[i].Should().Equal(old[i]);
                if (name != "sgd")
                {
                    a.StateOf(overlapped[i])!.Slot(0).ToArray().Should().Equal(b.StateOf(oneCore[i])!.Slot(0).ToArray(), $"{name}, step {step}, parameter {i}: the velocity");
                }
            }
        }
    }

    private static Parameter<T>[] Make<T>(RandomSource random)
        where T : struct, IFloatingPointIeee754<T>
    {
        Parameter<T>[] parameters = Shapes.Select((s, i) => new Parameter<T>($"p{i}", s.Rows, s.Columns)).ToArray();
        foreach (Parameter<T> p in parameters)
        {
            for (int j = 0; j < p.Length; j++)
            {
                p.Values[j] = T.CreateChecked(0.1 * random.NextGaussian());
            }
        }

        Fill(parameters, random);
        return parameters;
    }

    private static void Fill<T>(Parameter<T>[] parameters, RandomSource random)
        where T : struct, IFloatingPointIeee754<T>
    {
        foreach (Parameter<T> p in parameters)
        {
            for (int j = 0; j < p.Length; j++)
            {
                p.Gradients[j] = T.CreateChecked(random.NextGaussian());
            }
        }
    }

    private static Parameter<T>[] Clone<T>(Parameter<T>[] parameters)
        where T : struct, IFloatingPointIeee754<T>
        => parameters.Select(p =>
        {
            var copy = new Parameter<T>(p.Name, p.Rows, p.Columns);
            p.Values.CopyTo(copy.Values);
            return copy;
        }).ToArray();

    private static Optimizer<T> Create<T>(string name)
        where T : struct, IFloatingPointIeee754<T>
        => name switch
        {
            "momentum" => new SgdOptimizer<T>(0.05, momentum: 0.9),
            "nesterov-decay" => new SgdOptimizer<T>(0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-3),
            _ => new SgdOptimizer<T>(0.05),
        };

    private static void Run(bool helperHeld, Action action)
    {
        if (helperHeld)
        {
            HeldSecondCore.While(action);
        }
        else
        {
            action();
        }
    }

    private static Exception? Record(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    /// <summary>Whether the second core can be reserved within a few seconds (a step that kept it would leave it reserved).</summary>
    private static bool SecondCoreIsFree() => HeldSecondCore.FreesWithin(TimeSpan.FromSeconds(5));
}
