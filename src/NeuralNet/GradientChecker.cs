using System.Numerics;
using NeuralNet.Activations;
using NeuralNet.Kernels;
using NeuralNet.Layers;
using NeuralNet.Losses;

namespace NeuralNet;

using MathNet.Numerics.LinearAlgebra;

/// <summary>
/// Checks a backward pass against central finite differences, <c>∂L/∂x ≈ (L(x + ε) − L(x − ε)) / 2ε</c>,
/// for networks, layers, activations and losses, including ones users write. Run it in double
/// precision: in float the differences themselves are too coarse.
/// </summary>
/// <remarks>
/// Layers and activations are checked through the scalar <c>L = Σ c ⊙ output</c> with random
/// coefficients c, so every output contributes with its own weight. Inputs at a kink (ReLU at 0)
/// give legitimate mismatches: keep inputs a few ε away from kinks.
/// </remarks>
public static class GradientChecker
{
    /// <summary>Checks every parameter gradient of a network for one batch (dropout off), the layers' regularisation penalties included.</summary>
    /// <typeparam name="T">The element type (use double).</typeparam>
    /// <param name="network">The network; its parameters are perturbed and restored. The check holds it as training
    /// does: a <c>Fit</c> or <c>TrainStep</c> from another thread meanwhile is refused with <see cref="InvalidOperationException"/>.</param>
    /// <param name="input">The batch.</param>
    /// <param name="target">The targets.</param>
    /// <param name="loss">The loss.</param>
    /// <param name="epsilon">The finite-difference step, &gt; 0; default 1e-5 (near the cube root of double's machine epsilon, which balances truncation and rounding error).</param>
    /// <param name="floor">The smallest denominator of the relative error; default 1e-8.</param>
    public static GradientCheckReport CheckNetwork<T>(Network<T> network, Matrix<T> input, Matrix<T> target, LossFunction<T> loss, double epsilon = 1e-5, double floor = 1e-8)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(loss);
        ValidateStep(epsilon, floor);
        using Network<T>.TrainingScope scope = network.EnterTraining(); // the whole check: no other training between its perturbed passes
        network.ForwardHeld(input, training: false);
        network.BackwardHeld(target, loss, null);
        var tracker = new WorstTracker(floor);
        for (int l = 0; l < network.Layers.Count; l++)
        {
            foreach (Parameter<T> p in network.Layers[l].Parameters)
            {
                T[] analytic = (T[])p.GradientArray.Clone();
                for (int i = 0; i < p.Length; i++)
                {
                    double numeric = Difference(p.ValueArray, i, epsilon, () => double.CreateChecked(loss.Loss(network.ForwardHeld(input, training: false), target) + network.RegularizationPenalty()));
                    tracker.Add(double.CreateChecked(analytic[i]), numeric, () => $"layer {l} {p.Name}[{i % p.Rows},{i / p.Rows}]");
                }
            }
        }

        return tracker.Report();
    }

    /// <summary>Checks a layer's parameter gradients and its input gradient for one batch (training mode off).</summary>
    /// <typeparam name="T">The element type (use double).</typeparam>
    /// <param name="layer">The layer, with its parameters set (e.g. it belongs to a network).</param>
    /// <param name="input">The batch, <c>batch × InputSize</c>.</param>
    /// <param name="random">The source of the random coefficients c.</param>
    /// <param name="epsilon">The finite-difference step, &gt; 0; default 1e-5 (near the cube root of double's machine epsilon, which balances truncation and rounding error).</param>
    /// <param name="floor">The smallest denominator of the relative error; default 1e-8.</param>
    public static GradientCheckReport CheckLayer<T>(Layer<T> layer, Matrix<T> input, RandomSource random, double epsilon = 1e-5, double floor = 1e-8)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(random);
        ValidateStep(epsilon, floor);
        Matrix<T> x = input.Clone();
        Matrix<T> c = RandomCoefficients<T>(x.RowCount, layer.OutputSize, random);
        double Objective() => Dot(layer.Forward(x, training: false), c);

        layer.Forward(x, training: false);
        T[] inputGradient = DenseStorage.Of(layer.Backward(c, computeInputGradient: true)!).ToArray();
        var tracker = new WorstTracker(floor);
        foreach (Parameter<T> p in layer.Parameters)
        {
            T[] analytic = (T[])p.GradientArray.Clone();
            for (int i = 0; i < p.Length; i++)
            {
                tracker.Add(double.CreateChecked(analytic[i]), Difference(p.ValueArray, i, epsilon, Objective), () => $"{p.Name}[{i % p.Rows},{i / p.Rows}]");
            }
        }

        T[] xs = DenseStorage.Of(x);
        for (int i = 0; i < xs.Length; i++)
        {
            tracker.Add(double.CreateChecked(inputGradient[i]), Difference(xs, i, epsilon, Objective), () => $"input[{i % x.RowCount},{i / x.RowCount}]");
        }

        return tracker.Report();
    }

    /// <summary>Checks an activation's backward pass at the given weighted sums.</summary>
    /// <typeparam name="T">The element type (use double).</typeparam>
    /// <param name="activation">The activation.</param>
    /// <param name="z">Weighted sums, <c>batch × units</c>.</param>
    /// <param name="random">The source of the random coefficients c.</param>
    /// <param name="epsilon">The finite-difference step, &gt; 0; default 1e-5 (near the cube root of double's machine epsilon, which balances truncation and rounding error).</param>
    /// <param name="floor">The smallest denominator of the relative error; default 1e-8.</param>
    public static GradientCheckReport CheckActivation<T>(ActivationFunction<T> activation, Matrix<T> z, RandomSource random, double epsilon = 1e-5, double floor = 1e-8)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(activation);
        ArgumentNullException.ThrowIfNull(z);
        ArgumentNullException.ThrowIfNull(random);
        ValidateStep(epsilon, floor);
        int rows = z.RowCount, columns = z.ColumnCount;
        T[] zs = DenseStorage.Of(z.Clone());
        T[] a = new T[zs.Length];
        T[] c = DenseStorage.Of(RandomCoefficients<T>(rows, columns, random));
        double Objective()
        {
            activation.Forward(zs, a, rows, columns);
            return Dot(a, c);
        }

        activation.Forward(zs, a, rows, columns);
        T[] analytic = new T[zs.Length];
        activation.Backward(zs, a, c, analytic, rows, columns);
        var tracker = new WorstTracker(floor);
        for (int i = 0; i < zs.Length; i++)
        {
            tracker.Add(double.CreateChecked(analytic[i]), Difference(zs, i, epsilon, Objective), () => $"z[{i % rows},{i / rows}]");
        }

        return tracker.Report();
    }

    /// <summary>Checks a loss's gradient with respect to the predictions.</summary>
    /// <typeparam name="T">The element type (use double).</typeparam>
    /// <param name="loss">The loss.</param>
    /// <param name="prediction">Predictions, <c>batch × outputs</c>.</param>
    /// <param name="target">Targets.</param>
    /// <param name="sampleWeights">Optional weight per sample.</param>
    /// <param name="epsilon">The finite-difference step, &gt; 0; default 1e-5 (near the cube root of double's machine epsilon, which balances truncation and rounding error).</param>
    /// <param name="floor">The smallest denominator of the relative error; default 1e-8.</param>
    public static GradientCheckReport CheckLoss<T>(LossFunction<T> loss, Matrix<T> prediction, Matrix<T> target, Vector<T>? sampleWeights = null, double epsilon = 1e-5, double floor = 1e-8)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(prediction);
        ValidateStep(epsilon, floor);
        Matrix<T> p = prediction.Clone();
        T[] analytic = DenseStorage.Of(loss.Gradient(p, target, sampleWeights));
        T[] ps = DenseStorage.Of(p);
        var tracker = new WorstTracker(floor);
        for (int i = 0; i < ps.Length; i++)
        {
            tracker.Add(double.CreateChecked(analytic[i]), Difference(ps, i, epsilon, () => double.CreateChecked(loss.Loss(p, target, sampleWeights))), () => $"prediction[{i % p.RowCount},{i / p.RowCount}]");
        }

        return tracker.Report();
    }

    /// <summary>(L(x_i + ε) − L(x_i − ε)) / 2ε, restoring x_i afterwards.</summary>
    private static double Difference<T>(T[] values, int i, double epsilon, Func<double> objective)
        where T : struct, IFloatingPointIeee754<T>
    {
        T original = values[i];
        T step = T.CreateChecked(epsilon);
        double plus, minus;
        try
        {
            values[i] = original + step;
            plus = objective();
            values[i] = original - step;
            minus = objective();
        }
        finally
        {
            values[i] = original; // also when the objective throws (a loss of the user's own): the weight is put back
        }

        return (plus - minus) / double.CreateChecked((original + step) - (original - step));
    }

    private static Matrix<T> RandomCoefficients<T>(int rows, int columns, RandomSource random)
        where T : struct, IFloatingPointIeee754<T>
        => Matrix<T>.Build.Dense(rows, columns, (_, _) => T.CreateChecked(random.NextDouble() * 2 - 1));

    private static double Dot<T>(Matrix<T> a, Matrix<T> b)
        where T : struct, IFloatingPointIeee754<T>
        => Dot(DenseStorage.Of(a), DenseStorage.Of(b));

    private static double Dot<T>(T[] a, T[] b)
        where T : struct, IFloatingPointIeee754<T>
    {
        // Neumaier's compensated sum: the objective's rounding error is what limits the check on small gradients.
        double sum = 0, compensation = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double term = double.CreateChecked(a[i]) * double.CreateChecked(b[i]);
            double t = sum + term;
            compensation += Math.Abs(sum) >= Math.Abs(term) ? (sum - t) + term : (term - t) + sum;
            sum = t;
        }

        return sum + compensation;
    }

    private static void ValidateStep(double epsilon, double floor)
    {
        if (!(epsilon > 0 && double.IsFinite(epsilon)))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, $"epsilon must be a finite number > 0 (received {epsilon}).");
        }

        if (!(floor > 0 && double.IsFinite(floor)))
        {
            throw new ArgumentOutOfRangeException(nameof(floor), floor, $"floor must be a finite number > 0 (received {floor}).");
        }
    }

    private sealed class WorstTracker(double floor)
    {
        private int _count;
        private double _worst = -1;
        private string _where = "(nothing checked)";
        private double _analytic, _numeric;

        public void Add(double analytic, double numeric, Func<string> where)
        {
            _count++;
            double error = Math.Abs(analytic - numeric) / Math.Max(Math.Max(Math.Abs(analytic), Math.Abs(numeric)), floor);
            if (double.IsNaN(error))
            {
                error = double.PositiveInfinity;
            }

            if (error > _worst)
            {
                (_worst, _where, _analytic, _numeric) = (error, where(), analytic, numeric);
            }
        }

        public GradientCheckReport Report() => new(_count, Math.Max(_worst, 0), _where, _analytic, _numeric);
    }
}
