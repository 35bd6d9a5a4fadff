using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Kernels;

/// <summary>Access to the column-major array behind a MathNet dense matrix or vector, without copying.</summary>
internal static class DenseStorage
{
    /// <summary>The matrix's storage array (column-major); for a non-dense matrix, a dense copy.</summary>
    public static T[] Of<T>(Matrix<T> matrix)
        where T : struct, IEquatable<T>, IFormattable
        => matrix.Storage is MathNet.Numerics.LinearAlgebra.Storage.DenseColumnMajorMatrixStorage<T> dense
            ? dense.Data // one type test and a field: the training step asks for a dozen arrays per step
            : matrix.ToColumnMajorArray();

    /// <summary>The vector's storage array; for a non-dense vector, a dense copy.</summary>
    public static T[] Of<T>(Vector<T> vector)
        where T : struct, IEquatable<T>, IFormattable
        => vector.AsArray() ?? vector.ToArray();

    /// <summary>Whether the matrix is dense and its storage can be written through.</summary>
    public static bool IsDense<T>(Matrix<T> matrix)
        where T : struct, IEquatable<T>, IFormattable
        => matrix.AsColumnMajorArray() is not null;
}
