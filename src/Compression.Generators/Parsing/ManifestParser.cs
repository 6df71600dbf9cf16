using System.Collections.Generic;
using System.Threading;
using Compression.Manifest;
using Compression.Generators.Json;
using Compression.Generators.Model;
using Compression.Generators.Naming;
using D = Compression.Generators.GeneratorDiagnostics;

namespace Compression.Generators.Parsing;

/// <summary>
/// Manifest text -> <see cref="ModelSpec"/> + diagnostics (schema version 1, see docs/architecture.md "Manifest").
/// Collects every problem it finds instead of stopping at the first; returns no model when any is an error.
/// </summary>
internal sealed class ManifestParser
{
    // Nested types of every wrapper; a class of the same name would not compile (CS0542).
    private static readonly string[] ReservedClassNames = ["Result", "Binding", "Description", "TensorInfo"];

    // Members a result property must not hide.
    private static readonly string[] ReservedPropertyNames = ["Result", "GetType", "ToString", "Equals", "GetHashCode", "MemberwiseClone", "Finalize"];

    /// <summary>The optional last parameter of every generated <c>Run</c>.</summary>
    public const string RunOptionsParameter = "runOptions";

    private readonly ManifestInput _input;
    private readonly LineMap _lines;
    private readonly List<DiagnosticInfo> _diagnostics = [];
    private bool _hasError;
    private string _item;

    private ManifestParser(ManifestInput input, string text)
    {
        _input = input;
        _lines = new LineMap(input.Path, text);
        _item = FileName(input.Path);
    }

    public static ParseResult Parse(ManifestInput input, CancellationToken cancellationToken)
    {
        if (input.Text is null)
        {
            var location = new LocationInfo(input.Path, 0, 0, 0, 0, 0, 0);
            return new ParseResult(input.Path, null, new EquatableArray<DiagnosticInfo>([DiagnosticInfo.Create(D.UnreadableManifest, location, input.Path)]));
        }

        var parser = new ManifestParser(input, input.Text);
        var model = parser.Read(input.Text, cancellationToken);
        return new ParseResult(input.Path, parser._hasError ? null : model, new EquatableArray<DiagnosticInfo>(parser._diagnostics));
    }

    private ModelSpec? Read(string text, CancellationToken cancellationToken)
    {
        var root = JsonReader.Parse(text, out var jsonError);
        if (root is null)
        {
            var error = jsonError!;
            Report(D.MalformedJson, _lines.At(error.Position, error.Position + 1), _item, error.Message + " at line " + (_lines.At(error.Position, error.Position).StartLine + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            return null;
        }

        if (root.Kind != JsonKind.Object)
        {
            return Invalid(root, "the root must be a JSON object");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var source = OptionalString(root, ManifestContract.Source);
        if (!string.IsNullOrEmpty(source))
        {
            _item = source!;
        }

        var version = root.Find(ManifestContract.SchemaVersionProperty);
        if (version is null)
        {
            return Invalid(root, "\"schemaVersion\" is missing");
        }

        if (!version.Value.TryGetInt64(out var schemaVersion))
        {
            return Invalid(version.Value, "\"schemaVersion\" must be a whole number");
        }

        if (schemaVersion != ManifestContract.SchemaVersion)
        {
            Report(D.UnsupportedSchemaVersion, At(version.Value), _item, version.Value.Text!);
            return null;
        }

        var modelPath = OptionalString(root, ManifestContract.ModelPath);
        var resourceName = OptionalString(root, ManifestContract.ResourceName);
        modelPath = string.IsNullOrEmpty(modelPath) ? null : modelPath;
        resourceName = string.IsNullOrEmpty(resourceName) ? null : resourceName;
        if (modelPath is null == resourceName is null)
        {
            Invalid(root, modelPath is null
                ? "one of \"modelPath\" and \"resourceName\" must be set"
                : "only one of \"modelPath\" and \"resourceName\" may be set");
        }

        var (className, classNameLocation) = ReadClassName(root, source ?? modelPath ?? resourceName ?? FileName(_input.Path));
        var ns = ReadNamespace(root);
        var compression = ReadCompression(root);

        var inputs = ReadTensorList(root, ManifestContract.Inputs, "input");
        var outputs = ReadTensorList(root, ManifestContract.Outputs, "output");
        if (outputs is { Count: 0 })
        {
            Invalid(root.Find(ManifestContract.Outputs)!.Value, "a model needs at least one output");
        }

        if (inputs is null || outputs is null || _hasError)
        {
            return null;
        }

        var (inputSpecs, outputSpecs) = Name(inputs, outputs);
        return new ModelSpec(_input.Path, _item, ns, className, classNameLocation, modelPath, resourceName, compression, inputSpecs, outputSpecs)
        {
            DimParams = CollectDimParams(inputSpecs, outputSpecs),
        };
    }

    private (string Name, LocationInfo Location) ReadClassName(JsonValue root, string stemSource)
    {
        var property = root.Find(ManifestContract.ClassName);
        var explicitName = OptionalString(root, ManifestContract.ClassName);
        var location = property is null ? _lines.At(0, 0) : At(property.Value);
        var name = string.IsNullOrEmpty(explicitName) ? Identifiers.ToPascalCase(Stem(stemSource)) : explicitName!;
        if (name.Length == 0)
        {
            name = "Model";
        }

        if (!Identifiers.IsPlainIdentifier(name))
        {
            Report(D.InvalidName, location, _item, name, "class name", "it is not an identifier, or it is a C# keyword");
        }
        else if (Identifiers.IsLowerCaseAscii(name))
        {
            Report(D.InvalidName, location, _item, name, "class name", "a type name of only lower-case ASCII letters may become a keyword (warning CS8981)");
        }
        else if (System.Array.IndexOf(ReservedClassNames, name) >= 0)
        {
            Report(D.InvalidName, location, _item, name, "class name", "the wrapper declares a nested type of that name");
        }

        return (name, location);
    }

    private string ReadNamespace(JsonValue root)
    {
        var property = root.Find(ManifestContract.Namespace);
        var ns = OptionalString(root, ManifestContract.Namespace);
        if (string.IsNullOrEmpty(ns))
        {
            ns = _input.RootNamespace;
            if (ns.Length == 0)
            {
                return string.Empty;
            }
        }

        foreach (var part in ns!.Split('.'))
        {
            if (!Identifiers.IsPlainIdentifier(part) || part == "global")
            {
                var location = property is null ? _lines.At(0, 0) : At(property.Value);
                Report(D.InvalidName, location, _item, ns, "namespace", "'" + part + "' is not an identifier, or it is a C# keyword");
                break;
            }
        }

        return ns;
    }

    private CompressionSpec ReadCompression(JsonValue root)
    {
        var property = root.Find(ManifestContract.Compression);
        if (property is null || property.Value.Kind == JsonKind.Null)
        {
            return new CompressionSpec("None", "None", "None", 0, "none", null, null);
        }

        var value = property.Value;
        if (value.Kind != JsonKind.Object)
        {
            Invalid(value, "\"compression\" must be an object");
            return new CompressionSpec("None", "None", "None", 0, "none", null, null);
        }

        var quantize = OptionalString(value, ManifestContract.Quantize) ?? "None";
        var mode = OptionalString(value, ManifestContract.Mode) ?? "None";
        var pruning = OptionalString(value, ManifestContract.Pruning) ?? "None";
        var summary = OptionalString(value, ManifestContract.Summary) ?? quantize;
        var sparsity = 0.0;
        var sparsityProperty = value.Find(ManifestContract.Sparsity);
        if (sparsityProperty is not null && sparsityProperty.Value.Kind != JsonKind.Null
            && (!sparsityProperty.Value.TryGetDouble(out sparsity) || sparsity < 0 || sparsity >= 1))
        {
            Invalid(sparsityProperty.Value, "\"sparsity\" must be a number in [0, 1)");
        }

        return new CompressionSpec(quantize, mode, pruning, sparsity, summary, OptionalSize(value, ManifestContract.OriginalBytes), OptionalSize(value, ManifestContract.CompressedBytes));
    }

    private long? OptionalSize(JsonValue owner, string name)
    {
        var property = owner.Find(name);
        if (property is null || property.Value.Kind == JsonKind.Null)
        {
            return null;
        }

        if (!property.Value.TryGetInt64(out var bytes) || bytes < 0)
        {
            Invalid(property.Value, "\"" + name + "\" must be a whole number of bytes or null");
            return null;
        }

        return bytes;
    }

    private List<RawTensor>? ReadTensorList(JsonValue root, string listName, string kind)
    {
        var property = root.Find(listName);
        if (property is null)
        {
            Invalid(root, "\"" + listName + "\" is missing");
            return null;
        }

        if (property.Value.Kind != JsonKind.Array)
        {
            Invalid(property.Value, "\"" + listName + "\" must be an array");
            return null;
        }

        var tensors = new List<RawTensor>();
        var seen = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var item in property.Value.Items)
        {
            var tensor = ReadTensor(item, kind);
            if (tensor is null)
            {
                continue;
            }

            if (!seen.Add(tensor.Name))
            {
                Report(D.DuplicateTensorName, At(tensor.NameValue), _item, kind, tensor.Name);
                continue;
            }

            tensors.Add(tensor);
        }

        return tensors;
    }

    private RawTensor? ReadTensor(JsonValue item, string kind)
    {
        if (item.Kind != JsonKind.Object)
        {
            Invalid(item, "each " + kind + " must be an object");
            return null;
        }

        var nameProperty = item.Find(ManifestContract.Name);
        if (nameProperty is null || nameProperty.Value.Kind != JsonKind.String || nameProperty.Value.Text!.Length == 0)
        {
            Invalid(nameProperty?.Value ?? item, "each " + kind + " needs a non-empty string \"name\"");
            return null;
        }

        var name = nameProperty.Value.Text!;
        var typeProperty = item.Find(ManifestContract.ElementType);
        if (typeProperty is null || typeProperty.Value.Kind != JsonKind.String)
        {
            Invalid(typeProperty?.Value ?? item, "the " + kind + " '" + name + "' needs a string \"elementType\"");
            return null;
        }

        var elementType = ElementType.Find(typeProperty.Value.Text!);
        if (elementType is null)
        {
            Report(D.UnsupportedElementType, At(typeProperty.Value), _item, kind, name, typeProperty.Value.Text!);
        }

        var dims = ReadDims(item, kind, name, out var hasRank);
        return elementType is null || dims is null ? null : new RawTensor(name, nameProperty.Value, elementType, hasRank, dims);
    }

    private List<DimSpec>? ReadDims(JsonValue item, string kind, string name, out bool hasRank)
    {
        hasRank = false;
        var property = item.Find(ManifestContract.Dims);
        if (property is null || property.Value.Kind == JsonKind.Null)
        {
            return [];
        }

        if (property.Value.Kind != JsonKind.Array)
        {
            Invalid(property.Value, "\"dims\" of the " + kind + " '" + name + "' must be an array or null");
            return null;
        }

        hasRank = true;
        var dims = new List<DimSpec>();
        foreach (var dim in property.Value.Items)
        {
            if (dim.Kind != JsonKind.Object)
            {
                Invalid(dim, "each dim of the " + kind + " '" + name + "' must be an object: { \"value\": n }, { \"param\": \"name\" } or { }");
                return null;
            }

            var value = dim.Find(ManifestContract.DimValue);
            var param = dim.Find(ManifestContract.DimParam);
            long? fixedValue = null;
            string? paramName = null;
            if (value is not null && value.Value.Kind != JsonKind.Null)
            {
                if (!value.Value.TryGetInt64(out var v) || v < 0)
                {
                    Invalid(value.Value, "a dim \"value\" of the " + kind + " '" + name + "' must be a whole number >= 0");
                    return null;
                }

                fixedValue = v;
            }

            if (param is not null && param.Value.Kind != JsonKind.Null)
            {
                if (param.Value.Kind != JsonKind.String)
                {
                    Invalid(param.Value, "a dim \"param\" of the " + kind + " '" + name + "' must be a string");
                    return null;
                }

                // ONNX writes an empty dim_param for "unknown"; treat it as unknown, not as a name.
                paramName = param.Value.Text!.Length == 0 ? null : param.Value.Text;
            }

            if (fixedValue is not null && paramName is not null)
            {
                Invalid(dim, "a dim of the " + kind + " '" + name + "' cannot have both \"value\" and \"param\"");
                return null;
            }

            dims.Add(new DimSpec(fixedValue, paramName));
        }

        return dims;
    }

    private (EquatableArray<TensorSpec> Inputs, EquatableArray<TensorSpec> Outputs) Name(List<RawTensor> inputs, List<RawTensor> outputs)
    {
        // Parameters of Run and Bind share one scope: inputs, then outputs (Bind), then shape parameters.
        var parameterNames = new List<string>();
        foreach (var tensor in inputs)
        {
            parameterNames.Add(Desired(Identifiers.ToCamelCase(tensor.Name), "input", parameterNames.Count));
        }

        foreach (var tensor in outputs)
        {
            parameterNames.Add(Desired(Identifiers.ToCamelCase(tensor.Name), "output", parameterNames.Count - inputs.Count));
        }

        var shapeNames = new List<string>();
        foreach (var (tensor, index) in Indexed(inputs))
        {
            shapeNames.Add(NeedsShape(tensor) ? Identifiers.Unescape(parameterNames[index]) + "Shape" : string.Empty);
        }

        var avoid = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var name in parameterNames)
        {
            avoid.Add(Identifiers.Unescape(name));
        }

        foreach (var name in shapeNames)
        {
            avoid.Add(name);
        }

        // "runOptions" is Run's own last parameter.
        var parameters = new NameScope(RunOptionsParameter);
        var all = new List<RawTensor>(inputs);
        all.AddRange(outputs);
        for (var i = 0; i < all.Count; i++)
        {
            parameterNames[i] = TakeName(parameters, parameterNames[i], avoid, all[i], i < inputs.Count ? "input" : "output");
        }

        for (var i = 0; i < inputs.Count; i++)
        {
            if (shapeNames[i].Length > 0)
            {
                shapeNames[i] = TakeName(parameters, shapeNames[i], avoid, inputs[i], "input");
            }
        }

        // Result properties: output names, then their shapes.
        var propertyNames = new List<string>();
        var shapeProperties = new List<string>();
        avoid.Clear();
        foreach (var (tensor, index) in Indexed(outputs))
        {
            var name = Desired(Identifiers.ToPascalCase(tensor.Name), "Output", index);
            propertyNames.Add(name);
            shapeProperties.Add(tensor.HasRank && tensor.Dims.Count == 0 ? string.Empty : name + "Shape");
            avoid.Add(name);
            avoid.Add(name + "Shape");
        }

        var properties = new NameScope(ReservedPropertyNames);
        for (var i = 0; i < outputs.Count; i++)
        {
            propertyNames[i] = TakeName(properties, propertyNames[i], avoid, outputs[i], "output");
        }

        for (var i = 0; i < outputs.Count; i++)
        {
            if (shapeProperties[i].Length > 0)
            {
                shapeProperties[i] = TakeName(properties, shapeProperties[i], avoid, outputs[i], "output");
            }
        }

        var inputSpecs = new TensorSpec[inputs.Count];
        for (var i = 0; i < inputs.Count; i++)
        {
            var t = inputs[i];
            inputSpecs[i] = new TensorSpec(t.Name, parameterNames[i], shapeNames[i], string.Empty, string.Empty, t.ElementType, t.HasRank, new EquatableArray<DimSpec>(t.Dims));
        }

        var outputSpecs = new TensorSpec[outputs.Count];
        for (var i = 0; i < outputs.Count; i++)
        {
            var t = outputs[i];
            outputSpecs[i] = new TensorSpec(t.Name, parameterNames[inputs.Count + i], string.Empty, propertyNames[i], shapeProperties[i], t.ElementType, t.HasRank, new EquatableArray<DimSpec>(t.Dims));
        }

        return (new EquatableArray<TensorSpec>(inputSpecs), new EquatableArray<TensorSpec>(outputSpecs));
    }

    private string TakeName(NameScope scope, string desired, HashSet<string> avoid, RawTensor tensor, string kind)
    {
        var name = scope.Take(desired, avoid, out var renamed);
        if (renamed)
        {
            Report(D.RenamedMember, At(tensor.NameValue), _item, kind, tensor.Name, name, Identifiers.Unescape(desired));
        }

        return name;
    }

    private static bool NeedsShape(RawTensor tensor)
    {
        if (!tensor.HasRank)
        {
            return true;
        }

        foreach (var dim in tensor.Dims)
        {
            if (dim.Value is null)
            {
                return true;
            }
        }

        return false;
    }

    private static string Desired(string sanitised, string fallback, int index)
        => sanitised.Length > 0 ? sanitised : fallback + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static IEnumerable<(T Item, int Index)> Indexed<T>(List<T> items)
    {
        for (var i = 0; i < items.Count; i++)
        {
            yield return (items[i], i);
        }
    }

    private static EquatableArray<string> CollectDimParams(EquatableArray<TensorSpec> inputs, EquatableArray<TensorSpec> outputs)
    {
        var names = new List<string>();
        foreach (var tensor in System.Linq.Enumerable.Concat(inputs, outputs))
        {
            foreach (var dim in tensor.Dims)
            {
                if (dim.Param is not null && !names.Contains(dim.Param))
                {
                    names.Add(dim.Param);
                }
            }
        }

        return new EquatableArray<string>(names);
    }

    private string? OptionalString(JsonValue owner, string name)
    {
        var property = owner.Find(name);
        if (property is null || property.Value.Kind == JsonKind.Null)
        {
            return null;
        }

        if (property.Value.Kind != JsonKind.String)
        {
            Invalid(property.Value, "\"" + name + "\" must be a string or null");
            return null;
        }

        return property.Value.Text;
    }

    private ModelSpec? Invalid(JsonValue at, string message)
    {
        Report(D.InvalidManifest, At(at), _item, message);
        return null;
    }

    private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, LocationInfo location, params string[] arguments)
    {
        _hasError |= descriptor.DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error;
        _diagnostics.Add(DiagnosticInfo.Create(descriptor, location, arguments));
    }

    private LocationInfo At(JsonValue value) => _lines.At(value.Start, value.End);

    private static string FileName(string path)
    {
        var slash = System.Math.Max(path.LastIndexOf('/'), path.LastIndexOf('\\'));
        return path.Substring(slash + 1);
    }

    // "models/silero_vad_v5.onnx" -> "silero_vad_v5"
    private static string Stem(string path)
    {
        var name = FileName(path);
        var dot = name.LastIndexOf('.');
        return dot > 0 ? name.Substring(0, dot) : name;
    }

    private sealed record RawTensor(string Name, JsonValue NameValue, ElementType ElementType, bool HasRank, List<DimSpec> Dims);
}
