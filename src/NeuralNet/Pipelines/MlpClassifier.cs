using System.Globalization;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Losses;

namespace NeuralNet.Pipelines;

/// <summary>
/// A classifier in a few lines, in the spirit of scikit-learn's <c>MLPClassifier</c>: give it rows and
/// their labels (names or integers), it standardises the inputs, one-hot encodes text columns, trains a
/// multi-layer perceptron with Adam and early stopping, and gives back labels.
/// </summary>
/// <remarks>
/// <para>Defaults (all seeded, all settable): one hidden layer of 100 tanh units, softmax output with
/// cross-entropy, Adam (learning rate 0.01, L2 0.0001), batches of 32, at most 200 epochs, 10 % of
/// the training rows held out to stop when their loss has not improved for 10 epochs (the best weights
/// kept).</para>
/// <para><c>Fit</c> returns the
/// <see cref="ClassifierPipeline{T}"/> (also kept in <see cref="Pipeline"/>), which predicts, saves
/// and exports to ONNX on its own.</para>
/// </remarks>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class MlpClassifier<T> : MlpEstimator<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>Creates an unfitted classifier.</summary>
    /// <param name="hiddenLayerSizes">Units per hidden layer, input side first; null for one layer of 100.</param>
    /// <param name="seed">The seed (≥ 0) of every random draw: the same seed gives the same model.</param>
    public MlpClassifier(IReadOnlyList<int>? hiddenLayerSizes = null, int seed = 0)
        : base(hiddenLayerSizes, seed)
    {
    }

    /// <summary>The fitted pipeline; null before <c>Fit</c>.</summary>
    public ClassifierPipeline<T>? Pipeline { get; private set; }

    /// <summary>The class names, in the order of the probability columns.</summary>
    public IReadOnlyList<string> Classes => Fitted.Classes;

    private ClassifierPipeline<T> Fitted => Pipeline ?? throw new InvalidOperationException("The classifier is not fitted: call Fit first.");

    /// <summary>Trains on rows of numbers with a class name per row.</summary>
    /// <param name="features">One array of finite values per sample.</param>
    /// <param name="labels">The class of each sample, at least two distinct.</param>
    /// <returns>The fitted pipeline.</returns>
    public ClassifierPipeline<T> Fit(T[][] features, IReadOnlyList<string> labels) => Fit(Numeric(PlainInputs.Rows<T>(features, nameof(features))), labels);

    /// <summary>Trains on rows of numbers with an integer class per row (predicted back as their decimal text, e.g. <c>"3"</c>).</summary>
    /// <param name="features">One array of finite values per sample.</param>
    /// <param name="labels">The class of each sample, at least two distinct.</param>
    /// <returns>The fitted pipeline.</returns>
    public ClassifierPipeline<T> Fit(T[][] features, IReadOnlyList<int> labels) => Fit(Numeric(PlainInputs.Rows<T>(features, nameof(features))), Text(labels));

    /// <summary>Trains on a rectangular array of numbers with a class name per row.</summary>
    /// <param name="features">The rows, <c>[samples, columns]</c>, finite.</param>
    /// <param name="labels">The class of each sample, at least two distinct.</param>
    /// <returns>The fitted pipeline.</returns>
    public ClassifierPipeline<T> Fit(T[,] features, IReadOnlyList<string> labels) => Fit(Numeric(PlainInputs.Rows(features, nameof(features))), labels);

    /// <summary>Trains on a matrix (one row per sample) with a class name per row.</summary>
    /// <param name="features">The rows, <c>samples × columns</c>, finite.</param>
    /// <param name="labels">The class of each sample, at least two distinct.</param>
    /// <returns>The fitted pipeline.</returns>
    public ClassifierPipeline<T> Fit(Matrix<T> features, IReadOnlyList<string> labels) => Fit(Numeric(features), labels);

    /// <summary>Trains on a table of named columns (text columns are one-hot encoded) with a class name per row.</summary>
    /// <param name="features">The rows; numeric and text columns.</param>
    /// <param name="labels">The class of each sample, at least two distinct.</param>
    /// <returns>The fitted pipeline.</returns>
    public ClassifierPipeline<T> Fit(Table features, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        string[] classes = SortedClasses(labels);
        if (classes.Length < 2)
        {
            throw new ArgumentException($"labels must hold at least 2 classes (received only '{classes.FirstOrDefault()}').", nameof(labels));
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < classes.Length; i++)
        {
            index[classes[i]] = i;
        }

        var targets = Matrix<T>.Build.Dense(labels.Count, 1, (r, _) => T.CreateChecked(index[labels[r]]));
        Pipeline = FitCore(features, (network, scaler, categories) => new ClassifierPipeline<T>(network, classes, scaler, features.ColumnNames, categories), classes.Length, new Softmax<T>(), new CategoricalCrossEntropy<T>(), targets, labels.Select(l => index[l]).ToArray());
        return Pipeline;
    }

    /// <summary>The class name of each row.</summary>
    /// <param name="features">One array of finite values per sample, the columns of training.</param>
    public string[] Predict(T[][] features) => Fitted.Predict(Given(features));

    /// <summary>The class name of each row.</summary>
    /// <param name="features">The rows, <c>[samples, columns]</c>.</param>
    public string[] Predict(T[,] features) => Fitted.Predict(Given(features));

    /// <summary>The class name of each row.</summary>
    /// <param name="features">The rows, <c>samples × columns</c>.</param>
    public string[] Predict(Matrix<T> features) => Fitted.Predict(Given(features));

    /// <summary>The class name of each row.</summary>
    /// <param name="features">The rows, with the training table's columns in order.</param>
    public string[] Predict(Table features) => Fitted.Predict(Given(features));

    /// <summary>The probability of each class (<see cref="Classes"/>' order) for each row.</summary>
    /// <param name="features">One array of finite values per sample.</param>
    public Matrix<T> PredictProbabilities(T[][] features) => Fitted.PredictProbabilities(Given(features));

    /// <summary>The probability of each class (<see cref="Classes"/>' order) for each row.</summary>
    /// <param name="features">The rows, <c>samples × columns</c>.</param>
    public Matrix<T> PredictProbabilities(Matrix<T> features) => Fitted.PredictProbabilities(Given(features));

    /// <summary>The probability of each class (<see cref="Classes"/>' order) for each row.</summary>
    /// <param name="features">The rows, with the training table's columns in order.</param>
    public Matrix<T> PredictProbabilities(Table features) => Fitted.PredictProbabilities(Given(features));

    /// <summary>The accuracy on labelled rows.</summary>
    /// <param name="features">One array of finite values per sample.</param>
    /// <param name="labels">The true class of each row.</param>
    public double Score(T[][] features, IReadOnlyList<string> labels) => Fitted.Score(Given(features), labels);

    /// <summary>The accuracy on labelled rows with integer classes.</summary>
    /// <param name="features">One array of finite values per sample.</param>
    /// <param name="labels">The true class of each row.</param>
    public double Score(T[][] features, IReadOnlyList<int> labels) => Fitted.Score(Given(features), Text(labels));

    /// <summary>The accuracy on labelled rows.</summary>
    /// <param name="features">The rows, <c>samples × columns</c>.</param>
    /// <param name="labels">The true class of each row.</param>
    public double Score(Matrix<T> features, IReadOnlyList<string> labels) => Fitted.Score(Given(features), labels);

    /// <summary>The accuracy on labelled rows.</summary>
    /// <param name="features">The rows, with the training table's columns in order.</param>
    /// <param name="labels">The true class of each row.</param>
    public double Score(Table features, IReadOnlyList<string> labels) => Fitted.Score(Given(features), labels);

    /// <summary>Saves the fitted pipeline to one model file (see <see cref="ModelPipeline{T}.Save(string)"/>).</summary>
    /// <param name="path">The file to write.</param>
    public void Save(string path) => Fitted.Save(path);

    /// <summary>Exports the fitted pipeline to ONNX (see <see cref="ModelPipeline{T}.ExportOnnx(string)"/>).</summary>
    /// <param name="path">The <c>.onnx</c> file to write.</param>
    public void ExportOnnx(string path) => Fitted.ExportOnnx(path);

    private static string[] Text(IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return labels.Select(l => l.ToString(CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>The distinct labels, in numeric order when all are integers, else in ordinal order.</summary>
    private static string[] SortedClasses(IReadOnlyList<string> labels)
    {
        if (labels.Any(l => l is null))
        {
            throw new ArgumentException("labels must not contain null.", nameof(labels));
        }

        string[] distinct = labels.Distinct(StringComparer.Ordinal).ToArray();
        bool integers = distinct.All(l => long.TryParse(l, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _));
        return integers
            ? distinct.OrderBy(l => long.Parse(l, CultureInfo.InvariantCulture)).ToArray()
            : distinct.Order(StringComparer.Ordinal).ToArray();
    }
}
