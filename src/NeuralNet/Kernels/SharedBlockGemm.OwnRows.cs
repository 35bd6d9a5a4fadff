using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralNet.Kernels;

// The own-row-blocks form of a shared product (WorkSplit.OwnRowBlocks): each thread packs the row blocks of op(A) it claims.
internal sealed unsafe partial class SharedBlockGemm<T>
{
    /// <summary>
    /// The own-rows form: per step, op(B)'s block packed by both threads in pieces, then pieces of (row block, part of
    /// the columns) claimed from opposite ends, each thread packing the row block's op(A) into its own buffer.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WorkOwnRows(bool fromEnd)
    {
        T* tile = PackingBuffers<T>.Tile(_mr * _nr);
        int panelStride = GemmDriver.RoundUp(_m, _mr) * _nr;
        fixed (T* buffers = _buffers)
        {
            T* aligned = (T*)(((nint)buffers + 63) & ~(nint)63);
            T* ownA = aligned + (fromEnd ? ALength : 0);
            int held = -1; // the depth block × row block whose op(A) ownA holds
            for (int phase = 0; phase < _phases; phase++)
            {
                if (AllClaimed(phase))
                {
                    continue;
                }

                int step = phase / 2, depthBlock = step % _depthBlocks;
                int jc = step / _depthBlocks * _nc, pc = depthBlock * _kc;
                int nc = Math.Min(_nc, _n - jc), kc = Math.Min(_kc, _k - pc);
                T* packedB = aligned + (2 * ALength) + ((step & 1) * BLength);
                if ((phase & 1) == 0)
                {
                    if (step >= 2)
                    {
                        AwaitDone(((step - 2) * 2) + 1, fromEnd); // every piece that read this buffer two steps ago
                    }

                    for (int piece; (piece = Claim(phase, fromEnd)) >= 0; Interlocked.Increment(ref _done[phase]))
                    {
                        (int j0, int j1) = Range(piece, _pieces[phase], nc, _nr);
                        T* bBlock = _transposeB ? _b + jc + j0 + ((nint)pc * _ldb) : _b + pc + ((nint)(jc + j0) * _ldb);
                        GemmPacking.PackB(_transposeB, bBlock, _ldb, kc, j1 - j0, _nr, packedB + (j0 * kc));
                    }

                    continue;
                }

                AwaitDone(phase - 1, fromEnd); // this step's op(B)
                for (int piece; (piece = Claim(phase, fromEnd)) >= 0; Interlocked.Increment(ref _done[phase]))
                {
                    int rowBlock = piece / _columnParts, ic = rowBlock * _mc, mc = Math.Min(_mc, _m - ic);
                    if (depthBlock > 0)
                    {
                        AwaitDone(ref _pieceDone[((step - 1) * _piecesPerStep) + piece], 1, fromEnd); // the same part of C, one depth block before
                    }

                    int key = (depthBlock * _rowBlocks) + rowBlock;
                    (int j0, int j1) = Range(piece % _columnParts, _columnParts, nc, _nr);
                    T* aSource = null;
                    if (held != key)
                    {
                        T* aBlock = _transposeA ? _a + pc + ((nint)ic * _lda) : _a + ic + ((nint)pc * _lda);
                        if (GemmDriver.PacksAInKernel(_kernel, _transposeA, mc, j1 - j0, _mr, _nr))
                        {
                            aSource = aBlock; // packed by this piece's first panel of tiles
                        }
                        else
                        {
                            GemmPacking.PackA(_transposeA, aBlock, _lda, mc, kc, _mr, ownA);
                        }

                        held = key;
                    }

                    T* cPiece = _c + ic + ((nint)(jc + j0) * _ldc);
                    if (_packedC != null)
                    {
                        // C kept in a packed copy between the depth blocks, as on one core (the same bits, either thread).
                        CStage stage = depthBlock == 0 ? CStage.First : depthBlock == _depthBlocks - 1 ? CStage.Last : CStage.Middle;
                        T* copy = _packedC + ((nint)(j0 / _nr) * panelStride) + ((nint)ic * _nr);
                        GemmDriver.MultiplyStage(stage, mc, j1 - j0, kc, _mr, _nr, ownA, packedB + (j0 * kc), cPiece, _ldc, copy, panelStride, _accumulate, tile, aSource, _lda);
                    }
                    else
                    {
                        GemmDriver.MultiplyBlock(_kernel, mc, j1 - j0, kc, _mr, _nr, ownA, packedB + (j0 * kc), cPiece, _ldc, _accumulate || pc > 0, tile, aSource, _lda);
                    }

                    Volatile.Write(ref _pieceDone[(step * _piecesPerStep) + piece], 1);
                }
            }
        }
    }
}
