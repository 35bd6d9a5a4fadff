using NeuralNet.Optimizers;

namespace NeuralNet.Benchmarks.Workloads;

/// <summary>
/// <c>w2-undo-ab [epochs]</c>: W2's training with the first layer's weights copied before every update (the undo copy a
/// diverged step is put back from) or updated without one where the update provably stays finite
/// (<c>SgdOptimizer.UpdateStaysFinite</c>), taking turns in blocks of 32 steps (<see cref="FashionBlockAB"/>). The training
/// is the same either way (the same bits).
/// </summary>
internal static class UndoCopyAB
{
    public static void Run(int epochs)
        => FashionBlockAB.Run("W2-undo-ab", ["copied", "proved"], _ => way => Optimizer<float>.CopiesEveryUpdate = way == 0, block: 32, epochs);
}
