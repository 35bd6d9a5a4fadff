using FluentAssertions;
using NeuralNet.Optimizers;
using Xunit;

namespace NeuralNet.Tests.Optimizers;

/// <summary>A parameter large enough to be updated in two halves on two cores ends exactly where small ones holding the same values do.</summary>
public class SharedUpdateTests
{
    public static TheoryData<string> Optimizers() => new() { "sgd", "sgd-momentum", "adam", "adamw", "rmsprop" };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void LargeParameter_UpdatesEveryValueAsSmallParametersDo(string name)
    {
        const int Length = 40_003, Piece = 1_000;
        var large = new Parameter<float>("large", Length, 1);
        var head = new Parameter<float>("head", Piece, 1);
        var tail = new Parameter<float>("tail", Piece, 1);
        var random = new RandomSource(5);
        for (int i = 0; i < Length; i++)
        {
            large.Values[i] = (float)random.NextGaussian();
        }

        large.Values[..Piece].CopyTo(head.Values);
        large.Values[^Piece..].CopyTo(tail.Values);
        Optimizer<float> bigStep = Create(name), smallStep = Create(name);
        for (int step = 0; step < 3; step++)
        {
            for (int i = 0; i < Length; i++)
            {
                large.Gradients[i] = (float)random.NextGaussian();
            }

            large.Gradients[..Piece].CopyTo(head.Gradients);
            large.Gradients[^Piece..].CopyTo(tail.Gradients);
            bigStep.Step([large]);
            smallStep.Step([head, tail]);
        }

        large.Values[..Piece].ToArray().Should().Equal(head.Values.ToArray(), "the first half is updated on the calling thread");
        large.Values[^Piece..].ToArray().Should().Equal(tail.Values.ToArray(), "the second half is updated on the second core with the same state");
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    [InlineData("sgd-nesterov")]
    public void CheckedStep_UpdatesAsStepDoes_AndKeepsTheOldValues(string name)
    {
        // The training step's form: the undo copy and the finiteness check ride in the update's pass (both halves of a
        // two-core parameter, and a small one); the values must come out exactly as the plain Step leaves them.
        var random = new RandomSource(11);
        Parameter<float>[] checkedParameters = [Filled(new Parameter<float>("large", 40_003, 1), random), Filled(new Parameter<float>("small", 13, 1), random)];
        Parameter<float>[] plainParameters = [Copy(checkedParameters[0]), Copy(checkedParameters[1])];
        Optimizer<float> checkedStep = Create(name), plainStep = Create(name);
        float[][] backup = [new float[40_003], new float[13]];
        for (int step = 0; step < 3; step++)
        {
            float[][] before = [.. checkedParameters.Select(p => p.Values.ToArray())];
            foreach (Parameter<float> p in checkedParameters)
            {
                for (int i = 0; i < p.Length; i++)
                {
                    p.Gradients[i] = (float)random.NextGaussian();
                }
            }

            for (int k = 0; k < 2; k++)
            {
                checkedParameters[k].Gradients.CopyTo(plainParameters[k].Gradients);
            }

            checkedStep.StepChecked(checkedParameters, backup).Should().BeTrue("every value stays finite");
            plainStep.Step(plainParameters);
            for (int k = 0; k < 2; k++)
            {
                checkedParameters[k].Values.ToArray().Should().Equal(plainParameters[k].Values.ToArray(), $"{checkedParameters[k].Name} is updated as Step updates it");
                backup[k].Should().Equal(before[k], $"the undo copy of {checkedParameters[k].Name} holds its values from before the step");
            }
        }
    }

    [Theory]
    [InlineData("sgd", 0)]
    [InlineData("sgd", 40_002)]
    [InlineData("sgd-momentum", 40_002)]
    [InlineData("sgd-nesterov", 40_002)]
    [InlineData("adam", 40_002)]
    [InlineData("rmsprop", 0)]
    public void CheckedStep_NaNInEitherHalf_IsReported(string name, int at)
    {
        // Index 0 is updated on the calling thread, the last index on the second core (when the machine has one).
        var random = new RandomSource(3);
        Parameter<float> large = Filled(new Parameter<float>("large", 40_003, 1), random);
        float[] before = large.Values.ToArray();
        large.Gradients.Fill(0.5f);
        large.Gradients[at] = float.NaN;
        float[][] backup = [new float[large.Length]];

        Create(name).StepChecked([large], backup).Should().BeFalse($"the value at {at} became NaN");
        float.IsNaN(large.Values[at]).Should().BeTrue();
        backup[0].Should().Equal(before, "the undo copy holds every value from before the step");
    }

    private static Parameter<float> Filled(Parameter<float> p, RandomSource random)
    {
        for (int i = 0; i < p.Length; i++)
        {
            p.Values[i] = (float)random.NextGaussian();
        }

        return p;
    }

    private static Parameter<float> Copy(Parameter<float> p)
    {
        var copy = new Parameter<float>(p.Name, p.Length, 1);
        p.Values.CopyTo(copy.Values);
        return copy;
    }

    private static Optimizer<float> Create(string name) => name switch
    {
        "sgd" => new SgdOptimizer<float>(0.1),
        "sgd-momentum" => new SgdOptimizer<float>(0.1, momentum: 0.9, weightDecay: 0.01),
        "sgd-nesterov" => new SgdOptimizer<float>(0.1, momentum: 0.9, nesterov: true),
        "adam" => new AdamOptimizer<float>(0.01),
        "adamw" => new AdamWOptimizer<float>(0.01),
        _ => new RmsPropOptimizer<float>(0.01),
    };
}
