using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using Xunit;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// What every built-in layer promises through <see cref="Layer{T}"/>'s contract, checked kind by kind (found unpinned by
/// mutation testing): argument checks that name the argument, a backward pass before any forward pass refused, and
/// <c>computeInputGradient: false</c> skipping only <c>∂L/∂input</c>.
/// </summary>
public sealed class LayerContractTests
{
    public static TheoryData<string> Kinds => new() { "dense", "dropout", "batch_norm", "layer_norm", "residual", "residual_projected" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Backward_BeforeAnyForward_IsRefusedSayingWhatToDoFirst(string kind)
    {
        Layer<double> layer = Create(kind, out _);

        FluentActions.Invoking(() => layer.Backward(Matrix<double>.Build.Dense(2, layer.OutputSize)))
            .Should().Throw<InvalidOperationException>().WithMessage("*before Forward*");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Backward_WithoutInputGradient_ReturnsNull_AndTheSameParameterGradients(string kind)
    {
        Layer<double> layer = Create(kind, out _);
        Matrix<double> x = RandomMatrices.Uniform<double>(new RandomSource(3), 4, layer.InputSize);
        Matrix<double> g = RandomMatrices.Uniform<double>(new RandomSource(4), 4, layer.OutputSize);

        layer.Forward(x, training: true);
        Matrix<double>? dx = layer.Backward(g, computeInputGradient: true);
        dx.Should().NotBeNull();
        dx!.RowCount.Should().Be(4);
        dx.ColumnCount.Should().Be(layer.InputSize);
        double[][] withInput = layer.Parameters.Select(p => p.Gradients.ToArray()).ToArray();

        layer.Forward(x, training: false); // a dropout layer would draw a new mask in training
        layer.Forward(x, training: kind != "dropout");
        layer.Backward(g, computeInputGradient: false).Should().BeNull();
        if (kind != "dropout")
        {
            layer.Parameters.Select(p => p.Gradients.ToArray()).Should().BeEquivalentTo(withInput, o => o.WithStrictOrdering());
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Backward_WithAGradientOfTheWrongShape_IsRefusedNamingIt(string kind)
    {
        Layer<double> layer = Create(kind, out _);
        layer.Forward(RandomMatrices.Uniform<double>(new RandomSource(5), 3, layer.InputSize), training: false);

        FluentActions.Invoking(() => layer.Backward(Matrix<double>.Build.Dense(2, layer.OutputSize)))
            .Should().Throw<ArgumentException>().WithParameterName("outputGradient");
        FluentActions.Invoking(() => layer.Backward(Matrix<double>.Build.Dense(3, layer.OutputSize + 1)))
            .Should().Throw<ArgumentException>().WithParameterName("outputGradient");
        FluentActions.Invoking(() => layer.Backward(null!)).Should().Throw<ArgumentNullException>();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ForwardAndPredict_RefuseNullAndWrongShapes_NamingTheArgument(string kind)
    {
        Layer<double> layer = Create(kind, out _);
        Matrix<double> x = Matrix<double>.Build.Dense(2, layer.InputSize);

        FluentActions.Invoking(() => layer.Forward(null!, training: false)).Should().Throw<ArgumentNullException>().WithParameterName("input");
        FluentActions.Invoking(() => layer.Forward(Matrix<double>.Build.Dense(2, layer.InputSize + 1), training: false))
            .Should().Throw<ArgumentException>().WithParameterName("input");
        FluentActions.Invoking(() => layer.Predict(null!, Matrix<double>.Build.Dense(2, layer.OutputSize)))
            .Should().Throw<ArgumentNullException>().WithParameterName("input");
        FluentActions.Invoking(() => layer.Predict(x, null!)).Should().Throw<ArgumentNullException>().WithParameterName("output");
        FluentActions.Invoking(() => layer.Predict(Matrix<double>.Build.Dense(2, layer.InputSize + 1), Matrix<double>.Build.Dense(2, layer.OutputSize)))
            .Should().Throw<ArgumentException>().WithParameterName("input");
        FluentActions.Invoking(() => layer.Predict(x, Matrix<double>.Build.Dense(3, layer.OutputSize)))
            .Should().Throw<ArgumentException>().WithParameterName("output");
        FluentActions.Invoking(() => layer.Predict(x, Matrix<double>.Build.Dense(2, layer.OutputSize + 1)))
            .Should().Throw<ArgumentException>().WithParameterName("output");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Predict_EqualsTheEvaluationForwardPass(string kind)
    {
        Layer<double> layer = Create(kind, out _);
        Matrix<double> x = RandomMatrices.Uniform<double>(new RandomSource(6), 5, layer.InputSize);
        var predicted = Matrix<double>.Build.Dense(5, layer.OutputSize);

        layer.Predict(x, predicted);

        Matrix<double> forward = layer.Forward(x, training: false);
        for (int i = 0; i < predicted.RowCount; i++)
        {
            for (int j = 0; j < predicted.ColumnCount; j++)
            {
                predicted[i, j].Should().BeApproximately(forward[i, j], 1e-12);
            }
        }
    }

    /// <summary>A layer of the given kind inside a network (so that it is initialised), with weights and statistics away from their defaults.</summary>
    [Theory]
    [MemberData(nameof(Kinds))]
    public void ForwardAndBackward_RepeatedOnTheSameBatch_GiveTheSameResults(string kind)
    {
        // The passes reuse their buffers (sums kept per sample among them): nothing may carry over from the last batch.
        Layer<double> layer = Create(kind, out _);
        Matrix<double> x = RandomMatrices.Uniform<double>(new RandomSource(7), 4, layer.InputSize);
        Matrix<double> g = RandomMatrices.Uniform<double>(new RandomSource(8), 4, layer.OutputSize);
        bool training = kind != "dropout"; // a dropout layer would draw a new mask

        double[] output = layer.Forward(x, training).ToColumnMajorArray();
        double[] dx = layer.Backward(g)!.ToColumnMajorArray();
        double[][] gradients = layer.Parameters.Select(p => p.Gradients.ToArray()).ToArray();

        layer.Forward(x, training).ToColumnMajorArray().Should().Equal(output);
        layer.Backward(g)!.ToColumnMajorArray().Should().Equal(dx);
        layer.Parameters.Select(p => p.Gradients.ToArray()).Should().BeEquivalentTo(gradients, o => o.WithStrictOrdering());
    }

    private static Layer<double> Create(string kind, out Network<double> network)
    {
        Layer<double> layer = kind switch
        {
            "dense" => new DenseLayer<double>(3, 4, new Tanh<double>()),
            "dropout" => new DropoutLayer<double>(3, 0.5),
            "batch_norm" => new BatchNormalization<double>(3),
            "layer_norm" => new LayerNormalization<double>(3),
            "residual" => new ResidualBlock<double>(new DenseLayer<double>(3, 5, new Tanh<double>()), new DenseLayer<double>(5, 3)),
            _ => new ResidualBlock<double>(new DenseLayer<double>(3, 5, new Tanh<double>()), new DenseLayer<double>(5, 2)),
        };
        network = new Network<double>(17, layer);
        var random = new RandomSource(18);
        foreach (Parameter<double> parameter in layer.Parameters.Concat(layer.State))
        {
            Span<double> values = parameter.Values;
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = parameter.Name == "running_variance" ? 0.5 + random.NextDouble() : (2 * random.NextDouble()) - 1;
            }
        }

        return layer;
    }
}
