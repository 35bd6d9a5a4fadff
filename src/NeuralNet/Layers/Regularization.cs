using System.Globalization;

namespace NeuralNet.Layers;

/// <summary>
/// An L1/L2 penalty on a layer's weights (Keras's <c>kernel_regularizer</c>), set through
/// <see cref="Layer{T}.Regularization"/>: the training step adds <c>l1·Σ|w| + l2·Σw²</c> to the loss and
/// <c>l1·sign(w) + 2·l2·w</c> to each weight's gradient (no ½ factor, as in Keras; <c>sign(0) = 0</c>).
/// </summary>
/// <remarks>
/// Unlike an optimizer's weight decay, which applies to every parameter of the network, the penalty is chosen per
/// layer and is part of the loss the training step reports. Validation losses and <c>Evaluate</c> report the data
/// loss alone. Sensible strengths are small: 1e-5 to 1e-2.
/// </remarks>
public sealed record Regularization
{
    /// <summary>Creates a penalty.</summary>
    /// <param name="l1">The L1 strength, finite and ≥ 0 (0 for none).</param>
    /// <param name="l2">The L2 strength, finite and ≥ 0 (0 for none).</param>
    /// <param name="biases">Whether the biases (and a normalisation's shift) are penalised too; false, as in Keras, by default.</param>
    public Regularization(double l1 = 0, double l2 = 0, bool biases = false)
    {
        L1 = Strength(l1, nameof(l1));
        L2 = Strength(l2, nameof(l2));
        Biases = biases;
    }

    /// <summary>The L1 strength: <c>l1·Σ|w|</c> is added to the loss.</summary>
    public double L1 { get; }

    /// <summary>The L2 strength: <c>l2·Σw²</c> is added to the loss.</summary>
    public double L2 { get; }

    /// <summary>Whether the parameters marked <see cref="Parameter{T}.IsBias"/> are penalised too.</summary>
    public bool Biases { get; }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"Regularization(l1 = {L1}, l2 = {L2}{(Biases ? ", biases" : string.Empty)})");

    private static double Strength(double value, string name) =>
        double.IsFinite(value) && value >= 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number ≥ 0 (received {value}).");
}
