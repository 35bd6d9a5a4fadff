using System.Numerics;
using NeuralNet.Onnx;

namespace NeuralNet.Layers;

/// <summary>
/// What batch and layer normalisation share: the learnable per-feature scale γ (starting at 1) and shift β
/// (starting at 0, a bias) of <c>y = γ·x̂ + β</c>, the check of their <c>ε</c>, and γ and β as ONNX initializers.
/// </summary>
internal sealed class ScaleShift<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>Creates γ = 1 and β = 0 for <paramref name="size"/> features.</summary>
    public ScaleShift(int size)
    {
        Scale = new Parameter<T>("scale", size, 1);
        Shift = new Parameter<T>("shift", size, 1) { IsBias = true };
        Scale.Values.Fill(T.One);
    }

    /// <summary>The scale γ, <c>[size × 1]</c>.</summary>
    public Parameter<T> Scale { get; }

    /// <summary>The shift β, <c>[size × 1]</c>.</summary>
    public Parameter<T> Shift { get; }

    /// <summary>Returns <paramref name="epsilon"/> when it is a finite number &gt; 0, else throws naming it.</summary>
    public static double CheckEpsilon(double epsilon, string parameterName) =>
        epsilon > 0 && double.IsFinite(epsilon)
            ? epsilon
            : throw new ArgumentOutOfRangeException(parameterName, epsilon, $"epsilon must be a finite number > 0 (received {epsilon}).");

    /// <summary>Adds γ and β as the initializers <c>{name}.scale</c> and <c>{name}.shift</c>, <c>[size]</c> each.</summary>
    public void AddInitializers(OnnxGraph<T> graph, string name)
    {
        ArgumentNullException.ThrowIfNull(graph);
        graph.Initializer($"{name}.scale", [Scale.Rows], Scale.Values.ToArray());
        graph.Initializer($"{name}.shift", [Shift.Rows], Shift.Values.ToArray());
    }
}
