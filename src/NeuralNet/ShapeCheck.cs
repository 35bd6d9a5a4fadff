using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Kernels;

namespace NeuralNet;

/// <summary>The argument checks of the public boundary: each throws before any state changes, naming the argument, what was expected and what was received.</summary>
/// <remarks>The checks that run on every training step are a comparison inlined into the caller; the message is built
/// in a separate method that runs only when a check fails (per-sample training makes millions of calls a second).</remarks>
internal static class ShapeCheck
{
    /// <summary>Refuses a null or read-only stream before anything is written (a write would fail half-way otherwise).</summary>
    /// <param name="stream">The caller's stream.</param>
    /// <param name="parameterName">The argument it came from.</param>
    public static void Writable(Stream stream, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(stream, parameterName);
        if (!stream.CanWrite)
        {
            throw new ArgumentException($"{parameterName} must be writable (received a read-only stream).", parameterName);
        }
    }

    /// <summary>
    /// The arguments of an <c>ExportOnnx</c> hook: the graph and the two names (input and output of an activation, input
    /// and prefix of a layer), each refused when null with the caller's own parameter name.
    /// </summary>
    public static void ExportArguments(object graph, string first, string second,
        [CallerArgumentExpression(nameof(graph))] string? graphName = null,
        [CallerArgumentExpression(nameof(first))] string? firstName = null,
        [CallerArgumentExpression(nameof(second))] string? secondName = null)
    {
        ArgumentNullException.ThrowIfNull(graph, graphName);
        ArgumentNullException.ThrowIfNull(first, firstName);
        ArgumentNullException.ThrowIfNull(second, secondName);
    }

    /// <summary>
    /// <c>first × second</c> as the length of one array, computed without overflow: more than
    /// <see cref="Array.MaxLength"/> elements is refused before any buffer or kernel sees the sizes.
    /// </summary>
    /// <param name="first">The first factor (≥ 0).</param>
    /// <param name="second">The second factor (≥ 0).</param>
    /// <param name="what">What the product counts, e.g. "weights (inputSize × outputSize)".</param>
    /// <param name="parameterName">The argument the sizes came from.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Product(int first, int second, string what, string parameterName)
    {
        long product = (long)first * second;
        if (product > Array.MaxLength)
        {
            ThrowTooLarge(first, second, what, parameterName);
        }

        return (int)product;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowTooLarge(int first, int second, string what, string parameterName) =>
        throw new ArgumentOutOfRangeException(parameterName, $"{what}: {first} × {second} = {(long)first * second} values, more than one array can hold ({Array.MaxLength}).");

    /// <summary>
    /// Refuses a batch whose rows times the widest layer would not fit in one array: the network's buffers for
    /// that batch (and the matrix <c>Predict</c> returns) could not be allocated, nor their sizes multiplied.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void BatchFits<T>(int rows, Layers.Layer<T>[] layers, int widest, string parameterName)
        where T : struct, IFloatingPointIeee754<T>
    {
        if ((long)rows * widest > Array.MaxLength)
        {
            BatchTooLarge(rows, layers, parameterName); // the common case is one comparison, inlined: widest is the largest width of any layer
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void BatchTooLarge<T>(int rows, Layers.Layer<T>[] layers, string parameterName)
        where T : struct, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < layers.Length; i++)
        {
            int width = Math.Max(layers[i].InputSize, layers[i].OutputSize);
            if ((long)rows * width > Array.MaxLength)
            {
                Product(rows, width, $"a batch of {rows} rows through layer {i} ({layers[i]}) needs buffers of rows × features", parameterName);
            }
        }
    }

    /// <summary>
    /// Refuses an output matrix whose storage is an array the call reads (<paramref name="what"/>): writing the
    /// output would change the numbers still to be read. MathNet's dense matrices and vectors always use their
    /// whole array, so two of them overlap exactly when they share one.
    /// </summary>
    public static void NotShared<T>(T[] output, T[] read, string what, string parameterName)
    {
        if (ReferenceEquals(output, read))
        {
            throw SharedStorage(what, parameterName);
        }
    }

    /// <summary>
    /// Refuses an output matrix whose storage is one of <paramref name="own"/> (a network's or a layer's weights and
    /// running statistics): the call reads them, and writing the output there would change the model itself.
    /// </summary>
    /// <param name="output">The output's storage.</param>
    /// <param name="own">The arrays read: the parameters, then from <paramref name="firstState"/> on the running statistics.</param>
    /// <param name="owner">Whose they are, for the message ("the network").</param>
    /// <param name="parameterName">The output's parameter name.</param>
    /// <param name="firstState">The index in <paramref name="own"/> of the first running statistic (none by default).</param>
    public static void NotSharedWithAny<T>(T[] output, IReadOnlyList<Parameter<T>> own, string owner, string parameterName, int firstState = int.MaxValue)
        where T : struct, System.Numerics.IFloatingPointIeee754<T>
    {
        for (int i = 0; i < own.Count; i++)
        {
            if (ReferenceEquals(output, own[i].ValueArray))
            {
                throw SharedStorage($"{owner}'s {(i < firstState ? $"parameter {i}" : $"running statistic {i - firstState}")} ({own[i]})", parameterName);
            }
        }
    }

    /// <summary>
    /// Refuses an output span that overlaps a span the call reads (<paramref name="readName"/>), unless it is that very
    /// span and <paramref name="sameAllowed"/> (an activation computes in place: each value is read before the value at
    /// its index is written). A partial overlap would overwrite values still to be read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Apart<T>(ReadOnlySpan<T> read, Span<T> output, bool sameAllowed, string readName, string parameterName)
    {
        // Apart (the common case) in one range comparison; the very same span passes when allowed.
        if (output.Overlaps(read)
            && !(sameAllowed && output.Length == read.Length && Unsafe.AreSame(ref MemoryMarshal.GetReference(output), ref MemoryMarshal.GetReference(read))))
        {
            ThrowOverlap(readName, parameterName, sameAllowed);
        }
    }

    [DoesNotReturn]
    private static void ThrowOverlap(string readName, string parameterName, bool sameAllowed) =>
        throw new ArgumentException($"{parameterName} overlaps {readName}, which the call reads while it writes {parameterName}: pass {(sameAllowed ? $"the very span {readName} (to compute in place) or " : "")}a span apart from it.", parameterName);

    /// <summary>The refusal of <see cref="NotShared"/>, for callers that test many arrays without building a message each time.</summary>
    public static ArgumentException SharedStorage(string what, string parameterName) =>
        new($"{parameterName} must not share its storage with {what}, which the call reads while it writes {parameterName}: pass a separate matrix.", parameterName);

    /// <summary>
    /// The spans of an activation's pass over a <c>rows × columns</c> batch: each must hold exactly that many
    /// values, so the vectorised loops (which take their bounds from the first span) stay inside all of them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void BatchSpans(int rows, int columns, int length, string parameterName)
    {
        if ((rows | columns) < 0 || length != (long)rows * columns)
        {
            ThrowBatchSpans(rows, columns, length, parameterName);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBatchSpans(int rows, int columns, int length, string parameterName)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        throw new ArgumentException($"{parameterName} must hold rows × columns = {rows} × {columns} = {(long)rows * columns} values (received {length}).", parameterName);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NotEmpty<T>(Matrix<T> matrix, string parameterName)
        where T : struct, IFloatingPointIeee754<T>
    {
        if (matrix.RowCount == 0 || matrix.ColumnCount == 0)
        {
            ThrowEmpty(matrix.RowCount, matrix.ColumnCount, parameterName);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowEmpty(int rows, int columns, string parameterName) =>
        throw new ArgumentException($"{parameterName} must have at least one row and one column (received {rows}×{columns}).", parameterName);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Columns<T>(Matrix<T> matrix, int columns, string parameterName)
        where T : struct, IFloatingPointIeee754<T>
    {
        NotEmpty(matrix, parameterName);
        if (matrix.ColumnCount != columns)
        {
            ThrowColumns(matrix.RowCount, matrix.ColumnCount, columns, parameterName);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowColumns(int rows, int received, int columns, string parameterName) =>
        throw new ArgumentException($"{parameterName} must have {columns} columns, one per input feature, and one row per sample (received {rows}×{received}).", parameterName);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Shape<T>(Matrix<T> matrix, int rows, int columns, string parameterName)
        where T : struct, IFloatingPointIeee754<T>
    {
        if (matrix.RowCount != rows || matrix.ColumnCount != columns)
        {
            ThrowShape(matrix.RowCount, matrix.ColumnCount, rows, columns, parameterName);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowShape(int receivedRows, int receivedColumns, int rows, int columns, string parameterName) =>
        throw new ArgumentException($"{parameterName} must be {rows}×{columns} (received {receivedRows}×{receivedColumns}).", parameterName);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Finite<T>(Matrix<T> matrix, string parameterName)
        where T : struct, IFloatingPointIeee754<T>
        => Finite<T>(DenseStorage.Of(matrix), matrix.RowCount, parameterName);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] // a one-sample step's few values: the check inline, without a call
    public static void Finite<T>(ReadOnlySpan<T> values, int rows, string parameterName)
        where T : struct, IFloatingPointIeee754<T>
    {
        if (values.Length > ShortFinite)
        {
            FiniteLong(values, rows, parameterName);
            return;
        }

        T check = T.Zero; // v − v: 0 for a finite v, NaN otherwise (as Elementwise.AllFinite tests a few values)
        for (int i = 0; i < values.Length; i++)
        {
            check += values[i] - values[i];
        }

        if (check != T.Zero)
        {
            ThrowNotFinite(values, rows, parameterName);
        }
    }

    /// <summary>At most this many values take <see cref="Finite{T}(ReadOnlySpan{T}, int, string)"/>'s inline loop.</summary>
    private const int ShortFinite = 4;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FiniteLong<T>(ReadOnlySpan<T> values, int rows, string parameterName)
        where T : struct, IFloatingPointIeee754<T>
    {
        // A large batch on both cores (the length test first, inline: a one-sample step's check stays as it was).
        bool finite = values.Length >= SharedAllFinite<T>.MinimumLength && SharedAllFinite<T>.TryRun(values, out bool shared) ? shared : Elementwise.AllFinite(values);
        if (!finite)
        {
            ThrowNotFinite(values, rows, parameterName);
        }
    }

    /// <summary>Throws the exception of a batch that is not finite, naming the first NaN or infinity's row and column.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void ThrowNotFinite<T>(ReadOnlySpan<T> values, int rows, string parameterName)
        where T : struct, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                throw new ArgumentException($"{parameterName} must contain only finite numbers (received {values[i]} at row {i % Math.Max(rows, 1)}, column {i / Math.Max(rows, 1)}).", parameterName);
            }
        }
    }
}
