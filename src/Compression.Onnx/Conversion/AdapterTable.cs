using Onnx;
using static Compression.Onnx.Conversion.AttributeMoves;
using static Compression.Onnx.Graph.NodeBuilder;

namespace Compression.Onnx.Conversion;

/// <summary>
/// The schema changes of the default domain that need more than a version bump, one entry per operator and version
/// (the facts follow the ONNX operator changelog). A change without an entry widened types or added attributes whose
/// defaults keep the old behaviour, so a node crosses it unchanged.
/// </summary>
internal static class AdapterTable
{
    private static readonly string[] LegacyBroadcastOps = ["Add", "Sub", "Mul", "Div", "Pow", "And", "Or", "Xor", "Equal", "Greater", "Less"];

    private static readonly string[] ReduceOps18 = ["ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceMax", "ReduceMean", "ReduceMin", "ReduceProd", "ReduceSumSquare"];

    private static readonly Dictionary<(string, int), OpChange> Changes = Build();

    /// <summary>The entry for <paramref name="opType"/> at schema <paramref name="version"/>, if the change needs one.</summary>
    public static OpChange? Find(string opType, int version) => Changes.GetValueOrDefault((opType, version));

    /// <summary>Deprecated operators and the opset from which they must be written as their replacement (Upsample-10, Scatter-11).</summary>
    public static IReadOnlyDictionary<string, int> Deprecations { get; } = new Dictionary<string, int>(StringComparer.Ordinal) { ["Upsample"] = 10, ["Scatter"] = 11 };

    private static Dictionary<(string, int), OpChange> Build()
    {
        var list = new List<OpChange>();

        // Opset 7: numpy broadcasting replaced the broadcast/axis attributes; is_test went away.
        foreach (string op in LegacyBroadcastOps) list.Add(new(op, 7, LegacyBroadcast.Up, null));
        list.Add(new("Gemm", 7, c => c.TakeAttribute("broadcast"), null));
        list.Add(new("BatchNormalization", 7, c => c.TakeAttribute("is_test"), null));
        list.Add(new("Dropout", 7, c => c.TakeAttribute("is_test"), null));
        list.Add(DownNeedsDefault("AveragePool", 7, "count_include_pad", "padding counted in the average"));

        // Opset 8-9.
        list.Add(new("MaxPool", 8, null, c =>
        {
            if (c.Node.Output.Count > 1 && c.Node.Output[1].Length > 0) throw c.Refuse("the older schema has no Indices output");
            if (c.Attribute("storage_order") is { I: not 0 }) throw c.Refuse("the older schema has no storage_order");
            c.TakeAttribute("storage_order");
        }));
        list.Add(new("BatchNormalization", 9, c => DropAttribute(c, "spatial", 1, "statistics per element instead of per channel"), null));
        list.Add(Refused("Scan", 9, "Scan-8 has a batch axis and sequence lengths that Scan-9 replaced by per-input axes; re-export the model"));
        list.Add(new("Upsample", 9,
            c => { if (c.TakeAttribute("scales") is { } a) c.SetInput(1, c.AddConstant(Tensors.TensorData.CreateFloat("", [a.Floats.Count], [.. a.Floats]), "scales")); },
            c => { c.SetAttribute(FloatsAttribute("scales", c.RequireFloatInput(1, "scales"))); c.ClearInput(1); }));

        // Opset 10: Slice and TopK take their parameters as inputs; Upsample becomes Resize.
        list.Add(new("Slice", 10, SliceUp, SliceDown));
        list.Add(Int("TopK", 10, "k", 1));
        list.Add(new("Upsample", 10, c => c.Node.OpType = "Resize", null));
        list.Add(new("Resize", 10, null, c => c.Node.OpType = "Upsample"));
        list.Add(DownNeedsDefault("MaxPool", 10, "ceil_mode", "output size rounded up"));
        list.Add(DownNeedsDefault("AveragePool", 10, "ceil_mode", "output size rounded up"));

        // Opset 11: Clip and Pad take tensors; Resize gains roi and coordinate modes; Scatter becomes ScatterElements.
        list.Add(new("Clip", 11,
            c => { FloatToScalarInput(c, "min", 1, float.MinValue); FloatToScalarInput(c, "max", 2, float.MaxValue); },
            c => { ScalarInputToFloat(c, "min", 1); ScalarInputToFloat(c, "max", 2); }));
        list.Add(new("Pad", 11,
            c =>
            {
                var pads = c.TakeAttribute("pads") ?? throw c.Refuse("the 'pads' attribute is missing");
                c.SetInput(1, c.AddInt64s("pads", [.. pads.Ints]));
                FloatToScalarInput(c, "value", 2, 0f);
            },
            c =>
            {
                c.SetAttribute(IntsAttribute("pads", c.RequireInt64Input(1, "pads")));
                c.ClearInput(1);
                ScalarInputToFloat(c, "value", 2);
            }));
        list.Add(new("Resize", 11, ResizeModes.Up11, ResizeModes.Down11));
        list.Add(new("Scatter", 11, c => c.Node.OpType = "ScatterElements", null));
        list.Add(new("ScatterElements", 11, null, c => c.Node.OpType = "Scatter"));
        list.Add(new("Gemm", 11, null, c => { if (c.Input(2).Length == 0) throw c.Refuse("C is optional only from Gemm-11"); }));
        list.Add(DownNeedsDefault("DepthToSpace", 11, "mode", "CRD ordering"));
        list.Add(new("TopK", 11, null, c =>
        {
            if (c.Attribute("largest") is { I: 0 } || c.Attribute("sorted") is { I: 0 }) throw c.Refuse("the older schema always returns the largest values, sorted");
            c.TakeAttribute("largest");
            c.TakeAttribute("sorted");
        }));

        // Opset 12-13.
        list.Add(new("Dropout", 12,
            c => FloatToScalarInput(c, "ratio", 1, null),
            c =>
            {
                if (c.Input(2).Length > 0) throw c.Refuse("the older schema has no training_mode input");
                if (c.Node.Output.Count > 1 && c.Node.Output[1].Length > 0) throw c.Refuse("its mask output is read, and ONNX Runtime computes the older schema's mask differently at inference");
                ScalarInputToFloat(c, "ratio", 1);
                c.TakeAttribute("seed");
            }));
        list.Add(DownNeedsDefault("ArgMax", 12, "select_last_index", "ties resolved to the last index"));
        list.Add(DownNeedsDefault("ArgMin", 12, "select_last_index", "ties resolved to the last index"));
        list.Add(DownNeedsDefault("GatherND", 12, "batch_dims", "batch dimensions"));
        list.Add(new("Constant", 12, null, ConstantForms.ToValueTensor));
        list.Add(new("Constant", 11, null, c => { if (c.Attribute("sparse_value") is not null) throw c.Refuse("the older schema has no sparse constants"); }));
        list.Add(Ints("Split", 13, "split", 1));
        list.Add(Ints("Squeeze", 13, "axes", 1));
        list.Add(Ints("Unsqueeze", 13, "axes", 1, required: true));
        list.Add(Ints("ReduceSum", 13, "axes", 1) with { Down = ReduceDown("ReduceSum") });
        foreach (string op in new[] { "Softmax", "LogSoftmax", "Hardmax" }) list.Add(new(op, 13, SoftmaxAxis.Up, SoftmaxAxis.Down));
        list.Add(new("Resize", 13, null, ResizeModes.Down13));
        list.Add(new("QuantizeLinear", 13, null, c => PerTensorOnly(c)));
        list.Add(new("DequantizeLinear", 13, null, c => PerTensorOnly(c)));

        // Opset 14-16.
        list.Add(new("BatchNormalization", 14,
            c => { if (c.Node.Output.Skip(1).Any(o => o.Length > 0)) throw c.Refuse("its training outputs (running statistics) changed meaning"); },
            c => DropAttribute(c, "training_mode", 0, "training mode")));
        list.Add(DownNeedsDefault("Reshape", 14, "allowzero", "zero taken as a size, not a copy"));
        foreach (string op in new[] { "RNN", "GRU", "LSTM" }) list.Add(DownNeedsDefault(op, 14, "layout", "batch-major layout"));
        list.Add(new("Shape", 15, null, c => { if (c.Attribute("start") is not null || c.Attribute("end") is not null) throw c.Refuse("the older schema has no start/end"); }));
        list.Add(new("RoiAlign", 16,
            c => { if (c.Attribute("coordinate_transformation_mode") is null) c.SetAttribute(StringAttribute("coordinate_transformation_mode", "output_half_pixel")); },
            c =>
            {
                if (c.StringAttribute("coordinate_transformation_mode") != "output_half_pixel") throw c.Refuse("the older schema only knows output_half_pixel coordinates");
                c.TakeAttribute("coordinate_transformation_mode");
            }));
        list.Add(DownNeedsDefault("ScatterElements", 16, "reduction", "reducing duplicates"));
        list.Add(DownNeedsDefault("ScatterND", 16, "reduction", "reducing duplicates"));
        list.Add(new("LayerNormalization", 17, null, c => throw c.Refuse("LayerNormalization is part of ONNX from opset 17 only")));

        // Opset 18-21.
        foreach (string op in ReduceOps18) list.Add(Ints(op, 18, "axes", 1) with { Down = ReduceDown(op) });
        list.Add(new("Split", 18,
            c => { if (c.Input(1).Length == 0) c.SetAttribute(IntAttribute("num_outputs", c.Node.Output.Count)); },
            c => c.TakeAttribute("num_outputs")));
        list.Add(new("Pad", 18, null, c => { if (c.Input(3).Length > 0) throw c.Refuse("the older schema has no axes input"); }));
        list.Add(new("Pad", 19, null, c => { if (c.StringAttribute("mode") == "wrap") throw c.Refuse("the older schema has no wrap mode"); }));
        list.Add(new("Resize", 18, null, ResizeModes.Down18));
        list.Add(new("Resize", 19, null, c => { if (c.StringAttribute("coordinate_transformation_mode") == "half_pixel_symmetric") throw c.Refuse("the older schema has no half_pixel_symmetric"); }));
        list.Add(DownNeedsDefault("AveragePool", 19, "dilations", "dilated pooling"));
        list.Add(new("GridSample", 20, c => GridSampleModes.Rename(c, toNew: true), c => GridSampleModes.Rename(c, toNew: false)));
        list.Add(new("DFT", 20,
            c => { long axis = c.TakeAttribute("axis")?.I ?? 1; c.SetInput(2, c.AddInt64s("axis", [axis], scalar: true)); },
            c =>
            {
                if (c.Input(2).Length == 0) throw c.Refuse("its axis is the newer schema's default (-2), which the older one cannot say");
                c.SetAttribute(IntAttribute("axis", c.RequireInt64Input(2, "axis")[0]));
                c.ClearInput(2);
            }));
        list.Add(Refused("GroupNormalization", 21, "scale and bias changed from one value per group to one per channel"));
        list.Add(new("QuantizeLinear", 21, null, c => { if (c.Attribute("block_size") is { I: not 0 } || c.Attribute("output_dtype") is not null) throw c.Refuse("the older schema has no blocked quantization or output_dtype"); }));
        list.Add(new("DequantizeLinear", 21, null, c => { if (c.Attribute("block_size") is { I: not 0 }) throw c.Refuse("the older schema has no blocked dequantization"); }));

        return list.ToDictionary(c => (c.OpType, c.Version));
    }

    private static void SliceUp(NodeConversion c)
    {
        var starts = c.TakeAttribute("starts") ?? throw c.Refuse("the 'starts' attribute is missing");
        var ends = c.TakeAttribute("ends") ?? throw c.Refuse("the 'ends' attribute is missing");
        c.SetInput(1, c.AddInt64s("starts", [.. starts.Ints]));
        c.SetInput(2, c.AddInt64s("ends", [.. ends.Ints]));
        if (c.TakeAttribute("axes") is { } axes) c.SetInput(3, c.AddInt64s("axes", [.. axes.Ints]));
    }

    private static void SliceDown(NodeConversion c)
    {
        if (c.Input(4).Length > 0 && c.RequireInt64Input(4, "steps").Any(s => s != 1)) throw c.Refuse("it has steps other than 1");
        c.SetAttribute(IntsAttribute("starts", c.RequireInt64Input(1, "starts")));
        c.SetAttribute(IntsAttribute("ends", c.RequireInt64Input(2, "ends")));
        if (c.Input(3).Length > 0) c.SetAttribute(IntsAttribute("axes", c.RequireInt64Input(3, "axes")));
        for (int i = 4; i >= 1; i--) c.ClearInput(i);
    }

    private static Action<NodeConversion> ReduceDown(string op) => c =>
    {
        if (c.Attribute("noop_with_empty_axes") is { I: not 0 } && c.Input(1).Length == 0) throw c.Refuse($"{op} with no axes and noop_with_empty_axes=1 is an identity the older schema cannot say");
        c.TakeAttribute("noop_with_empty_axes");
        if (c.Input(1).Length == 0) return;
        c.SetAttribute(IntsAttribute("axes", c.RequireInt64Input(1, "axes")));
        c.ClearInput(1);
    };

    private static void PerTensorOnly(NodeConversion c)
    {
        TensorProto? scale = c.ConstantInput(1);
        if (scale is null || scale.Dims.Count > 0 && scale.Dims.Aggregate(1L, (a, b) => a * b) > 1) throw c.Refuse("the older schema has per-tensor scales only");
        c.TakeAttribute("axis");
    }
}
