"""Encoding one question without torch: the BERT forward pass in NumPy.

Why: `qabot ask` is a one-shot process, and importing sentence-transformers (torch,
transformers) alone takes about 5 s here, while a question of a dozen tokens needs a few
milliseconds of matrix products. This module reads the same files (tokenizer.json via the
`tokenizers` library, weights via `safetensors`) and computes the same vector: BERT, mean
pooling over tokens, L2 normalisation — tested to cosine >= 0.9999 against
SentenceTransformer.encode. Building the index still uses sentence-transformers, which
batches thousands of chunks efficiently.

Only models that are a plain BERT with mean pooling and normalisation qualify
(`supports(folder)`); any other model falls back to sentence-transformers.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np


def supports(folder: Path) -> bool:
    """A BERT encoder with mean pooling and Normalize, as all-MiniLM-L6-v2 is."""
    try:
        config = json.loads((folder / "config.json").read_text())
        pooling = json.loads((folder / "1_Pooling" / "config.json").read_text())
        modules = json.loads((folder / "modules.json").read_text())
    except (OSError, ValueError):
        return False
    return (config.get("model_type") == "bert" and config.get("hidden_act") == "gelu"
            and config.get("position_embedding_type", "absolute") == "absolute"
            and pooling.get("pooling_mode_mean_tokens") and not pooling.get("pooling_mode_cls_token")
            and any(m.get("type", "").endswith("Normalize") for m in modules)
            and (folder / "model.safetensors").is_file() and (folder / "tokenizer.json").is_file())


class NumpyQueryEncoder:
    """Encodes short texts with the model's own weights and tokenizer; float32 unit vectors."""

    def __init__(self, folder: Path, max_seq_length: int = 256):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        config = json.loads((folder / "config.json").read_text())
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        weights = load_file(str(folder / "model.safetensors"))
        # Dense weights stored transposed and contiguous once, so each product is one fast GEMM.
        self.w = {k: np.ascontiguousarray(v.T) if k.endswith("dense.weight") or k.endswith(("query.weight", "key.weight", "value.weight")) else v
                  for k, v in weights.items()}
        self.dimension = int(config["hidden_size"])
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=max_seq_length)

    def encode(self, text: str) -> np.ndarray:
        ids = np.asarray(self.tokenizer.encode(text).ids, dtype=np.int64)
        w = self.w
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][: len(ids)]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = self._norm(x, "embeddings.LayerNorm")
        for i in range(self.layers):
            x = self._layer(x, f"encoder.layer.{i}")
        pooled = x.mean(axis=0)
        return (pooled / max(np.linalg.norm(pooled), 1e-12)).astype(np.float32)

    def _layer(self, x: np.ndarray, p: str) -> np.ndarray:
        n, d = x.shape
        h = d // self.heads
        q = self._dense(x, f"{p}.attention.self.query").reshape(n, self.heads, h).transpose(1, 0, 2)
        k = self._dense(x, f"{p}.attention.self.key").reshape(n, self.heads, h).transpose(1, 0, 2)
        v = self._dense(x, f"{p}.attention.self.value").reshape(n, self.heads, h).transpose(1, 0, 2)
        scores = q @ k.transpose(0, 2, 1) / math.sqrt(h)  # a Python float keeps float32
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        attention = (scores / scores.sum(axis=-1, keepdims=True)) @ v
        context = attention.transpose(1, 0, 2).reshape(n, d)
        x = self._norm(x + self._dense(context, f"{p}.attention.output.dense"), f"{p}.attention.output.LayerNorm")
        inner = self._gelu(self._dense(x, f"{p}.intermediate.dense"))
        return self._norm(x + self._dense(inner, f"{p}.output.dense"), f"{p}.output.LayerNorm")

    def _dense(self, x: np.ndarray, p: str) -> np.ndarray:
        return x @ self.w[f"{p}.weight"] + self.w[f"{p}.bias"]

    def _norm(self, x: np.ndarray, p: str) -> np.ndarray:
        mean = x.mean(axis=-1, keepdims=True)
        var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
        return (x - mean) / np.sqrt(var + self.eps) * self.w[f"{p}.weight"] + self.w[f"{p}.bias"]

    @staticmethod
    def _gelu(x: np.ndarray) -> np.ndarray:
        from scipy.special import erf

        return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))
