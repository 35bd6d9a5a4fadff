using System.Numerics;
using NeuralNet.Activations;

namespace NeuralNet.Serialization;

/// <summary>
/// The ONNX operators that compute each built-in activation function. Float models use ONNX's own
/// activation operators. ONNX Runtime implements LeakyRelu, Elu, Selu, Softplus and Erf for float only,
/// so double models compute those from operators it has for double (Max, Min, Exp, Log, Abs), and
/// GELU's erf in float between two Casts (relative error about 1e-7).
/// </summary>
internal static class OnnxActivations
{
    private const double Sqrt2 = 1.4142135623730950488016887242097;
    private const double SeluAlpha = 1.6732632423543772848170429916717, SeluLambda = 1.0507009873554804934193349852946;
    private const long OnnxFloat = 1, OnnxDouble = 11;

    /// <summary>Adds the nodes computing <c>a = f(z)</c> from tensor <paramref name="z"/> into tensor <paramref name="a"/>.</summary>
    /// <exception cref="NotSupportedException">The activation is not one the exporter knows.</exception>
    public static void Add<T>(OnnxGraph<T> graph, ActivationFunction<T> activation, string z, string a)
        where T : struct, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double) && AddForDouble(graph, activation, z, a))
        {
            return;
        }

        switch (activation)
        {
            case Identity<T>:
                graph.Node("Identity", [z], a);
                break;
            case Sigmoid<T>:
                graph.Node("Sigmoid", [z], a);
                break;
            case Tanh<T>:
                graph.Node("Tanh", [z], a);
                break;
            case ReLU<T>:
                graph.Node("Relu", [z], a);
                break;
            case LeakyReLU<T> leaky:
                graph.Node("LeakyRelu", [z], a, ("alpha", (float)leaky.Alpha));
                break;
            case ELU<T> elu:
                graph.Node("Elu", [z], a, ("alpha", (float)elu.Alpha));
                break;
            case SELU<T>:
                graph.Node("Selu", [z], a, ("alpha", (float)SeluAlpha), ("gamma", (float)SeluLambda));
                break;
            case Softplus<T>:
                graph.Node("Softplus", [z], a);
                break;
            case Softmax<T>:
                graph.Node("Softmax", [z], a, ("axis", 1L));
                break;
            case SiLU<T>:
                graph.Node("Sigmoid", [z], $"{a}.sigmoid");
                graph.Node("Mul", [z, $"{a}.sigmoid"], a); // z·σ(z)
                break;
            case GELU<T>:
                graph.Node("Div", [z, graph.Constant(Sqrt2)], $"{a}.scaled");
                if (typeof(T) == typeof(double))
                {
                    graph.Node("Cast", [$"{a}.scaled"], $"{a}.scaled32", ("to", OnnxFloat));
                    graph.Node("Erf", [$"{a}.scaled32"], $"{a}.erf32");
                    graph.Node("Cast", [$"{a}.erf32"], $"{a}.erf", ("to", OnnxDouble));
                }
                else
                {
                    graph.Node("Erf", [$"{a}.scaled"], $"{a}.erf");
                }

                graph.Node("Add", [$"{a}.erf", graph.Constant(1)], $"{a}.cdf2");
                graph.Node("Mul", [z, $"{a}.cdf2"], $"{a}.twice");
                graph.Node("Mul", [$"{a}.twice", graph.Constant(0.5)], a); // ½z(1 + erf(z/√2))
                break;
            default:
                throw new NotSupportedException($"The activation {activation.GetType().Name} ('{activation.Name}') cannot be exported to ONNX: only the built-in activations can.");
        }
    }

    /// <summary>The double forms of the functions ONNX Runtime has no double kernel for; false for the others.</summary>
    private static bool AddForDouble<T>(OnnxGraph<T> graph, ActivationFunction<T> activation, string z, string a)
        where T : struct, IFloatingPointIeee754<T>
    {
        switch (activation)
        {
            case LeakyReLU<T> leaky:
                graph.Node("Mul", [z, graph.Constant(leaky.Alpha)], $"{a}.scaled");
                graph.Node("Max", [z, $"{a}.scaled"], a); // max(z, αz), as 0 ≤ α < 1
                return true;
            case ELU<T> elu:
                NegativeExpM1(graph, z, a);
                graph.Node("Mul", [$"{a}.expm1", graph.Constant(elu.Alpha)], $"{a}.negative");
                graph.Node("Relu", [z], $"{a}.positive");
                graph.Node("Add", [$"{a}.positive", $"{a}.negative"], a); // max(z, 0) + α(e^min(z, 0) − 1)
                return true;
            case SELU<T>:
                NegativeExpM1(graph, z, a);
                graph.Node("Mul", [$"{a}.expm1", graph.Constant(SeluAlpha)], $"{a}.negative");
                graph.Node("Relu", [z], $"{a}.positive");
                graph.Node("Add", [$"{a}.positive", $"{a}.negative"], $"{a}.elu");
                graph.Node("Mul", [$"{a}.elu", graph.Constant(SeluLambda)], a); // λ(max(z, 0) + α(e^min(z, 0) − 1))
                return true;
            case Softplus<T>:
                graph.Node("Abs", [z], $"{a}.abs");
                graph.Node("Neg", [$"{a}.abs"], $"{a}.negabs");
                graph.Node("Exp", [$"{a}.negabs"], $"{a}.exp");
                graph.Node("Add", [$"{a}.exp", graph.Constant(1)], $"{a}.sum");
                graph.Node("Log", [$"{a}.sum"], $"{a}.log");
                graph.Node("Relu", [z], $"{a}.positive");
                graph.Node("Add", [$"{a}.positive", $"{a}.log"], a); // max(z, 0) + ln(1 + e^−|z|)
                return true;
            default:
                return false;
        }
    }

    /// <summary>Adds <c>{a}.expm1 = e^min(z, 0) − 1</c>.</summary>
    private static void NegativeExpM1<T>(OnnxGraph<T> graph, string z, string a)
        where T : struct, IFloatingPointIeee754<T>
    {
        graph.Node("Min", [z, graph.Constant(0)], $"{a}.negpart");
        graph.Node("Exp", [$"{a}.negpart"], $"{a}.exp");
        graph.Node("Sub", [$"{a}.exp", graph.Constant(1)], $"{a}.expm1");
    }
}
