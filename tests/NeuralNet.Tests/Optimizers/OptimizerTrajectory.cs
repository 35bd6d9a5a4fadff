using NeuralNet.Optimizers;

namespace NeuralNet.Tests.Optimizers;

/// <summary>
/// Runs an optimizer for a few steps on fixed gradients, for golden-trajectory tests: one parameter
/// of 4 values, gradients fixed per step (no network), values recorded after every step.
/// </summary>
internal static class OptimizerTrajectory
{
    public static readonly double[] Start = [0.5, -1.25, 2.0, 0.0];

    /// <summary>Step t's gradient for value i: varied signs and magnitudes, one exact zero.</summary>
    public static readonly double[][] Gradients =
    [
        [0.1, -0.4, 1.5, 0.0],
        [0.3, -0.2, -0.5, 2.0],
        [-0.2, 0.05, 0.8, -1.0],
        [0.0, -0.6, 0.1, 0.5],
        [0.25, 0.3, -1.2, 0.02],
    ];

    public static double[][] Run(Optimizer<double> optimizer)
    {
        var parameter = new Parameter<double>("weights", 2, 2);
        Start.CopyTo(parameter.Values);
        var parameters = new[] { parameter };
        var trajectory = new double[Gradients.Length][];
        for (int t = 0; t < Gradients.Length; t++)
        {
            Gradients[t].CopyTo(parameter.Gradients);
            optimizer.Step(parameters);
            trajectory[t] = parameter.Values.ToArray();
        }

        return trajectory;
    }
}
