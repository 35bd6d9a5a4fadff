using FluentAssertions;
using NeuralNet.Kernels;
using NeuralNet.Optimizers;
using Xunit;

namespace NeuralNet.Tests.Optimizers;

/// <summary>
/// The training step's form of <see cref="Optimizer{T}.Step"/> (the undo copy and the finiteness check riding in the
/// update's pass): the same new values as the public step, bit for bit; the copy holds every parameter's values from
/// before the step (weight decay included); and a single non-finite value anywhere, in either core's half of a large
/// parameter, is reported.
/// </summary>
[Collection(nameof(NeuralNet.Tests.Kernels.SecondCoreHeld))]
public sealed class CheckedStepTests
{
    // scalar, vector, shared between the cores, and shared with each core's half streaming its undo copy past the caches
    private static readonly int[] Lengths = [5, 40, WorkSplit.MinimumUpdateLength + 100, (2 * StreamedFloats) + 1003];

    private static int StreamedFloats => MachineProfile.L2Bytes / 2 / sizeof(float);

    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (string name in new[] { "sgd", "sgd-decay", "momentum", "nesterov-decay", "adam", "adam-decay", "adamw", "rmsprop", "mine", "mine-decay" })
        {
            data.Add(name, false);
            data.Add(name, true);
        }

        return data;
    }

    public static TheoryData<string> Names() => new(Cases().Select(c => (string)c[0]).Distinct());

    [Theory]
    [MemberData(nameof(Cases))]
    public void StepChecked_GivesTheStepsValues_KeepsTheOldOnes_AndFindsANonFiniteValueAnywhere(string name, bool helperLate)
    {
        var random = new RandomSource(17);
        Parameter<float>[] plain = Make(random), checkedOnes = Clone(plain);
        Optimizer<float> reference = Create(name), optimizer = Create(name);
        float[][] backup = checkedOnes.Select(p => new float[p.Length]).ToArray();

        for (int step = 0; step < 2; step++)
        {
            float[][] old = checkedOnes.Select(p => p.Values.ToArray()).ToArray();
            reference.Step(plain);
            Run(helperLate, () => optimizer.StepChecked(checkedOnes, backup)).Should().BeTrue($"step {step}: every value is finite");
            for (int i = 0; i < plain.Length; i++)
            {
                checkedOnes[i].Values.ToArray().Should().Equal(plain[i].Values.ToArray(), $"{name}, parameter {i}: the same bits as Step");
                backup[i].Should().Equal(old[i], $"{name}, parameter {i}: the undo copy holds the values from before the step");
            }
        }

        // One NaN gradient, in turn in each parameter (and in both halves of the large one), makes the step report it.
        foreach ((int parameter, int index) in new[] { (0, 3), (1, 39), (2, 7), (2, Lengths[2] - 2), (3, 1), (3, StreamedFloats + 5), (3, Lengths[3] - 1) })
        {
            Parameter<float>[] poisoned = Clone(plain);
            Parameter<float>[] same = Clone(plain);
            poisoned[parameter].Gradients[index] = float.NaN;
            Optimizer<float> fresh = Create(name);
            float[][] copies = poisoned.Select(p => new float[p.Length]).ToArray();
            Run(helperLate, () => fresh.StepChecked(poisoned, copies)).Should().BeFalse($"{name}: a NaN in parameter {parameter} at {index}");
            for (int i = 0; i < poisoned.Length; i++)
            {
                copies[i].Should().Equal(same[i].Values.ToArray(), $"{name}: parameter {i} can be put back");
            }
        }
    }

    /// <summary>
    /// Parameters all shorter than 16 values (a small network trained one sample at a time) take the optimizer's one loop
    /// over them all (plain SGD has one): the same bits and undo copies as <see cref="Optimizer{T}.Step"/>, each
    /// parameter's state counting its steps, and a NaN in any of them reported.
    /// </summary>
    [Theory]
    [MemberData(nameof(Names))]
    public void StepChecked_AllShortParameters_GivesTheStepsValues_CountsSteps_AndFindsANonFiniteValue(string name)
    {
        int[] lengths = [12, 4, 4, 1, 15, 8, 3];
        var random = new RandomSource(23);
        Parameter<float>[] plain = lengths.Select((length, i) => Filled(random, $"p{i}", length)).ToArray(), checkedOnes = Clone(plain);
        Optimizer<float> reference = Create(name), optimizer = Create(name);
        float[][] backup = checkedOnes.Select(p => new float[p.Length]).ToArray();
        for (int step = 1; step <= 3; step++)
        {
            float[][] old = checkedOnes.Select(p => p.Values.ToArray()).ToArray();
            reference.Step(plain);
            optimizer.StepChecked(checkedOnes, backup).Should().BeTrue($"step {step}: every value is finite");
            for (int i = 0; i < plain.Length; i++)
            {
                checkedOnes[i].Values.ToArray().Should().Equal(plain[i].Values.ToArray(), $"{name}, parameter {i}: the same bits as Step");
                backup[i].Should().Equal(old[i], $"{name}, parameter {i}: the undo copy holds the values from before the step");
                optimizer.StateOf(checkedOnes[i])!.Steps.Should().Be(step, $"{name}, parameter {i} counts its steps");
            }
        }

        for (int parameter = 0; parameter < lengths.Length; parameter++)
        {
            foreach (float bad in new[] { float.NaN, float.PositiveInfinity })
            {
                Parameter<float>[] poisoned = Clone(plain);
                poisoned[parameter].Gradients[lengths[parameter] - 1] = bad;
                float[][] copies = poisoned.Select(p => new float[p.Length]).ToArray();
                Create(name).StepChecked(poisoned, copies).Should().BeFalse($"{name}: {bad} in parameter {parameter}");
                for (int i = 0; i < poisoned.Length; i++)
                {
                    copies[i].Should().Equal(plain[i].Values.ToArray(), $"{name}: parameter {i} can be put back");
                }
            }
        }
    }

    private static Parameter<float> Filled(RandomSource random, string name, int length)
    {
        var parameter = new Parameter<float>(name, length, 1);
        for (int j = 0; j < length; j++)
        {
            parameter.Values[j] = (float)random.NextGaussian();
            parameter.Gradients[j] = (float)random.NextGaussian();
        }

        return parameter;
    }

    private static bool Run(bool helperLate, Func<bool> step)
    {
        SecondCore.Paused = helperLate;
        try
        {
            return step();
        }
        finally
        {
            SecondCore.Paused = false;
        }
    }

    private static Parameter<float>[] Make(RandomSource random)
    {
        var parameters = new Parameter<float>[Lengths.Length];
        for (int i = 0; i < Lengths.Length; i++)
        {
            parameters[i] = new Parameter<float>($"p{i}", Lengths[i], 1);
            for (int j = 0; j < Lengths[i]; j++)
            {
                parameters[i].Values[j] = (float)random.NextGaussian();
                parameters[i].Gradients[j] = (float)random.NextGaussian();
            }
        }

        return parameters;
    }

    private static Parameter<float>[] Clone(Parameter<float>[] parameters) => parameters.Select(p =>
    {
        var copy = new Parameter<float>(p.Name, p.Rows, p.Columns);
        p.Values.CopyTo(copy.Values);
        p.Gradients.CopyTo(copy.Gradients);
        return copy;
    }).ToArray();

    private static Optimizer<float> Create(string name) => name switch
    {
        "sgd" => new SgdOptimizer<float>(0.1),
        "sgd-decay" => new SgdOptimizer<float>(0.1, weightDecay: 0.01),
        "momentum" => new SgdOptimizer<float>(0.1, momentum: 0.9),
        "nesterov-decay" => new SgdOptimizer<float>(0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01),
        "adam" => new AdamOptimizer<float>(0.01),
        "adam-decay" => new AdamOptimizer<float>(0.01, weightDecay: 0.01),
        "adamw" => new AdamWOptimizer<float>(0.01),
        "rmsprop" => new RmsPropOptimizer<float>(0.01, momentum: 0.5, centered: true),
        "mine" => new HalfStep(0.1, 0),
        _ => new HalfStep(0.1, 0.01),
    };

    /// <summary>A user's rule, <c>p ← p − η·g/2</c>, which the base class checks in passes of its own.</summary>
    private sealed class HalfStep(double learningRate, double weightDecay) : Optimizer<float>(learningRate, weightDecay)
    {
        public override string Name => "half";

        protected override void Update(Span<float> values, ReadOnlySpan<float> gradients, OptimizerState<float> state, float learningRate)
        {
            for (int i = 0; i < values.Length; i++)
            {
                values[i] -= learningRate * gradients[i] / 2;
            }
        }
    }
}
