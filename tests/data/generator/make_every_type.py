"""Builds every_type.onnx: one Identity per input, covering every element type the wrapper maps and
awkward names (C# keywords, '::', '.', leading digits, names that sanitise to one identifier, a scalar,
a string tensor, an input whose rank the manifest leaves unknown). Run: /usr/bin/python3 make_every_type.py"""
import onnx
from onnx import TensorProto as T, helper

# (name, element type, dims) -- a dim is an int (fixed), a str (symbolic) or None (unknown);
# dims None means the model declares no shape.
INPUTS = [
    ("class", T.FLOAT, ["batch", None]),
    ("onnx::Flatten_0", T.DOUBLE, ["batch", 4]),
    ("0_start", T.FLOAT16, [None]),
    ("x.bf", T.BFLOAT16, [2, 2]),
    ("int8-in", T.INT8, ["batch"]),
    ("uint8 in", T.UINT8, [3]),
    ("int16", T.INT16, []),
    ("uint16", T.UINT16, [1]),
    ("int32", T.INT32, ["n"]),
    ("uint32", T.UINT32, ["n"]),
    ("sr", T.INT64, []),
    ("uint64", T.UINT64, [None]),
    ("mask", T.BOOL, ["batch", None]),
    ("text", T.STRING, [None]),
    # The test manifest declares no dims for "x" (rank unknown); onnx.checker insists on a shape here.
    ("x", T.FLOAT, [None]),
    ("X", T.FLOAT, [1]),
]
# Output i is Identity(input i); a few names exercise collisions with generated members.
OUTPUT_NAMES = {"class": "output", "onnx::Flatten_0": "output_shape", "0_start": "Result"}


def value_info(name, elem, dims):
    if dims is None:
        return helper.make_tensor_value_info(name, elem, None)
    return helper.make_tensor_value_info(name, elem, [d if d is not None else "" for d in dims])


inputs, outputs, nodes = [], [], []
for name, elem, dims in INPUTS:
    out = OUTPUT_NAMES.get(name, name + "_out")
    inputs.append(value_info(name, elem, dims))
    outputs.append(value_info(out, elem, dims))
    nodes.append(helper.make_node("Identity", [name], [out]))

graph = helper.make_graph(nodes, "every_type", inputs, outputs)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 16)], producer_name="Compression.Build tests")
model.ir_version = 8
# An empty dim_param means "unknown" (the ONNX helper writes "" for it); drop it so the dim has neither field.
for vi in list(model.graph.input) + list(model.graph.output):
    if vi.type.tensor_type.HasField("shape"):
        for dim in vi.type.tensor_type.shape.dim:
            if dim.HasField("dim_param") and dim.dim_param == "":
                dim.ClearField("dim_param")
onnx.checker.check_model(model)
onnx.save(model, "every_type.onnx")
print("wrote every_type.onnx")
