using NeuralNet.Kernels;

namespace NeuralNet.Benchmarks.Workloads;

/// <summary>
/// <c>w2-halves-ab [epochs]</c>: W2's training with the output layer's backward pass whole on the caller (the hidden
/// layer's <c>FusedPasses</c> off: it makes its own ∂L/∂Z) or cut into two parts of its inputs, one a core
/// (<see cref="WorkSplit.BackwardInputHalves"/>, which cuts only while a hand-over is cheap,
/// <see cref="SecondCore.HandOverIsCheap"/>), taking turns in blocks of 32 steps (<see cref="FashionBlockAB"/>). The
/// training is the same either way (the same bits).
/// </summary>
internal static class HalvesAB
{
    public static void Run(int epochs)
        => FashionBlockAB.Run("W2-halves-ab", ["whole", "halves"], hidden => way => hidden.FusedPasses = way == 1, block: 32, epochs);
}
