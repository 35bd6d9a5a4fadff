namespace NeuralNet;

/// <summary>
/// Counts changes of the settings a network caches per step (a layer's <see cref="Layers.Layer{T}.Regularization"/>, a
/// parameter's <see cref="Parameter{T}.Frozen"/>): a network recomputes its cache only when the count moved.
/// </summary>
internal static class TrainingSettings
{
    private static int _version;

    /// <summary>The number of changes so far.</summary>
    public static int Version => Volatile.Read(ref _version);

    /// <summary>Records a change.</summary>
    public static void Changed() => Interlocked.Increment(ref _version);
}
