using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using NeuralNet.Kernels;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet;

using MathNet.Numerics.LinearAlgebra;

// Training: THE training step, the loss/output fit check, and the one-trainer guard (the phases a hand-written loop calls are in Network.Passes.cs).
public sealed partial class Network<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>
    /// One training step on one batch: forward phase, loss (plus the layers' <see cref="RegularizationPenalty"/>),
    /// backward phase, the optimizer's update of every weight and bias that is not <see cref="Parameter{T}.Frozen"/>,
    /// and a check that the loss and the weights are finite. A batch of one
    /// sample is per-sample stochastic gradient descent. This is the step <see cref="Trainer{T}"/> runs
    /// for every batch. Once the buffers for this batch size exist, a step allocates nothing.
    /// </summary>
    /// <remarks>
    /// A NaN or infinite loss throws <see cref="TrainingDivergedException"/> before anything changes; an
    /// update that makes a weight NaN or infinite is undone (the network keeps the weights it had before
    /// the step) and throws it too. The optimizer's state (momentum, moments) keeps the bad step: call
    /// its <c>Reset</c> before training on.
    /// </remarks>
    /// <param name="input">The batch, <c>batch × <see cref="InputSize"/></c>, finite values.</param>
    /// <param name="target">The targets, in the shape <paramref name="loss"/> expects.</param>
    /// <param name="loss">The loss function.</param>
    /// <param name="optimizer">The optimizer that updates the parameters.</param>
    /// <param name="sampleWeights">Optional weight per sample; null weighs all samples 1.</param>
    /// <returns>The batch's loss before the update, the regularisation penalty included.</returns>
    /// <exception cref="TrainingDivergedException">The loss or an updated weight is NaN or infinite.</exception>
    /// <exception cref="InvalidOperationException">Another thread is training this network.</exception>
    public T TrainStep(Matrix<T> input, Matrix<T> target, LossFunction<T> loss, Optimizer<T> optimizer, Vector<T>? sampleWeights = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(optimizer);
        ShapeCheck.Columns(input, InputSize, nameof(input));
        // A first layer cut between the cores checks the batch in its product, each core the half it multiplies (the
        // half it gathered, in its cache): one core reading the whole batch here pulled the other's half across and made
        // that core's next gather wait for its lines back (W2; benchmarks/README.md). Same exception, still before anything changes.
        bool checkInForward = ChecksInputInProduct(input.RowCount);
        if (!checkInForward)
        {
            ShapeCheck.Finite(input, nameof(input));
        }

        ShapeCheck.BatchFits(input.RowCount, _layers, _widestLayer, nameof(input));
        ValidateTarget(target, loss, sampleWeights, input.RowCount);
        CheckLossFits(loss, nameof(loss));
        using TrainingScope scope = EnterTraining();
        return Step(input, target, loss, optimizer, sampleWeights is null ? default : DenseStorage.Of(sampleWeights), null, 0, 0, checkInForward);
    }

    /// <summary>
    /// Whether a batch of <paramref name="rows"/> is checked inside the first layer's product (a dense layer cut between the
    /// cores, <see cref="DenseLayer{T}.ChecksInputInProduct"/>), where the check also measures the batch for the bound that
    /// lets the optimizer skip that layer's undo copy (<see cref="Optimizer{T}.StepChecked"/>).
    /// </summary>
    internal bool ChecksInputInProduct(int rows) => _denseLayers.Length > 0 && _denseLayers[0] is { } first && first.ChecksInputInProduct(rows);

    /// <summary>
    /// THE training step, run by <see cref="TrainStep(Matrix{T}, Matrix{T}, LossFunction{T}, Optimizer{T}, Vector{T}?)"/> and by the trainer for every batch: forward,
    /// loss (checked finite before anything changes), <paramref name="observer"/> sees the output,
    /// backward, the optimizer's update, and a finiteness check of every weight (a bad update is undone).
    /// The caller holds the training scope and has checked the batch, or leaves its finiteness to the first layer's
    /// product (<paramref name="checkInput"/>).
    /// </summary>
    /// <param name="input">The batch.</param>
    /// <param name="target">Its targets.</param>
    /// <param name="loss">The loss.</param>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="sampleWeights">A weight per row, or empty.</param>
    /// <param name="observer">Sees the output and targets after the loss check (the trainer's metrics); null for none.</param>
    /// <param name="epoch">The epoch for the divergence message, from 1; 0 outside a trainer.</param>
    /// <param name="batch">The batch within the epoch, from 1; 0 outside a trainer.</param>
    /// <param name="checkInput">Whether the first layer (a dense one, <see cref="DenseLayer{T}.ChecksInputInProduct"/>)
    /// checks that the batch is finite, throwing the same exception as TrainStep's own check.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // into TrainStep and the trainer's batch loop: a call less per step
    internal T Step(Matrix<T> input, Matrix<T> target, LossFunction<T> loss, Optimizer<T> optimizer, ReadOnlySpan<T> sampleWeights, IBatchObserver<T>? observer, int epoch, int batch, bool checkInput = false)
    {
        Refresh(); // the regularised and trainable lists, if a Regularization or Frozen setting changed
        ParameterSnapshot<T>? stateBefore = _stateBeforeStep; // running statistics; null for most networks
        stateBefore?.Capture(); // a training forward pass moves them: a diverged step puts them back too
        Matrix<T> output = ForwardCore(input, training: true, checkInput);
        int rows = output.RowCount;
        T[] outputs = DenseStorage.Of(output), targets = DenseStorage.Of(target);
        // The gradient in the same pass as the value where the loss shares their work (softmax cross-entropy from logits):
        // written into the buffer BackwardCore fills, scratch until the value is checked finite below.
        bool gradientReady = loss.TryValueAndGradient(outputs, targets, sampleWeights, DenseStorage.Of(_lossGradientBuffers.For(rows)[0]), rows, output.ColumnCount, out T value);
        if (!gradientReady)
        {
            value = loss.Value(outputs, targets, sampleWeights, rows, output.ColumnCount);
        }

        if (HasRegularization)
        {
            value += RegularizationPenalty();
        }

        if (!T.IsFinite(value))
        {
            RestoreAndThrowLossDiverged(stateBefore, epoch, batch, value, optimizer);
        }

        observer?.Observe(outputs, targets, rows, output.ColumnCount, target.ColumnCount);
        BackwardCore(output, target, loss, sampleWeights, gradientReady);
        IReadOnlyList<Parameter<T>> trainable = _trainable; // frozen parameters are neither updated nor given optimizer state
        if (!ReferenceEquals(_beforeStepOf, trainable))
        {
            (_beforeStep, _beforeStepOf) = (new ParameterSnapshot<T>(trainable), trainable); // once, and when a Frozen flag changes
        }

        ParameterSnapshot<T> before = _beforeStep!;
        if (!optimizer.StepChecked(trainable, before.Copies)) // the undo copy and the finiteness check ride in the update's pass
        {
            RestoreAndThrowDiverged(before, stateBefore, epoch, batch, value, optimizer);
        }

        return value;
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> when <paramref name="loss"/> cannot work on this network's
    /// output (a probability loss on an output that is not a probability); remembers the last loss that fits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CheckLossFits(LossFunction<T> loss, string parameterName)
    {
        if (!ReferenceEquals(loss, _fittingLoss))
        {
            CheckNewLossFits(loss, parameterName);
        }
    }

    /// <summary><see cref="CheckLossFits"/> for a loss not checked yet, out of line.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void CheckNewLossFits(LossFunction<T> loss, string parameterName)
    {
        if (loss.OutputMismatch(_layers[^1]) is string problem)
        {
            throw new ArgumentException(problem, parameterName);
        }

        _fittingLoss = loss;
    }

    /// <summary>
    /// Takes the one-trainer flag for a whole training call (a step, or a trainer's whole <c>Fit</c>);
    /// a second thread is refused at once. Disposing the scope lets the next call in.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another call is training this network.</exception>
    internal TrainingScope EnterTraining()
    {
        if (Interlocked.Exchange(ref _training, 1) != 0)
        {
            throw new InvalidOperationException("This network is already being trained (by another thread, or by the Fit this call is made from); training one network from two places at once is not supported.");
        }

        return new TrainingScope(this);
    }


    [MethodImpl(MethodImplOptions.AggressiveInlining)] // into the step: a call less per step
    private Matrix<T> ForwardCore(Matrix<T> input, bool training, bool checkInput = false)
    {
        Matrix<T> current = input;
        Layer<T>[] layers = _layers;
        DenseLayer<T>?[] dense = _denseLayers; // a dense layer's pass by a direct call: no virtual dispatch, no type test
        int start = 0;
        if (checkInput)
        {
            // The batch checked in the first (dense) layer's product; it has written only its own output buffers so far.
            current = dense[0]!.Forward(input, checkInput: true, measure: true, out bool finite);
            if (!finite)
            {
                ShapeCheck.ThrowNotFinite(DenseStorage.Of(input), input.RowCount, nameof(input));
            }

            start = 1;
        }

        for (int i = start; i < layers.Length && i < dense.Length; i++)
        {
            current = dense[i] is { } layer ? layer.Forward(current, training) : layers[i].Forward(current, training);
        }

        if (!ReferenceEquals(_lastOutput, current))
        {
            _lastOutput = current; // only when it changes: a reference store costs a write-barrier call
        }
        return current;
    }

    /// <summary>
    /// The backward phase: the loss's gradient (unless <paramref name="lossGradientReady"/> says the step's
    /// <see cref="LossFunction{T}.TryValueAndGradient"/> has written it), then every layer from the last to the first,
    /// then the regularisation's gradients.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // into the step, as ForwardCore
    private void BackwardCore(Matrix<T> output, Matrix<T> target, LossFunction<T> loss, ReadOnlySpan<T> sampleWeights, bool lossGradientReady = false)
    {
        int rows = output.RowCount;
        int last = _layers.Length - 1;
        Layer<T> outputLayer = _layers[last];
        Matrix<T>? gradient;
        Matrix<T> lossGradient = _lossGradientBuffers.For(rows)[0];
        Layer<T>? below = last > 0 ? _layers[last - 1] : null; // each layer knows the next one back (BackwardTo)
        if (!lossGradientReady && LossGradient(output, target, loss, sampleWeights, lossGradient, last))
        {
            gradient = outputLayer.BackwardFromActivationInputTo(lossGradient, computeInputGradient: last > 0, below); // the fused ∂L/∂Z, for any layer that takes part
        }
        else
        {
            gradient = _denseLayers[last] is { } dense ? dense.BackwardTo(lossGradient, last > 0, below) : outputLayer.BackwardTo(lossGradient, computeInputGradient: last > 0, below);
        }

        for (int i = last - 1; i >= 0; i--)
        {
            Layer<T> layer = _layers[i];
            Layer<T>? next = i > 0 ? _layers[i - 1] : null;
            gradient = _denseLayers[i] is { } dense ? dense.BackwardTo(gradient!, i > 0, next) : layer.BackwardTo(gradient!, computeInputGradient: i > 0, next);
        }

        if (HasRegularization)
        {
            AddRegularizationGradients();
        }
    }

    /// <summary>
    /// Writes the loss's gradient into <paramref name="lossGradient"/>: <c>∂L/∂Z</c> through the output activation where the
    /// loss and that activation have a joint one (returns true), else <c>∂L/∂output</c> (returns false). <paramref name="last"/>
    /// is the output layer's index.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // into BackwardCore
    private bool LossGradient(Matrix<T> output, Matrix<T> target, LossFunction<T> loss, ReadOnlySpan<T> sampleWeights, Matrix<T> lossGradient, int last)
    {
        int rows = output.RowCount, columns = OutputSize;
        T[] outputs = DenseStorage.Of(output), targets = DenseStorage.Of(target), lossGradients = DenseStorage.Of(lossGradient); // once for both paths
        if ((_denseLayers[last] is { } denseOutput ? denseOutput.Activation : _layers[last].OutputActivation) is { } activation
            && loss.TryFusedGradient(activation, outputs, targets, sampleWeights, lossGradients, rows, columns))
        {
            return true;
        }

        loss.Gradient(outputs, targets, sampleWeights, lossGradients, rows, columns);
        return false;
    }

    // The failure paths out of line: the step itself stays small (it runs millions of times a second on one-sample batches).
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RestoreAndThrowLossDiverged(ParameterSnapshot<T>? stateBefore, int epoch, int batch, T value, Optimizer<T> optimizer)
    {
        stateBefore?.Restore();
        throw Diverged(epoch, batch, value, $"the loss is {value}. The network keeps its weights and running statistics from before this batch", optimizer);
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RestoreAndThrowDiverged(ParameterSnapshot<T> before, ParameterSnapshot<T>? stateBefore, int epoch, int batch, T value, Optimizer<T> optimizer)
    {
        before.Restore();
        stateBefore?.Restore();
        throw Diverged(epoch, batch, value, $"the optimizer step made a weight NaN or infinite (batch loss {value}). The network keeps its weights and running statistics from before this step", optimizer);
    }

    private static TrainingDivergedException Diverged(int epoch, int batch, T loss, string what, Optimizer<T> optimizer)
    {
        string where = epoch > 0 ? $"training diverged in epoch {epoch}, batch {batch}" : "training diverged";
        return new TrainingDivergedException(epoch, batch, double.CreateChecked(loss), $"{where}: {what}; try a lower learning rate (now {optimizer.LearningRate}) or gradient clipping.");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)] // into the step: a call less per step
    private void ValidateTarget(Matrix<T> target, LossFunction<T> loss, Vector<T>? sampleWeights, int rows)
    {
        loss.ValidateTarget(DenseStorage.Of(target), target.RowCount, target.ColumnCount, rows, OutputSize, nameof(target));
        if (sampleWeights is not null)
        {
            LossFunction<T>.ValidateSampleWeights(DenseStorage.Of(sampleWeights), rows, nameof(sampleWeights));
        }
    }

    /// <summary>Holds the training flag for one training call; disposing it lets the next call in.</summary>
    internal readonly ref struct TrainingScope(Network<T> network)
    {
        public void Dispose() => Volatile.Write(ref network._training, 0);
    }
}
