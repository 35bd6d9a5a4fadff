namespace NeuralNet.Samples.Backpropagation;

/// <summary>One weight or bias of the story's network, with the name the walkthrough prints for it.</summary>
/// <param name="Name">E.g. <c>w(x1→h2)</c> for the weight from input 1 into hidden neuron 2, <c>b(y)</c> for the output's bias.</param>
/// <param name="Parameter">The library's parameter (weights or biases of a layer) that holds it.</param>
/// <param name="Row">Its row in the parameter (the neuron).</param>
/// <param name="Column">Its column in the parameter (the input; 0 for a bias).</param>
internal sealed record NamedValue(string Name, Parameter<double> Parameter, int Row, int Column)
{
    /// <summary>The current value, read from the library's storage.</summary>
    public double Value => Parameter.Value[Row, Column];

    /// <summary>The gradient of the loss with respect to it, as the last backward phase left it.</summary>
    public double Gradient => Parameter.Gradient[Row, Column];
}
