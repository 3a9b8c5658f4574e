"""all-MiniLM-L6-v2 run by onnxruntime: the same vectors as `embed.py`'s numpy code, 3x faster.

onnxruntime needs a graph. Ours is `minilm.onnx` beside this module: the BERT encoder's
operations only (17 KB), written by `write_graph` from the weights' names and shapes. The
weights themselves are the installed model package's safetensors, handed to the session as
external initializers, so there is one copy of the model on disk, nothing is fetched, and
neither torch nor the `onnx` package is needed at run time (`write_graph` needs `onnx`, and
only when the graph is regenerated: `python -m search.embed`).

Private API touched: none; `SessionOptions.add_external_initializers` is public onnxruntime
API (1.12+). The graph uses opset 20 (`Gelu`), which onnxruntime runs from 1.17.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np  # type: ignore[import-not-found, unused-ignore]

GRAPH_FILE = Path(__file__).with_name("minilm.onnx")
HEADS = 12
LAYER_NORM_EPS = 1e-12
# Small shape constants stay inside the graph: onnxruntime infers shapes from them.
INLINE = ("split_heads", "merge_heads", "attention_scale")


def available() -> bool:
    """True when onnxruntime is installed and the graph file is present."""
    return importlib.util.find_spec("onnxruntime") is not None and GRAPH_FILE.is_file()


def initializers(weights: dict[str, Any]) -> dict[str, np.ndarray]:
    """Return the graph's external initializers, by name, from the safetensors weights.

    Dense weights are stored (out, in) by torch and multiplied as (in, out) here.
    """
    import numpy as np

    arrays = {}
    for name, value in weights.items():
        if name.startswith("pooler.") or name == "embeddings.position_ids":
            continue  # unused by sentence embeddings
        dense = name.endswith(".weight") and value.ndim == 2 and "embeddings" not in name
        arrays[name] = np.ascontiguousarray(value.T if dense else value, dtype=np.float32)
    token_type = arrays.pop("embeddings.token_type_embeddings.weight")
    arrays["embeddings.token_type_embeddings.first"] = np.ascontiguousarray(token_type[0])
    return arrays


class OnnxEncoder:
    """The BERT encoder as an onnxruntime session: token ids in, last hidden states out."""

    def __init__(self, weights: dict[str, Any]) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        # One thread: the machine's cores are shared, and more threads mostly wait (as for BLAS).
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        arrays = initializers(weights)
        # The session reads the arrays' memory: keep them alive as long as it is.
        self._values = [onnxruntime.OrtValue.ortvalue_from_numpy(array) for array in arrays.values()]
        options.add_external_initializers(list(arrays), self._values)
        self._session = onnxruntime.InferenceSession(GRAPH_FILE.read_bytes(), options,
                                                     providers=["CPUExecutionProvider"])

    def encode(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Return the last hidden states, shape (batch, tokens, 384), as `Embedder._encode` does."""
        import numpy as np

        positions = np.broadcast_to(np.arange(ids.shape[1], dtype=np.int64), ids.shape)
        bias = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :].astype(np.float32)
        feeds = {"input_ids": ids, "position_ids": np.ascontiguousarray(positions),
                 "attention_bias": bias}
        return self._session.run(["hidden"], feeds)[0]


def write_graph(weights: dict[str, Any], path: Path = GRAPH_FILE) -> bytes:
    """Write the encoder graph (operations and shapes, no weights) to path; return its bytes."""
    from onnx import TensorProto, helper

    builder = _GraphBuilder(initializers(weights))
    hidden = builder.encoder()
    width = weights["embeddings.word_embeddings.weight"].shape[1]
    graph = helper.make_graph(
        builder.nodes, "all-MiniLM-L6-v2",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "tokens"]),
         helper.make_tensor_value_info("position_ids", TensorProto.INT64, ["batch", "tokens"]),
         helper.make_tensor_value_info("attention_bias", TensorProto.FLOAT,
                                       ["batch", 1, 1, "tokens"])],
        [helper.make_tensor_value_info(hidden, TensorProto.FLOAT, ["batch", "tokens", width])],
        builder.initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)], ir_version=9,
                              producer_name="seedsearch")
    data = model.SerializeToString()
    path.write_bytes(data)
    return data


class _GraphBuilder:
    """Builds the ONNX nodes of the encoder; weights become external initializer stubs."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        import numpy as np

        self.arrays = arrays
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self.count = 0
        width = arrays["embeddings.word_embeddings.weight"].shape[1]
        head_width = width // HEADS
        self._inline("split_heads", np.array([0, 0, HEADS, head_width], dtype=np.int64))
        self._inline("merge_heads", np.array([0, 0, width], dtype=np.int64))
        self._inline("attention_scale", np.array(head_width ** -0.5, dtype=np.float32))
        for name, array in arrays.items():
            self._external(name, array)

    def _inline(self, name: str, array: np.ndarray) -> None:
        from onnx import numpy_helper

        self.initializers.append(numpy_helper.from_array(array, name))

    def _external(self, name: str, array: np.ndarray) -> None:
        from onnx import TensorProto

        tensor = TensorProto(name=name, data_type=TensorProto.FLOAT, dims=list(array.shape))
        tensor.data_location = TensorProto.EXTERNAL
        entry = tensor.external_data.add()
        entry.key, entry.value = "location", "model.safetensors (given at run time)"
        self.initializers.append(tensor)

    def op(self, kind: str, *inputs: str, output: str = "", **attributes: Any) -> str:
        from onnx import helper

        self.count += 1
        output = output or f"{kind.lower()}_{self.count}"
        self.nodes.append(helper.make_node(kind, list(inputs), [output], **attributes))
        return output

    def dense(self, x: str, prefix: str) -> str:
        return self.op("Add", self.op("MatMul", x, f"{prefix}.weight"), f"{prefix}.bias")

    def layer_norm(self, x: str, prefix: str, output: str = "") -> str:
        return self.op("LayerNormalization", x, f"{prefix}.weight", f"{prefix}.bias",
                       output=output, axis=-1, epsilon=LAYER_NORM_EPS)

    def heads(self, x: str, prefix: str, perm: list[int]) -> str:
        split = self.op("Reshape", self.dense(x, prefix), "split_heads")
        return self.op("Transpose", split, perm=perm)

    def encoder(self) -> str:
        words = self.op("Gather", "embeddings.word_embeddings.weight", "input_ids")
        positions = self.op("Gather", "embeddings.position_embeddings.weight", "position_ids")
        summed = self.op("Add", self.op("Add", words, positions),
                         "embeddings.token_type_embeddings.first")
        hidden = self.layer_norm(summed, "embeddings.LayerNorm")
        layer = 0
        while f"encoder.layer.{layer}.attention.self.query.weight" in self.arrays:
            last = f"encoder.layer.{layer + 1}.attention.self.query.weight" not in self.arrays
            hidden = self.layer(hidden, f"encoder.layer.{layer}", "hidden" if last else "")
            layer += 1
        return hidden

    def layer(self, hidden: str, prefix: str, output: str) -> str:
        attention = f"{prefix}.attention"
        query = self.heads(hidden, f"{attention}.self.query", [0, 2, 1, 3])
        key = self.heads(hidden, f"{attention}.self.key", [0, 2, 3, 1])
        value = self.heads(hidden, f"{attention}.self.value", [0, 2, 1, 3])
        scores = self.op("Mul", self.op("MatMul", query, key), "attention_scale")
        weights = self.op("Softmax", self.op("Add", scores, "attention_bias"), axis=-1)
        context = self.op("Transpose", self.op("MatMul", weights, value), perm=[0, 2, 1, 3])
        context = self.op("Reshape", context, "merge_heads")
        attended = self.dense(context, f"{attention}.output.dense")
        hidden = self.layer_norm(self.op("Add", hidden, attended), f"{attention}.output.LayerNorm")
        intermediate = self.op("Gelu", self.dense(hidden, f"{prefix}.intermediate.dense"))
        output_sum = self.op("Add", hidden, self.dense(intermediate, f"{prefix}.output.dense"))
        return self.layer_norm(output_sum, f"{prefix}.output.LayerNorm", output)

