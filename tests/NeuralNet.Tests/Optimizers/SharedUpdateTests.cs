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

    private static Optimizer<float> Create(string name) => name switch
    {
        "sgd" => new SgdOptimizer<float>(0.1),
        "sgd-momentum" => new SgdOptimizer<float>(0.1, momentum: 0.9, weightDecay: 0.01),
        "adam" => new AdamOptimizer<float>(0.01),
        "adamw" => new AdamWOptimizer<float>(0.01),
        _ => new RmsPropOptimizer<float>(0.01),
    };
}
