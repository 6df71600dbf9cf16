using Compression.Onnx.Tensors;
using static Compression.Onnx.Graph.NodeBuilder;
using Google.Protobuf;
using Onnx;
using AttributeType = Onnx.AttributeProto.Types.AttributeType;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Compression.Onnx.Conversion;

/// <summary>
/// The building blocks of the adapter table: move an attribute to an input (when a schema turns a static
/// parameter into a tensor input) and back, require an attribute to keep its default, rename or drop one.
/// </summary>
internal static class AttributeMoves
{
    /// <summary>Integer list attribute &lt;-&gt; 1-D int64 input (axes, pads, starts, split...).</summary>
    public static OpChange Ints(string op, int version, string attribute, int input, bool required = false) => new(op, version,
        c =>
        {
            if (c.TakeAttribute(attribute) is { } a) c.SetInput(input, c.AddInt64s(attribute, [.. a.Ints]));
            else if (required) throw c.Refuse($"the '{attribute}' attribute is missing");
        },
        c =>
        {
            if (c.Input(input).Length == 0) return;
            c.SetAttribute(IntsAttribute(attribute, c.RequireInt64Input(input, attribute)));
            c.ClearInput(input);
        });

    /// <summary>Integer attribute &lt;-&gt; one-element int64 input (TopK's k).</summary>
    public static OpChange Int(string op, int version, string attribute, int input) => new(op, version,
        c =>
        {
            AttributeProto a = c.TakeAttribute(attribute) ?? throw c.Refuse($"the '{attribute}' attribute is missing");
            c.SetInput(input, c.AddInt64s(attribute, [a.I]));
        },
        c =>
        {
            long[] v = c.RequireInt64Input(input, attribute);
            if (v.Length != 1) throw c.Refuse($"its {attribute} input has {v.Length} values, the attribute takes one");
            c.SetAttribute(IntAttribute(attribute, v[0]));
            c.ClearInput(input);
        });

    /// <summary>Float attribute &lt;-&gt; scalar input of the data's element type (Clip's min/max, Pad's value); absent stays absent.</summary>
    public static void FloatToScalarInput(NodeConversion c, string attribute, int input, float? omitWhen)
    {
        if (c.TakeAttribute(attribute) is not { } a) return;
        if (omitWhen is float skip && a.F.Equals(skip)) return;
        c.SetInput(input, c.AddConstant(Scalar(c, c.ElementType(c.Input(0)), a.F), attribute));
    }

    public static void ScalarInputToFloat(NodeConversion c, string attribute, int input)
    {
        if (c.Input(input).Length == 0) return;
        float[] v = c.RequireFloatInput(input, attribute);
        if (v.Length != 1) throw c.Refuse($"its {attribute} input has {v.Length} values, the attribute takes one");
        c.SetAttribute(FloatAttribute(attribute, v[0]));
        c.ClearInput(input);
    }

    /// <summary>A change that only widens types or adds attributes: nothing to do going up; going down the new attribute must keep its default.</summary>
    public static OpChange DownNeedsDefault(string op, int version, string attribute, string what) => new(op, version, null,
        c =>
        {
            if (c.Attribute(attribute) is { } a && !IsDefault(a)) throw c.Refuse($"the older schema has no '{attribute}' ({what})");
            c.TakeAttribute(attribute);
        });

    /// <summary>A change that cannot be made either way.</summary>
    public static OpChange Refused(string op, int version, string reason) => new(op, version, c => throw c.Refuse(reason), c => throw c.Refuse(reason));

    /// <summary>Drops an attribute the newer schema no longer has, when it holds the value the newer schema behaves as.</summary>
    public static void DropAttribute(NodeConversion c, string attribute, long keeps, string meaning)
    {
        if (c.TakeAttribute(attribute) is { } a && a.I != keeps) throw c.Refuse($"'{attribute}'={a.I} ({meaning}) has no equivalent in the newer schema");
    }

    /// <summary>A scalar of <paramref name="type"/> (float when the graph does not tell the type: the older schemas accepted float types only).</summary>
    private static TensorProto Scalar(NodeConversion c, DataType type, float value) => type switch
    {
        DataType.Float16 => TensorData.CreateFloat16("", [], [value]),
        DataType.Bfloat16 => TensorData.CreateBFloat16("", [], [value]),
        DataType.Double => TensorData.CreateFromRawBytes("", (int)DataType.Double, [], BitConverter.GetBytes((double)value)),
        DataType.Float or DataType.Undefined => TensorData.CreateFloat("", [], [value]),
        _ => throw c.Refuse($"its data is {type}, which the older float-only schema did not take"),
    };

    private static bool IsDefault(AttributeProto a) => a.Type switch
    {
        AttributeType.Int => a.I == 0,
        AttributeType.Ints => a.Ints.All(v => v == 1) || a.Ints.Count == 0,
        AttributeType.String => a.S.IsEmpty,
        _ => false,
    };
}
