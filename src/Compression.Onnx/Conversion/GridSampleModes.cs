using static Compression.Onnx.Conversion.AttributeMoves;
using static Compression.Onnx.Graph.NodeBuilder;

namespace Compression.Onnx.Conversion;

/// <summary>GridSample-20 renamed its modes (bilinear -> linear, bicubic -> cubic) and made linear the default, as bilinear was.</summary>
internal static class GridSampleModes
{
    public static void Rename(NodeConversion c, bool toNew)
    {
        string? mode = c.StringAttribute("mode");
        string? renamed = (mode, toNew) switch
        {
            ("bilinear", true) => "linear",
            ("bicubic", true) => "cubic",
            ("linear", false) => "bilinear",
            ("cubic", false) => "bicubic",
            _ => null,
        };
        if (renamed is not null) c.SetAttribute(StringAttribute("mode", renamed));
        if (!toNew && c.Rank(c.Input(0)) is > 4) throw c.Refuse("the older schema samples 4-D inputs only");
    }
}
