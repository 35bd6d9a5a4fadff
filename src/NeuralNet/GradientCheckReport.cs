namespace NeuralNet;

/// <summary>
/// The result of a <see cref="GradientChecker"/> run: how far the backward pass's gradients are from
/// central finite differences, and where the worst mismatch is.
/// </summary>
/// <param name="Checked">How many gradient entries were compared.</param>
/// <param name="MaxRelativeError">The largest relative error <c>|a − n| / max(|a|, |n|, floor)</c> over all entries.</param>
/// <param name="WorstEntry">Where the largest error is, e.g. <c>layer 1 weights[2,0]</c> or <c>input[0,3]</c>.</param>
/// <param name="Analytic">The backward pass's value at the worst entry.</param>
/// <param name="Numeric">The finite-difference value at the worst entry.</param>
public sealed record GradientCheckReport(int Checked, double MaxRelativeError, string WorstEntry, double Analytic, double Numeric)
{
    /// <summary>Whether every entry agrees within <paramref name="tolerance"/> (relative).</summary>
    /// <param name="tolerance">The largest relative error accepted, e.g. 1e-6 in double precision.</param>
    public bool Passes(double tolerance) => MaxRelativeError <= tolerance;

    /// <inheritdoc />
    public override string ToString()
        => $"{Checked} gradient entries checked; worst relative error {MaxRelativeError:E3} at {WorstEntry} (backward pass {Analytic:R}, finite difference {Numeric:R})";
}
