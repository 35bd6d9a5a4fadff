using System.Globalization;
using System.Text;

namespace NeuralNet;

/// <summary>
/// The members of a record's <c>ToString</c> (<c>Name { A = 1, B = 2 }</c>) without those not set:
/// a null metric prints nothing rather than <c>Rmse = ,</c>.
/// </summary>
internal static class RecordText
{
    /// <summary>Appends <c>name = value</c> when <paramref name="value"/> is set, after a comma when it is not the first member.</summary>
    /// <param name="builder">The record's text.</param>
    /// <param name="start">The builder's length before the first member.</param>
    /// <param name="name">The member's name.</param>
    /// <param name="value">Its value, or null to leave it out.</param>
    public static void Append(StringBuilder builder, int start, string name, object? value)
    {
        if (value is null)
        {
            return;
        }

        if (builder.Length > start)
        {
            builder.Append(", ");
        }

        builder.Append(name).Append(" = ").Append(Convert.ToString(value, CultureInfo.InvariantCulture));
    }
}
