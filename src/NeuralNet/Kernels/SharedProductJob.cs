namespace NeuralNet.Kernels;

/// <summary>
/// A product shared by the calling thread and <see cref="SecondCore"/>, each claiming its pieces from its own end (the
/// caller from the first, the helper from the last) and waiting, where a piece needs another's result, for a counter of
/// finished pieces: <see cref="SharedBlockGemm{T}"/> and <see cref="ColumnGroupGemm{T}"/>. This is the mechanism they
/// share: the run on both cores, the waits, and the failure of one thread letting the other out of its waits.
/// </summary>
internal abstract class SharedProductJob : WorkItem
{
    private volatile bool _abandoned;

    /// <summary>Does the pieces this thread claims, from the first piece or from the last.</summary>
    internal abstract void Work(bool fromEnd);

    /// <summary>The pieces claimed from the end (on the helper thread).</summary>
    public sealed override void Execute()
    {
        try
        {
            Work(fromEnd: true);
        }
        catch
        {
            _abandoned = true; // lets the caller out of its waits
            throw;
        }
    }

    /// <summary>Runs a prepared job on this thread and the reserved <see cref="SecondCore"/>, which is released on return.</summary>
    protected static void RunOnBothCores(SharedProductJob job)
    {
        SecondCore.Start(job);
        try
        {
            job.Work(fromEnd: false);
        }
        catch
        {
            job._abandoned = true; // lets the helper out of its waits
            throw;
        }
        finally
        {
            SecondCore.Wait(); // after the caller's part every piece is claimed: an unstarted helper finds nothing to do
        }
    }

    /// <summary>Clears a failure of the previous product (when a job is prepared).</summary>
    protected void ClearFailure() => _abandoned = false;

    /// <summary>
    /// Waits until <paramref name="counter"/> reaches <paramref name="target"/> (pieces done by whichever thread claimed
    /// them); the caller's waits are added to <see cref="SecondCore.WaitTicks"/> (the helper's would race).
    /// </summary>
    protected void AwaitDone(ref int counter, int target, bool helper)
    {
        if (Volatile.Read(ref counter) >= target)
        {
            return;
        }

        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        SpinWait spin = default;
        while (Volatile.Read(ref counter) < target)
        {
            if (_abandoned)
            {
                throw new OperationCanceledException("The other thread of a shared multiply failed.");
            }

            spin.SpinOnce(sleep1Threshold: -1);
        }

        if (!helper)
        {
            SecondCore.WaitTicks += System.Diagnostics.Stopwatch.GetTimestamp() - start;
        }
    }
}
