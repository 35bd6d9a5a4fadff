using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Kernels;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;

namespace NeuralNet.Benchmarks.Workloads;

/// <summary>
/// <c>W2-profile</c>: W2's training, the same arithmetic as <see cref="Network{T}.TrainStep"/> done phase by phase,
/// printing per epoch where the step's time goes (TrainStep's check of the targets (the batch's own finiteness check is in fwd1, in the first layer's product, as in TrainStep), forward per layer, activation, loss, backward per layer,
/// the optimizer (whose pass also keeps the copy of the weights a step rolls back to and checks the new weights finite), waiting for the second core), how often work was handed to the second core and taken back, and how
/// many subnormal floats the step's buffers held. The epoch losses match W2's, so it is the same training.
/// </summary>
internal static class FashionProfile
{
    // Subnormals are counted on one step in this many, when W2_SUBNORMALS=1 asks for it: counting reads both cores' halves
    // of the weights, velocities and gradients on one core, and on a virtual machine whose two cores sat in different
    // core complexes the other core's next writes of those lines then took ~3 µs a step on average.
    private const int SubnormalSampling = 64;
    private static readonly bool CountsSubnormals = Environment.GetEnvironmentVariable("W2_SUBNORMALS") == "1";

    // The ReLU passes are re-run and timed on their own only when W2_RERUNS=1 asks for it: a re-run moves the lines of the
    // activations and of ∂L/∂Z between the cores that TrainStep leaves where they are, so it changes the phases after it.
    private static readonly bool ReRuns = Environment.GetEnvironmentVariable("W2_RERUNS") == "1";

    private enum Phase { Gather, Check, Forward1, Relu, Forward2, Loss, Backward2, Backward1, ReluBack, Optimizer, Count }

    public static void Run()
    {
        FashionData data = FashionData.Load();
        int n = data.TrainLabels.Length;
        (DenseLayer<float> hidden, DenseLayer<float> output, Network<float> network, CategoricalCrossEntropy<float> loss, SgdOptimizer<float> optimizer) = FashionWorkload.Build();
        var batches = new FashionWorkload.BatchPair(FashionWorkload.BatchSize);
        var lastBatches = new FashionWorkload.BatchPair(n % FashionWorkload.BatchSize);
        var rollback = new ParameterSnapshot<float>(network.Parameters); // what Network.Step keeps to undo a non-finite update
        var lossGradients = new Dictionary<int, Matrix<float>> { [batches.Rows] = Matrix<float>.Build.Dense(batches.Rows, 10), [lastBatches.Rows] = Matrix<float>.Build.Dense(lastBatches.Rows, 10) };
        WorkloadOutput.Note($"W2-profile: µs per step in each phase; 'relu' and 'relu back' re-run the activation on the same buffers with W2_RERUNS=1 (else '-'; it is made in fwd1, and in bwd2 where the output layer's backward makes the hidden layer's ∂L/∂Z, else in bwd1); 'wait' is the caller waiting for the helper (inside the phases)");
        WorkloadOutput.Note($"{"epoch",5} {"samples/s",10} {"gather",7} {"check",7} {"fwd1",7} {"relu",7} {"fwd2",7} {"loss",7} {"bwd2",7} {"bwd1",7} {"relu bk",7} {"optim",7} {"wait",7} {"(fwd1",6} {"bwd1",6} {"optim)",6} {"handoff",8} {"taken bk",8} | subnormals per step (1 in {SubnormalSampling}): {"dZ2",6} {"dZ1",6} {"dW1",6} {"v1",6} {"W1",6}");
        for (int epoch = 0; epoch < FashionWorkload.Epochs; epoch++)
        {
            int[] order = DeterministicNumbers.SampleOrder(epoch, n);
            var ticks = new long[(int)Phase.Count];
            var subnormals = new long[5];
            int counted = 0;
            var waits = new long[3]; // the caller's wait for the helper inside fwd1, bwd1 and the optimizer
            long pickUp = SecondCore.PickUpTicks, helper = SecondCore.HelperTicks, sleeps = SecondCore.Sleeps;
            long handOffs = SecondCore.HandOffs, takenBack = SecondCore.TakenBack, waitTicks = SecondCore.WaitTicks;
            double lossSum = 0;
            long epochStart = Stopwatch.GetTimestamp();
            long outside = 0;
            for (int first = 0; first < n; first += FashionWorkload.BatchSize)
            {
                FashionWorkload.BatchPair batch = n - first >= FashionWorkload.BatchSize ? batches : lastBatches;
                long t0 = Stopwatch.GetTimestamp();
                batch.Gather(data, order, first);
                long t1a = Stopwatch.GetTimestamp();
                loss.ValidateTarget(DenseStorage.Of(batch.Target), batch.Rows, 1, batch.Rows, 10, "target");
                long t1 = Stopwatch.GetTimestamp();
                long w1 = SecondCore.WaitTicks;
                Matrix<float> h = hidden.Forward(batch.Input, checkInput: true, measure: true, out bool finite); // as TrainStep: the batch checked by each core in its half of the product
                if (!finite)
                {
                    throw new InvalidOperationException("W2: the batch is not finite");
                }

                long t2 = Stopwatch.GetTimestamp();
                waits[0] += SecondCore.WaitTicks - w1;
                if (ReRuns)
                {
                    hidden.Activation.Forward(DenseStorage.Of(hidden.LastWeightedSum), DenseStorage.Of(hidden.LastOutput), batch.Rows, 128);
                }

                long t3 = Stopwatch.GetTimestamp();
                Matrix<float> logits = output.Forward(h, training: true);
                long t4 = Stopwatch.GetTimestamp();
                Matrix<float> dLogits = lossGradients[batch.Rows];
                // As Network.Step: the value and the gradient from one pass of shifted exponentials.
                if (!loss.TryValueAndGradient(DenseStorage.Of(logits), DenseStorage.Of(batch.Target), default, DenseStorage.Of(dLogits), batch.Rows, 10, out float value))
                {
                    throw new InvalidOperationException("W2: softmax cross-entropy from logits has a joint value and gradient");
                }

                long t5 = Stopwatch.GetTimestamp();
                Matrix<float> dh = output.BackwardTo(dLogits, computeInputGradient: true, hidden)!; // as TrainStep: told the layer below, which may take its ∂L/∂Z from this pass
                long t6 = Stopwatch.GetTimestamp();
                long w6 = SecondCore.WaitTicks;
                hidden.BackwardTo(dh, computeInputGradient: false, below: null);
                long t7 = Stopwatch.GetTimestamp();
                waits[1] += SecondCore.WaitTicks - w6;
                if (ReRuns)
                {
                    hidden.Activation.Backward(DenseStorage.Of(hidden.LastWeightedSum), DenseStorage.Of(hidden.LastOutput), DenseStorage.Of(dh), hidden.PreActivationGradient, batch.Rows, 128);
                }

                long t8 = Stopwatch.GetTimestamp();
                long w8 = SecondCore.WaitTicks;
                if (!optimizer.StepChecked(network.Parameters, rollback.Copies)) // as Network.Step: undo copy and check in the update's pass
                {
                    throw new InvalidOperationException("W2 diverged: a weight is NaN or infinite");
                }

                long t9 = Stopwatch.GetTimestamp();
                waits[2] += SecondCore.WaitTicks - w8;
                long[] stamps = [t0, t1a, t1, t2, t3, t4, t5, t6, t7, t8, t9];
                for (int p = 0; p < (int)Phase.Count; p++)
                {
                    ticks[p] += stamps[p + 1] - stamps[p];
                }

                lossSum += value * batch.Rows;
                if (!CountsSubnormals || first / FashionWorkload.BatchSize % SubnormalSampling != 0)
                {
                    continue; // counting takes longer than the second core's idle spin: on every step it would put the helper to sleep
                }

                counted++;
                long c0 = Stopwatch.GetTimestamp();
                subnormals[0] += Subnormals(DenseStorage.Of(dLogits));
                subnormals[1] += Subnormals(hidden.PreActivationGradient);
                subnormals[2] += Subnormals(hidden.Parameters[0].Gradients);
                subnormals[3] += Subnormals(optimizer.StateOf(hidden.Parameters[0])!.Slot(0));
                subnormals[4] += Subnormals(hidden.Parameters[0].Values);
                outside += Stopwatch.GetTimestamp() - c0;
            }

            double seconds = (Stopwatch.GetTimestamp() - epochStart - outside) / (double)Stopwatch.Frequency;
            int steps = (n + FashionWorkload.BatchSize - 1) / FashionWorkload.BatchSize;
            double Us(long t) => t * 1e6 / Stopwatch.Frequency / steps;
            string ReRun(long t) => ReRuns ? Us(t).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) : "-";
            string Sub(int buffer) => counted == 0 ? "-" : (subnormals[buffer] / (double)counted).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
            WorkloadOutput.Note($"{epoch + 1,5} {n / seconds,10:0} {Us(ticks[0]),7:0.0} {Us(ticks[1]),7:0.0} {Us(ticks[2]),7:0.0} {ReRun(ticks[3]),7} {Us(ticks[4]),7:0.0} {Us(ticks[5]),7:0.0} {Us(ticks[6]),7:0.0} {Us(ticks[7]),7:0.0} {ReRun(ticks[8]),7} {Us(ticks[9]),7:0.0} {Us(SecondCore.WaitTicks - waitTicks),7:0.0} {Us(waits[0]),6:0.0} {Us(waits[1]),6:0.0} {Us(waits[2]),6:0.0} {(SecondCore.HandOffs - handOffs) / (double)steps,8:0.0} {(SecondCore.TakenBack - takenBack) / (double)steps,8:0.00} | {Sub(0),26} {Sub(1),6} {Sub(2),6} {Sub(3),6} {Sub(4),6}");
            WorkloadOutput.Note($"      mean training loss {lossSum / n:0.000000}; the helper: picked work up {Us(SecondCore.PickUpTicks - pickUp):0.0} µs a step after it was handed over, worked {Us(SecondCore.HelperTicks - helper):0.0} µs a step, fell asleep {(SecondCore.Sleeps - sleeps) / (double)steps:0.00} times a step");
        }

        SubnormalCost(0.06); // the share W2's velocities had from epoch 2 on before the flush (5,200-7,000 of 100,352)
    }

    /// <summary>
    /// What a subnormal costs on this processor, alternating in one process: the momentum rule's arithmetic
    /// (<c>v ← 0.9v + g; p ← p − 0.05v</c>, unflushed, as before the flush) over W2's 100,352 hidden weights with
    /// velocities like epoch 2's (<paramref name="subnormalShare"/> of them subnormal, their gradient 0) against the same
    /// velocities flushed to 0.
    /// </summary>
    public static void SubnormalCost(double subnormalShare)
    {
        const int Length = FashionData.Features * 128, Rounds = 15, Repeats = 20;
        var random = new Random(14);
        float[] g = new float[Length], p = new float[Length], withSubnormals = new float[Length], flushed = new float[Length];
        for (int i = 0; i < Length; i++)
        {
            bool tiny = random.NextDouble() < subnormalShare;
            g[i] = tiny ? 0 : (float)(random.NextDouble() - 0.5) * 1e-2f;
            p[i] = (float)(random.NextDouble() - 0.5) * 0.1f;
            withSubnormals[i] = tiny ? (float)(random.NextDouble() * 1e-39) : g[i];
            flushed[i] = tiny ? 0 : g[i];
        }

        float[] v = new float[Length], q = new float[Length];
        double[] a = new double[Rounds], b = new double[Rounds];
        for (int round = 0; round < Rounds; round++)
        {
            a[round] = Time(withSubnormals);
            b[round] = Time(flushed);
        }

        Array.Sort(a);
        Array.Sort(b);
        WorkloadOutput.Note($"subnormal cost: momentum update of {Length} floats, {subnormalShare:P0} of velocities subnormal: median {a[Rounds / 2]:0.0} µs, flushed to 0: {b[Rounds / 2]:0.0} µs ({a[Rounds / 2] / b[Rounds / 2]:0.00}x; {Rounds} alternating rounds of {Repeats} updates, one thread)");

        double Time(float[] start)
        {
            long ticks = 0;
            for (int r = 0; r < Repeats; r++)
            {
                start.CopyTo(v, 0);
                p.CopyTo(q, 0);
                long t0 = Stopwatch.GetTimestamp();
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(v, 0.9f, g, v); // v ← μv + g
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(v, -0.05f, q, q); // p ← p − ηv
                ticks += Stopwatch.GetTimestamp() - t0;
            }

            return ticks * 1e6 / Stopwatch.Frequency / Repeats;
        }
    }

    private static long Subnormals(ReadOnlySpan<float> values)
    {
        long count = 0;
        foreach (float v in values)
        {
            count += float.IsSubnormal(v) ? 1 : 0;
        }

        return count;
    }
}
