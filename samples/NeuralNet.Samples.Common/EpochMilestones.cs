namespace NeuralNet.Samples;

/// <summary>
/// Which epochs of a long run to print a line for: every one of the first few, then 1-2-5 steps
/// (10, 20, 50, 100, …), and the last, so a run of thousands of epochs reads in a screenful.
/// </summary>
public static class EpochMilestones
{
    /// <summary>Whether <paramref name="epoch"/> deserves a printed line.</summary>
    /// <param name="epoch">The epoch (1-based).</param>
    /// <param name="totalEpochs">The number of epochs in the run.</param>
    /// <param name="firstEvery">How many of the first epochs are all printed.</param>
    /// <returns>True for the first epochs, for 1-2-5 steps, and for the last epoch.</returns>
    public static bool IsMilestone(int epoch, int totalEpochs, int firstEvery = 5)
    {
        if (epoch <= firstEvery || epoch == totalEpochs)
        {
            return true;
        }

        for (long decade = 10; decade <= epoch; decade *= 10)
        {
            if (epoch == decade || epoch == 2 * decade || epoch == 5 * decade)
            {
                return true;
            }
        }

        return false;
    }
}
