# Writes every float weight (initializer or Constant node, also inside If/Loop subgraphs) with at least 2 dims
# and 256 elements of an ONNX model as a MatMul-style B[K, N] float32 file: 2-D tensors as they are, Conv/LSTM
# weights [O, ...] as reshape(O, -1).T so K is the input (reduction) side.
# Usage: python3 extract_weights.py model.onnx out_dir   -> out_dir/index.txt lines "file K N name"
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def graphs(graph):
    yield graph
    for node in graph.node:
        for attribute in node.attribute:
            if attribute.type == onnx.AttributeProto.GRAPH:
                yield from graphs(attribute.g)
            elif attribute.type == onnx.AttributeProto.GRAPHS:
                for g in attribute.graphs:
                    yield from graphs(g)


def tensors(graph):
    for g in graphs(graph):
        for t in g.initializer:
            yield t.name, t
        for node in g.node:
            if node.op_type == "Constant":
                for attribute in node.attribute:
                    if attribute.name == "value":
                        yield node.output[0], attribute.t


model = onnx.load(sys.argv[1])
out = sys.argv[2]
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "index.txt"), "w") as index:
    for i, (name, tensor) in enumerate(tensors(model.graph)):
        if tensor.data_type != onnx.TensorProto.FLOAT:
            continue
        w = numpy_helper.to_array(tensor).astype(np.float32)
        if w.ndim < 2 or w.size < 256:
            continue
        b = w if w.ndim == 2 else w.reshape(w.shape[0], -1).T
        b = np.ascontiguousarray(b, dtype=np.float32)
        file = f"w{i}.bin"
        b.tofile(os.path.join(out, file))
        index.write(f"{file} {b.shape[0]} {b.shape[1]} {name}\n")
