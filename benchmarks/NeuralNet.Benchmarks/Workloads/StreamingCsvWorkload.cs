using System.Diagnostics;
using System.Globalization;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Benchmarks.Workloads;

/// <summary>
/// Issue 13's memory check, not a timing: trains one epoch from a CSV file of at least 1 GB read in
/// chunks through a bounded shuffle buffer, and prints the rows, the seconds and the process's peak
/// working set. <c>stream-csv [PATH]</c>; the file (default <c>/tmp/neuralnet-stream.csv</c>: 20
/// features, a class 0-2, 5.5 million rows) is generated first when it does not exist; never commit it.
/// </summary>
internal static class StreamingCsvWorkload
{
    private const int Features = 20;
    private const long MinimumBytes = 1L << 30;

    public static void Run(string? path)
    {
        path ??= Path.Combine(Path.GetTempPath(), "neuralnet-stream.csv");
        if (!File.Exists(path) || new FileInfo(path).Length < MinimumBytes)
        {
            Generate(path);
        }

        long bytes = new FileInfo(path).Length;
        WorkloadOutput.Note($"{path}: {bytes / (1024.0 * 1024 * 1024):F2} GiB");
        var network = new Network<float>(1, new DenseLayer<float>(Features, 64, new ReLU<float>()), new DenseLayer<float>(64, 3, new Softmax<float>()));
        var trainer = new Trainer<float>(network, new CategoricalCrossEntropy<float>(), new AdamOptimizer<float>(0.001), new TrainingOptions { Epochs = 1, BatchSize = 256 });
        var clock = Stopwatch.StartNew();
        TrainingHistory history = trainer.Fit(BatchSources.FromCsv<float>(path, "label", chunkRows: 8192), shuffleBufferRows: 65536);
        clock.Stop();
        using Process self = Process.GetCurrentProcess();
        self.Refresh();
        WorkloadOutput.Metric("stream-csv", "seconds", clock.Elapsed.TotalSeconds);
        WorkloadOutput.Metric("stream-csv", "peak_working_set_mb", self.PeakWorkingSet64 / (1024.0 * 1024));
        WorkloadOutput.Metric("stream-csv", "megabytes_per_s", bytes / (1024.0 * 1024) / clock.Elapsed.TotalSeconds);
        WorkloadOutput.Note($"epoch 1 training loss {history.Epochs[0].TrainingLoss:F4}");
    }

    /// <summary>Rows of 20 Gaussian features (6 decimals) and a class that depends on three of them.</summary>
    private static void Generate(string path)
    {
        WorkloadOutput.Note($"generating {path} (at least 1 GiB) ...");
        var random = new RandomSource(13);
        using var writer = new StreamWriter(path, append: false, System.Text.Encoding.ASCII, bufferSize: 1 << 20);
        writer.WriteLine(string.Join(",", Enumerable.Range(0, Features).Select(i => "x" + i.ToString(CultureInfo.InvariantCulture)).Append("label")));
        var values = new double[Features];
        while (writer.BaseStream.Length < MinimumBytes)
        {
            for (int i = 0; i < 4096; i++)
            {
                for (int f = 0; f < Features; f++)
                {
                    values[f] = random.NextGaussian();
                    writer.Write(values[f].ToString("F6", CultureInfo.InvariantCulture));
                    writer.Write(',');
                }

                double score = values[0] + values[1] - (0.5 * values[2]);
                writer.WriteLine(score < -0.5 ? "0" : score < 0.5 ? "1" : "2");
            }

            writer.Flush();
        }
    }
}
