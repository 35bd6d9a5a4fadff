namespace NeuralNet.Data;

/// <summary>
/// Seeded splits of sample indices into a training part and a test part: plain (a random subset) or
/// stratified (each class split in the same proportion). The test part has <c>⌈fraction·n⌉</c> samples,
/// as in scikit-learn's <c>train_test_split</c>; both parts are returned in random order.
/// </summary>
public static class TrainTestSplit
{
    /// <summary>Splits the indices 0…count−1 at random.</summary>
    /// <param name="count">The number of samples, ≥ 2.</param>
    /// <param name="testFraction">The share of samples in the test part, in (0, 1).</param>
    /// <param name="random">The source of the random order.</param>
    /// <returns>The training and test indices, disjoint, together all of 0…count−1.</returns>
    public static (int[] Train, int[] Test) Split(int count, double testFraction, RandomSource random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Array.MaxLength); // the indices are one array
        int testCount = TestCount(count, testFraction);
        ArgumentNullException.ThrowIfNull(random);
        int[] order = Enumerable.Range(0, count).ToArray();
        random.Shuffle<int>(order);
        return (order[testCount..], order[..testCount]);
    }

    /// <summary>Splits so that each class has (as nearly as whole samples allow) the same share in both parts.</summary>
    /// <param name="labels">The class of each sample (any integers).</param>
    /// <param name="testFraction">The share of samples in the test part, in (0, 1).</param>
    /// <param name="random">The source of the random order.</param>
    /// <returns>The training and test indices, disjoint, together all of 0…labels.Count−1.</returns>
    public static (int[] Train, int[] Test) Stratified(IReadOnlyList<int> labels, double testFraction, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count < 2)
        {
            throw new ArgumentException($"labels must hold at least 2 samples (received {labels.Count}).", nameof(labels));
        }

        int testCount = TestCount(labels.Count, testFraction);
        ArgumentNullException.ThrowIfNull(random);
        int[][] classes = Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).OrderBy(g => g.Key).Select(g => g.ToArray()).ToArray();

        // Each class gets ⌊share⌋ test samples; the samples still missing go to the largest remainders.
        double[] shares = classes.Select(c => c.Length * (double)testCount / labels.Count).ToArray();
        int[] perClass = shares.Select(s => (int)Math.Floor(s)).ToArray();
        foreach (int k in Enumerable.Range(0, classes.Length).OrderByDescending(k => shares[k] - perClass[k]).ThenBy(k => k).Take(testCount - perClass.Sum()))
        {
            perClass[k]++;
        }

        var train = new List<int>(labels.Count - testCount);
        var test = new List<int>(testCount);
        for (int k = 0; k < classes.Length; k++)
        {
            random.Shuffle<int>(classes[k]);
            test.AddRange(classes[k][..perClass[k]]);
            train.AddRange(classes[k][perClass[k]..]);
        }

        int[] trainIndices = [.. train], testIndices = [.. test];
        random.Shuffle<int>(trainIndices);
        random.Shuffle<int>(testIndices);
        return (trainIndices, testIndices);
    }

    private static int TestCount(int count, double testFraction)
    {
        if (!(testFraction > 0 && testFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, $"testFraction must be in (0, 1) (received {testFraction}).");
        }

        int testCount = (int)Math.Ceiling(testFraction * count);
        if (testCount >= count)
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, $"testFraction {testFraction} of {count} samples leaves no training samples.");
        }

        return testCount;
    }
}
