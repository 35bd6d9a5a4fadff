using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;

namespace NeuralNet.Benchmarks.Workloads;

/// <summary>W1 'seed': the 3-4-1 sigmoid network, float64, 200 000 per-sample SGD steps (lr 0.5, MSE).</summary>
internal static class SeedWorkload
{
    public const int Steps = 200_000;

    private static readonly double[][] Inputs = [[0.9, 0.7, 0.8], [0.1, 0.2, 0.1], [0.3, 0.9, 0.4], [0.8, 0.1, 0.3]];
    private static readonly double[] Targets = [1, 0, 1, 0];

    /// <param name="warmPass">Also time the steps again once everything is compiled (<c>W1 warm</c>; not the metric).</param>
    public static void Run(bool warmPass)
    {
        Network<double> network = Build();
        var loss = new MeanSquaredError<double>();
        var optimizer = new SgdOptimizer<double>(learningRate: 0.5);
        Matrix<double>[] x = Inputs.Select(row => Matrix<double>.Build.DenseOfRowArrays(row)).ToArray();
        Matrix<double>[] y = Targets.Select(t => Matrix<double>.Build.Dense(1, 1, t)).ToArray();

        TimeSpan jitStart = System.Runtime.JitInfo.GetCompilationTime(currentThread: true);
        long methodsStart = System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: true);
        long cpuStart = WorkloadOutput.ThreadCpuNanoseconds();
        long start = Stopwatch.GetTimestamp();
        for (int t = 0; t < Steps; t++)
        {
            network.TrainStep(x[t & 3], y[t & 3], loss, optimizer);
        }

        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        double cpuSeconds = (WorkloadOutput.ThreadCpuNanoseconds() - cpuStart) / 1e9;
        double jitMs = (System.Runtime.JitInfo.GetCompilationTime(currentThread: true) - jitStart).TotalMilliseconds;
        long methods = System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: true) - methodsStart;
        WorkloadOutput.Metric("W1", "steps_per_s", Steps / seconds);

        var outputs = new double[4];
        double mse = 0;
        for (int s = 0; s < 4; s++)
        {
            outputs[s] = network.Predict(x[s])[0, 0];
            mse += (outputs[s] - Targets[s]) * (outputs[s] - Targets[s]) / 4;
        }

        WorkloadOutput.Note($"W1 outputs {outputs[0]:R}, {outputs[1]:R}, {outputs[2]:R}, {outputs[3]:R}");
        WorkloadOutput.Note($"W1 spec     0.9977044115692462, 0.002490044319152915, 0.99759958650815, 0.0025477672185936");
        WorkloadOutput.Note($"W1 MSE {mse:0.###########e+00} (spec 5.93078742169e-06); {seconds:0.000} s wall, {cpuSeconds:0.000} s on a CPU ({Steps / cpuSeconds:0} steps per CPU-second), 1 thread");
        WorkloadOutput.Note($"W1 timed region: {methods} methods compiled in {jitMs:0.0} ms of it");
        if (warmPass)
        {
            WarmPass(x, y, loss);
        }
    }

    /// <summary>
    /// Not the metric: the same 200 000 steps again on a fresh network, everything already compiled, so the
    /// figure beside the metric shows how much of the timed region was the JIT.
    /// </summary>
    private static void WarmPass(Matrix<double>[] x, Matrix<double>[] y, MeanSquaredError<double> loss)
    {
        Network<double> network = Build();
        var optimizer = new SgdOptimizer<double>(learningRate: 0.5);
        int steps = int.TryParse(Environment.GetEnvironmentVariable("W1_WARM_STEPS"), out int n) && n > 0 ? n : Steps;
        long cpuStart = WorkloadOutput.ThreadCpuNanoseconds();
        long start = Stopwatch.GetTimestamp();
        for (int t = 0; t < steps; t++)
        {
            network.TrainStep(x[t & 3], y[t & 3], loss, optimizer);
        }

        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        double cpuSeconds = (WorkloadOutput.ThreadCpuNanoseconds() - cpuStart) / 1e9;
        WorkloadOutput.Note($"W1 again, warm (not the metric): {steps / seconds:0} steps/s wall, {steps / cpuSeconds:0} per CPU-second, {1e9 * cpuSeconds / steps:0} ns a step");
    }

    /// <summary>The network with the spec's initial parameters.</summary>
    public static Network<double> Build()
    {
        var hidden = new DenseLayer<double>(3, 4, new Sigmoid<double>());
        var output = new DenseLayer<double>(4, 1, new Sigmoid<double>());
        var network = new Network<double>(1, hidden, output);
        double[,] w1 = { { 0.15, -0.25, 0.35 }, { -0.45, 0.55, -0.15 }, { 0.25, 0.35, -0.45 }, { -0.35, 0.15, 0.45 } };
        hidden.Weights.SetSubMatrix(0, 0, Matrix<double>.Build.DenseOfArray(w1));
        hidden.Biases.SetValues([0.1, -0.1, 0.05, -0.05]);
        output.Weights.SetRow(0, [0.3, -0.2, 0.4, -0.1]);
        output.Biases[0] = 0.05;
        return network;
    }
}
