using Compression.Onnx.Tensors;
using Onnx;

namespace Compression.Onnx.Conversion;

/// <summary>
/// Opset 7 replaced the binary operators' <c>broadcast</c>/<c>axis</c> attributes by numpy broadcasting. Without an
/// axis, legacy broadcasting aligned B with A's trailing dimensions, which numpy does too; with an axis, B must get
/// trailing ones so that it lines up at that axis.
/// </summary>
internal static class LegacyBroadcast
{
    public static void Up(NodeConversion c)
    {
        bool broadcast = c.TakeAttribute("broadcast") is { I: not 0 };
        AttributeProto? axis = c.TakeAttribute("axis");
        if (!broadcast || axis is null) return;
        int? rankA = c.Rank(c.Input(0));
        TensorProto? b = c.ConstantInput(1);
        if (rankA is null || b is null)
        {
            throw c.Refuse("it broadcasts B at an explicit axis, which needs A's rank and a constant B to rewrite");
        }

        long normalized = axis.I < 0 ? axis.I + rankA.Value : axis.I;
        long trailing = rankA.Value - normalized - b.Dims.Count;
        if (trailing < 0) throw c.Refuse("its broadcast axis does not fit A's rank");
        if (trailing == 0) return;
        TensorProto copy = b.Clone();
        for (long i = 0; i < trailing; i++) copy.Dims.Add(1);
        if (TensorData.IsExternal(copy)) throw c.Refuse("its B tensor is stored as external data");
        c.SetInput(1, c.AddConstant(copy, "b"));
    }
}
