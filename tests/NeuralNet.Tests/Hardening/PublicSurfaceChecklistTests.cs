using System.Reflection;
using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Layers;
using Xunit;

namespace NeuralNet.Tests.Hardening;

/// <summary>
/// The bad-input checklist run over every public constructor and method of the library, found by reflection so a
/// new one is checked without anyone remembering to: each non-nullable reference parameter given null throws
/// <see cref="ArgumentNullException"/> naming it, and each parameter given a bad value (wrong shape, empty, ragged,
/// NaN/Inf, negative, zero, huge, a missing folder) either works or throws one of the exception types the README's
/// conventions document, never a <see cref="NullReferenceException"/>, <see cref="IndexOutOfRangeException"/>,
/// <see cref="OverflowException"/> or the like. Every other argument is valid (<see cref="SurfaceSamples"/>), so
/// the bad one is the only thing wrong with the call.
/// </summary>
public sealed class PublicSurfaceChecklistTests
{
    /// <summary>
    /// Where null is legal although the parameter is not annotated nullable, with the reason. (Parameters annotated
    /// nullable, <c>T?</c>, document that null is legal and are not checked.)
    /// </summary>
    private static readonly Dictionary<string, string> NullAllowed = new()
    {
        ["TrainingCallback`1.On*"] = "the base hooks do nothing and read nothing: an override that does not call them never sees their argument",
        ["TrainingCallback`1.RestoreState"] = "the base keeps no state and reads nothing (a callback with state overrides it)",
        ["EpochRecord.set_*"] = "a record the library fills in each epoch: plain data, not an entry point for input",
        ["LearningRateSchedule.EpochCompleted"] = "the base does nothing and reads nothing (schedules that read the record override it)",
        ["TrainingDivergedException..ctor"] = "an exception's message and inner exception may be null, as for every .NET exception",
        ["GradientCheckReport.*"] = "a positional record the library fills in: plain data, not an entry point for input",
        ["LayerSummary.*"] = "a positional record the library fills in: plain data, not an entry point for input",
        ["Evaluation.*"] = "a positional record the library fills in: plain data, not an entry point for input",
        ["TrainingProgress.*"] = "a positional record the library fills in: plain data, not an entry point for input",
    };

    /// <summary>The exception types the README documents for bad input (and subclasses of them).</summary>
    private static readonly Type[] Documented =
    [
        typeof(ArgumentException), // ArgumentNullException, ArgumentOutOfRangeException
        typeof(InvalidDataException), // bad file or text content (IOException's subclass, listed for clarity)
        typeof(FileNotFoundException),
        typeof(DirectoryNotFoundException),
    ];

    [Fact]
    public void EveryNonNullableReferenceParameter_GivenNull_ThrowsArgumentNullExceptionNamingIt()
    {
        var failures = new List<string>();
        int checkedParameters = 0;
        foreach (MethodBase member in Members())
        {
            ParameterInfo[] parameters = member.GetParameters();
            for (int i = 0; i < parameters.Length; i++)
            {
                if (!MustNotBeNull(member, parameters[i]))
                {
                    continue;
                }

                checkedParameters++;
                using var samples = new SurfaceSamples();
                Exception? thrown = Invoke(member, samples, i, null, out string? setUp);
                if (setUp is not null)
                {
                    failures.Add($"{Name(member)}({parameters[i].Name}): {setUp}");
                }
                else if (thrown is not ArgumentNullException e || (e.ParamName != parameters[i].Name && !IsSetterNamedAsProperty(member, e.ParamName)))
                {
                    failures.Add($"{Name(member)}({parameters[i].Name} = null): {Describe(thrown)}");
                }
            }
        }

        checkedParameters.Should().BeGreaterThan(150, "the reflection walk must find the library's surface");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Prepend($"{failures.Count} failures:")));
    }

    [Fact]
    public void EveryParameter_GivenABadValue_WorksOrThrowsOnlyADocumentedException()
    {
        var failures = new List<string>();
        int calls = 0;
        foreach (MethodBase member in Members())
        {
            ParameterInfo[] parameters = member.GetParameters();
            for (int i = 0; i < parameters.Length; i++)
            {
                foreach (object? bad in BadValues(parameters[i]))
                {
                    calls++;
                    using var samples = new SurfaceSamples();
                    Exception? thrown = Invoke(member, samples, i, bad, out string? setUp);
                    if (setUp is null && thrown is not null && !Documented.Any(t => t.IsInstanceOfType(thrown)))
                    {
                        failures.Add($"{Name(member)}({parameters[i].Name} = {Show(bad)}): {Describe(thrown)}");
                    }
                }
            }
        }

        calls.Should().BeGreaterThan(500);
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Prepend($"{failures.Count} failures:")));
    }

    [Fact]
    public void MethodsReflectionCannotCall_AreCheckedByHand()
    {
        // A span is a ref struct: reflection cannot pass one, so the methods that take a span and a reference are listed
        // here and checked directly. A new one fails this test until it is added.
        string[] spanMethods = AllMembers()
            .Where(m => m.GetParameters().Any(p => p.ParameterType.IsByRefLike) && m.GetParameters().Any(p => MustNotBeNull(m, p, ignoreSpans: true)))
            .Select(Name).Distinct().Order(StringComparer.Ordinal).ToArray();
        spanMethods.Should().BeEquivalentTo(["OneHotEncoder.Encode"]);

        var encoder = new OneHotEncoder(["a", "b"]);
        FluentActions.Invoking(() => encoder.Encode<double>(null!, new double[2])).Should().Throw<ArgumentNullException>().WithParameterName("category");
        FluentActions.Invoking(() => encoder.Encode<double>("a", new double[1])).Should().Throw<ArgumentException>().WithParameterName("destination");
        FluentActions.Invoking(() => encoder.Encode<double>("c", new double[2])).Should().Throw<ArgumentException>().WithParameterName("category");
        FluentActions.Invoking(() => NeuralNet.Initializers.WeightInitializer.GlorotUniform.Initialize<double>(new double[4], 2, 2, null!)).Should().Throw<ArgumentNullException>().WithParameterName("random");
    }

    internal static IEnumerable<MethodBase> AllMembers()
    {
        foreach (Type exported in typeof(Network<>).Assembly.GetExportedTypes())
        {
            if (exported.IsInterface || exported.IsEnum || typeof(Delegate).IsAssignableFrom(exported))
            {
                continue;
            }

            Type type = exported.IsGenericTypeDefinition ? exported.MakeGenericType(typeof(double)) : exported;
            foreach (ConstructorInfo constructor in type.GetConstructors())
            {
                yield return constructor;
            }

            foreach (MethodInfo method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                bool accessor = method.IsSpecialName && !method.Name.StartsWith("set_", StringComparison.Ordinal);
                if (method.IsAbstract || accessor || method.Name.StartsWith("op_", StringComparison.Ordinal) || method.Name is "Deconstruct" or "<Clone>$")
                {
                    continue;
                }

                yield return method.IsGenericMethodDefinition ? method.MakeGenericMethod(method.GetGenericArguments().Select(_ => typeof(double)).ToArray()) : method;
            }
        }
    }

    private static IEnumerable<MethodBase> Members() => AllMembers().Where(m => !m.GetParameters().Any(p => p.ParameterType.IsByRefLike || p.IsOut || p.ParameterType.IsByRef));

    private static bool MustNotBeNull(MethodBase member, ParameterInfo parameter, bool ignoreSpans = false)
    {
        Type type = parameter.ParameterType;
        if (type.IsValueType || (ignoreSpans && type.IsByRefLike) || parameter.IsOut)
        {
            return false;
        }

        if (new NullabilityInfoContext().Create(parameter).WriteState == NullabilityState.Nullable)
        {
            return false;
        }

        string owner = Name(member);
        return !NullAllowed.Keys.Any(k => k.EndsWith('*') ? owner.StartsWith(k[..^1], StringComparison.Ordinal) : owner == k);
    }

    private static bool IsSetterNamedAsProperty(MethodBase member, string? paramName) =>
        member.Name.StartsWith("set_", StringComparison.Ordinal) && paramName == member.Name[4..];

    /// <summary>Calls <paramref name="member"/> with argument <paramref name="index"/> replaced; the exception it threw, if any.</summary>
    private static Exception? Invoke(MethodBase member, SurfaceSamples samples, int index, object? replacement, out string? setUp)
    {
        setUp = null;
        ParameterInfo[] parameters = member.GetParameters();
        object?[] arguments = new object?[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            arguments[i] = i == index ? replacement : samples.Value(parameters[i]);
            if (ReferenceEquals(arguments[i], SurfaceSamples.Missing))
            {
                setUp = $"no sample value for {parameters[i].ParameterType} {parameters[i].Name}";
                return null;
            }
        }

        object? receiver = null;
        if (member is MethodInfo { IsStatic: false })
        {
            receiver = samples.Instance(member.DeclaringType!);
            if (ReferenceEquals(receiver, SurfaceSamples.Missing))
            {
                setUp = $"no receiver of type {member.DeclaringType}";
                return null;
            }
        }

        try
        {
            object? result = member is ConstructorInfo constructor
                ? constructor.Invoke(BindingFlags.DoNotWrapExceptions, null, arguments, null)
                : member.Invoke(receiver, BindingFlags.DoNotWrapExceptions, null, arguments, null);
            (result as IDisposable)?.Dispose();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    private static IEnumerable<object?> BadValues(ParameterInfo parameter)
    {
        Type type = parameter.ParameterType;
        string name = parameter.Name ?? "";
        if (type == typeof(double))
        {
            return [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -1.0, 0.0, 1e308];
        }

        if (type == typeof(int))
        {
            return [-1, 0, int.MaxValue];
        }

        if (type == typeof(string))
        {
            return name == "path" ? ["", Path.Combine(Path.GetTempPath(), "neuralnet-no-such-folder-" + Guid.NewGuid().ToString("N"), "x")] : [""];
        }

        if (type == typeof(Matrix<double>))
        {
            var nan = SurfaceSamples.Rows();
            nan[1, 1] = double.NaN;
            var inf = SurfaceSamples.Rows();
            inf[0, 0] = double.PositiveInfinity;
            return [Matrix<double>.Build.Dense(3, 5, 0.5), Matrix<double>.Build.Dense(4, 1, 1.0), nan, inf];
        }

        if (type == typeof(Vector<double>))
        {
            return [Vector<double>.Build.Dense(5, 0.5), Vector<double>.Build.Dense([double.NaN, 1.0])];
        }

        if (type == typeof(double[][]) || type.IsAssignableFrom(typeof(double[][])))
        {
            return [Array.Empty<double[]>(), new[] { new[] { 1.0, 0.0 }, new[] { 1.0 } }, new[] { new[] { 1.0, 0.0, 1.0 } }, new[] { new[] { double.NaN, 0.0 } }, new double[][] { null! }];
        }

        if (type == typeof(double[,]))
        {
            return [new double[0, 2], new double[3, 5], new double[,] { { double.NaN, 0 } }];
        }

        if (type == typeof(int[]) || type.IsAssignableFrom(typeof(int[])))
        {
            return [Array.Empty<int>(), new[] { -1, 5, 0, 1 }, new[] { 0 }];
        }

        if (type.IsAssignableFrom(typeof(string[])))
        {
            return [Array.Empty<string>(), new[] { "", "" }, new string[] { null!, "a" }, new[] { "a" }];
        }

        if (type.IsAssignableFrom(typeof(double[])))
        {
            return [Array.Empty<double>(), new[] { double.NaN, double.NaN }, new[] { -1.0, -1.0, -1.0, -1.0, -1.0 }];
        }

        if (type == typeof(TextReader))
        {
            return [new StringReader(""), new StringReader("a,b\n1,x\n"), new StringReader("a,b\n1e999,0\n"), new StringReader("a,b\n1\n")];
        }

        if (type == typeof(Stream))
        {
            // Empty, 8 bytes of garbage (expandable, so that a writer may write), read-only. (A stream that fails while
            // written to is the caller's: its own exception passes through, as the README says.)
            var garbage = new MemoryStream();
            garbage.Write([1, 2, 3, 4, 5, 6, 7, 8]);
            garbage.Position = 0;
            return [new MemoryStream(), garbage, new MemoryStream([], writable: false)];
        }

        if (type == typeof(Layer<double>[]))
        {
            return [Array.Empty<Layer<double>>(), new Layer<double>[] { null! }, new Layer<double>[] { new DenseLayer<double>(2, 3), new DenseLayer<double>(4, 1) }];
        }

        if (type == typeof(Table))
        {
            return [new Table([TableColumn.Numeric("other", [1, 2, 3, 4])]), new Table([TableColumn.Text("x0", ["a", "b", "a", "b"]), TableColumn.Numeric("x1", [0, 1, 0, 1])])];
        }

        return [];
    }

    internal static string Name(MethodBase member)
    {
        string type = member.DeclaringType!.IsGenericType ? member.DeclaringType.GetGenericTypeDefinition().Name : member.DeclaringType.Name;
        return $"{type}.{member.Name}";
    }

    private static string Describe(Exception? e) => e is null ? "no exception" : $"{e.GetType().Name}: {e.Message}";

    private static string Show(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        Array a => $"{a.GetType().Name}[{a.Length}]",
        Matrix<double> m => $"Matrix {m.RowCount}x{m.ColumnCount}",
        _ => value.ToString() ?? "?",
    };
}
