using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Metrics;
using NeuralNet.Optimizers;
using NeuralNet.Tests.Training;
using NeuralNet.Training;
using Xunit;

namespace NeuralNet.Tests.Metrics;

/// <summary>The built-in metrics against values worked out by hand, their edge cases, and metrics chosen per Fit.</summary>
public sealed class MetricTests
{
    [Fact]
    public void Accuracy_IsTheShareOfArgmaxHits()
    {
        double[][] p = [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4], [0.5, 0.4, 0.1]];
        MetricMeasure.Measure(new Accuracy(), p, [[0], [1], [2], [1]], classifier: true, batch: 3).Should().Be(0.75);
    }

    [Fact]
    public void TopKAccuracy_CountsTheTrueClassAmongTheKBest_TiesRankingTheHigherClassFirst()
    {
        double[][] p = [[0.5, 0.3, 0.2], [0.4, 0.4, 0.2], [0.4, 0.4, 0.2]];
        double[][] y = [[1], [0], [1]];
        MetricMeasure.Measure(new TopKAccuracy(1), p, y, true).Should().BeApproximately(1 / 3.0, 1e-15, "row 2: class 1 ties class 0 and ranks first, as in scikit-learn");
        MetricMeasure.Measure(new TopKAccuracy(2), p, y, true).Should().Be(1);
        new TopKAccuracy(5).Name.Should().Be("top5_accuracy");
    }

    [Fact]
    public void MacroPrecisionRecallF1_AClassNeverPredicted_CountsZero()
    {
        // true 0 0 1 2, predicted 0 0 1 1: precision 1, 1/2, 0 (never predicted); recall 1, 1, 0; F1 1, 2/3, 0
        double[][] p = [[0.9, 0.1, 0], [0.8, 0.2, 0], [0.1, 0.9, 0], [0.2, 0.7, 0.1]];
        double[][] y = [[0], [0], [1], [2]];
        MetricMeasure.Measure(new Precision(), p, y, true, batch: 2).Should().BeApproximately(0.5, 1e-15);
        MetricMeasure.Measure(new Recall(), p, y, true, batch: 2).Should().BeApproximately(2 / 3.0, 1e-15);
        MetricMeasure.Measure(new F1Score(), p, y, true, batch: 2).Should().BeApproximately(5 / 9.0, 1e-15);
    }

    [Fact]
    public void RocAuc_TiedScoresCountOneHalf_AndOneClassIsUndefined()
    {
        // positives 0.4 and 0.8, negatives 0.1 and 0.4: pairs won 1 + 0.5 + 1 + 1 of 4
        double[][] p = [[0.4], [0.1], [0.8], [0.4]];
        MetricMeasure.Measure(new RocAuc(), p, [[1], [0], [1], [0]], true, batch: 3).Should().Be(0.875);
        MetricMeasure.Measure(new RocAuc(), p, [[1], [1], [1], [1]], true).Should().Be(double.NaN);
    }

    [Fact]
    public void RocAuc_OnlyOrderMatters_LogitsGiveTheSameAreaAsProbabilities()
    {
        double[] z = [-2, 0.5, 1, -0.3, 3, 0.5];
        double[][] y = [[0], [1], [0], [0], [1], [1]];
        double logits = MetricMeasure.Measure(new RocAuc(), z.Select(v => new[] { v }).ToArray(), y, true, threshold: 0);
        double probabilities = MetricMeasure.Measure(new RocAuc(), z.Select(v => new[] { 1 / (1 + Math.Exp(-v)) }).ToArray(), y, true);
        logits.Should().Be(probabilities).And.BeApproximately(7 / 9.0, 1e-15, "positives 0.5, 3, 0.5 against negatives −2, 1, −0.3 win 2 + 3 + 2 of 9 pairs");
    }

    [Fact]
    public void ErrorMetrics_MaeAndRmse_ByHand_AndClassIndexTargetsCountAsOneHot()
    {
        double[][] o = [[1], [2], [3]], t = [[2], [2], [5]]; // errors −1, 0, −2
        MetricMeasure.Measure(new MeanAbsoluteError(), o, t, false).Should().Be(1);
        MetricMeasure.Measure(new RootMeanSquaredError(), o, t, false, batch: 2).Should().BeApproximately(Math.Sqrt(5 / 3.0), 1e-15);
        MetricMeasure.Measure(new MeanAbsoluteError(), [[0.8, 0.2], [0.4, 0.6]], [[0], [0]], true).Should().BeApproximately(0.4, 1e-15, "|0.8−1|, |0.2−0|, |0.4−1|, |0.6−0|");
    }

    [Fact]
    public void RSquared_AConstantTarget_ScoresOneWhenExactAndZeroOtherwise_AsScikitLearnStates()
    {
        double[][] constant = Enumerable.Repeat(new[] { 0.1 }, 7).ToArray(); // Σ of seven 0.1 / 7 is not exactly 0.1
        MetricMeasure.Measure(new RSquared(), constant, constant, false, batch: 3).Should().Be(1);
        MetricMeasure.Measure(new RSquared(), Enumerable.Repeat(new[] { 0.3 }, 7).ToArray(), constant, false, batch: 3).Should().Be(0);

        // beside a varying column y = 1, 2, 3 predicted 1, 2, 4: R² = 1 − 1/2; the mean of 0 and 1/2
        MetricMeasure.Measure(new RSquared(), [[0.3, 1], [0.3, 2], [0.3, 4]], [[0.1, 1], [0.1, 2], [0.1, 3]], false, batch: 2).Should().BeApproximately(0.25, 1e-15);
    }

    [Fact]
    public void RSquared_AcrossBatches_EqualsTheWholeSetFormula()
    {
        var random = new RandomSource(5);
        double[][] t = Enumerable.Range(0, 50).Select(_ => new[] { (random.NextDouble() * 10) + 100, random.NextDouble() }).ToArray();
        double[][] o = t.Select(r => new[] { r[0] + random.NextDouble() - 0.5, r[1] * 0.9 }).ToArray();
        double expected = RegressionMetrics.RSquared(Matrix<double>.Build.DenseOfRowArrays(t), Matrix<double>.Build.DenseOfRowArrays(o));
        MetricMeasure.Measure(new RSquared(), o, t, false, batch: 3).Should().BeApproximately(expected, 1e-12);
    }

    [Fact]
    public void Fit_WithChosenMetrics_RecordsThemForTrainingAndValidation_InTheHistoryAndEvaluate()
    {
        (Matrix<double> x, Matrix<double> y) = ToyProblems.Blobs(60, 3);
        var network = ToyProblems.Classifier(3);
        Matrix<double> vx = x.SubMatrix(0, 20, 0, x.ColumnCount), vy = y.SubMatrix(0, 20, 0, 1);
        var options = new TrainingOptions { Epochs = 3, Metrics = [new Accuracy(), new F1Score(), new TopKAccuracy(2), new RowCount()] };
        var trainer = new Trainer<double>(network, new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1), options);

        TrainingHistory history = trainer.Fit(x, y, vx, vy);

        history.ToCsv().Split('\n')[0].Should().Be("epoch,learning_rate,loss,accuracy,f1,top2_accuracy,rows,val_loss,val_accuracy,val_f1,val_top2_accuracy,val_rows,seconds,elapsed_seconds");
        history.ToString().Should().Contain("val_top2_accuracy");
        EpochRecord last = history.Last!;
        last.Metrics["rows"].Should().Be(60, "the user's metric saw every training row once per epoch");
        last.Value("val_rows").Should().Be(20);
        int[] actual = ClassLabels.FromIndices(vy), predicted = network.PredictClasses(vx);
        var confusion = new ConfusionMatrix(actual, predicted, 3);
        last.Value("val_f1").Should().BeApproximately(Enumerable.Range(0, 3).Average(confusion.F1), 1e-12);
        last.ValidationAccuracy.Should().Be(confusion.Accuracy);

        Evaluation evaluation = trainer.Evaluate(vx, vy);
        evaluation.Metrics["f1"].Should().Be(last.Value("val_f1")!.Value);
        evaluation.Metrics["rows"].Should().Be(20);
        evaluation.Accuracy.Should().Be(last.ValidationAccuracy);
        evaluation.ToString().Should().Contain("f1 = ").And.Contain("rows = 20");
    }

    [Fact]
    public void Fit_NoMetricOptions_KeepsTheDefaults_AndAnEmptyListRecordsNone()
    {
        (Matrix<double> x, Matrix<double> y) = ToyProblems.Linear(30, 1);
        TrainingHistory defaults = new Trainer<double>(ToyProblems.Regressor(1), new MeanSquaredError<double>(), new SgdOptimizer<double>(0.01)).Fit(x, y);
        defaults.Last!.Metrics.Keys.Should().Equal("rmse", "r2");
        defaults.Last.TrainingRmse.Should().Be(defaults.Last.Metrics["rmse"]);

        TrainingHistory none = new Trainer<double>(ToyProblems.Regressor(1), new MeanSquaredError<double>(), new SgdOptimizer<double>(0.01), new TrainingOptions { Epochs = 1, Metrics = [] }).Fit(x, y);
        none.ToCsv().Split('\n')[0].Should().Be("epoch,learning_rate,loss,seconds,elapsed_seconds");
    }

    [Fact]
    public void Fit_AMetricThatDoesNotFit_IsRefusedBeforeTraining()
    {
        (Matrix<double> x, Matrix<double> y) = ToyProblems.Linear(30, 1);
        var regressor = ToyProblems.Regressor(1);
        double[] before = ToyProblems.Weights(regressor);
        Action accuracyOnRegression = () => new Trainer<double>(regressor, new MeanSquaredError<double>(), new SgdOptimizer<double>(0.01), new TrainingOptions { Metrics = [new Accuracy()] }).Fit(x, y);
        accuracyOnRegression.Should().Throw<ArgumentException>().WithMessage("*'accuracy' measures classes*mae, rmse or r2*").Which.ParamName.Should().Be("options");
        ToyProblems.Weights(regressor).Should().Equal(before);

        (Matrix<double> bx, Matrix<double> by) = ToyProblems.Blobs(30, 1);
        Action aucOnThreeClasses = () => new Trainer<double>(ToyProblems.Classifier(1), new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1), new TrainingOptions { Metrics = [new RocAuc()] }).Fit(bx, by);
        aucOnThreeClasses.Should().Throw<ArgumentException>().WithMessage("*binary ROC AUC*received 3 outputs*");

        Action twice = () => new Trainer<double>(ToyProblems.Classifier(1), new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1), new TrainingOptions { Metrics = [new Accuracy(), new Accuracy()] }).Fit(bx, by);
        twice.Should().Throw<ArgumentException>().WithMessage("*name of its own*'accuracy'*");
    }

    /// <summary>A user's metric: how many rows it was given in the pass.</summary>
    private sealed class RowCount : Metric
    {
        private long _rows;

        public override string Name => "rows";

        public override void Reset() => _rows = 0;

        public override void Update(in MetricBatch batch) => _rows += batch.Rows;

        public override double Result() => _rows;
    }
}
