namespace NeuralNet.Activations;

/// <summary>
/// What an activation's (or a layer's) outputs are, so that a loss can check before training that it
/// gets what it expects (a probability loss needs probabilities).
/// </summary>
public enum ActivationOutput
{
    /// <summary>Not declared: no check is made (the default of a user-written activation or layer).</summary>
    Unspecified,

    /// <summary>Real numbers that are not probabilities: any real (identity), or a range other than [0, 1] (ReLU, tanh, ...).</summary>
    Real,

    /// <summary>Each output a probability in [0, 1] on its own, as the sigmoid gives.</summary>
    Probabilities,

    /// <summary>Each row a probability distribution (values in [0, 1] summing to 1), as the softmax gives.</summary>
    ProbabilityDistribution,
}
