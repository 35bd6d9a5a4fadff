using System.Numerics;

namespace NeuralNet.Onnx;

/// <summary>
/// What the activations' ONNX forms share. ONNX Runtime implements LeakyRelu, Elu, Selu, Softplus and Erf
/// for float only, so double models compute those from operators it has for double (Max, Min, Exp, Log,
/// Abs), and GELU's erf in float between two Casts (relative error about 1e-7).
/// </summary>
internal static class OnnxActivations
{
    public const double Sqrt2 = 1.4142135623730950488016887242097;
    public const double SeluAlpha = 1.6732632423543772848170429916717, SeluLambda = 1.0507009873554804934193349852946;
    public const long OnnxFloat = 1, OnnxDouble = 11;

    /// <summary>Adds <c>{a}.expm1 = e^min(z, 0) − 1</c>.</summary>
    public static void NegativeExpM1<T>(OnnxGraph<T> graph, string z, string a)
        where T : struct, IFloatingPointIeee754<T>
    {
        graph.Node("Min", [z, graph.Constant(0)], $"{a}.negpart");
        graph.Node("Exp", [$"{a}.negpart"], $"{a}.exp");
        graph.Node("Sub", [$"{a}.exp", graph.Constant(1)], $"{a}.expm1");
    }
}
