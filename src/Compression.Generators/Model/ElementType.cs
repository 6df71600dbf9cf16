using System;

namespace Compression.Generators.Model;

/// <summary>An ONNX tensor element type the wrapper supports, and how it maps to C# and ONNX Runtime.</summary>
/// <param name="OnnxName">Lower-case ONNX name as written in the manifest (<c>float</c>, <c>int64</c>...).</param>
/// <param name="CSharpType">The C# type users see (<c>float</c>, <c>global::System.Half</c>...).</param>
/// <param name="OrtType">The type ONNX Runtime's generic APIs take (differs for <c>float16</c>).</param>
/// <param name="OrtElementType">The <c>TensorElementType</c> member name.</param>
internal sealed record ElementType(string OnnxName, string CSharpType, string OrtType, string OrtElementType)
{
    private const string OrtNamespace = "global::Microsoft.ML.OnnxRuntime.";

    private static readonly ElementType[] Supported =
    [
        new("float", "float", "float", "Float"),
        new("double", "double", "double", "Double"),
        // ONNX Runtime has its own 16-bit types; System.Half is what .NET users hold, reinterpreted bit for bit.
        new("float16", "global::System.Half", OrtNamespace + "Float16", "Float16"),
        new("bfloat16", OrtNamespace + "BFloat16", OrtNamespace + "BFloat16", "BFloat16"),
        new("int8", "sbyte", "sbyte", "Int8"),
        new("uint8", "byte", "byte", "UInt8"),
        new("int16", "short", "short", "Int16"),
        new("uint16", "ushort", "ushort", "UInt16"),
        new("int32", "int", "int", "Int32"),
        new("uint32", "uint", "uint", "UInt32"),
        new("int64", "long", "long", "Int64"),
        new("uint64", "ulong", "ulong", "UInt64"),
        new("bool", "bool", "bool", "Bool"),
        new("string", "string", "string", "String"),
    ];

    public bool IsString => OnnxName == "string";

    public bool IsHalf => OnnxName == "float16";

    public static ElementType? Find(string onnxName)
    {
        foreach (var type in Supported)
        {
            if (string.Equals(type.OnnxName, onnxName, StringComparison.Ordinal))
            {
                return type;
            }
        }

        return null;
    }
}
