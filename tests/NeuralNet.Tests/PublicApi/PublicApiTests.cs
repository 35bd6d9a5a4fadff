using FluentAssertions;
using Xunit;

namespace NeuralNet.Tests.PublicApi;

/// <summary>
/// Holds NeuralNet's public API against the checked-in baseline PublicApi.approved.txt, so that no change
/// to the public surface slips in unnoticed. After a deliberate change, regenerate the baseline with
/// <c>NEURALNET_UPDATE_PUBLIC_API=1 dotnet test tests/NeuralNet.Tests -c Release --filter FullyQualifiedName~PublicApi</c>
/// and review its diff in the commit.
/// </summary>
public sealed class PublicApiTests
{
    private const string UpdateVariable = "NEURALNET_UPDATE_PUBLIC_API";

    [Fact]
    public void PublicApi_MatchesTheApprovedBaseline()
    {
        string approvedPath = ApprovedPath();
        IReadOnlyList<string> actual = PublicApiSurface.Of(typeof(Network<>).Assembly);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(approvedPath, string.Join('\n', actual) + "\n");
            return;
        }

        string[] approved = File.Exists(approvedPath) ? File.ReadAllLines(approvedPath) : [];
        string[] added = actual.Except(approved, StringComparer.Ordinal).ToArray();
        string[] removed = approved.Except(actual, StringComparer.Ordinal).ToArray();

        (added.Length + removed.Length).Should().Be(0,
            $"the public API must match {approvedPath}; if the change is deliberate, run `{UpdateVariable}=1 dotnet test tests/NeuralNet.Tests -c Release --filter FullyQualifiedName~PublicApi` and commit the new baseline.\n"
            + string.Concat(removed.Select(l => $"- {l}\n")) + string.Concat(added.Select(l => $"+ {l}\n")));
    }

    [Fact]
    public void PublicApiSurface_ListsTypesMembersDefaultsAndConstraints()
    {
        IReadOnlyList<string> surface = PublicApiSurface.Of(typeof(Network<>).Assembly);

        surface.Should().Contain("NeuralNet.Network<T>: public sealed class NeuralNet.Network<T> where T : struct, System.Numerics.IFloatingPointIeee754<T>");
        surface.Should().Contain("NeuralNet.Optimizers.SgdOptimizer<T>: public ctor(double learningRate = 0.01, double momentum = 0, bool nesterov = false, double weightDecay = 0)");
        surface.Should().Contain(l => l.StartsWith("NeuralNet.Optimizers.Optimizer<T>: protected abstract void Update(", StringComparison.Ordinal));
        surface.Should().Contain("NeuralNet.Optimizers.Optimizer<T>: public double? ClipNorm { get; set; }");
        surface.Should().NotContain(l => l.Contains("ValueArray", StringComparison.Ordinal), "internal members are not public API");
        surface.Should().BeInAscendingOrder(StringComparer.Ordinal);
    }

    /// <summary>The baseline in the source tree (found from the test's output folder by the solution file above it).</summary>
    private static string ApprovedPath()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "NeuralNet.sln")))
            {
                return Path.Combine(folder.FullName, "tests", "NeuralNet.Tests", "PublicApi", "PublicApi.approved.txt");
            }
        }

        throw new InvalidOperationException($"NeuralNet.sln was not found above {AppContext.BaseDirectory}.");
    }
}
