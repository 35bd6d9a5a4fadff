using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;

namespace NeuralNet.Training;

/// <summary>
/// Images and labels in two IDX files, read a chunk of items at a time (see
/// <see cref="BatchSources.FromIdx{T}(string, string, double, int)"/>). Both headers are checked when
/// the source is made, and again, with the lengths, at every pass.
/// </summary>
internal sealed class IdxBatchSource<T> : BatchSource<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly string _images;
    private readonly string _labels;
    private readonly T _scale;
    private readonly int _chunkRows;
    private readonly int _pixels;

    public IdxBatchSource(string images, string labels, T scale, int chunkRows)
    {
        _images = images;
        _labels = labels;
        _scale = scale;
        _chunkRows = chunkRows;
        using IdxFile.IdxStream imageFile = IdxFile.Open(images), labelFile = IdxFile.Open(labels);
        _pixels = Check(imageFile, labelFile);
    }

    public override int InputColumns => _pixels;

    public override int TargetColumns => 1;

    public override IEnumerable<Dataset<T>> ReadChunks()
    {
        using IdxFile.IdxStream imageFile = IdxFile.Open(_images), labelFile = IdxFile.Open(_labels);
        Check(imageFile, labelFile);
        int count = imageFile.Dimensions[0];
        byte[] pixelBytes = new byte[_chunkRows * _pixels], labelBytes = new byte[_chunkRows];
        T[]? full = null; // a full chunk's values, reused: the source may reuse a chunk once the next is asked for
        for (int first = 0; first < count; first += _chunkRows)
        {
            int rows = Math.Min(_chunkRows, count - first);
            imageFile.ReadExactly(pixelBytes.AsSpan(0, rows * _pixels));
            labelFile.ReadExactly(labelBytes.AsSpan(0, rows));
            T[] features = rows == _chunkRows ? full ??= new T[rows * _pixels] : new T[rows * _pixels];
            var targets = new T[rows];
            for (int r = 0; r < rows; r++)
            {
                targets[r] = T.CreateChecked(labelBytes[r]);
                ReadOnlySpan<byte> image = pixelBytes.AsSpan(r * _pixels, _pixels);
                for (int c = 0; c < _pixels; c++)
                {
                    features[r + (c * rows)] = T.CreateChecked(image[c]) * _scale; // row-major bytes → column-major matrix
                }
            }

            yield return new Dataset<T>(Matrix<T>.Build.Dense(rows, _pixels, features), Matrix<T>.Build.Dense(rows, 1, targets));
        }
    }

    /// <summary>The pixels per image; throws unless the labels are one byte per image and there is at least one image.</summary>
    private int Check(IdxFile.IdxStream imageFile, IdxFile.IdxStream labelFile)
    {
        if (labelFile.Dimensions.Length != 1)
        {
            throw new InvalidDataException($"{_labels}: expected labels, one dimension of one byte per image (received {string.Join(" × ", labelFile.Dimensions)}).");
        }

        if (imageFile.Dimensions[0] == 0 || imageFile.ItemBytes == 0)
        {
            throw new InvalidDataException($"{_images}: the file holds no images ({string.Join(" × ", imageFile.Dimensions)}).");
        }

        if (labelFile.Dimensions[0] != imageFile.Dimensions[0])
        {
            throw new InvalidDataException($"{_labels}: expected one label per image of {_images}, {imageFile.Dimensions[0]} (received {labelFile.Dimensions[0]}).");
        }

        return imageFile.ItemBytes;
    }
}
