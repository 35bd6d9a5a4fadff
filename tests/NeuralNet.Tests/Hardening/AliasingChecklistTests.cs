using System.Reflection;
using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Pipelines;
using Xunit;

namespace NeuralNet.Tests.Hardening;

/// <summary>
/// The aliasing class of the bad-input checklist (issue #12, items 4 and 5), over every public method found by
/// reflection: a method that writes a caller's buffer, given an output that is (or overlaps) a buffer the call reads,
/// either refuses it with an <see cref="ArgumentException"/> naming the output parameter, or gives the numbers it gives
/// into a separate buffer. An output that is one of the receiver's own parameters must be refused (writing it would
/// change a weight). Methods whose writes reflection can see (matrices, vectors, arrays) are found by calling them and
/// watching which argument changes; methods writing a span (reflection cannot pass one) are found by their signature
/// and checked by hand below. A new method is found without anyone listing it; exclusions are listed with a reason.
/// </summary>
public sealed class AliasingChecklistTests
{
    /// <summary>Methods that write a caller's buffer but read no other buffer it could overlap, with the reason.</summary>
    private static readonly Dictionary<string, string> NothingToAlias = new()
    {
        ["RandomSource.Shuffle"] = "permutes its one span in place, by design: it reads no other buffer",
        ["FeatureScaler`1.TransformRow"] = "scales its one span in place, by design: it reads no other buffer",
        ["FeatureScaler`1.InverseTransformRow"] = "scales its one span in place, by design: it reads no other buffer",
        ["OneHotEncoder.Encode"] = "reads a string and writes the span: the caller has no buffer in the call to overlap",
        ["WeightInitializer.Initialize"] = "fills its one span from the random source: it reads no other buffer",
    };

    /// <summary>The methods writing a caller's span, checked by hand in <see cref="SpanWriters_GivenAnOutputOverlappingTheirInput_GiveTheNumbersOfASeparateOne"/> and <see cref="AliasingTests"/>.</summary>
    private static readonly string[] SpanWritersCheckedByHand =
    [
        "Network`1.Predict", "ClassifierPipeline`1.PredictProbabilities", "RegressorPipeline`1.Predict",
        "ActivationFunction`1.Forward", "ActivationFunction`1.Backward", // abstract: every built-in override below
        "ElementwiseActivationFunction`1.Forward", "ElementwiseActivationFunction`1.Backward",
        "Identity`1.Forward", "Identity`1.Backward", "Softmax`1.Forward", "Softmax`1.Backward",
    ];

    [Fact]
    public void EveryMethodWritingACallersSpan_IsCheckedByHand_OrHasNothingToAlias()
    {
        string[] found = typeof(Network<>).Assembly.GetExportedTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.GetParameters().Any(p => p.ParameterType.IsGenericType && p.ParameterType.GetGenericTypeDefinition() == typeof(Span<>)))
            .Select(PublicSurfaceChecklistTests.Name).Distinct().Order(StringComparer.Ordinal).ToArray();

        found.Should().BeEquivalentTo(SpanWritersCheckedByHand.Concat(NothingToAlias.Keys), "a new method writing a span is checked by hand or listed with its reason");
    }

    [Fact]
    public void EveryMethodWritingACallersMatrixOrArray_GivenAnInputOrAParameterAsOutput_RefusesItOrGivesTheSameNumbers()
    {
        var failures = new List<string>();
        var writers = new List<string>();
        int aliasedCalls = 0;
        foreach (MethodBase member in PublicSurfaceChecklistTests.AllMembers().Where(m => !m.GetParameters().Any(p => p.ParameterType.IsByRefLike || p.IsOut || p.ParameterType.IsByRef)))
        {
            ParameterInfo[] parameters = member.GetParameters();
            if (!parameters.Any(p => IsBuffer(p.ParameterType)))
            {
                continue;
            }

            (object? receiver, object?[]? arguments, _) = Call(member, null);
            if (arguments is null)
            {
                continue; // no valid call in the samples' world: the other checklist tests report it
            }

            object?[] originals = Arguments(member, out _, out SurfaceSamples world)!;
            world.Dispose();
            object?[] before = originals.Select(Copy).ToArray();
            for (int o = 0; o < parameters.Length; o++)
            {
                // A buffer the call writes: given one filled with a value no call computes, it comes back changed.
                if (!IsBuffer(parameters[o].ParameterType) || originals[o] is null)
                {
                    continue;
                }

                object? sentinel = Sentinel(originals[o]);
                (_, object?[]? watched, Exception? failed) = Call(member, a => a[o] = sentinel);
                if (failed is not null || Same(Copy(watched![o]), Copy(Sentinel(originals[o]))))
                {
                    continue;
                }

                string name = $"{PublicSurfaceChecklistTests.Name(member)}({parameters[o].Name})";
                writers.Add(name);
                object? expected = Copy(arguments[o]);
                int cases = 0;

                // The output is another argument of the call (the very object, then another object on its storage).
                for (int i = 0; i < parameters.Length; i++)
                {
                    if (i == o || parameters[i].ParameterType != parameters[o].ParameterType || !SameShape(originals[i], originals[o]))
                    {
                        continue;
                    }

                    foreach (bool sameObject in new[] { true, false })
                    {
                        cases++;
                        aliasedCalls++;
                        (_, object?[]? args, Exception? thrown) = Call(member, a => a[o] = sameObject ? a[i] : OnTheStorageOf(a[i]));
                        if (thrown is not null)
                        {
                            if (thrown is not ArgumentException { ParamName: var p } || p != parameters[o].Name)
                            {
                                failures.Add($"{name} = {parameters[i].Name}{(sameObject ? "" : "'s storage")}: {Describe(thrown)}");
                            }
                        }
                        else if (!Same(Copy(args![o]), expected))
                        {
                            failures.Add($"{name} = {parameters[i].Name}{(sameObject ? "" : "'s storage")}: other numbers than into a separate buffer");
                        }
                    }
                }

                // The output is one of the receiver's parameters (weights, biases, running statistics): always refused.
                foreach ((string what, double[] storage) in OwnArrays(receiver))
                {
                    if (originals[o] is not Matrix<double> sample || storage.Length % sample.ColumnCount != 0)
                    {
                        continue;
                    }

                    cases++;
                    aliasedCalls++;
                    int rows = storage.Length / sample.ColumnCount;
                    (object? own, _, Exception? thrown) = Call(member, a => RowsOf(a, o, rows), r => Matrix<double>.Build.Dense(rows, sample.ColumnCount, OwnArrays(r).First(x => x.What == what).Storage));
                    if (thrown is not ArgumentException { ParamName: var p } || p != parameters[o].Name)
                    {
                        failures.Add($"{name} = the receiver's {what}: {Describe(thrown)}");
                    }
                }

                if (cases == 0)
                {
                    failures.Add($"{name}: writes a caller's buffer, but no aliasing case applies (add one, or list it with a reason)");
                }
            }
        }

        writers.Should().Contain(["Network`1.Predict(output)", "Network`1.Forward(output)", "DenseLayer`1.Predict(output)", "DropoutLayer`1.Predict(output)", "BatchNormalization`1.Predict(output)"], "the reflection walk must find the library's writers");
        aliasedCalls.Should().BeGreaterThan(20);
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Prepend($"{failures.Count} failures (writers: {string.Join(", ", writers)}):")));
    }

    [Fact]
    public void SpanWriters_GivenAnOutputOverlappingTheirInput_GiveTheNumbersOfASeparateOne()
    {
        Network<double> network = SurfaceSamples.Network(); // 2 → 2 softmax
        var classifier = new ClassifierPipeline<double>(SurfaceSamples.Network(), ["a", "b"]);
        var regressor = new RegressorPipeline<double>(new Network<double>(1, new DenseLayer<double>(2, 2)));
        foreach ((string name, Action<double[], int, int> predict) in new (string, Action<double[], int, int>)[]
        {
            ("Network.Predict", (b, i, o) => network.Predict(b.AsSpan(i, 2), b.AsSpan(o, 2))),
            ("ClassifierPipeline.PredictProbabilities", (b, i, o) => classifier.PredictProbabilities(b.AsSpan(i, 2), b.AsSpan(o, 2))),
            ("RegressorPipeline.Predict", (b, i, o) => regressor.Predict(b.AsSpan(i, 2), b.AsSpan(o, 2))),
        })
        {
            double[] separate = [0.3, -1.2, 0, 0];
            predict(separate, 0, 2);
            foreach (int outputAt in new[] { 0, 1 }) // the very span of the input; shifted by one, overlapping half of it
            {
                double[] shared = [0.3, -1.2, 0];
                predict(shared, 0, outputAt);
                shared.AsSpan(outputAt, 2).ToArray().Should().Equal(separate[2..], $"{name} into its input shifted by {outputAt}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(AliasingTests.Activations), MemberType = typeof(AliasingTests))]
    public void BuiltInActivation_GivenAnOutputOverlappingItsInputOtherThanExactly_RefusesIt(string name)
    {
        // ActivationFunction documents the two cases it handles: the output is the very span of the input, or does not
        // overlap it. Any other overlap must be refused, naming the output, not computed wrongly.
        ActivationFunction<double> f = AliasingTests.Create(name);
        double[] buffer = Enumerable.Range(0, 7).Select(i => (i * 0.7) - 2).ToArray();
        double[] gradient = Enumerable.Range(0, 7).Select(i => 0.1 * i).ToArray();

        FluentActions.Invoking(() => f.Forward(buffer.AsSpan(0, 6), buffer.AsSpan(1, 6), 2, 3)).Should().Throw<ArgumentException>().WithParameterName("a");
        FluentActions.Invoking(() => f.Backward(buffer.AsSpan(0, 6), buffer.AsSpan(0, 6), gradient.AsSpan(0, 6), gradient.AsSpan(1, 6), 2, 3)).Should().Throw<ArgumentException>().WithParameterName("inputGradient");
        FluentActions.Invoking(() => f.Backward(buffer.AsSpan(0, 6), gradient.AsSpan(0, 6), buffer.AsSpan(1, 6), buffer.AsSpan(0, 6), 2, 3)).Should().Throw<ArgumentException>().WithParameterName("inputGradient");
    }

    private static bool IsBuffer(Type type) => type == typeof(Matrix<double>) || type == typeof(Vector<double>) || type == typeof(double[]) || type == typeof(double[,]) || type == typeof(double[][]);

    /// <summary>The valid arguments of a call, from a fresh sample world, with the receiver (null for a static method or constructor).</summary>
    private static object?[]? Arguments(MethodBase member, out object? receiver, out SurfaceSamples samples)
    {
        samples = new SurfaceSamples();
        receiver = member is MethodInfo { IsStatic: false } ? samples.Instance(member.DeclaringType!) : null;
        object?[] arguments = member.GetParameters().Select(samples.Value).ToArray();
        return ReferenceEquals(receiver, SurfaceSamples.Missing) || arguments.Any(a => ReferenceEquals(a, SurfaceSamples.Missing)) ? null : arguments;
    }

    /// <summary>Calls <paramref name="member"/> with valid arguments edited by <paramref name="edit"/> (the receiver may supply the output).</summary>
    private static (object? Receiver, object?[]? Arguments, Exception? Thrown) Call(MethodBase member, Action<object?[]>? edit, Func<object?, object>? outputFromReceiver = null)
    {
        object?[]? arguments = Arguments(member, out object? receiver, out SurfaceSamples samples);
        using (samples)
        {
            if (arguments is null)
            {
                return (null, null, null);
            }

            edit?.Invoke(arguments);
            if (outputFromReceiver is not null)
            {
                int o = Array.FindIndex(arguments, a => ReferenceEquals(a, Placeholder));
                arguments[o] = outputFromReceiver(receiver);
            }

            try
            {
                object? result = member is ConstructorInfo constructor
                    ? constructor.Invoke(BindingFlags.DoNotWrapExceptions, null, arguments, null)
                    : member.Invoke(receiver, BindingFlags.DoNotWrapExceptions, null, arguments, null);
                (result as IDisposable)?.Dispose();
                return (receiver, arguments, null);
            }
            catch (Exception e)
            {
                return (receiver, arguments, e);
            }
        }
    }

    private static readonly object Placeholder = new();

    /// <summary>Gives every matrix argument <paramref name="rows"/> rows (cycling the sample's rows) and marks the output to be taken from the receiver.</summary>
    private static void RowsOf(object?[] arguments, int output, int rows)
    {
        for (int i = 0; i < arguments.Length; i++)
        {
            if (arguments[i] is Matrix<double> m && i != output)
            {
                arguments[i] = Matrix<double>.Build.Dense(rows, m.ColumnCount, (r, c) => m[r % m.RowCount, c]);
            }
        }

        arguments[output] = Placeholder;
    }

    /// <summary>The arrays of the receiver's parameters and state (a network's or a layer's), by name.</summary>
    private static IEnumerable<(string What, double[] Storage)> OwnArrays(object? receiver)
    {
        IEnumerable<Parameter<double>> own = receiver switch
        {
            Network<double> network => network.Layers.SelectMany(l => l.Parameters.Concat(l.State)),
            Layer<double> layer => layer.Parameters.Concat(layer.State),
            _ => [],
        };
        return own.Select((p, i) => ($"{p.Name} #{i}", p.Value.AsColumnMajorArray()));
    }

    /// <summary>A buffer of the shape of <paramref name="buffer"/>, every value 0.123456789.</summary>
    private static object? Sentinel(object? buffer)
    {
        const double Value = 0.123456789;
        return buffer switch
        {
            Matrix<double> m => Matrix<double>.Build.Dense(m.RowCount, m.ColumnCount, Value),
            Vector<double> v => Vector<double>.Build.Dense(v.Count, Value),
            double[] a => Enumerable.Repeat(Value, a.Length).ToArray(),
            double[,] a => Fill(new double[a.GetLength(0), a.GetLength(1)], Value),
            double[][] a => a.Select(r => Enumerable.Repeat(Value, r?.Length ?? 0).ToArray()).ToArray(),
            _ => buffer,
        };
    }

    private static double[,] Fill(double[,] array, double value)
    {
        for (int i = 0; i < array.GetLength(0); i++)
        {
            for (int j = 0; j < array.GetLength(1); j++)
            {
                array[i, j] = value;
            }
        }

        return array;
    }

    private static object? OnTheStorageOf(object? buffer) => buffer switch
    {
        Matrix<double> m => Matrix<double>.Build.Dense(m.RowCount, m.ColumnCount, m.AsColumnMajorArray()),
        Vector<double> v => Vector<double>.Build.Dense(v.AsArray()),
        _ => buffer, // an array is its own storage
    };

    private static object? Copy(object? buffer) => buffer switch
    {
        Matrix<double> m => m.ToColumnMajorArray(),
        Vector<double> v => v.ToArray(),
        double[] a => a.Clone(),
        double[,] a => a.Cast<double>().ToArray(),
        double[][] a => a.SelectMany(r => r ?? []).ToArray(),
        _ => null,
    };

    private static bool Same(object? a, object? b) => a is double[] x && b is double[] y ? x.AsSpan().SequenceEqual(y) : a is null && b is null;

    private static bool SameShape(object? a, object? b) => (a, b) switch
    {
        (Matrix<double> x, Matrix<double> y) => x.RowCount == y.RowCount && x.ColumnCount == y.ColumnCount,
        (Vector<double> x, Vector<double> y) => x.Count == y.Count,
        (double[] x, double[] y) => x.Length == y.Length,
        (double[,] x, double[,] y) => x.GetLength(0) == y.GetLength(0) && x.GetLength(1) == y.GetLength(1),
        (double[][] x, double[][] y) => x.Length == y.Length && x.Zip(y).All(r => r.First.Length == r.Second.Length),
        _ => false,
    };

    private static string Describe(Exception? e) => e is null ? "accepted (no exception)" : $"{e.GetType().Name}: {e.Message}";
}
