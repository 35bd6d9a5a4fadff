using System.Numerics;

namespace NeuralNet.Optimizers;

// Gradient clipping, the first part of every step: by value, each into [−c, c]; by norm, all scaled by min(1, c/‖g‖).
public abstract partial class Optimizer<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private void ClipGradients(IReadOnlyList<Parameter<T>> parameters)
    {
        if (ClipValue is double clipValue)
        {
            T c = T.CreateChecked(clipValue);
            for (int i = 0; i < parameters.Count; i++)
            {
                System.Numerics.Tensors.TensorPrimitives.Clamp(parameters[i].Gradients, -c, c, parameters[i].Gradients);
            }
        }

        if (ClipNorm is double clipNorm)
        {
            double squares = 0;
            for (int i = 0; i < parameters.Count; i++)
            {
                double norm = double.CreateChecked(System.Numerics.Tensors.TensorPrimitives.Norm<T>(parameters[i].Gradients));
                squares += norm * norm;
            }

            double total = Math.Sqrt(squares);
            if (total > clipNorm)
            {
                T scale = T.CreateChecked(clipNorm / total); // g ← g · c/‖g‖
                for (int i = 0; i < parameters.Count; i++)
                {
                    System.Numerics.Tensors.TensorPrimitives.Multiply(parameters[i].Gradients, scale, parameters[i].Gradients);
                }
            }
        }
    }
}
