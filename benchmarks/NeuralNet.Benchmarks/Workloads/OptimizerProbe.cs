using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Kernels;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;

namespace NeuralNet.Benchmarks.Workloads;

/// <summary>
/// <c>optim-probe</c>: W2's optimizer step alone (momentum SGD over 784-128-10, the hidden weights shared by both cores),
/// timed right after a training step as the training step runs it (undo copy and finiteness check in the pass) and as the
/// public <c>Step</c> runs it (neither), beside the whole step and TrainStep's finiteness check of the batch; five rounds of
/// 400. A tiny learning rate keeps the weights where W2 starts. Not a workload: for comparing changes to the update.
/// </summary>
internal static class OptimizerProbe
{
    public static void Run()
    {
        FashionData data = FashionData.Load();
        int n = data.TrainLabels.Length;
        (DenseLayer<float> hidden, DenseLayer<float> output, Network<float> network, CategoricalCrossEntropy<float> loss, SgdOptimizer<float> optimizer) = FashionWorkload.Build(learningRate: 1e-6);
        var batch = new FashionWorkload.BatchPair(FashionWorkload.BatchSize);
        int[] order = DeterministicNumbers.SampleOrder(0, n);
        var rollback = new ParameterSnapshot<float>(network.Parameters);
        for (int r = 0; r < 5; r++)
        {
            double step = 0, checkedOpt = 0, plain = 0, finite = 0;
            const int Reps = 400;
            for (int i = 0; i < Reps; i++)
            {
                batch.Gather(data, order, i * 64);
                long t0 = Stopwatch.GetTimestamp();
                network.TrainStep(batch.Input, batch.Target, loss, optimizer);
                long t1 = Stopwatch.GetTimestamp();
                optimizer.StepChecked(network.Parameters, rollback.Copies);
                long t2 = Stopwatch.GetTimestamp();
                optimizer.StepChecked(network.Parameters, null);
                long t3 = Stopwatch.GetTimestamp();
                ShapeCheck.Finite(batch.Input, "input");
                long t4 = Stopwatch.GetTimestamp();
                step += t1 - t0;
                checkedOpt += t2 - t1;
                plain += t3 - t2;
                finite += t4 - t3;
            }

            double Us(double t) => t * 1e6 / Stopwatch.Frequency / Reps;
            WorkloadOutput.Note($"step {Us(step):0.0} µs; optimizer with copy+check {Us(checkedOpt):0.0} µs, without {Us(plain):0.0} µs; input finite check {Us(finite):0.0} µs");
        }
    }
}
