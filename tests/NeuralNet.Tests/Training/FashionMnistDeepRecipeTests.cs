using System.Diagnostics;
using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;
using Xunit;
using Xunit.Abstractions;

namespace NeuralNet.Tests.Training;

/// <summary>
/// The deeper recipe of the README's accuracy table: 784-512-256-10 with batch normalisation and
/// dropout, AdamW and a cosine schedule, must reach 89 % on the 10,000 Fashion-MNIST test images on any CPU (the seeded
/// run gives 89.69 % with 512-bit vectors, 89.44 % with 256-bit and 89.55 % with 128-bit ones: the vector width moves
/// the last bits); the plain 784-128-10 with SGD reaches 87.6 %. Reads Debian's dataset-fashion-mnist package.
/// </summary>
public sealed class FashionMnistDeepRecipeTests(ITestOutputHelper output)
{
    private const string Directory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The recipe, exactly as the README states it.</summary>
    public static (Network<float> Network, Trainer<float> Trainer) Recipe(int epochs = 12)
    {
        var network = new Network<float>(42,
            new DenseLayer<float>(784, 512, new ReLU<float>()),
            new BatchNormalization<float>(512),
            new DropoutLayer<float>(512, 0.2),
            new DenseLayer<float>(512, 256, new ReLU<float>()),
            new BatchNormalization<float>(256),
            new DropoutLayer<float>(256, 0.2),
            new DenseLayer<float>(256, 10, new Softmax<float>()));
        var options = new TrainingOptions { Epochs = epochs, BatchSize = 128, Random = new RandomSource(7), Schedule = new CosineAnnealingSchedule(epochs) };
        var trainer = new Trainer<float>(network, new CategoricalCrossEntropy<float>(), new AdamWOptimizer<float>(0.001, weightDecay: 0.01), options);
        return (network, trainer);
    }

    [SkippableFact]
    public void FashionMnist_784_512_256_10_BatchNormDropoutAdamWCosine_ReachesAtLeast89PercentTestAccuracy()
    {
        Skip.IfNot(File.Exists(Path.Combine(Directory, "t10k-labels-idx1-ubyte.gz")), $"Fashion-MNIST is not installed in {Directory} (apt-get install dataset-fashion-mnist; .ci/run does this).");
        Matrix<float> xTrain = IdxFile.ReadMatrix<float>(Path.Combine(Directory, "train-images-idx3-ubyte.gz"), scale: 1.0 / 255);
        Matrix<float> yTrain = IdxFile.ReadMatrix<float>(Path.Combine(Directory, "train-labels-idx1-ubyte.gz"));
        Matrix<float> xTest = IdxFile.ReadMatrix<float>(Path.Combine(Directory, "t10k-images-idx3-ubyte.gz"), scale: 1.0 / 255);
        int[] yTest = ClassLabels.FromIndices(IdxFile.ReadMatrix<float>(Path.Combine(Directory, "t10k-labels-idx1-ubyte.gz")));

        (Network<float> network, Trainer<float> trainer) = Recipe();
        var clock = Stopwatch.StartNew();
        TrainingHistory history = trainer.Fit(xTrain, yTrain);
        TimeSpan trainingTime = clock.Elapsed;

        double accuracy = ClassificationMetrics.Accuracy(yTest, network.PredictClasses(xTest));
        output.WriteLine(network.Summary().ToString());
        output.WriteLine(history.ToString());
        output.WriteLine($"Fashion-MNIST test accuracy {accuracy:P2}; training took {trainingTime.TotalSeconds:F1} s");
        accuracy.Should().BeGreaterThanOrEqualTo(0.89);
    }
}
