using Onnx;
using static Compression.Onnx.Graph.NodeBuilder;

namespace Compression.Onnx.Conversion;

/// <summary>
/// Softmax, LogSoftmax and Hardmax up to opset 12 flatten the input to 2-D at <c>axis</c> (default 1) and normalise
/// each row; from opset 13 they normalise along the single axis <c>axis</c> (default -1). The two agree when the axis
/// is the last one; otherwise the old meaning is kept by writing the flatten out: Shape, Flatten, op on axis 1, Reshape.
/// </summary>
internal static class SoftmaxAxis
{
    public static void Up(NodeConversion c)
    {
        long axis = c.TakeAttribute("axis")?.I ?? 1;
        int? rank = c.Rank(c.Input(0));
        if (rank is int r && (axis == -1 || axis == r - 1))
        {
            c.SetAttribute(IntAttribute("axis", -1));
            return;
        }

        if (rank is int r1 && r1 == 0) throw c.Refuse("its input is a scalar");
        string x = c.Input(0), y = c.Node.Output[0];
        string shape = c.NewValue("shape"), flat = c.NewValue("flat"), normalised = c.NewValue("rows");
        c.NodesBefore.Add(Node("Shape", c.NewValue("Shape"), [x], [shape]));
        var flatten = Node("Flatten", c.NewValue("Flatten"), [x], [flat]).With("axis", axis);
        c.NodesBefore.Add(flatten);
        c.Node.Input[0] = flat;
        c.Node.Output[0] = normalised;
        c.SetAttribute(IntAttribute("axis", 1));
        c.NodesAfter.Add(Node("Reshape", c.NewValue("Reshape"), [normalised, shape], [y]));
    }

    public static void Down(NodeConversion c)
    {
        long axis = c.TakeAttribute("axis")?.I ?? -1;
        int? rank = c.Rank(c.Input(0));
        if (axis == -1 || rank is int r && axis == r - 1)
        {
            // Over the last axis the two meanings agree; opsets before 11 want it non-negative.
            if (c.TargetOpset >= 11) c.SetAttribute(IntAttribute("axis", -1));
            else if (rank is int known) c.SetAttribute(IntAttribute("axis", known - 1));
            else throw c.Refuse("its input rank is not declared, and the older schema needs a non-negative axis");
            return;
        }

        throw c.Refuse("it normalises along one inner axis, which the older schema (flattening at the axis) cannot say");
    }
}
