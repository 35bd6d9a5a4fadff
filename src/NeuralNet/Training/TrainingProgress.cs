namespace NeuralNet.Training;

/// <summary>Where a training run is, reported through <see cref="TrainingOptions.Progress"/> after every batch (e.g. for a progress bar).</summary>
/// <param name="Epoch">The current epoch, from 1.</param>
/// <param name="Epochs">The maximum number of epochs.</param>
/// <param name="Batch">The batch just trained, from 1.</param>
/// <param name="Batches">Batches per epoch.</param>
/// <param name="BatchLoss">The loss of that batch (before its update).</param>
public readonly record struct TrainingProgress(int Epoch, int Epochs, int Batch, int Batches, double BatchLoss)
{
    /// <summary>The share of the run done, in (0, 1], counting all epochs.</summary>
    public double Fraction => ((Epoch - 1) + (Batch / (double)Batches)) / Epochs;
}
