using FluentAssertions;
using NeuralNet.Optimizers;
using Xunit;

namespace NeuralNet.Tests.Optimizers;

/// <summary>
/// Optimizer state that decays while its gradient stays 0 (the weights of an input that is 0 in a whole batch) never
/// holds a subnormal value, which is many times slower to compute with on many processors: it becomes a zero of its sign.
/// </summary>
public class SubnormalStateTests
{
    public static TheoryData<string> Optimizers() => new() { "sgd-momentum", "sgd-nesterov", "adam", "adamw", "rmsprop", "rmsprop-centred-momentum" };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void StateDecayingWithZeroGradients_NeverHoldsSubnormals(string name)
    {
        var parameter = new Parameter<float>("p", 37, 1);
        for (int i = 0; i < parameter.Length; i++)
        {
            parameter.Values[i] = 0.1f * (i + 1);
            parameter.Gradients[i] = (i % 2 == 0 ? 1e-18f : -1e-18f) * (i + 1); // g² · (1 − β) is subnormal at once
        }

        Optimizer<float> optimizer = Create(name);
        for (int step = 0; step < 1500; step++)
        {
            optimizer.Step([parameter]);
            parameter.Gradients.Clear();
            OptimizerState<float> state = optimizer.StateOf(parameter)!;
            for (int slot = 0; slot < state.SlotCount; slot++)
            {
                state.Slot(slot).ToArray().Should().NotContain(v => float.IsSubnormal(v), $"slot {slot} after step {step + 1}");
            }
        }

        parameter.Values.ToArray().Should().OnlyContain(v => float.IsFinite(v));
    }

    private static Optimizer<float> Create(string name) => name switch
    {
        "sgd-momentum" => new SgdOptimizer<float>(0.1, momentum: 0.9),
        "sgd-nesterov" => new SgdOptimizer<float>(0.1, momentum: 0.9, nesterov: true),
        "adam" => new AdamOptimizer<float>(0.01),
        "adamw" => new AdamWOptimizer<float>(0.01),
        "rmsprop" => new RmsPropOptimizer<float>(0.01),
        _ => new RmsPropOptimizer<float>(0.01, momentum: 0.9, centered: true),
    };
}
