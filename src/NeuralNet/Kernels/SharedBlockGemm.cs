using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralNet.Kernels;

/// <summary>
/// Shares a large multiply between the calling thread and <see cref="SecondCore"/> with every packed block of op(B) used
/// by both: the blocked GEMM of <see cref="GemmDriver"/> cut into phases, and each phase into pieces that both threads
/// claim until none is left, the caller from the first piece up, the helper from the last piece down. In two forms
/// (<see cref="WorkSplit.OwnRowBlocks"/> chooses): with shared blocks of op(A), each step (a block of columns and of
/// depth) is: pack a block of op(B), then for each block of rows pack it of op(A) and multiply the two, both threads
/// taking pieces of each; with own row blocks, each step is: pack a block of op(B), then pieces of (a row block, a part of
/// the columns), the thread that claims one packing that row block of op(A) into its own buffer (once for its consecutive
/// pieces of the same row block) and multiplying it.
/// </summary>
/// <remarks>
/// <para>
/// Nothing is cut in advance, so neither thread waits for the other at a cut that turned out wrong: on a virtual
/// machine one core is often slower than the other for seconds at a time, and the faster one then takes more pieces.
/// Claiming from opposite ends gives each thread mostly the same columns (shared blocks) or rows (own row blocks) at
/// every step, so what it packed and the part of C it wrote stay in its own caches. Each packed block of op(B) is packed
/// once, whichever thread packs it, and a thread that has no piece left in one phase goes on to the next. With own row
/// blocks a core multiplies only op(A) it packed itself, in its own L2, and the threads meet once per step; only the row
/// block where their claims meet is packed by both.
/// </para>
/// <para>
/// A phase waits only for what it reads or overwrites: a multiply for its two packed blocks and for the multiply of the
/// previous depth block into the same part of C (so each element of C is summed over the depth blocks in order); a
/// packing for the multiplies that read the buffer two blocks ago (two buffers of each kind alternate). With shared blocks
/// pieces are claimed only once their phase may start and a claimed piece never waits; with own row blocks a claimed piece
/// may wait for the same piece of the previous depth block, which was claimed before it (a thread moves to the next step
/// only once every piece of this one is claimed) and waits for nothing later, so every wait ends. When the helper starts
/// late or not at all, the caller claims every piece itself. Every tile of C is computed exactly as
/// <see cref="GemmDriver"/> computes it (same depth blocks in the same order, same tiles, same kernel), so the result
/// is the same bits whichever thread did which piece, in either form.
/// </para>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
internal sealed unsafe partial class SharedBlockGemm<T> : SharedProductJob<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int PackB = 0, PackA = 1, Multiply = 2, Rows = 3;

    /// <summary>Elements of one buffer of packed op(A) (the largest block), and of one of packed op(B) (whole panels of the widest kernel).</summary>
    private static readonly int ALength = GemmDriver.RowsPerBlock<T>() * GemmDriver.BlockDepth,
        BLength = GemmDriver.BlockDepth * GemmDriver.RoundUp(GemmDriver.BlockColumns, GemmKernels.WidestTile);

    // One job object per element type: SecondCore is reserved before it is filled, so it is never shared.
    private static readonly SharedBlockGemm<T> Job = new();

    private T[]? _buffers;
    private long[] _claims = [];
    private int[] _done = [], _pieces = [];
    private int _mc, _nc, _rowBlocks, _phasesPerStep, _phases;

    // Own row blocks (WorkSplit.OwnRowBlocks): each step's pieces are a row block × one of _columnParts parts of the columns.
    private bool _ownRows;
    private int _columnParts, _piecesPerStep;
    private int[] _pieceDone = [];

    // The own-rows form's packed copy of C between depth blocks (GemmDriver.UsesPackedC; the caller's buffer), or null.
    private T* _packedC;

    /// <summary>
    /// Runs the product on this thread and the reserved <see cref="SecondCore"/>, which is released on return;
    /// <paramref name="ownRows"/> chooses the form (<see cref="WorkSplit.OwnRowBlocks"/> when null; the runner's A/B and
    /// the tests set it: either gives the same bits).
    /// </summary>
    public static void Run(
        GemmKernel kernel, bool transposeA, bool transposeB, int m, int n, int k,
        T* a, int lda, T* b, int ldb, T* c, int ldc, bool accumulate, bool? ownRows = null)
    {
        SharedBlockGemm<T> job = Job;
        job.Prepare(kernel, transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, ownRows);
        RunOnBothCores(job);
    }

    /// <summary>Fills the job for a product and counts the pieces of each phase (the tests run one side alone after it).</summary>
    internal void Prepare(
        GemmKernel kernel, bool transposeA, bool transposeB, int m, int n, int k,
        T* a, int lda, T* b, int ldb, T* c, int ldc, bool accumulate, bool? ownRows = null)
    {
        SetProduct(kernel, transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        _mc = GemmDriver.Balanced(m, GemmDriver.RowsPerBlock<T>(), _mr);
        _nc = GemmDriver.Balanced(n, GemmDriver.RoundUp(GemmDriver.BlockColumns, _nr), _nr); // 2048 columns: one block of 2052, not 2040 and 12
        _rowBlocks = (m + _mc - 1) / _mc;
        int steps = (n + _nc - 1) / _nc * _depthBlocks;
        _ownRows = ownRows ?? WorkSplit.OwnRowBlocks(steps, sizeof(T));
        int narrowest = _n - ((_n - 1) / _nc * _nc); // the last block of columns
        _columnParts = Math.Clamp((WorkSplit.OwnRowPieces + _rowBlocks - 1) / _rowBlocks, 1, ColumnPanels(narrowest));
        _piecesPerStep = _rowBlocks * _columnParts;
        _phasesPerStep = _ownRows ? 2 : 1 + (2 * _rowBlocks);
        _phases = steps * _phasesPerStep;
        _packedC = _ownRows && _nc >= n && GemmDriver.UsesPackedC<T>(kernel, m, n, k) ? PackingBuffers<T>.C(0) : null; // one block of columns
        _buffers ??= GC.AllocateUninitializedArray<T>((2 * (ALength + BLength)) + (2 * 64 / sizeof(T)), pinned: true);
        if (_claims.Length < _phases)
        {
            _claims = new long[_phases];
            _done = new int[_phases];
            _pieces = new int[_phases];
        }

        if (_ownRows && _pieceDone.Length < steps * _piecesPerStep)
        {
            _pieceDone = new int[steps * _piecesPerStep];
        }

        Array.Clear(_claims, 0, _phases);
        Array.Clear(_done, 0, _phases);
        if (_ownRows)
        {
            Array.Clear(_pieceDone, 0, steps * _piecesPerStep);
        }

        for (int phase = 0; phase < _phases; phase++)
        {
            (int step, int kind, int rowBlock) = Decode(phase);
            int columns = Math.Min(_nc, _n - (step / _depthBlocks * _nc));
            int rows = Math.Min(_mc, _m - (rowBlock * _mc));
            (int rowPieces, int columnPieces) = WorkSplit.SharedMultiplyPieces(RowPanels(rows), ColumnPanels(columns));
            _pieces[phase] = kind switch
            {
                PackB => columnPieces,
                PackA => WorkSplit.SharedPackingPieces(RowPanels(rows)),
                Rows => _piecesPerStep,
                _ => rowPieces * columnPieces,
            };
        }
    }

    /// <summary>Does the pieces this thread claims, phase by phase, from the first piece of each or from the last.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override void Work(bool fromEnd)
    {
        if (_ownRows)
        {
            WorkOwnRows(fromEnd);
            return;
        }

        T* tile = PackingBuffers<T>.Tile(_mr * _nr);
        fixed (T* buffers = _buffers)
        {
            T* aligned = (T*)(((nint)buffers + 63) & ~(nint)63);
            for (int phase = 0; phase < _phases; phase++)
            {
                if (AllClaimed(phase))
                {
                    continue;
                }

                (int step, int kind, int rowBlock) = Decode(phase);
                int jc = step / _depthBlocks * _nc, pc = step % _depthBlocks * _kc;
                int nc = Math.Min(_nc, _n - jc), kc = Math.Min(_kc, _k - pc), ic = rowBlock * _mc, mc = Math.Min(_mc, _m - ic);
                int block = (step * _rowBlocks) + rowBlock;
                T* packedB = aligned + (2 * ALength) + ((step & 1) * BLength);
                T* packedA = aligned + ((block & 1) * ALength);
                AwaitInputs(phase, step, kind, rowBlock, fromEnd);
                for (int piece; (piece = Claim(phase, fromEnd)) >= 0; Interlocked.Increment(ref _done[phase]))
                {
                    if (kind == PackB)
                    {
                        (int j0, int j1) = Range(piece, _pieces[phase], nc, _nr);
                        T* bBlock = _transposeB ? _b + jc + j0 + ((nint)pc * _ldb) : _b + pc + ((nint)(jc + j0) * _ldb);
                        GemmPacking.PackB(_transposeB, bBlock, _ldb, kc, j1 - j0, _nr, packedB + (j0 * kc));
                    }
                    else if (kind == PackA)
                    {
                        (int r0, int r1) = Range(piece, _pieces[phase], mc, _mr);
                        int row = ic + r0;
                        T* aBlock = _transposeA ? _a + pc + ((nint)row * _lda) : _a + row + ((nint)pc * _lda);
                        GemmPacking.PackA(_transposeA, aBlock, _lda, r1 - r0, kc, _mr, packedA + (r0 * kc));
                    }
                    else
                    {
                        (int rowPieces, int columnPieces) = WorkSplit.SharedMultiplyPieces(RowPanels(mc), ColumnPanels(nc));
                        (int r0, int r1) = Range(piece % rowPieces, rowPieces, mc, _mr);
                        (int j0, int j1) = Range(piece / rowPieces, columnPieces, nc, _nr);
                        T* cPiece = _c + ic + r0 + ((nint)(jc + j0) * _ldc);
                        GemmDriver.MultiplyBlock(_kernel, r1 - r0, j1 - j0, kc, _mr, _nr, packedA + (r0 * kc), packedB + (j0 * kc), cPiece, _ldc, _accumulate || pc > 0, tile);
                    }
                }
            }
        }
    }

    /// <summary>A phase's step (one block of columns and of depth, in the order of <see cref="GemmDriver"/>), its kind, and its block of rows.</summary>
    private (int Step, int Kind, int RowBlock) Decode(int phase)
    {
        if (_ownRows)
        {
            return (phase / 2, phase % 2 == 0 ? PackB : Rows, 0);
        }

        int step = phase / _phasesPerStep, offset = phase % _phasesPerStep;
        return offset == 0 ? (step, PackB, 0) : (step, offset % 2 == 1 ? PackA : Multiply, (offset - 1) / 2);
    }

    private int PhaseOf(int step, int kind, int rowBlock) => (step * _phasesPerStep) + (kind == PackB ? 0 : 1 + (2 * rowBlock) + (kind == Multiply ? 1 : 0));

    /// <summary>Panels of <see cref="GemmKernels.RowsPerTile{T}"/> rows covering <paramref name="rows"/>.</summary>
    private int RowPanels(int rows) => (rows + _mr - 1) / _mr;

    /// <summary>Panels of <see cref="GemmKernels.ColumnsPerTile"/> columns covering <paramref name="columns"/>.</summary>
    private int ColumnPanels(int columns) => (columns + _nr - 1) / _nr;

    /// <summary>Waits until the phases that <paramref name="phase"/> reads, or whose buffer it overwrites, are done.</summary>
    private void AwaitInputs(int phase, int step, int kind, int rowBlock, bool helper)
    {
        if (kind == PackB)
        {
            // The buffer of step − 2: every multiply that read it.
            for (int r = 0; step >= 2 && r < _rowBlocks; r++)
            {
                AwaitDone(PhaseOf(step - 2, Multiply, r), helper);
            }
        }
        else if (kind == PackA)
        {
            // The buffer of the block two blocks before: its multiply.
            int block = (step * _rowBlocks) + rowBlock - 2;
            if (block >= 0)
            {
                AwaitDone(PhaseOf(block / _rowBlocks, Multiply, block % _rowBlocks), helper);
            }
        }
        else
        {
            AwaitDone(PhaseOf(step, PackB, 0), helper);
            AwaitDone(phase - 1, helper); // this block's packing of op(A)
            if (step % _depthBlocks > 0)
            {
                AwaitDone(PhaseOf(step - 1, Multiply, rowBlock), helper); // the same part of C, one depth block before
            }
        }
    }

    private void AwaitDone(int phase, bool helper) => AwaitDone(ref _done[phase], _pieces[phase], helper);

    private bool AllClaimed(int phase)
    {
        long word = Volatile.Read(ref _claims[phase]);
        return (int)word + (int)(word >> 32) >= _pieces[phase];
    }

    /// <summary>Claims the next piece of a phase from its start or its end; -1 when none is left.</summary>
    private int Claim(int phase, bool fromEnd) => Claim(ref _claims[phase], _pieces[phase], fromEnd);
}
