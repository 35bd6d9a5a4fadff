using System.Diagnostics;
using NeuralNet.Kernels;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;

namespace NeuralNet.Benchmarks.Workloads;

/// <summary>
/// <c>w2-halves-ab [epochs]</c>: W2's training (gather and TrainStep, as the W2 workload) with the output layer's backward
/// pass whole on the caller (the hidden layer's <c>FusedPasses</c> off: it makes its own ∂L/∂Z) or cut into two halves of
/// its inputs, one a core (<see cref="WorkSplit.BackwardInputHalves"/>), switching every block of steps so that both ways
/// meet the same state of the host. Prints, over the epochs after the first, each way's median µs a step over its blocks
/// and the median over rounds (a block of each way) of the ratio halves / whole, and the cross-core round trip before and
/// after (the host's state). The training is the same either way (the same bits).
/// </summary>
internal static class HalvesAB
{
    private const int Block = 32;

    public static void Run(int epochs)
    {
        FashionData data = FashionData.Load();
        int n = data.TrainLabels.Length;
        (DenseLayer<float> hidden, _, Network<float> network, CategoricalCrossEntropy<float> loss, SgdOptimizer<float> optimizer) = FashionWorkload.Build();
        var batch = new FashionWorkload.BatchPair(FashionWorkload.BatchSize);
        string[] names = ["whole", "halves"];
        var blocks = new List<double>[] { [], [] };
        var rounds = new List<(double Whole, double Ratio)>();
        double wholeOfRound = 0;
        int way = 1, step = 0;
        long blockStart = 0;
        double crossCoreBefore = CrossCoreLatency.Measure();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            int[] order = DeterministicNumbers.SampleOrder(epoch, n);
            for (int first = 0; first + FashionWorkload.BatchSize <= n; first += FashionWorkload.BatchSize, step++)
            {
                if (step % Block == 0)
                {
                    if (step > 0 && epoch > 0)
                    {
                        double us = (Stopwatch.GetTimestamp() - blockStart) * 1e6 / Stopwatch.Frequency / Block;
                        blocks[way].Add(us);
                        if (way == 0)
                        {
                            wholeOfRound = us;
                        }
                        else if (wholeOfRound > 0)
                        {
                            rounds.Add((wholeOfRound, us / wholeOfRound));
                        }
                    }

                    way = 1 - way;
                    hidden.FusedPasses = way == 1; // off: the output layer's pass stays whole (WorkSplit.BackwardInputHalves needs it on)
                    blockStart = Stopwatch.GetTimestamp();
                }

                batch.Gather(data, order, first);
                network.TrainStep(batch.Input, batch.Target, loss, optimizer);
            }
        }

        for (int i = 0; i < names.Length; i++)
        {
            double[] sorted = [.. blocks[i].Order()];
            string line = FormattableString.Invariant($"{names[i],-7} median {Median(blocks[i]):0.00} µs a step (quartiles {sorted[sorted.Length / 4]:0.00}-{sorted[3 * sorted.Length / 4]:0.00}, {sorted.Length} blocks of {Block} steps)");
            WorkloadOutput.Note($"{line}");
        }

        List<double> ratios = [.. rounds.Select(r => r.Ratio)];
        string ratio = FormattableString.Invariant($"halves / whole: median {Median(ratios):0.0000} over {ratios.Count} rounds");
        WorkloadOutput.Note($"{ratio}");

        string state = FormattableString.Invariant($"crosscore_ns before {crossCoreBefore:0} after {CrossCoreLatency.Measure():0} (the host's state: README)");
        WorkloadOutput.Note($"{state}");
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
