using Compression.Onnx.Tensors;
using Onnx;

namespace Compression.Onnx.IO;

/// <summary>The inputs and outputs of a model's main graph (initializers are not inputs), as the manifest describes them.</summary>
public sealed class ModelSignature
{
    private ModelSignature(IReadOnlyList<ValueSignature> inputs, IReadOnlyList<ValueSignature> outputs)
    {
        Inputs = inputs;
        Outputs = outputs;
    }

    /// <summary>The graph inputs that are not initializers, in graph order.</summary>
    public IReadOnlyList<ValueSignature> Inputs { get; }

    /// <summary>The graph outputs, in graph order.</summary>
    public IReadOnlyList<ValueSignature> Outputs { get; }

    /// <summary>Reads the signature of the model file at <paramref name="path"/>.</summary>
    /// <param name="path">The <c>.onnx</c> file.</param>
    public static ModelSignature Read(string path)
    {
        using OnnxModel model = OnnxModel.Load(path);
        return Read(model);
    }

    /// <summary>Reads the signature of a loaded model.</summary>
    /// <param name="model">The model.</param>
    public static ModelSignature Read(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        GraphProto graph = model.Proto.Graph;
        var initializers = new HashSet<string>(StringComparer.Ordinal);
        foreach (TensorProto tensor in graph.Initializer)
        {
            initializers.Add(tensor.Name);
        }

        foreach (SparseTensorProto sparse in graph.SparseInitializer)
        {
            if (sparse.Values is not null)
            {
                initializers.Add(sparse.Values.Name);
            }
        }

        var inputs = new List<ValueSignature>();
        foreach (ValueInfoProto input in graph.Input)
        {
            if (!initializers.Contains(input.Name))
            {
                inputs.Add(ValueSignature.From(input));
            }
        }

        var outputs = new List<ValueSignature>();
        foreach (ValueInfoProto output in graph.Output)
        {
            outputs.Add(ValueSignature.From(output));
        }

        return new ModelSignature(inputs, outputs);
    }
}

/// <summary>One input or output: name, element type name and shape.</summary>
/// <param name="Name">The ONNX value name.</param>
/// <param name="ElementType">
/// The element type as the manifest names it (<c>float</c>, <c>int64</c>, <c>float16</c>...; see
/// <see cref="ElementTypes.GetName"/>). For non-tensor values: <c>sequence</c>, <c>map</c>,
/// <c>optional</c>, <c>sparse_tensor</c>, <c>opaque</c>, or <c>unknown</c> when the type is missing.
/// </param>
/// <param name="Dims">The dims, or <see langword="null"/> when the rank is unknown; empty for a scalar.</param>
public sealed record ValueSignature(string Name, string ElementType, IReadOnlyList<DimSignature>? Dims)
{
    internal static ValueSignature From(ValueInfoProto value)
    {
        TypeProto? type = value.Type;
        switch (type?.ValueCase)
        {
            case TypeProto.ValueOneofCase.TensorType:
                return new ValueSignature(value.Name, ElementTypes.GetName(type.TensorType.ElemType), ReadShape(type.TensorType.Shape));
            case TypeProto.ValueOneofCase.SparseTensorType:
                return new ValueSignature(value.Name, "sparse_tensor", ReadShape(type.SparseTensorType.Shape));
            case TypeProto.ValueOneofCase.SequenceType:
                return new ValueSignature(value.Name, "sequence", null);
            case TypeProto.ValueOneofCase.MapType:
                return new ValueSignature(value.Name, "map", null);
            case TypeProto.ValueOneofCase.OptionalType:
                return new ValueSignature(value.Name, "optional", null);
            case TypeProto.ValueOneofCase.OpaqueType:
                return new ValueSignature(value.Name, "opaque", null);
            default:
                return new ValueSignature(value.Name, "unknown", null);
        }
    }

    private static DimSignature[]? ReadShape(TensorShapeProto? shape)
    {
        if (shape is null)
        {
            return null;
        }

        var dims = new DimSignature[shape.Dim.Count];
        for (int i = 0; i < dims.Length; i++)
        {
            TensorShapeProto.Types.Dimension dim = shape.Dim[i];
            dims[i] = dim.ValueCase switch
            {
                TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue => DimSignature.Fixed(dim.DimValue),
                TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam when dim.DimParam.Length > 0 => DimSignature.Symbolic(dim.DimParam),
                _ => DimSignature.Unknown,
            };
        }

        return dims;
    }
}

/// <summary>One dimension: fixed (<see cref="Value"/>), symbolic (<see cref="Param"/>) or unknown (neither).</summary>
/// <param name="Value">The fixed size, or <see langword="null"/>.</param>
/// <param name="Param">The symbolic name, or <see langword="null"/>.</param>
public sealed record DimSignature(long? Value, string? Param)
{
    /// <summary>A dimension with neither a value nor a name.</summary>
    public static DimSignature Unknown { get; } = new(null, null);

    /// <summary>A fixed dimension.</summary>
    /// <param name="value">Its size.</param>
    public static DimSignature Fixed(long value) => new(value, null);

    /// <summary>A symbolic dimension.</summary>
    /// <param name="param">Its name, for example <c>batch</c>.</param>
    public static DimSignature Symbolic(string param) => new(null, param);
}
