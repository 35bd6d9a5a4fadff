using System.Diagnostics;
using NeuralNet.Kernels;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;

namespace NeuralNet.Benchmarks.Workloads;

/// <summary>
/// W2's training (the gather and <c>TrainStep</c>, as the W2 workload) with two ways of doing one thing in one process,
/// switching every block of steps so that both ways meet the same state of the host: single runs of the runner scatter
/// between processes by more than the effects these compare. Prints, over the epochs after the first, each way's median
/// (and quartiles) of the gather's and the whole step's µs over its blocks, the median over rounds (a block of each way)
/// of the ratio of the second way's step to the first's, and the cross-core round trip before and after (the host's
/// state). A block's first step is left out: the block before prepared it (the gather requests the next batch's rows).
/// </summary>
internal static class FashionBlockAB
{
    /// <summary>Runs the comparison; <paramref name="choose"/>, given the hidden layer, returns what selects way 0 or 1.</summary>
    public static void Run(string title, string[] names, Func<DenseLayer<float>, Action<int>> choose, int block, int epochs, int batchSize = FashionWorkload.BatchSize)
    {
        FashionData data = FashionData.Load();
        int n = data.TrainLabels.Length;
        (DenseLayer<float> hidden, _, Network<float> network, CategoricalCrossEntropy<float> loss, SgdOptimizer<float> optimizer) = FashionWorkload.Build();
        Action<int> select = choose(hidden);
        var batch = new FashionWorkload.BatchPair(batchSize);
        var gather = new[] { new List<double>(), new List<double>() };
        var step = new[] { new List<double>(), new List<double>() };
        var ratios = new List<double>();
        double crossCoreBefore = CrossCoreLatency.Measure();
        int way = 0;
        for (int epoch = 0, index = 0; epoch < epochs; epoch++)
        {
            int[] order = DeterministicNumbers.SampleOrder(epoch, n);
            double lossSum = 0;
            long g = 0, s = 0;
            int counted = 0;
            for (int first = 0; first + batchSize <= n; first += batchSize, index++)
            {
                if (index % block == 0)
                {
                    if (counted > 0 && epoch > 0)
                    {
                        gather[way].Add(g * 1e6 / Stopwatch.Frequency / counted);
                        step[way].Add(s * 1e6 / Stopwatch.Frequency / counted);
                        if (way == 1 && step[0].Count > 0)
                        {
                            ratios.Add(step[1][^1] / step[0][^1]); // this round: the second way's block against the first's just before it
                        }
                    }

                    way = (index / block) % 2;
                    select(way);
                    (g, s, counted) = (0, 0, 0);
                }

                long t0 = Stopwatch.GetTimestamp();
                batch.Gather(data, order, first);
                long t1 = Stopwatch.GetTimestamp();
                float value = network.TrainStep(batch.Input, batch.Target, loss, optimizer);
                long t2 = Stopwatch.GetTimestamp();
                if (index % block != 0)
                {
                    (g, s, counted) = (g + t1 - t0, s + t2 - t0, counted + 1);
                }

                lossSum += value * batch.Rows;
            }

            WorkloadOutput.Note($"epoch {epoch + 1}: mean training loss {lossSum / (n / batchSize * batchSize):0.000000} (whole batches only)");
        }

        select(0);
        WorkloadOutput.Note($"{title}: µs per step, median (quartiles) over blocks of {block - 1} steps, epochs 2-{epochs}");
        for (int i = 0; i < names.Length; i++)
        {
            WorkloadOutput.Note($"{names[i],-22} gather {Quartiles(gather[i])}   step {Quartiles(step[i])}   ({step[i].Count} blocks)");
        }

        WorkloadOutput.Note($"{names[1]} / {names[0]}: median {Median(ratios):0.0000} over {ratios.Count} rounds");
        WorkloadOutput.Note($"crosscore_ns before {crossCoreBefore:0} after {CrossCoreLatency.Measure():0} (the host's state: benchmarks/README.md)");
    }

    private static string Quartiles(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return FormattableString.Invariant($"{Median(values),6:0.00} ({sorted[sorted.Length / 4]:0.00}-{sorted[3 * sorted.Length / 4]:0.00})");
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
