using System.Diagnostics;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;

namespace NeuralNet.Benchmarks.Workloads;

/// <summary>
/// <c>W2-gather-ab</c>: W2's training with the gather requesting the next batch's rows and without, taking turns in
/// blocks of 16 steps so that both meet the same host; per variant the median (and quartiles) over blocks of the
/// gather's and the whole step's µs from epoch 2 on. A block's first step is left out: the previous block prepared it.
/// The request changes no value, so the losses are W2's.
/// </summary>
internal static class GatherAB
{
    private const int Block = 16;

    public static void Run(int epochs)
    {
        FashionData data = FashionData.Load();
        int n = data.TrainLabels.Length;
        (DenseLayer<float> hidden, DenseLayer<float> output, Network<float> network, CategoricalCrossEntropy<float> loss, SgdOptimizer<float> optimizer) = FashionWorkload.Build();
        var batches = new FashionWorkload.BatchPair(FashionWorkload.BatchSize);
        var lastBatches = new FashionWorkload.BatchPair(n % FashionWorkload.BatchSize);
        string[] names = ["next batch requested", "not requested"];
        var gather = new[] { new List<double>(), new List<double>() };
        var step = new[] { new List<double>(), new List<double>() };
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            int[] order = DeterministicNumbers.SampleOrder(epoch, n);
            double lossSum = 0;
            long g = 0, s = 0;
            int v = 0, counted = 0;
            for (int first = 0, index = 0; first < n; first += FashionWorkload.BatchSize, index++)
            {
                if (index % Block == 0)
                {
                    if (counted > 0 && epoch > 0)
                    {
                        gather[v].Add(g * 1e6 / Stopwatch.Frequency / counted);
                        step[v].Add(s * 1e6 / Stopwatch.Frequency / counted);
                    }

                    v = (index / Block) % 2;
                    FashionWorkload.BatchPair.RequestNext = v == 0;
                    (g, s, counted) = (0, 0, 0);
                }

                FashionWorkload.BatchPair batch = n - first >= FashionWorkload.BatchSize ? batches : lastBatches;
                long t0 = Stopwatch.GetTimestamp();
                batch.Gather(data, order, first);
                long t1 = Stopwatch.GetTimestamp();
                float value = network.TrainStep(batch.Input, batch.Target, loss, optimizer);
                long t2 = Stopwatch.GetTimestamp();
                if (index % Block != 0 && batch == batches)
                {
                    (g, s, counted) = (g + t1 - t0, s + t2 - t0, counted + 1);
                }

                lossSum += value * batch.Rows;
            }

            WorkloadOutput.Note($"epoch {epoch + 1}: mean training loss {lossSum / n:0.000000}");
        }

        FashionWorkload.BatchPair.RequestNext = true;
        WorkloadOutput.Note($"W2-gather-ab: µs per step, median (quartiles) over blocks of {Block - 1} steps, epochs 2-{epochs}");
        for (int i = 0; i < names.Length; i++)
        {
            WorkloadOutput.Note($"{names[i],-22} gather {Quartiles(gather[i])}   step {Quartiles(step[i])}   ({gather[i].Count} blocks)");
        }

        static string Quartiles(List<double> v)
        {
            v.Sort();
            return $"{v[v.Count / 2],6:0.0} ({v[v.Count / 4]:0.0}-{v[3 * v.Count / 4]:0.0})";
        }
    }
}
