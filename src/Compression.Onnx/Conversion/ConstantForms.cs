using Compression.Onnx.Graph;
using Compression.Onnx.Tensors;
using Onnx;

namespace Compression.Onnx.Conversion;

/// <summary>Constant-12 added value_float(s)/value_int(s)/value_string(s); older schemas only take a <c>value</c> tensor.</summary>
internal static class ConstantForms
{
    public static void ToValueTensor(NodeConversion c)
    {
        TensorProto? tensor = null;
        if (c.TakeAttribute("value_float") is { } f) tensor = TensorData.CreateFloat("", [], [f.F]);
        else if (c.TakeAttribute("value_floats") is { } fs) tensor = TensorData.CreateFloat("", [fs.Floats.Count], [.. fs.Floats]);
        else if (c.TakeAttribute("value_int") is { } i) tensor = TensorData.CreateInt64("", [], [i.I]);
        else if (c.TakeAttribute("value_ints") is { } @is) tensor = TensorData.CreateInt64("", [@is.Ints.Count], [.. @is.Ints]);
        else if (c.TakeAttribute("value_string") is { } s) tensor = TensorData.CreateString("", [], [s.S.ToStringUtf8()]);
        else if (c.TakeAttribute("value_strings") is { } ss) tensor = TensorData.CreateString("", [ss.Strings.Count], ss.Strings.Select(b => b.ToStringUtf8()).ToArray());
        if (tensor is null) return;
        c.SetAttribute(NodeBuilder.TensorAttribute("value", tensor));
    }
}
