"""Our networks in the peers' formats, made from the same weights at benchmark
time: an ONNX graph for onnxruntime-web, and the raw arrays for TF.js (which
builds the same layers itself, tests/peers/tfjs.js)."""

import json

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from py.model import Model

OPSET, IR_VERSION = 17, 8          # what onnxruntime-web 1.30 reads


def onnx_model(model: Model) -> bytes:
    """Inference graph: x (N, 784) float32 -> logits (N, 10). Dropout is left
    out (inference). ONNX convolutions are channels first, ours channels
    last: the image turns NCHW before the first convolution and back to NHWC
    before flattening, so the dense layers see our order of features."""
    nodes, weights = [], []
    current = "x"

    def add(op: str, inputs: list[str], **attrs) -> None:
        nonlocal current
        current = f"{op.lower()}{len(nodes)}"
        nodes.append(helper.make_node(op, inputs, [current], **attrs))

    def constant(name: str, value: np.ndarray) -> str:
        weights.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    if model.kind == "cnn":
        add("Reshape", [current, constant("image_shape", np.array([-1, *model.input_shape], np.int64))])
        add("Transpose", [current], perm=[0, 3, 1, 2])
    for i, layer in enumerate(model.layers):
        spec, p = layer.spec(), layer.params
        if spec["type"] == "dense":
            add("MatMul", [current, constant(f"{i}.W", p["W"])])
            add("Add", [current, constant(f"{i}.b", p["b"])])
        elif spec["type"] == "conv2d":
            pad = spec["k"] // 2
            add("Conv", [current, constant(f"{i}.W", p["W"].transpose(3, 2, 0, 1)), constant(f"{i}.b", p["b"])],
                pads=[pad] * 4)
        elif spec["type"] == "relu":
            add("Relu", [current])
        elif spec["type"] == "maxpool2d":
            add("MaxPool", [current], kernel_shape=[2, 2], strides=[2, 2])
        elif spec["type"] == "flatten":
            add("Transpose", [current], perm=[0, 2, 3, 1])
            add("Flatten", [current], axis=1)
        elif spec["type"] != "dropout":
            raise ValueError(f"no ONNX form for a {spec['type']} layer")
    nodes[-1].output[0] = "logits"
    graph = helper.make_graph(nodes, model.kind, [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 784])],
                              [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 10])], weights)
    built = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], ir_version=IR_VERSION)
    onnx.checker.check_model(built)
    return built.SerializeToString()


def raw_arrays(model: Model) -> tuple[str, bytes]:
    """(JSON: the model's spec and each parameter's name and shape, in
    `Model.parameters()` order; the parameters' float32 bytes, one after another)."""
    params = model.parameters()
    manifest = {"spec": model.spec(), "arrays": [[name, list(p.shape)] for name, p, _ in params]}
    return json.dumps(manifest), b"".join(np.ascontiguousarray(p, np.float32).tobytes() for _, p, _ in params)
