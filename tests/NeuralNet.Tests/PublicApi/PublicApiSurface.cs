using System.Reflection;
using System.Runtime.CompilerServices;

namespace NeuralNet.Tests.PublicApi;

/// <summary>
/// The public surface of an assembly as sorted text, one line per public type and per public or
/// protected member: kind and modifiers, C#-like signatures with full type names, top-level
/// nullability, default values and generic constraints. Two assemblies with the same text have the
/// same API.
/// </summary>
internal static class PublicApiSurface
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<Type, string> Keywords = new()
    {
        [typeof(void)] = "void", [typeof(bool)] = "bool", [typeof(byte)] = "byte", [typeof(sbyte)] = "sbyte",
        [typeof(short)] = "short", [typeof(ushort)] = "ushort", [typeof(int)] = "int", [typeof(uint)] = "uint",
        [typeof(long)] = "long", [typeof(ulong)] = "ulong", [typeof(float)] = "float", [typeof(double)] = "double",
        [typeof(decimal)] = "decimal", [typeof(char)] = "char", [typeof(string)] = "string", [typeof(object)] = "object",
    };

    public static IReadOnlyList<string> Of(Assembly assembly)
    {
        var lines = new List<string>();
        foreach (Type type in assembly.GetExportedTypes())
        {
            string owner = Name(type);
            lines.Add($"{owner}: {TypeDeclaration(type)}");
            var nullability = new NullabilityInfoContext();
            foreach (MemberInfo member in type.GetMembers(Declared).Where(m => IsVisible(m, type)))
            {
                string? line = Member(member, nullability);
                if (line is not null)
                {
                    lines.Add($"{owner}: {line}");
                }
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static bool IsVisible(MemberInfo member, Type owner)
    {
        bool protectedVisible = !owner.IsSealed;
        bool Visible(MethodBase? m) => m is not null && (m.IsPublic || (protectedVisible && (m.IsFamily || m.IsFamilyOrAssembly)));
        return member switch
        {
            MethodBase method => Visible(method) && !method.IsSpecialName || method is ConstructorInfo && Visible(method),
            PropertyInfo property => Visible(property.GetMethod) || Visible(property.SetMethod),
            FieldInfo field => field.IsPublic || (protectedVisible && (field.IsFamily || field.IsFamilyOrAssembly)),
            EventInfo e => Visible(e.AddMethod),
            _ => false, // nested types are listed as exported types of their own
        };
    }

    private static string TypeDeclaration(Type type)
    {
        string kind = type.IsInterface ? "interface"
            : type.IsEnum ? "enum"
            : type.IsValueType ? "struct"
            : typeof(Delegate).IsAssignableFrom(type) ? "delegate"
            : type.IsAbstract && type.IsSealed ? "static class"
            : type.IsAbstract ? "abstract class"
            : type.IsSealed ? "sealed class"
            : "class";
        var bases = new List<string>();
        if (type.BaseType is Type baseType && baseType != typeof(object) && baseType != typeof(ValueType) && baseType != typeof(Enum))
        {
            bases.Add(Name(baseType));
        }

        bases.AddRange(type.GetInterfaces().Where(i => i.IsPublic || i.IsNestedPublic).Select(Name).Order(StringComparer.Ordinal));
        return $"public {kind} {Name(type)}{(bases.Count > 0 ? " : " + string.Join(", ", bases) : "")}{Constraints(type.GetGenericArguments())}";
    }

    private static string? Member(MemberInfo member, NullabilityInfoContext nullability) => member switch
    {
        ConstructorInfo c => $"{Access(c)}{(c.IsStatic ? "static " : "")}ctor({Parameters(c, nullability)})",
        MethodInfo m => $"{Access(m)}{Modifiers(m)}{Nullable(m.ReturnType, nullability.Create(m.ReturnParameter))} {m.Name}{GenericParameters(m)}({Parameters(m, nullability)}){Constraints(m.IsGenericMethod ? m.GetGenericArguments() : [])}",
        PropertyInfo p => $"{Access(p.GetMethod ?? p.SetMethod!)}{Modifiers(p.GetMethod ?? p.SetMethod!)}{Nullable(p.PropertyType, nullability.Create(p))} {(p.GetIndexParameters().Length > 0 ? $"this[{string.Join(", ", p.GetIndexParameters().Select(i => $"{Name(i.ParameterType)} {i.Name}"))}]" : p.Name)} {{ {Accessor("get", p.GetMethod)}{Accessor("set", p.SetMethod)}}}",
        FieldInfo f => $"{(f.IsPublic ? "public " : "protected ")}{(f.IsLiteral ? "const " : f.IsStatic ? "static " : "")}{(f.IsInitOnly ? "readonly " : "")}{Nullable(f.FieldType, nullability.Create(f))} {f.Name}{(f.IsLiteral ? $" = {Value(f.GetRawConstantValue())}" : "")}",
        EventInfo e => $"public event {Name(e.EventHandlerType!)} {e.Name}",
        _ => null,
    };

    private static string Access(MethodBase method) => method.IsPublic ? "public " : method.IsFamilyOrAssembly ? "protected internal " : "protected ";

    private static string Modifiers(MethodInfo method)
    {
        if (method.IsStatic)
        {
            return "static ";
        }

        bool isOverride = method.IsVirtual && method.GetBaseDefinition().DeclaringType != method.DeclaringType;
        return method.IsAbstract ? "abstract "
            : isOverride ? (method.IsFinal ? "sealed override " : "override ")
            : method.IsVirtual && !method.IsFinal ? "virtual "
            : "";
    }

    private static string Accessor(string name, MethodInfo? accessor)
    {
        if (accessor is null || !(accessor.IsPublic || accessor.IsFamily || accessor.IsFamilyOrAssembly))
        {
            return "";
        }

        bool init = accessor.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));
        return $"{(accessor.IsPublic ? "" : "protected ")}{(init ? "init" : name)}; ";
    }

    private static string Parameters(MethodBase method, NullabilityInfoContext nullability) =>
        string.Join(", ", method.GetParameters().Select(p =>
        {
            string prefix = p.IsDefined(typeof(ParamArrayAttribute)) ? "params "
                : p.ParameterType.IsByRef ? (p.IsOut ? "out " : p.IsIn ? "in " : "ref ")
                : "";
            Type type = p.ParameterType.IsByRef ? p.ParameterType.GetElementType()! : p.ParameterType;
            string defaultValue = p.HasDefaultValue ? $" = {Value(p.DefaultValue)}" : "";
            return $"{prefix}{Nullable(type, nullability.Create(p))} {p.Name}{defaultValue}";
        }));

    private static string Value(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Nullable(Type type, NullabilityInfo info) =>
        !type.IsValueType && info.ReadState == NullabilityState.Nullable ? Name(type) + "?" : Name(type);

    private static string GenericParameters(MethodInfo method) =>
        method.IsGenericMethod ? $"<{string.Join(", ", method.GetGenericArguments().Select(a => a.Name))}>" : "";

    private static string Constraints(Type[] parameters)
    {
        var clauses = new List<string>();
        foreach (Type parameter in parameters.Where(p => p.IsGenericParameter))
        {
            var parts = new List<string>();
            GenericParameterAttributes attributes = parameter.GenericParameterAttributes;
            if (attributes.HasFlag(GenericParameterAttributes.NotNullableValueTypeConstraint))
            {
                parts.Add(parameter.GetCustomAttributes().Any(a => a.GetType().Name == "IsUnmanagedAttribute") ? "unmanaged" : "struct");
            }
            else if (attributes.HasFlag(GenericParameterAttributes.ReferenceTypeConstraint))
            {
                parts.Add("class");
            }

            parts.AddRange(parameter.GetGenericParameterConstraints().Where(c => c != typeof(ValueType)).Select(Name).Order(StringComparer.Ordinal));
            if (attributes.HasFlag(GenericParameterAttributes.DefaultConstructorConstraint) && !attributes.HasFlag(GenericParameterAttributes.NotNullableValueTypeConstraint))
            {
                parts.Add("new()");
            }

            if (parts.Count > 0)
            {
                clauses.Add($" where {parameter.Name} : {string.Join(", ", parts)}");
            }
        }

        return string.Concat(clauses);
    }

    /// <summary>A C#-like full name: <c>MathNet.Numerics.LinearAlgebra.Matrix&lt;T&gt;</c>, <c>int[]</c>, <c>double?</c>.</summary>
    private static string Name(Type type)
    {
        if (type.IsGenericParameter)
        {
            return type.Name;
        }

        if (Keywords.TryGetValue(type, out string? keyword))
        {
            return keyword;
        }

        if (type.IsArray)
        {
            return $"{Name(type.GetElementType()!)}[{new string(',', type.GetArrayRank() - 1)}]";
        }

        if (type.IsByRef || type.IsPointer)
        {
            return Name(type.GetElementType()!) + (type.IsPointer ? "*" : "&");
        }

        if (System.Nullable.GetUnderlyingType(type) is Type underlying)
        {
            return Name(underlying) + "?";
        }

        string baseName = type.IsNested ? $"{Name(type.DeclaringType!.IsGenericTypeDefinition ? type.DeclaringType : type.DeclaringType)}.{type.Name}" : $"{type.Namespace}.{type.Name}";
        int tick = baseName.LastIndexOf('`');
        if (tick >= 0 && baseName.IndexOf('.', tick) < 0)
        {
            baseName = baseName[..tick];
        }

        if (!type.IsGenericType)
        {
            return baseName;
        }

        // Arguments of an enclosing generic type are shown on the enclosing type's name only.
        Type[] arguments = type.GetGenericArguments();
        int inherited = type.IsNested ? type.DeclaringType!.GetGenericArguments().Length : 0;
        return arguments.Length > inherited ? $"{baseName}<{string.Join(", ", arguments.Skip(inherited).Select(Name))}>" : baseName;
    }
}
