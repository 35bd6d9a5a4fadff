using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Losses;

namespace NeuralNet.Pipelines;

/// <summary>
/// A regressor in a few lines, in the spirit of scikit-learn's <c>MLPRegressor</c>: give it rows and
/// their target values, it standardises inputs and target, trains a multi-layer perceptron with Adam
/// and early stopping, and predicts in the target's own units.
/// </summary>
/// <remarks>Defaults as <see cref="MlpClassifier{T}"/>, with an identity output, mean squared error, and
/// the target standardised for training (<see cref="ScaleTarget"/>) and unscaled in every prediction.</remarks>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class MlpRegressor<T> : MlpEstimator<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>Creates an unfitted regressor.</summary>
    /// <param name="hiddenLayerSizes">Units per hidden layer, input side first; null for one layer of 100.</param>
    /// <param name="seed">The seed (≥ 0) of every random draw: the same seed gives the same model.</param>
    public MlpRegressor(IReadOnlyList<int>? hiddenLayerSizes = null, int seed = 0)
        : base(hiddenLayerSizes, seed)
    {
    }

    /// <summary>Standardise the target for training (predictions are given back in its units); default true.</summary>
    public bool ScaleTarget { get; init; } = true;

    /// <summary>The fitted pipeline; null before <c>Fit</c>.</summary>
    public RegressorPipeline<T>? Pipeline { get; private set; }

    private RegressorPipeline<T> Fitted => Pipeline ?? throw new InvalidOperationException("The regressor is not fitted: call Fit first.");

    /// <summary>Trains on rows of numbers with a target value per row.</summary>
    /// <param name="features">One array of finite values per sample.</param>
    /// <param name="targets">The finite target of each sample.</param>
    /// <returns>The fitted pipeline.</returns>
    public RegressorPipeline<T> Fit(T[][] features, IReadOnlyList<T> targets) => Fit(Numeric(PlainInputs.Rows<T>(features, nameof(features))), targets);

    /// <summary>Trains on a rectangular array of numbers with a target value per row.</summary>
    /// <param name="features">The rows, <c>[samples, columns]</c>, finite.</param>
    /// <param name="targets">The finite target of each sample.</param>
    /// <returns>The fitted pipeline.</returns>
    public RegressorPipeline<T> Fit(T[,] features, IReadOnlyList<T> targets) => Fit(Numeric(PlainInputs.Rows(features, nameof(features))), targets);

    /// <summary>Trains on a matrix (one row per sample) with a target value per row.</summary>
    /// <param name="features">The rows, <c>samples × columns</c>, finite.</param>
    /// <param name="targets">The finite target of each sample.</param>
    /// <returns>The fitted pipeline.</returns>
    public RegressorPipeline<T> Fit(Matrix<T> features, IReadOnlyList<T> targets) => Fit(Numeric(features), targets);

    /// <summary>Trains on a table of named columns (text columns are one-hot encoded) with a target value per row.</summary>
    /// <param name="features">The rows; numeric and text columns.</param>
    /// <param name="targets">The finite target of each sample.</param>
    /// <returns>The fitted pipeline.</returns>
    public RegressorPipeline<T> Fit(Table features, IReadOnlyList<T> targets)
    {
        ArgumentNullException.ThrowIfNull(features);
        Matrix<T> y = PlainInputs.Column(targets, nameof(targets));
        ShapeCheck.Finite(y, nameof(targets));
        FeatureScaler<T>? targetScaler = ScaleTarget ? new StandardScaler<T>().Fit(y) : null;
        Matrix<T> scaled = targetScaler?.Transform(y) ?? y;
        Pipeline = FitCore(features, (network, scaler, categories) => new RegressorPipeline<T>(network, targetScaler, scaler, features.ColumnNames, categories), 1, new Identity<T>(), new MeanSquaredError<T>(), scaled, null);
        return Pipeline;
    }

    /// <summary>The prediction of each row, in target units.</summary>
    /// <param name="features">One array of finite values per sample, the columns of training.</param>
    public T[] Predict(T[][] features) => Fitted.Predict(Given(features));

    /// <summary>The prediction of each row, in target units.</summary>
    /// <param name="features">The rows, <c>[samples, columns]</c>.</param>
    public T[] Predict(T[,] features) => Fitted.Predict(Given(features));

    /// <summary>The prediction of each row, in target units.</summary>
    /// <param name="features">The rows, <c>samples × columns</c>.</param>
    public T[] Predict(Matrix<T> features) => Fitted.Predict(Given(features));

    /// <summary>The prediction of each row, in target units.</summary>
    /// <param name="features">The rows, with the training table's columns in order.</param>
    public T[] Predict(Table features) => Fitted.Predict(Given(features));

    /// <summary>R² of the predictions on labelled rows.</summary>
    /// <param name="features">One array of finite values per sample.</param>
    /// <param name="targets">The true value of each row.</param>
    public double Score(T[][] features, IReadOnlyList<T> targets) => Fitted.Score(Given(features), targets);

    /// <summary>R² of the predictions on labelled rows.</summary>
    /// <param name="features">The rows, <c>samples × columns</c>.</param>
    /// <param name="targets">The true value of each row.</param>
    public double Score(Matrix<T> features, IReadOnlyList<T> targets) => Fitted.Score(Given(features), targets);

    /// <summary>R² of the predictions on labelled rows.</summary>
    /// <param name="features">The rows, with the training table's columns in order.</param>
    /// <param name="targets">The true value of each row.</param>
    public double Score(Table features, IReadOnlyList<T> targets) => Fitted.Score(Given(features), targets);

    /// <summary>Saves the fitted pipeline to one model file (see <see cref="ModelPipeline{T}.Save(string)"/>).</summary>
    /// <param name="path">The file to write.</param>
    public void Save(string path) => Fitted.Save(path);

    /// <summary>Exports the fitted pipeline to ONNX (see <see cref="ModelPipeline{T}.ExportOnnx(string)"/>).</summary>
    /// <param name="path">The <c>.onnx</c> file to write.</param>
    public void ExportOnnx(string path) => Fitted.ExportOnnx(path);
}
