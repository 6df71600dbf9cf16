using Onnx;
using static Compression.Onnx.Conversion.AttributeMoves;
using static Compression.Onnx.Graph.NodeBuilder;

namespace Compression.Onnx.Conversion;

/// <summary>
/// Resize across its schema changes. Resize-10 (and Upsample) map output to input coordinates as x / scale
/// ("asymmetric") and, for nearest, truncate when upsampling and round up when downsampling (ONNX Runtime's
/// behaviour for opset &lt; 11); Resize-11 says the same with coordinate_transformation_mode=asymmetric and
/// nearest_mode floor or ceil, and takes an roi input before the scales.
/// </summary>
internal static class ResizeModes
{
    public static void Up11(NodeConversion c)
    {
        string mode = c.StringAttribute("mode") ?? "nearest";
        if (mode == "nearest")
        {
            // Upsample's scales are at least 1 by its specification, so a Resize made from one always truncates.
            float[] scales = c.ConstantInput(1) is { } t ? Tensors.TensorData.ReadFloats(t)
                : c.OriginalOpType == "Upsample" ? [1f]
                : throw c.Refuse("nearest rounding depends on whether each axis is up- or downsampled, and its scales are computed at run time");
            string rounding = scales.All(s => s >= 1) ? "floor" : scales.All(s => s <= 1) ? "ceil" : throw c.Refuse("it upsamples some axes and downsamples others, which Resize-11 cannot round the same way");
            c.SetAttribute(StringAttribute("nearest_mode", rounding));
        }

        c.SetAttribute(StringAttribute("coordinate_transformation_mode", "asymmetric"));
        string scalesName = c.Input(1);
        c.SetInput(2, scalesName);
        c.SetInput(1, c.AddConstant(Tensors.TensorData.CreateFloat("", [0], []), "roi"));
    }

    public static void Down11(NodeConversion c)
    {
        string mode = c.StringAttribute("mode") ?? "nearest";
        if (mode is not ("nearest" or "linear")) throw c.Refuse($"mode '{mode}' does not exist in the older schema");
        if (c.StringAttribute("coordinate_transformation_mode") != "asymmetric") throw c.Refuse("the older schema only maps coordinates asymmetrically (set coordinate_transformation_mode=asymmetric)");
        if (c.Input(3).Length > 0) throw c.Refuse("it gives output sizes, the older schema only scales");
        if (mode == "nearest")
        {
            float[] scales = c.RequireFloatInput(2, "scales");
            string expected = scales.All(s => s >= 1) ? "floor" : scales.All(s => s <= 1) ? "ceil" : "none";
            if ((c.StringAttribute("nearest_mode") ?? "round_prefer_floor") != expected) throw c.Refuse("its nearest rounding differs from the older schema's");
        }

        if (c.Attribute("cubic_coeff_a") is not null || c.Attribute("exclude_outside") is { I: not 0 } || c.Attribute("extrapolation_value") is not null)
        {
            throw c.Refuse("it sets cubic or extrapolation attributes the older schema does not have");
        }

        foreach (string name in new[] { "coordinate_transformation_mode", "nearest_mode", "cubic_coeff_a", "exclude_outside", "extrapolation_value" }) c.TakeAttribute(name);
        string scalesName = c.Input(2);
        c.ClearInput(2);
        c.SetInput(1, scalesName);
    }

    /// <summary>Resize-11/12 need roi and scales present (possibly empty); Resize-13 made them optional.</summary>
    public static void Down13(NodeConversion c)
    {
        if (c.Input(1).Length == 0) c.SetInput(1, c.AddConstant(Tensors.TensorData.CreateFloat("", [0], []), "roi"));
        if (c.Input(2).Length == 0) c.SetInput(2, c.AddConstant(Tensors.TensorData.CreateFloat("", [0], []), "scales"));
    }

    public static void Down18(NodeConversion c)
    {
        if (c.Attribute("antialias") is { I: not 0 } || c.Attribute("axes") is not null || (c.StringAttribute("keep_aspect_ratio_policy") ?? "stretch") != "stretch")
        {
            throw c.Refuse("it uses antialias, axes or keep_aspect_ratio_policy, which the older schema does not have");
        }

        c.TakeAttribute("antialias");
        c.TakeAttribute("keep_aspect_ratio_policy");
    }
}
