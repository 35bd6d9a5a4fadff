using System.Numerics;

namespace NeuralNet.Data;

/// <summary>
/// One-hot encoding of a categorical column (text values such as <c>red</c>, <c>green</c>): the
/// categories seen in the training data, sorted by ordinal string comparison, each becoming one
/// column that is 1 for that category and 0 for the others.
/// </summary>
/// <remarks>
/// A category not seen in training has no column: <see cref="IndexOf"/> and the encoding methods
/// refuse it with an <see cref="ArgumentException"/> naming the value and the known categories
/// (there is no silent all-zero row).
/// </remarks>
public sealed class OneHotEncoder
{
    private readonly string[] _categories;
    private readonly Dictionary<string, int> _index;

    /// <summary>Creates an encoder for known categories (e.g. saved ones), in the given order.</summary>
    /// <param name="categories">The categories, at least one, no duplicates, no null.</param>
    public OneHotEncoder(IEnumerable<string> categories)
    {
        ArgumentNullException.ThrowIfNull(categories);
        _categories = categories.ToArray();
        if (_categories.Length == 0)
        {
            throw new ArgumentException("categories must hold at least one category (received none).", nameof(categories));
        }

        _index = new Dictionary<string, int>(_categories.Length, StringComparer.Ordinal);
        for (int i = 0; i < _categories.Length; i++)
        {
            if (_categories[i] is null || !_index.TryAdd(_categories[i], i))
            {
                throw new ArgumentException($"categories must be distinct and not null (received {(_categories[i] is null ? "null" : $"'{_categories[i]}' twice")} at index {i}).", nameof(categories));
            }
        }
    }

    /// <summary>The categories, in column order.</summary>
    public IReadOnlyList<string> Categories => _categories;

    /// <summary>The number of columns the encoding gives (one per category).</summary>
    public int Count => _categories.Length;

    /// <summary>Learns the categories of a training column: its distinct values, sorted ordinally.</summary>
    /// <param name="values">The training column's values, at least one, no null.</param>
    public static OneHotEncoder Fit(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var distinct = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string value in values)
        {
            distinct.Add(value ?? throw new ArgumentException("values must not contain null.", nameof(values)));
        }

        return new OneHotEncoder(distinct);
    }

    /// <summary>The column of <paramref name="category"/>.</summary>
    /// <param name="category">A category seen in training.</param>
    /// <exception cref="ArgumentException">The category was not seen in training.</exception>
    public int IndexOf(string category)
    {
        ArgumentNullException.ThrowIfNull(category);
        return _index.TryGetValue(category, out int index)
            ? index
            : throw new ArgumentException($"the category '{category}' was not seen in training (known: {string.Join(", ", _categories)}).", nameof(category));
    }

    /// <summary>Writes the one-hot row of <paramref name="category"/> into <paramref name="destination"/> (<see cref="Count"/> values), allocating nothing.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="category">A category seen in training.</param>
    /// <param name="destination">Receives 1 at the category's column, 0 elsewhere.</param>
    public void Encode<T>(string category, Span<T> destination)
        where T : struct, IFloatingPointIeee754<T>
    {
        if (destination.Length != _categories.Length)
        {
            throw new ArgumentException($"destination must hold {_categories.Length} values, one per category (received {destination.Length}).", nameof(destination));
        }

        int index = IndexOf(category);
        destination.Clear();
        destination[index] = T.One;
    }

    /// <inheritdoc />
    public override string ToString() => $"OneHotEncoder[{string.Join(", ", _categories)}]";
}
