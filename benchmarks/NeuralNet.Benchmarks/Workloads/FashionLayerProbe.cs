using System.Diagnostics;
using NeuralNet.Activations;
using NeuralNet.Kernels;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;

namespace NeuralNet.Benchmarks.Workloads;

/// <summary>
/// <c>w2-layer-probe</c>: W2's first layer's two products (forward Z = X·Wᵀ, depth 784; weight gradient dW = dZᵀ·X,
/// depth 64), each timed hot (the same product 400 times) and inside training steps (right after the step's
/// earlier phases), on both cores and on one, so the in-step cost of each can be set beside what the product alone
/// costs. Not a workload: a diagnosis.
/// </summary>
internal static unsafe class FashionLayerProbe
{
    public static void Run()
    {
        FashionData data = FashionData.Load();
        int n = data.TrainLabels.Length;
        (DenseLayer<float> hidden, DenseLayer<float> output, Network<float> network, CategoricalCrossEntropy<float> loss, SgdOptimizer<float> optimizer) = FashionWorkload.Build();
        var batch = new FashionWorkload.BatchPair(FashionWorkload.BatchSize);
        int[] order = DeterministicNumbers.SampleOrder(0, n);
        const int Rows = 64, Inputs = 784, Outputs = 128, Reps = 400;
        int split = WorkSplit.ForwardDepthSplit(Rows, Inputs, Outputs);
        float[] x = DenseStorage.Of(batch.Input), w = hidden.Parameters[0].ValueArray, z = new float[Rows * Outputs];
        float[] dz = new float[Rows * Outputs], dw = new float[Inputs * Outputs];
        for (int i = 0; i < dz.Length; i++)
        {
            dz[i] = (float)DeterministicNumbers.U(9, (uint)i) - 0.5f;
        }

        float[] dz2 = new float[Rows * Outputs];
        float[] small = new float[Rows * 10], smallW = new float[10 * Outputs];
        var dLogitsMatrix = MathNet.Numerics.LinearAlgebra.Matrix<float>.Build.Dense(Rows, 10);
        float[] dLogits = DenseStorage.Of(dLogitsMatrix);
        WorkloadOutput.Note($"w2-layer-probe: split {split}; µs per product, medians of 5 rounds of {Reps}");
        for (int round = 0; round < 5; round++)
        {
            double inStep = 0, reluHot = 0, outDw = 0, outDx = 0, outFwd = 0, dirDw2 = 0, inBack = 0, reluBack = 0, dirHalf = 0, dirDw = 0, hot2 = 0, hot1Half = 0, hot1All = 0, hotDw2 = 0, hotDw1 = 0;
            for (int i = 0; i < Reps; i++)
            {
                batch.Gather(data, order, (i % 900) * 64);
                network.TrainStep(batch.Input, batch.Target, loss, optimizer);
                long t0 = Stopwatch.GetTimestamp();
                var h = hidden.Forward(batch.Input, training: true);
                long t1 = Stopwatch.GetTimestamp();
                inStep += t1 - t0;
                var logits = output.Forward(h, training: true);
                loss.Gradient(DenseStorage.Of(logits), DenseStorage.Of(batch.Target), default, dLogits, batch.Rows, 10);
                var dh = output.Backward(dLogitsMatrix)!;
                long t2 = Stopwatch.GetTimestamp();
                hidden.Backward(dh, computeInputGradient: false);
                long t3 = Stopwatch.GetTimestamp();
                hidden.Activation.Backward(DenseStorage.Of(hidden.LastWeightedSum), DenseStorage.Of(hidden.LastOutput), DenseStorage.Of(dh), hidden.PreActivationGradient, batch.Rows, 128);
                long t4 = Stopwatch.GetTimestamp();
                inBack += t3 - t2;
                reluBack += t4 - t3;
            }

            fixed (float* px = x, pw = w, pz = z, pdz = dz, pdw = dw)
            {
                for (int i = 0; i < Reps; i++)
                {
                    long t0 = Stopwatch.GetTimestamp();
                    Gemm.MultiplySplitDepth<float>(false, true, Rows, Outputs, Inputs, split, x, Rows, w, Outputs, z, Rows, accumulate: false);
                    long t1 = Stopwatch.GetTimestamp();
                    GemmDriver.Run(GemmKernels.Best, false, true, Rows, Outputs, split, px, Rows, pw, Outputs, pz, Rows, accumulate: false);
                    long t2 = Stopwatch.GetTimestamp();
                    GemmDriver.Run(GemmKernels.Best, false, true, Rows, Outputs, Inputs, px, Rows, pw, Outputs, pz, Rows, accumulate: false);
                    long t3 = Stopwatch.GetTimestamp();
                    Gemm.Multiply<float>(true, false, Outputs, Inputs, Rows, dz, Rows, x, Rows, dw, Outputs, accumulate: false);
                    long t4 = Stopwatch.GetTimestamp();
                    GemmDriver.Run(GemmKernels.Best, true, false, Outputs, Inputs, Rows, pdz, Rows, px, Rows, pdw, Outputs, accumulate: false);
                    long t5 = Stopwatch.GetTimestamp();
                    DirectGemm.Run(false, true, Rows, Outputs, split, px, Rows, pw, Outputs, pz, Rows, accumulate: false);
                    long t6 = Stopwatch.GetTimestamp();
                    DirectGemm.Run(true, false, Outputs, Inputs, Rows, pdz, Rows, px, Rows, pdw, Outputs, accumulate: false);
                    long t7 = Stopwatch.GetTimestamp();
                    ParallelGemm<float>.RunDirect(true, false, Outputs, Inputs, Rows, pdz, Rows, px, Rows, pdw, Outputs, accumulate: false);
                    long t8 = Stopwatch.GetTimestamp();
                    dirDw2 += t8 - t7;
                    Gemm.Multiply<float>(true, false, 10, Outputs, Rows, small, Rows, z, Rows, smallW, 10, accumulate: false);
                    long t9 = Stopwatch.GetTimestamp();
                    Gemm.Multiply<float>(false, false, Rows, Outputs, 10, small, Rows, smallW, 10, dz, Rows, accumulate: false);
                    long t10 = Stopwatch.GetTimestamp();
                    Gemm.Multiply<float>(false, true, Rows, 10, Outputs, z, Rows, smallW, 10, small, Rows, accumulate: false);
                    long t11 = Stopwatch.GetTimestamp();
                    outDw += t9 - t8;
                    outDx += t10 - t9;
                    outFwd += t11 - t10;
                    long t12 = Stopwatch.GetTimestamp();
                    hidden.Activation.Backward(z, z, dz, dz2, Rows, Outputs);
                    long t13 = Stopwatch.GetTimestamp();
                    reluHot += t13 - t12;
                    dirHalf += t6 - t5;
                    dirDw += t7 - t6;
                    hot2 += t1 - t0;
                    hot1Half += t2 - t1;
                    hot1All += t3 - t2;
                    hotDw2 += t4 - t3;
                    hotDw1 += t5 - t4;
                }
            }

            double Us(double t) => t * 1e6 / Stopwatch.Frequency / Reps;
            WorkloadOutput.Note($"backward in step {Us(inBack):0.0} (relu backward alone {Us(reluBack):0.0}); forward: in step {Us(inStep):0.0}; hot split-depth both cores {Us(hot2):0.0}, one core half depth {Us(hot1Half):0.0}, one core all {Us(hot1All):0.0} | dW (as Gemm.Multiply, both cores) {Us(hotDw2):0.0}, one core {Us(hotDw1):0.0} | direct: forward half {Us(dirHalf):0.0}, dW one core {Us(dirDw):0.0}, dW both cores {Us(dirDw2):0.0} | relu backward hot {Us(reluHot):0.00} | output layer fwd {Us(outFwd):0.0} dW {Us(outDw):0.0} dX {Us(outDx):0.0}");
        }
    }
}
