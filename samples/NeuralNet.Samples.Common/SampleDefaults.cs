namespace NeuralNet.Samples;

/// <summary>A sample's default training settings, used for every option not given on the command line.</summary>
/// <param name="Epochs">Default number of epochs.</param>
/// <param name="LearningRate">Default learning rate.</param>
/// <param name="BatchSize">Default batch size.</param>
/// <param name="Seed">Default seed.</param>
public sealed record SampleDefaults(int Epochs, double LearningRate, int BatchSize, ulong Seed = 42);
