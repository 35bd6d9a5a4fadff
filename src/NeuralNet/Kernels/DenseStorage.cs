using System.Runtime.CompilerServices;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Storage;

namespace NeuralNet.Kernels;

/// <summary>Access to the column-major array behind a MathNet dense matrix or vector, without copying.</summary>
internal static class DenseStorage
{
    /// <summary>The matrix's storage array (column-major); for a non-dense matrix, a dense copy.</summary>
    /// <remarks>
    /// The training step asks for a few dozen arrays per step, so the common case is one comparison of the storage's exact
    /// type and a field load, inlined: a type test (<c>is</c>) against MathNet's storage class, which is not sealed, calls
    /// the runtime's cast helper every time. A storage of a class derived from the dense one still takes the type test.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T[] Of<T>(Matrix<T> matrix)
        where T : struct, IEquatable<T>, IFormattable
    {
        MatrixStorage<T> storage = matrix.Storage;
        return storage.GetType() == typeof(DenseColumnMajorMatrixStorage<T>)
            ? Unsafe.As<DenseColumnMajorMatrixStorage<T>>(storage).Data
            : storage is DenseColumnMajorMatrixStorage<T> dense ? dense.Data : matrix.ToColumnMajorArray();
    }

    /// <summary>The vector's storage array; for a non-dense vector, a dense copy.</summary>
    public static T[] Of<T>(Vector<T> vector)
        where T : struct, IEquatable<T>, IFormattable
        => vector.AsArray() ?? vector.ToArray();

    /// <summary>Whether the matrix is dense and its storage can be written through.</summary>
    public static bool IsDense<T>(Matrix<T> matrix)
        where T : struct, IEquatable<T>, IFormattable
        => matrix.AsColumnMajorArray() is not null;
}
