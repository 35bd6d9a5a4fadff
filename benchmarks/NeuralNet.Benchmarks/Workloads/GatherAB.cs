namespace NeuralNet.Benchmarks.Workloads;

/// <summary>
/// <c>W2-gather-ab</c>: W2's training with the gather requesting the next batch's rows and without, taking turns in
/// blocks of 16 steps (<see cref="FashionBlockAB"/>). The request changes no value, so the losses are W2's.
/// </summary>
internal static class GatherAB
{
    public static void Run(int epochs)
    {
        try
        {
            FashionBlockAB.Run("W2-gather-ab", ["next batch requested", "not requested"], _ => way => FashionWorkload.BatchPair.RequestNext = way == 0, block: 16, epochs);
        }
        finally
        {
            FashionWorkload.BatchPair.RequestNext = true;
        }
    }
}
