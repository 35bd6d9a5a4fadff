namespace NeuralNet.Samples;

/// <summary>How a piece of console text is shown when colour is on; plain text otherwise.</summary>
public enum Style
{
    /// <summary>No colour.</summary>
    Plain,

    /// <summary>A section heading (bold cyan).</summary>
    Heading,

    /// <summary>Secondary text: units, explanations (dim).</summary>
    Dim,

    /// <summary>A figure worth the eye: the prediction, the loss (bold).</summary>
    Emphasis,

    /// <summary>Good news: a value rising as it should, high accuracy (green).</summary>
    Good,

    /// <summary>A value that went down, a wrong prediction (red).</summary>
    Bad,

    /// <summary>A highlighted name or value (yellow).</summary>
    Accent,
}
