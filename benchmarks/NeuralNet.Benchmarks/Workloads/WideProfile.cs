using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Kernels;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;

namespace NeuralNet.Benchmarks.Workloads;

/// <summary>
/// <c>W3-profile</c>: W3's training, the same arithmetic as <see cref="Network{T}.TrainStep"/> done phase by phase,
/// printing per epoch where the step's time goes (TrainStep's check of the batch, forward per layer, loss, backward per
/// layer, the optimizer's checked update, the caller's waits for the second core), then each piece of the step alone on
/// the step's own buffers (the products at W3's shapes in GFLOP/s, the element-wise passes in µs). The epoch losses
/// match W3's, so it is the same training.
/// </summary>
internal static class WideProfile
{
    private const int Epochs = 3, Repeats = 16;

    private enum Phase { Check, Forward1, Forward2, Forward3, Loss, Backward3, Backward2, Backward1, Optimizer, Count }

    public static void Run(bool separatePasses = false)
    {
        (Matrix<float>[] inputs, Matrix<float>[] targets) = WideWorkload.Data();
        // 'separate': the element-wise passes on their own, not inside the products
        (Network<float> network, DenseLayer<float>[] layers) = WideWorkload.Build(fusedPasses: !separatePasses);

        var loss = new CategoricalCrossEntropy<float>(fromLogits: true);
        var optimizer = new SgdOptimizer<float>(learningRate: 0.01);
        var rollback = new ParameterSnapshot<float>(network.Parameters); // what Network.Step keeps to undo a non-finite update
        Matrix<float> dLogits = Matrix<float>.Build.Dense(WideWorkload.BatchSize, 10);
        int batches = inputs.Length;
        WorkloadOutput.Note($"W3-profile{(separatePasses ? " separate" : string.Empty)}: ms per step in each phase (fwd = bias, product, ReLU; bwd = ReLU', dW, db, dX; with the passes inside the products unless 'separate': ReLU in fwd's product, the layer below's ReLU' and db in dX's); 'wait' is the caller waiting for the helper (inside the phases)");
        WorkloadOutput.Note($"{"epoch",5} {"GFLOP/s",8} {"step",6} {"check",6} {"fwd1",6} {"fwd2",6} {"fwd3",6} {"loss",6} {"bwd3",6} {"bwd2",6} {"bwd1",6} {"optim",6} {"wait",6} {"handoff",8} {"taken bk",8}");
        for (int epoch = 0; epoch < Epochs; epoch++)
        {
            var ticks = new long[(int)Phase.Count];
            var waits = new long[(int)Phase.Count]; // the caller's waits for the helper inside each phase
            long pickUp = SecondCore.PickUpTicks, helper = SecondCore.HelperTicks, sleeps = SecondCore.Sleeps;
            long handOffs = SecondCore.HandOffs, takenBack = SecondCore.TakenBack, waitTicks = SecondCore.WaitTicks;
            double lossSum = 0;
            long epochStart = Stopwatch.GetTimestamp();
            for (int b = 0; b < batches; b++)
            {
                Matrix<float> input = inputs[b], target = targets[b];
                long t0 = Stopwatch.GetTimestamp(), w0 = SecondCore.WaitTicks;
                ShapeCheck.Finite(input, "input");
                loss.ValidateTarget(DenseStorage.Of(target), WideWorkload.BatchSize, 1, WideWorkload.BatchSize, 10, "target");
                long t1 = Stopwatch.GetTimestamp(), w1 = SecondCore.WaitTicks;
                Matrix<float> h1 = layers[0].Forward(input, training: true);
                long t2 = Stopwatch.GetTimestamp(), w2 = SecondCore.WaitTicks;
                Matrix<float> h2 = layers[1].Forward(h1, training: true);
                long t3 = Stopwatch.GetTimestamp(), w3 = SecondCore.WaitTicks;
                Matrix<float> logits = layers[2].Forward(h2, training: true);
                long t4 = Stopwatch.GetTimestamp(), w4 = SecondCore.WaitTicks;
                float value = loss.Value(DenseStorage.Of(logits), DenseStorage.Of(target), default, WideWorkload.BatchSize, 10);
                loss.Gradient(DenseStorage.Of(logits), DenseStorage.Of(target), default, DenseStorage.Of(dLogits), WideWorkload.BatchSize, 10);
                long t5 = Stopwatch.GetTimestamp(), w5 = SecondCore.WaitTicks;
                Matrix<float> d2 = layers[2].BackwardTo(dLogits, computeInputGradient: true, below: layers[1])!; // as the network: the layer below's ∂L/∂Z made inside ∂L/∂X's product
                long t6 = Stopwatch.GetTimestamp(), w6 = SecondCore.WaitTicks;
                Matrix<float> d1 = layers[1].BackwardTo(d2, computeInputGradient: true, below: layers[0])!;
                long t7 = Stopwatch.GetTimestamp(), w7 = SecondCore.WaitTicks;
                layers[0].Backward(d1, computeInputGradient: false);
                long t8 = Stopwatch.GetTimestamp(), w8 = SecondCore.WaitTicks;
                if (!optimizer.StepChecked(network.Parameters, rollback.Copies))
                {
                    throw new InvalidOperationException("W3 diverged: a weight is NaN or infinite");
                }

                long t9 = Stopwatch.GetTimestamp();
                long[] stamps = [t0, t1, t2, t3, t4, t5, t6, t7, t8, t9];
                long[] waited = [w0, w1, w2, w3, w4, w5, w6, w7, w8, SecondCore.WaitTicks];
                for (int p = 0; p < (int)Phase.Count; p++)
                {
                    ticks[p] += stamps[p + 1] - stamps[p];
                    waits[p] += waited[p + 1] - waited[p];
                }

                lossSum += value;
            }

            double seconds = (Stopwatch.GetTimestamp() - epochStart) / (double)Stopwatch.Frequency;
            double Ms(long t) => t * 1e3 / Stopwatch.Frequency / batches;
            string phases = string.Join(" ", ticks.Select(t => $"{Ms(t),6:0.000}"));
            double gflops = 6.0 * WideWorkload.Weights * WideWorkload.Samples / seconds / 1e9;
            WorkloadOutput.Note($"{epoch + 1,5} {gflops,8:0.0} {seconds * 1e3 / batches,6:0.000} {phases} {Ms(SecondCore.WaitTicks - waitTicks),6:0.000} {(SecondCore.HandOffs - handOffs) / (double)batches,8:0.0} {(SecondCore.TakenBack - takenBack) / (double)batches,8:0.00}");
            WorkloadOutput.Note($"      waits {string.Join(" ", waits.Select(t => $"{Ms(t),6:0.000}"))} (the caller's, per phase as above); the helper picked work up {Ms(SecondCore.PickUpTicks - pickUp):0.000} ms a step after it was handed over, worked {Ms(SecondCore.HelperTicks - helper):0.000} ms a step, fell asleep {(SecondCore.Sleeps - sleeps) / (double)batches:0.00} times a step");
            WorkloadOutput.Note($"      mean training loss {lossSum / batches:0.000000} (W3's: epoch 1 2.304656, epoch 2 2.303286)");
        }

        Pieces(layers, inputs[0], optimizer, network, rollback);
    }

    /// <summary>Each piece of a step alone, on the step's own buffers (the weights change only in the optimizer's piece, which runs last).</summary>
    private static void Pieces(DenseLayer<float>[] layers, Matrix<float> input, SgdOptimizer<float> optimizer, Network<float> network, ParameterSnapshot<float> rollback)
    {
        const int n = WideWorkload.BatchSize, f = WideWorkload.Features;
        float[] x = DenseStorage.Of(input);
        float[] w = layers[1].Parameters[0].ValueArray, dw = layers[1].Parameters[0].GradientArray;
        float[] z = DenseStorage.Of(layers[1].LastWeightedSum), a = DenseStorage.Of(layers[1].LastOutput);
        float[] dz = layers[1].PreActivationGradient.ToArray(), scratch = new float[n * f];
        double flops = 2.0 * n * f * f;
        for (int round = 0; round < 3; round++) // alternating: the host moves single figures by ±30 %
        {
            Time("fwd product, depth cut at the weights' cut", flops, () => Gemm.MultiplySplitDepth<float>(false, true, n, f, f, WorkSplit.WeightColumnSplit(f, f), x, n, w, f, z, n, accumulate: true));
            Time("fwd product, shared as any product", flops, () => Gemm.Multiply<float>(false, true, n, f, f, x, n, w, f, z, n, accumulate: true));
        }

        Time("dW = dZᵀ·X", flops, () => Gemm.Multiply<float>(true, false, f, f, n, dz, n, x, n, dw, f, accumulate: false));
        Time("dX = dZ·W", flops, () => Gemm.Multiply<float>(false, false, n, f, f, dz, n, w, f, scratch, n, accumulate: false));
        Time("gemm 256x1024x1024 NN (compare.sh w3fwd)", flops, () => Gemm.Multiply<float>(false, false, n, f, f, x, n, w, f, scratch, n, accumulate: false));
        Time("gemm 1024x256x1024 NN (compare.sh w3dW)", flops, () => Gemm.Multiply<float>(false, false, f, f, n, w, f, x, n, dw, f, accumulate: false));
        OneCore("one core: fwd X·Wᵀ, half the depth", n, f, f / 2, false, true, x, n, w, f, z, n, true);
        OneCore("one core: dW = dZᵀ·X, half the columns", f, f / 2, n, true, false, dz, n, x, n, dw, f, false);
        OneCore("one core: dX = dZ·W, half the columns", n, f / 2, f, false, false, dz, n, w, f, scratch, n, false);
        KernelAlone(x, w, z);
        ColdPacks();
        Time("bias fill of Z", 0, () =>
        {
            float[] bias = layers[1].Parameters[1].ValueArray;
            for (int j = 0; j < f; j++)
            {
                z.AsSpan(j * n, n).Fill(bias[j]);
            }
        });
        for (int round = 0; round < 3; round++)
        {
            Time("ReLU forward (as the layer)", 0, () => layers[1].Activation.Forward(z, a, n, f));
            Time("max(z, 0) on one core (TensorPrimitives)", 0, () => System.Numerics.Tensors.TensorPrimitives.Max(z, 0f, a));
            Time("ReLU backward (as the layer)", 0, () => layers[1].Activation.Backward(z, a, x, scratch, n, f));
        }

        Time("db = column sums of dZ", 0, () =>
        {
            float[] db = layers[1].Parameters[1].GradientArray;
            for (int j = 0; j < f; j++)
            {
                db[j] = System.Numerics.Tensors.TensorPrimitives.Sum<float>(dz.AsSpan(j * n, n));
            }
        });
        Time("check input finite", 0, () => ShapeCheck.Finite(input, "input"));
        Time("optimizer, checked (all layers)", 0, () => optimizer.StepChecked(network.Parameters, rollback.Copies));
    }

    /// <summary>A product on the calling thread alone (the blocked driver, no second core): what one core's share of a two-core product costs.</summary>
    private static unsafe void OneCore(string what, int m, int n, int k, bool transposeA, bool transposeB, float[] a, int lda, float[] b, int ldb, float[] c, int ldc, bool accumulate)
    {
        Time(what, 2.0 * m * n * k, () =>
        {
            fixed (float* pa = a, pb = b, pc = c)
            {
                GemmDriver.Run(GemmKernels.Best, transposeA, transposeB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate);
            }
        });
    }

    /// <summary>The micro-kernel alone on one core: one packed block of X (256 × 256) times one packed block of Wᵀ (256 × 1008) into Z, packed once.</summary>
    private static unsafe void KernelAlone(float[] x, float[] w, float[] z)
    {
        const int mc = 256, kc = 256, nc = 1008; // 84 whole tiles of 12 columns
        GemmKernel kernel = GemmKernels.Best;
        int mr = GemmKernels.RowsPerTile<float>(kernel), nr = GemmKernels.ColumnsPerTile(kernel);
        float[] packedA = GC.AllocateUninitializedArray<float>(mc * kc + 16, pinned: true);
        float[] packedB = GC.AllocateUninitializedArray<float>(kc * nc + 16, pinned: true);
        float[] tile = new float[mr * nr];
        fixed (float* pa = packedA, pb = packedB, px = x, pw = w, pz = z, pt = tile)
        {
            float* a = (float*)(((nint)pa + 63) & ~(nint)63), b = (float*)(((nint)pb + 63) & ~(nint)63);
            float* aa = a, bb = b, zz = pz, tt = pt, xx = px, ww = pw;
            Time("one core: packing X block 256x256", 0, () => GemmPacking.PackA(false, xx, WideWorkload.BatchSize, mc, kc, mr, aa));
            Time("one core: packing Wt block 256x1008", 0, () => GemmPacking.PackB(true, ww, WideWorkload.Features, kc, nc, nr, bb));
            Time("one core: kernel alone, 256x1008x256", 2.0 * mc * nc * kc, () => GemmDriver.MultiplyBlock(kernel, mc, nc, kc, mr, nr, aa, bb, zz, WideWorkload.BatchSize, true, tt));
        }
    }

    /// <summary>
    /// Packing a whole 1024 × 1024 weight matrix on one core as a step finds it, from L3 (four copies in turn, 16 MB, so
    /// none is in L2): as Wᵀ for the forward product and as W for ∂L/∂X, in the driver's blocks of 256 steps × 1008 columns.
    /// The block figures above pack data already in L2, which a step's weights are not.
    /// </summary>
    private static unsafe void ColdPacks()
    {
        const int f = WideWorkload.Features, kc = 256, nc = 1008;
        int nr = GemmKernels.ColumnsPerTile(GemmKernels.Best);
        float[][] copies = new float[4][];
        for (int i = 0; i < copies.Length; i++)
        {
            copies[i] = GC.AllocateUninitializedArray<float>(f * f, pinned: true);
            copies[i].AsSpan().Fill(i + 1);
        }

        float[] packed = GC.AllocateUninitializedArray<float>((kc * (nc + nr)) + 16, pinned: true);
        int next = 0;
        foreach (bool transposed in new[] { true, false })
        {
            Time(transposed ? "one core: packing all of Wt, from L3 (4 MB)" : "one core: packing all of W for dX, from L3 (4 MB)", 0, () =>
            {
                fixed (float* w = copies[next++ & 3], p = packed)
                {
                    float* b = (float*)(((nint)p + 63) & ~(nint)63);
                    for (int pc = 0; pc < f; pc += kc)
                    {
                        for (int jc = 0; jc < f; jc += nc)
                        {
                            int columns = Math.Min(nc, f - jc);
                            float* block = transposed ? w + jc + ((nint)pc * f) : w + pc + ((nint)jc * f);
                            GemmPacking.PackB(transposed, block, f, kc, columns, nr, b);
                        }
                    }
                }
            });
        }
    }

    private static void Time(string what, double flops, Action piece)
    {
        piece();
        double[] samples = new double[Repeats];
        for (int r = 0; r < Repeats; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            piece();
            samples[r] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }

        Array.Sort(samples);
        double median = samples[Repeats / 2], best = samples[0];
        string rate = flops > 0 ? $", {flops / median / 1e9,6:0.0} GFLOP/s median, {flops / best / 1e9,6:0.0} best" : string.Empty;
        WorkloadOutput.Note($"  {what,-44} {median * 1e3,7:0.000} ms median, {best * 1e3,7:0.000} best{rate}");
    }
}
