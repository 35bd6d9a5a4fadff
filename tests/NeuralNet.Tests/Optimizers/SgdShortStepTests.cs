using System.Numerics;
using FluentAssertions;
using NeuralNet.Optimizers;
using Xunit;

namespace NeuralNet.Tests.Optimizers;

/// <summary>
/// Plain SGD on parameters that are all short (a small network's, per-sample training) runs one loop over them with one
/// finiteness test at the end: the same bits as the public step, the old values in the undo copy, and a value made
/// infinite in a vector or among the last few values of any parameter reported.
/// </summary>
public class SgdShortStepTests
{
    private static readonly int[] Lengths = [12, 4, 3, 1, 15];

    [Fact]
    public void StepChecked_OnShortParameters_GivesTheStepsBits_AndKeepsTheOldValues()
    {
        Check<double>();
        Check<float>();
    }

    [Fact]
    public void StepChecked_OnShortParameters_FindsAnInfiniteValueAnywhere()
    {
        for (int parameter = 0; parameter < Lengths.Length; parameter++)
        {
            for (int index = 0; index < Lengths[parameter]; index++)
            {
                Parameter<double>[] parameters = Make<double>(3);
                parameters[parameter].Values[index] = double.MaxValue;
                parameters[parameter].Gradients[index] = -double.MaxValue; // p + g·(−η) with η = 1: ∞
                double[][] backup = parameters.Select(p => new double[p.Length]).ToArray();
                double[][] old = parameters.Select(p => p.Values.ToArray()).ToArray();

                new SgdOptimizer<double>(1.0).StepChecked(parameters, backup).Should().BeFalse($"parameter {parameter}, value {index} is infinite");
                backup.Should().BeEquivalentTo(old, o => o.WithStrictOrdering(), "the undo copy holds every value from before the step");
            }
        }
    }

    private static void Check<T>()
        where T : struct, IFloatingPointIeee754<T>
    {
        Parameter<T>[] plain = Make<T>(5), checkedOnes = Make<T>(5);
        var reference = new SgdOptimizer<T>(0.3);
        var optimizer = new SgdOptimizer<T>(0.3);
        T[][] backup = checkedOnes.Select(p => new T[p.Length]).ToArray();
        for (int step = 0; step < 2; step++)
        {
            T[][] old = checkedOnes.Select(p => p.Values.ToArray()).ToArray();
            reference.Step(plain);
            optimizer.StepChecked(checkedOnes, backup).Should().BeTrue();
            for (int i = 0; i < plain.Length; i++)
            {
                checkedOnes[i].Values.ToArray().Should().Equal(plain[i].Values.ToArray(), $"{typeof(T).Name} parameter {i}: the bits of Step");
                backup[i].Should().Equal(old[i], $"{typeof(T).Name} parameter {i}: the values from before the step");
            }
        }
    }

    private static Parameter<T>[] Make<T>(ulong seed)
        where T : struct, IFloatingPointIeee754<T>
    {
        var random = new RandomSource(seed);
        return Lengths.Select((length, i) =>
        {
            var p = new Parameter<T>($"p{i}", length, 1);
            for (int j = 0; j < length; j++)
            {
                p.Values[j] = T.CreateChecked(random.NextGaussian());
                p.Gradients[j] = T.CreateChecked(random.NextGaussian());
            }

            return p;
        }).ToArray();
    }
}
