using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using nietras.SeparatedValues;
using NeuralNet.Data;

namespace NeuralNet.Training;

/// <summary>Makes <see cref="BatchSource{T}"/>s: from a CSV file read in chunks, or from chunks the caller produces.</summary>
public static class BatchSources
{
    /// <summary>
    /// A numeric CSV file (as <see cref="CsvDataset"/> reads it: a header, numbers only) read
    /// <paramref name="chunkRows"/> rows at a time, again for every epoch; only one chunk is in memory.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="path">The file.</param>
    /// <param name="targetColumn">The header name of the target column; the others are the inputs.</param>
    /// <param name="chunkRows">Rows per chunk, ≥ 1; default 8192.</param>
    /// <exception cref="InvalidDataException">While reading: a malformed line (the message names the file, line and column).</exception>
    public static BatchSource<T> FromCsv<T>(string path, string targetColumn, int chunkRows = 8192)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(targetColumn);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkRows, 1);
        return new CsvBatchSource<T>(path, targetColumn, chunkRows);
    }

    /// <summary>
    /// Images and their labels in IDX files (MNIST, Fashion-MNIST; gzipped or not, as
    /// <see cref="IdxFile"/> reads them) read <paramref name="chunkRows"/> items at a time, again for
    /// every epoch: only one chunk of each file is in memory. Each image is a row of its pixels
    /// (row-major, times <paramref name="scale"/>); each label a class index (one target column).
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="imagesPath">The images: <c>n × rows × columns</c> (or <c>n × features</c>) unsigned bytes.</param>
    /// <param name="labelsPath">The labels: <c>n</c> unsigned bytes, one per image.</param>
    /// <param name="scale">Each pixel byte is multiplied by this, e.g. 1/255 for [0, 1]; default 1.</param>
    /// <param name="chunkRows">Images per chunk, ≥ 1; default 8192.</param>
    /// <exception cref="InvalidDataException">A malformed header, sizes that do not match the file, labels that are not one per image, or (while reading) a file that ends early; the message names the file.</exception>
    public static BatchSource<T> FromIdx<T>(string imagesPath, string labelsPath, double scale = 1, int chunkRows = 8192)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(imagesPath);
        ArgumentException.ThrowIfNullOrEmpty(labelsPath);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkRows, 1);
        return new IdxBatchSource<T>(imagesPath, labelsPath, IdxFile.Scale<T>(scale, nameof(scale)), chunkRows);
    }

    /// <summary>Chunks the caller produces, e.g. from a database query or a file format of its own.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="inputColumns">The input columns of every chunk, ≥ 1.</param>
    /// <param name="targetColumns">The target columns of every chunk, ≥ 1.</param>
    /// <param name="readPass">Returns one pass over the data as chunks of rows; called once per epoch.</param>
    public static BatchSource<T> FromChunks<T>(int inputColumns, int targetColumns, Func<IEnumerable<Dataset<T>>> readPass)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputColumns, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetColumns, 1);
        ArgumentNullException.ThrowIfNull(readPass);
        return new DelegateBatchSource<T>(inputColumns, targetColumns, readPass);
    }

    private sealed class DelegateBatchSource<T>(int inputColumns, int targetColumns, Func<IEnumerable<Dataset<T>>> readPass) : BatchSource<T>
        where T : struct, IFloatingPointIeee754<T>
    {
        public override int InputColumns => inputColumns;

        public override int TargetColumns => targetColumns;

        public override IEnumerable<Dataset<T>> ReadChunks() => readPass() ?? throw new InvalidOperationException("readPass returned null: it must return a sequence of chunks.");
    }

    private sealed class CsvBatchSource<T> : BatchSource<T>
        where T : struct, IFloatingPointIeee754<T>
    {
        private readonly string _path;
        private readonly int _chunkRows;
        private readonly string[] _header;
        private readonly int _target;

        public CsvBatchSource(string path, string targetColumn, int chunkRows)
        {
            _path = path;
            _chunkRows = chunkRows;
            using (var reader = new StreamReader(path))
            {
                _header = CsvDataset.ReadHeader(reader, path);
            }

            _target = Array.IndexOf(_header, targetColumn);
            if (_target < 0)
            {
                throw new ArgumentException($"targetColumn '{targetColumn}' is not in the header of {path} (columns: {string.Join(", ", _header)}).", nameof(targetColumn));
            }
        }

        public override int InputColumns => _header.Length - 1;

        public override int TargetColumns => 1;

        public override IEnumerable<Dataset<T>> ReadChunks()
        {
            string[] featureNames = _header.Where((_, c) => c != _target).ToArray();
            string[] targetNames = [_header[_target]];
            using var text = new StreamReader(_path);
            CsvDataset.ReadHeader(text, _path); // checked when the source was made; read again for this pass
            using SepReader reader = CsvRows.OpenNumbers(text);
            T[] features = new T[_chunkRows * InputColumns], targets = new T[_chunkRows];
            var values = new T[_header.Length];
            int rows = 0;
            foreach (SepReader.Row row in reader)
            {
                if (CsvRows.IsBlank(row))
                {
                    continue;
                }

                CsvRows.ParseNumbers<T>(row, _header, _path, CsvRows.LineNumber(row) + 1, values); // + 1: the header line
                for (int c = 0, f = 0; c < values.Length; c++)
                {
                    if (c == _target)
                    {
                        targets[rows] = values[c];
                    }
                    else
                    {
                        features[rows + (f++ * _chunkRows)] = values[c]; // column-major, as MathNet stores it
                    }
                }

                if (++rows == _chunkRows)
                {
                    yield return Chunk(features, targets, rows, featureNames, targetNames);
                    rows = 0;
                }
            }

            if (rows > 0)
            {
                yield return Chunk(features, targets, rows, featureNames, targetNames);
            }
        }

        private Dataset<T> Chunk(T[] features, T[] targets, int rows, string[] featureNames, string[] targetNames)
        {
            Matrix<T> x = rows == _chunkRows
                ? Matrix<T>.Build.Dense(rows, InputColumns, features)
                : Matrix<T>.Build.Dense(rows, InputColumns, (r, c) => features[r + (c * _chunkRows)]);
            Matrix<T> y = Matrix<T>.Build.Dense(rows, 1, rows == _chunkRows ? targets : targets[..rows]);
            return new Dataset<T>(x, y, featureNames, targetNames);
        }
    }
}
