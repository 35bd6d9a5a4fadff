using System.Numerics;

namespace NeuralNet.Kernels;

// A product of few columns on two cores, its depth cut between two depth blocks (WorkSplit.DirectDepthHalves).
internal static unsafe partial class DirectGemm
{
    /// <summary>
    /// Runs a product of few columns (<see cref="WorkSplit.DirectDepthHalves"/>) on this thread and the reserved
    /// <see cref="SecondCore"/>, which is released on return: the caller multiplies the depth blocks before the cut into C
    /// as <see cref="Run{T}"/> does, the helper each block after it into a scratch block of its own, from zero; then the
    /// caller adds those blocks to C in order. Each element of C is so summed exactly as <see cref="Run{T}"/> sums it
    /// (each block's sum from zero, the blocks added to C in order), whichever thread did the second half or when.
    /// </summary>
    /// <remarks>
    /// A layer's output product (such as 256 × 10 of depth 1024) reads its input, which the layer below wrote on both cores
    /// (the first columns on the caller's, the last on the helper's), along its depth: cut so, each core reads mostly the
    /// part of the input it wrote, from its own cache, where halves of the columns of C had each core read all of it.
    /// </remarks>
    public static void RunDepthHalves<T>(
        bool transposeB, int m, int n, int k, T* a, int lda, T* b, int ldb, T* c, int ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        DepthHalves<T> job = DepthHalves<T>.Job;
        int kc = GemmDriver.Balanced(k, GemmDriver.BlockDepth, 1), blocks = (k + kc - 1) / kc;
        int split = blocks / 2 * kc;
        job.Prepare(transposeB, m, n, k, split, kc, a, lda, b, ldb);
        SecondCore.Start(job);
        try
        {
            Run(false, transposeB, m, n, split, a, lda, b, ldb, c, ldc, accumulate); // the same blocks of kc: split is a multiple of it
        }
        finally
        {
            SecondCore.Wait(); // an unstarted helper's part is done here, by the caller, the same way
        }

        job.AddTo(c, ldc);
    }

    /// <summary>The helper's half: the depth blocks from the cut on, each into a scratch block of m × n from zero.</summary>
    private sealed class DepthHalves<T> : WorkItem
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // One job object per element type: SecondCore is reserved before it is filled, so it is never shared.
        internal static readonly DepthHalves<T> Job = new();

        private T[] _scratch = [];
        private bool _transposeB;
        private int _m, _n, _k, _split, _kc, _lda, _ldb;
        private T* _a, _b;

        /// <summary>Fills the job; the scratch grows to the largest product seen (then nothing is allocated).</summary>
        internal void Prepare(bool transposeB, int m, int n, int k, int split, int kc, T* a, int lda, T* b, int ldb)
        {
            (_transposeB, _m, _n, _k, _split, _kc, _lda, _ldb) = (transposeB, m, n, k, split, kc, lda, ldb);
            _a = a;
            _b = b;
            int length = m * n * ((k - split + kc - 1) / kc);
            if (_scratch.Length < length)
            {
                _scratch = GC.AllocateUninitializedArray<T>(length, pinned: true);
            }
        }

        /// <summary>Multiplies each depth block from the cut on into its scratch block.</summary>
        public override void Execute()
        {
            fixed (T* scratch = _scratch)
            {
                T* block = scratch;
                for (int pc = _split; pc < _k; pc += _kc, block += _m * _n)
                {
                    int kc = Math.Min(_kc, _k - pc);
                    T* bBlock = _transposeB ? _b + ((nint)pc * _ldb) : _b + pc;
                    Run(false, _transposeB, _m, _n, kc, _a + ((nint)pc * _lda), _lda, bBlock, _ldb, block, _m, accumulate: false);
                }
            }
        }

        /// <summary>Adds the scratch blocks to C, in order of depth.</summary>
        internal void AddTo(T* c, int ldc)
        {
            fixed (T* scratch = _scratch)
            {
                T* block = scratch;
                for (int pc = _split; pc < _k; pc += _kc, block += _m * _n)
                {
                    for (int j = 0; j < _n; j++)
                    {
                        var sum = new Span<T>(block + (j * _m), _m);
                        var column = new Span<T>(c + ((nint)j * ldc), _m);
                        System.Numerics.Tensors.TensorPrimitives.Add(column, sum, column);
                    }
                }
            }
        }
    }
}
