"""The int8 model: exported once to ONNX from the bundled weights, quantised, run by onnxruntime.

Why: embedding is ~90% of a build, and sentence-transformers' fp32 torch encoder is the
speed of the whole build. Dynamic int8 quantisation of the MatMul weights (activations
quantised on the fly, no calibration data) makes the same MiniLM run faster on a CPU; the
vectors stay close to fp32 (cosine >= 0.98, tested) but are not the same, so the int8 model
has a model id of its own and a snapshot built with one precision refuses the other.

The export is offline and happens once: torch traces the local model folder's BERT plus
mean pooling and L2 normalisation into one ONNX graph (so onnxruntime returns sentence
vectors directly), and `onnxruntime.quantization.quantize_dynamic` writes the int8 file
beside the index (`index/models/`). Exporting needs torch, transformers and `onnx`;
running the file needs only onnxruntime, `tokenizers` and NumPy, so builds and questions
with int8 never import torch (a one-shot `qabot ask` stays torch-free).

sentence-transformers' own `backend="onnx"` + `export_dynamic_quantized_onnx_model` does
the same through `optimum-onnx`, which pins transformers < 4.58 (we run 5.x): not usable here.

>>> embedder = load_int8(folder, base_id, Path("index/models"), threads=2)
>>> embedder.encode(["Kosachev wrote on Facebook."]).shape
(1, 384)
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from qabot.errors import ModelError

log = logging.getLogger(__name__)

# What the int8 file is: part of its model id and its file name. Dynamic quantisation of the
# MatMul weights to uint8 with one scale per output channel (activations uint8, quantised per
# batch at run time), as optimum's "avx2" preset; the word-embedding table stays fp32.
# Measured on 150 BBC paragraphs against fp32 (AVX2 CPU, no VNNI): signed int8 weights with
# one scale per tensor gave cosine 0.956 on average (min 0.926), per channel 0.992; unsigned
# per channel 0.994 (min 0.986).
RECIPE = "onnx-int8-dynamic-matmul-u8-per-channel"
INSTALL_HINT = "precision = \"int8\" needs onnxruntime: pip install onnxruntime"
EXPORT_HINT = "exporting the int8 model needs torch, transformers and onnx: pip install onnx"


def int8_model_id(base_id: str, onnx_file: Path) -> str:
    """`<fp32 id>+<recipe>@<sha256 of the int8 file, 16 hex>`: another file, another id."""
    from qabot.embedding.model import file_sha256

    return f"{base_id}+{RECIPE}@{file_sha256(onnx_file)[:16]}"


def int8_file(models_dir: Path, base_id: str) -> Path:
    """Where the int8 export of the model `base_id` lives: one file per (weights, recipe)."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", base_id.rsplit("/", 1)[-1].split("@")[0])[:40]
    digest = hashlib.sha256(f"{base_id}|{RECIPE}".encode()).hexdigest()[:16]
    return models_dir / f"{stem}-{digest}-int8.onnx"


def export_int8(folder: Path, target: Path) -> None:
    """Trace the model in `folder` (BERT + mean pooling + normalisation) to ONNX and quantise it to `target`.

    Written to a temporary name and renamed, so a crash never leaves half a model in place.
    Takes ~30 s on a 2-core machine, once per index folder.
    """
    try:
        import torch
        from onnxruntime.quantization import QuantType, quantize_dynamic
        from transformers import AutoModel
        from transformers.utils import logging as transformers_logging
    except ImportError as err:
        raise ModelError(f"cannot export the int8 model ({err}); {EXPORT_HINT}") from None
    transformers_logging.disable_progress_bar()  # "Loading weights" is noise in a terminal tool

    class SentenceVectors(torch.nn.Module):
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            tokens = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                               token_type_ids=token_type_ids).last_hidden_state
            weights = attention_mask.unsqueeze(-1).to(tokens.dtype)
            pooled = (tokens * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    target.parent.mkdir(parents=True, exist_ok=True)
    fp32 = target.with_name(f".{target.name}.{os.getpid()}.fp32.onnx")
    partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    log.info("exporting the int8 model to %s (once)", target)
    try:
        bert = AutoModel.from_pretrained(str(folder), local_files_only=True).eval()
        example = torch.ones((2, 8), dtype=torch.long)
        names = ["input_ids", "attention_mask", "token_type_ids"]
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(SentenceVectors(bert), (example, example, torch.zeros_like(example)), str(fp32),
                              input_names=names, output_names=["sentence_embedding"],
                              dynamic_axes={**{n: {0: "batch", 1: "tokens"} for n in names},
                                            "sentence_embedding": {0: "batch"}},
                              opset_version=17, dynamo=False)
        root = logging.getLogger()
        level = root.level
        root.setLevel(logging.ERROR)  # quantize_dynamic logs a "consider pre-processing" warning on the root logger
        try:
            quantize_dynamic(str(fp32), str(partial), weight_type=QuantType.QUInt8, per_channel=True,
                             op_types_to_quantize=["MatMul"],
                             extra_options={"DefaultTensorType": 1})  # FLOAT, where shape inference cannot tell
        finally:
            root.setLevel(level)
        os.replace(partial, target)
    except ModelError:
        raise
    except Exception as err:  # torch's exporter raises many kinds; all mean "cannot export"
        first = (str(err).strip().splitlines() or [type(err).__name__])[0]
        raise ModelError(f"cannot export the int8 model from {folder}: {first}") from None
    finally:
        fp32.unlink(missing_ok=True)
        partial.unlink(missing_ok=True)


class Int8Embedder:
    """Encodes chunks and questions with the int8 ONNX file; the `Embedder` interface, no torch.

    `threads` is onnxruntime's intra-op pool: all cores for a build, one for questions (a
    dozen tokens gain nothing from more threads and would fight FAISS for the cores).
    """

    def __init__(self, onnx_file: Path, folder: Path, name: str, model_id: str, threads: int):
        try:
            import onnxruntime
        except ImportError:
            raise ModelError(INSTALL_HINT) from None
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        # Idle pool threads sleep instead of spinning: on a shared 2-core machine spinning burnt
        # the other threads' CPU (measured, 80 paragraphs x 3 at load ~20: 162 s wall / 20.6 s
        # CPU spinning, 93 s / 11.5 s not).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = onnxruntime.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])
        self.name = name
        self.model_id = model_id
        max_seq_length = _max_seq_length(folder)
        self.max_tokens = max_seq_length - 2
        self.dimension = int(json.loads((folder / "config.json").read_text())["hidden_size"])
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=max_seq_length)
        self.tokenizer.no_padding()
        self.counter = Tokenizer.from_file(str(folder / "tokenizer.json"))  # no truncation, no padding
        self.counter.no_truncation()
        self.counter.no_padding()

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Tokens per text, without special tokens or truncation."""
        return [len(e.ids) for e in self.counter.encode_batch(list(texts), add_special_tokens=False)] if texts else []

    def encode(self, texts: Sequence[str], *, batch_size: int = 32,
               progress: Callable[[int], None] | None = None) -> np.ndarray:
        """(n, dimension) normalised vectors; `progress(done)` every `batch_size` texts.

        One text per run, on purpose: dynamic quantisation scales the activations by the
        range of the whole input tensor, so in a batch a text's vector would depend on its
        neighbours (cosine 0.989 to itself alone, measured). Alone, a chunk gets the same
        vector in any build and a question the same vector as the identical chunk; and
        measured on 300 BBC paragraphs, one at a time is as fast as batches of 32 here
        (185 s against 182 s for three passes on a loaded 2-core machine).
        """
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i] = self._run(text)
            if progress is not None and ((i + 1) % batch_size == 0 or i + 1 == len(texts)):
                progress(i + 1)
        return out

    def encode_query(self, text: str) -> np.ndarray:
        """(dimension,) normalised vector for one question."""
        return self._run(text)

    def _run(self, text: str) -> np.ndarray:
        ids = np.array([self.tokenizer.encode(text).ids], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
        return self.session.run(None, feed)[0][0].astype(np.float32, copy=False)


def load_int8(folder: Path, base_id: str, models_dir: Path, name: str, threads: int) -> Int8Embedder:
    """The int8 embedder for the model in `folder`, exporting it into `models_dir` first if needed."""
    onnx_file = int8_file(models_dir, base_id)
    if not onnx_file.is_file():
        export_int8(folder, onnx_file)
    return Int8Embedder(onnx_file, folder, name, int8_model_id(base_id, onnx_file), threads)


def _max_seq_length(folder: Path) -> int:
    """sentence-transformers' max_seq_length (256 for MiniLM), as the fp32 path truncates."""
    try:
        return int(json.loads((folder / "sentence_bert_config.json").read_text())["max_seq_length"])
    except (OSError, ValueError, KeyError):
        return 512
