"""Content-hash embedding cache: a chunk seen before with the same model is never re-embedded.

Keyed by sha256(model id + NUL + chunk text), values are raw float32 bytes in SQLite. A
damaged cache file is moved aside (``.corrupt``) with a warning and the build goes on.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

log = logging.getLogger(__name__)

_BATCH = 500


def cache_key(model_id: str, text: str) -> bytes:
    return hashlib.sha256(f"{model_id}\0{text}".encode("utf-8")).digest()


class EmbeddingCache:
    """SQLite table key -> vector; use as a context manager."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = self._open()
        except sqlite3.DatabaseError as err:
            aside = self.path.with_suffix(self.path.suffix + ".corrupt")
            log.warning("embedding cache %s is damaged (%s); moved it to %s and starting empty", self.path, err, aside)
            self.path.replace(aside)
            self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE IF NOT EXISTS vectors(key BLOB PRIMARY KEY, vector BLOB) WITHOUT ROWID")
        db.execute("SELECT count(*) FROM vectors").fetchone()
        return db

    def __enter__(self) -> "EmbeddingCache":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def get_many(self, model_id: str, texts: Sequence[str]) -> dict[int, np.ndarray]:
        """Cached vectors by position in `texts`."""
        keys = [cache_key(model_id, t) for t in texts]
        positions: dict[bytes, list[int]] = {}
        for i, key in enumerate(keys):
            positions.setdefault(key, []).append(i)
        found: dict[int, np.ndarray] = {}
        unique = list(positions)
        for start in range(0, len(unique), _BATCH):
            batch = unique[start:start + _BATCH]
            marks = ",".join("?" * len(batch))
            for key, blob in self.db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", batch):
                vector = np.frombuffer(blob, dtype=np.float32)
                for i in positions[key]:
                    found[i] = vector
        return found

    def put_many(self, model_id: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        rows = [(cache_key(model_id, t), np.asarray(v, dtype=np.float32).tobytes()) for t, v in zip(texts, vectors)]
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)


def embed_with_cache(embedder, texts: Sequence[str], cache: EmbeddingCache | None, *,
                     batch_size: int = 32, progress: Callable[[int], None] | None = None) -> tuple[np.ndarray, int]:
    """Vectors for `texts`, embedding only those not cached; returns (vectors, newly embedded)."""
    out = np.zeros((len(texts), embedder.dimension), dtype=np.float32)
    cached = cache.get_many(embedder.model_id, texts) if cache is not None else {}
    for i, vector in cached.items():
        out[i] = vector
    missing = [i for i in range(len(texts)) if i not in cached]
    # Identical texts (syndicated copies) are embedded once.
    unique = list(dict.fromkeys(texts[i] for i in missing))
    done_before = len(texts) - len(missing)
    if progress is not None:
        progress(done_before)
    if unique:
        vectors = embedder.encode(unique, batch_size=batch_size,
                                  progress=None if progress is None else (lambda n: progress(done_before + n)))
        by_text = dict(zip(unique, vectors))
        for i in missing:
            out[i] = by_text[texts[i]]
        if cache is not None:
            cache.put_many(embedder.model_id, unique, vectors)
    if progress is not None:
        progress(len(texts))
    return out, len(unique)
