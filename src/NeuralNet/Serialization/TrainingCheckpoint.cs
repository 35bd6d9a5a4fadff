using System.Numerics;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Serialization;

/// <summary>A network and the optimizer that was training it, loaded together so that training resumes where it stopped.</summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class TrainingCheckpoint<T>
    where T : struct, IFloatingPointIeee754<T>
{
    internal TrainingCheckpoint(Network<T> network, Optimizer<T> optimizer, TrainingState<T>? state)
    {
        State = state;
        Network = network;
        Optimizer = optimizer;
    }

    /// <summary>The loaded network.</summary>
    public Network<T> Network { get; }

    /// <summary>The loaded optimizer, with its settings, step count and per-parameter state (velocities, moments) for <see cref="Network"/>'s parameters.</summary>
    public Optimizer<T> Optimizer { get; }

    /// <summary>The trainer's state when the checkpoint was saved with one (set it as <see cref="Trainer{T}.State"/> to continue the run), else null.</summary>
    public TrainingState<T>? State { get; }
}
