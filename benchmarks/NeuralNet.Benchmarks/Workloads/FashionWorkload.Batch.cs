using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Kernels;

namespace NeuralNet.Benchmarks.Workloads;

// W2's mini-batch and its gather (X[idx] with x = pixel / 255), apart from the workload's loop.
internal static partial class FashionWorkload
{
    /// <summary>A preallocated mini-batch: inputs (rows × 784, column-major) and class-index targets (rows × 1).</summary>
    internal sealed class BatchPair(int rows)
    {
        public int Rows { get; } = rows;

        /// <summary>Gather with AVX2 (unless <c>W2_GATHER=table</c> asks for the table path, for comparison).</summary>
        public static readonly bool SimdGather = Avx2.IsSupported && Environment.GetEnvironmentVariable("W2_GATHER") != "table";

        /// <summary>Whether a gather requests the next batch's rows (off only for <c>W2-gather-ab</c>'s comparison).</summary>
        public static bool RequestNext { get; set; } = true;

        public Matrix<float> Input { get; } = Matrix<float>.Build.Dense(rows, FashionData.Features, AlignedArrays.Allocate<float>(rows * FashionData.Features)); // starting a cache line, as the library's buffers

        public Matrix<float> Target { get; } = Matrix<float>.Build.Dense(rows, 1);

        /// <summary>
        /// X[idx]: copies the samples order[first..first+rows) into the batch (inside the timed region),
        /// scaling each pixel to x = pixel / 255 on the way. The images are rows and the batch is column-major,
        /// so the copy transposes. With AVX2, a gather fetches four adjacent pixels of eight rows at once and each
        /// feature's eight values are stored side by side (x by the IEEE division, the same bits as the table), the
        /// pixels cut between the two cores where the hidden layer's forward pass and weight gradient cut their depth
        /// (so each core reads the part of the batch it wrote), and each core then requests its pixels of the next
        /// batch's rows (<see cref="RowPrefetch"/>, as <see cref="RowGather"/> does for <c>Trainer.Fit</c>); otherwise (the reference it is checked against) on one
        /// core, eight samples at a time by a table of the 256 quotients, each pixel's eight values landing side by side
        /// while the eight source rows stream in order.
        /// </summary>
        public unsafe void Gather(FashionData data, int[] order, int first, bool simd = true)
        {
            float[] x = DenseStorage.Of(Input), t = DenseStorage.Of(Target);
            int rows = Rows;
            ArgumentOutOfRangeException.ThrowIfGreaterThan(first + rows, order.Length);
            fixed (byte* pixels = data.TrainPixels)
            fixed (float* batch = x)
            fixed (int* chosen = order)
            {
                if (!simd || !SimdGather)
                {
                    ByTable(pixels, chosen + first, rows, batch);
                }
                else
                {
                    int split = WorkSplit.ForwardDepthSplit(rows, FashionData.Features, Hidden) / 4 * 4;
                    int* next = chosen + first + rows;
                    int nextRows = RequestNext ? Math.Min(BatchSize, order.Length - first - rows) : 0; // the epoch's next batch, none after its last
                    if (split == 0 || !SecondCore.TryReserve())
                    {
                        Pixels(pixels, chosen + first, rows, batch, 0, FashionData.Features, next, nextRows);
                    }
                    else
                    {
                        // The pointers stay pinned until Wait returns: the helper's pixels are done (or taken back) by then.
                        Job.Images = pixels;
                        Job.Chosen = chosen + first;
                        Job.Batch = batch;
                        Job.Next = next;
                        (Job.Rows, Job.From, Job.NextRows) = (rows, split, nextRows);
                        SecondCore.Start(Job);
                        try
                        {
                            Pixels(pixels, chosen + first, rows, batch, 0, split, next, nextRows);
                        }
                        finally
                        {
                            SecondCore.Wait();
                        }
                    }
                }
            }

            for (int r = 0; r < rows; r++)
            {
                t[r] = data.TrainLabels[order[first + r]];
            }
        }

        private static readonly PixelJob Job = new();

        /// <summary>
        /// Pixels <paramref name="from"/> to <paramref name="to"/> (multiples of 4) of the chosen rows by AVX2 gathers:
        /// one gather reads four adjacent pixels of eight rows (a 32-bit load at each row's offset); each byte lane
        /// becomes one feature's eight values, x = pixel / 255 by the same IEEE division as the table. Each group of
        /// eight rows requests the same pixels of the next batch's rows of its positions, a line every 64 pixels as it
        /// goes (as <see cref="RowGather"/> does); the next rows no group asked for are requested at the end.
        /// </summary>
        private static unsafe void Pixels(byte* pixels, int* chosen, int rows, float* batch, int from, int to, int* next, int nextRows)
        {
            int r0 = 0;
            Vector256<float> divisor = Vector256.Create(255f);
            Vector256<int> low = Vector256.Create(0xFF);
            byte** ahead = stackalloc byte*[RowPrefetch.MaximumGroup];
            for (; r0 + 8 <= rows; r0 += 8)
            {
                Vector256<int> starts = Vector256.Load(chosen + r0) * FashionData.Features;
                int k = RowPrefetch.Group(pixels, FashionData.Features, next, nextRows, r0, 8, ahead);
                float* d = batch + r0 + ((nint)from * rows);
                for (int p = from; p < to; p += 4, d += 4 * rows)
                {
                    if ((p - from) % RowPrefetch.LineBytes == 0)
                    {
                        RowPrefetch.Lines(ahead, k, p);
                    }

                    Vector256<int> four = Avx2.GatherVector256((int*)(pixels + p), starts, 1);
                    (Vector256.ConvertToSingle(four & low) / divisor).Store(d);
                    (Vector256.ConvertToSingle((four >>> 8) & low) / divisor).Store(d + rows);
                    (Vector256.ConvertToSingle((four >>> 16) & low) / divisor).Store(d + (2 * rows));
                    (Vector256.ConvertToSingle(four >>> 24) / divisor).Store(d + (3 * rows));
                }

                RowPrefetch.Lines(ahead, k, to - 1); // the line of the last pixel
            }

            RowPrefetch.Rows(pixels, FashionData.Features, next + r0, nextRows - r0, from, to); // the next rows no group asked for

            fixed (float* scale = FashionData.PixelScale)
            {
                for (; r0 < rows; r0++)
                {
                    byte* source = Row(pixels, chosen[r0]);
                    for (int p = from; p < to; p++)
                    {
                        batch[r0 + (p * rows)] = scale[source[p]];
                    }
                }
            }
        }

        /// <summary>The reference: one core, eight samples at a time by the table of quotients.</summary>
        private static unsafe void ByTable(byte* pixels, int* chosen, int rows, float* batch)
        {
            int r0 = 0;
            fixed (float* scale = FashionData.PixelScale)
            {
                for (; r0 + 8 <= rows; r0 += 8)
                {
                    byte* s0 = Row(pixels, chosen[r0]), s1 = Row(pixels, chosen[r0 + 1]);
                    byte* s2 = Row(pixels, chosen[r0 + 2]), s3 = Row(pixels, chosen[r0 + 3]);
                    byte* s4 = Row(pixels, chosen[r0 + 4]), s5 = Row(pixels, chosen[r0 + 5]);
                    byte* s6 = Row(pixels, chosen[r0 + 6]), s7 = Row(pixels, chosen[r0 + 7]);
                    float* d = batch + r0;
                    for (int p = 0; p < FashionData.Features; p++, d += rows)
                    {
                        d[0] = scale[s0[p]];
                        d[1] = scale[s1[p]];
                        d[2] = scale[s2[p]];
                        d[3] = scale[s3[p]];
                        d[4] = scale[s4[p]];
                        d[5] = scale[s5[p]];
                        d[6] = scale[s6[p]];
                        d[7] = scale[s7[p]];
                    }
                }

                for (; r0 < rows; r0++)
                {
                    byte* source = Row(pixels, chosen[r0]);
                    for (int p = 0; p < FashionData.Features; p++)
                    {
                        batch[r0 + (p * rows)] = scale[source[p]];
                    }
                }
            }
        }

        /// <summary>The second core's pixels of a gather, from <see cref="From"/> to the last, and then the same pixels of the next batch's rows requested.</summary>
        private sealed unsafe class PixelJob : WorkItem
        {
            public byte* Images;
            public int* Chosen;
            public int Rows;
            public float* Batch;
            public int From;
            public int* Next;
            public int NextRows;

            public override void Execute() => Pixels(Images, Chosen, Rows, Batch, From, FashionData.Features, Next, NextRows);
        }

        private static unsafe byte* Row(byte* pixels, int sample) => pixels + ((nint)sample * FashionData.Features);
    }
}
