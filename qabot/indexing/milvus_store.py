"""Writing a snapshot's chunks into Milvus, and switching readers to it in one step.

Each build writes a NEW collection ``<collection>_<UTC time>`` holding every chunk of the
snapshot: its text, its BM25 terms (a VARCHAR analysed by Milvus, from which a BM25
``Function`` fills a sparse vector), its dense vector, and the fields a citation needs
(article id, paragraph, offsets, published date, source).

The BM25 terms are qabot's own (`qabot.text.terms`: folding, any script, the stop words
of questions) joined by spaces, and Milvus splits them on whitespace, with the local
index's k1 = 1.5 and b = 0.75. Measured on the news questions, Milvus's ``english``
analyzer (stemming, its own stop words) ranked other passages first for one-name questions
and would lose the Cyrillic and Arabic folding; with qabot's terms only Milvus's IDF
(log(1 + (N - n + 0.5) / (n + 0.5)), never negative) differs from the local BM25. Only when the collection is
complete does one row of ``<collection>_current`` name it: readers look that row up once
per question, so they never see half an index, and a build that fails leaves the row on
the old collection. The previous collection is kept (a question in flight may still read
it); older ones are dropped.

Why a row and not a Milvus alias: milvus-lite 2.5.1 answers ``create_alias`` with
UNIMPLEMENTED (measured here), and the same code must run on lite and on a cluster. The
row also carries what the collection was made with (schema version, model), so a reader
can refuse a collection from another qabot or model with a clear message.

Quotes, descriptions and article metadata stay in the snapshot's SQLite beside it: they
are read by exact key (speaker, article id), not searched by similarity, and Milvus
requires a vector in every collection.

pymilvus is imported only here and in `qabot.search.backends.milvus`, on first use.
"""

from __future__ import annotations

import json
import logging
import os
import re
import uuid
import warnings
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Sequence

import numpy as np

from qabot.config import Settings
from qabot.errors import BackendError
from qabot.records import Article, Chunk
from qabot.text import terms

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
INSERT_BATCH = 1000
BM25_K1, BM25_B = 1.5, 0.75  # as the local index (qabot.indexing.bm25)
# Every chunk field a reader needs, in the order they are written.
CHUNK_FIELDS = ["id", "article_id", "paragraph", "start", "end", "text", "published", "source"]
INSTALL_HINT = 'the Milvus backend needs its extra: pip install -e ".[milvus]"'
REBUILD_HINT = "run `qabot index rebuild`"


@dataclass(frozen=True)
class Pointer:
    """The row of `<collection>_current`: which collection answers, and how it was made."""

    collection: str
    schema: int
    model_id: str
    model_name: str
    dimension: int
    chunks: int
    created: str


def connect(settings: Settings):
    """A `MilvusClient` for `[backend] uri`; every failure is a one-line `BackendError`."""
    try:
        from pymilvus import MilvusClient, MilvusException
    except ImportError:
        raise BackendError(INSTALL_HINT) from None
    b = settings.backend
    uri = settings.milvus_uri
    token = ""
    if b.token_env:
        token = os.environ.get(b.token_env, "")
        if not token:
            raise BackendError(f"backend.token_env names ${b.token_env}, which is not set; export the Milvus token there")
    # pymilvus logs every failed call at ERROR on handlers of its own (and milvus-lite on the
    # root logger); the BackendError says it once, in one line.
    for name in ("pymilvus", "pymilvus.milvus_client"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    if not b.is_server:
        try:
            with warnings.catch_warnings():  # milvus-lite 2.5.1 still imports the deprecated pkg_resources
                warnings.simplefilter("ignore")
                import milvus_lite  # noqa: F401  (the embedded engine behind a file URI)
        except ImportError:
            raise BackendError(INSTALL_HINT + " (an embedded Milvus file needs milvus-lite==2.5.1)") from None
        from pathlib import Path

        Path(uri).parent.mkdir(parents=True, exist_ok=True)
    logging.disable(logging.ERROR)
    try:
        # A connection of its own: pymilvus shares one per URI, and closing a shared one
        # would cut off every other client in the process (a build beside a running bot).
        return MilvusClient(uri=uri, token=token, timeout=10, alias=f"qabot-{uuid.uuid4().hex}")
    except MilvusException as err:
        raise explain(err, settings) from None
    finally:
        logging.disable(logging.NOTSET)


def explain(err: Exception, settings: Settings) -> BackendError:
    """Turn a pymilvus failure into one line that says what to do."""
    uri = settings.milvus_uri
    text = str(getattr(err, "message", "") or err)
    low = text.lower()
    if any(word in low for word in ("auth", "credential", "permission denied", "unauthenticated", "token")):
        hint = f"check ${settings.backend.token_env}" if settings.backend.token_env else "set [backend] token_env"
        return BackendError(f"Milvus at {uri} refused the credentials ({_first_line(text)}); {hint}")
    if "open local milvus failed" in low:
        return BackendError(f"cannot open the embedded Milvus file {uri}: another process has it open (milvus-lite "
                            f"serves one process per file); stop that process, or serve the file with milvus-lite's "
                            f"server and set [backend] uri to its http:// address")
    if "fail connecting" in low or "unavailable" in low or "connect" in low and "fail" in low:
        if settings.backend.is_server:
            return BackendError(f"cannot reach Milvus at {uri}; start it or fix [backend] uri")
        return BackendError(f"cannot start the embedded Milvus engine for {uri}; reinstall it: "
                            f'pip install -e ".[milvus]"')
    return BackendError(f"Milvus at {uri}: {_first_line(text)}")


def pointer_collection(base: str) -> str:
    return f"{base}_current"


def read_pointer(client, base: str) -> Pointer | None:
    """The current collection's row, or None when no build has written one."""
    name = pointer_collection(base)
    if not client.has_collection(name):
        return None
    rows = client.get(name, ids=["current"], output_fields=["value"])
    if not rows:
        return None
    raw = json.loads(rows[0]["value"])
    try:
        return Pointer(**{k: raw[k] for k in Pointer.__dataclass_fields__})
    except (KeyError, TypeError):
        return Pointer(raw.get("collection", "?"), int(raw.get("schema", 0)), "", "", 0, 0, "")


def check_pointer(pointer: Pointer | None, settings: Settings, model_id: str) -> Pointer:
    """The pointer, if this qabot and model can read its collection; else a BackendError with the fix."""
    base = settings.backend.collection
    if pointer is None:
        raise BackendError(f"no Milvus collection '{base}' at {settings.milvus_uri}; run `qabot index build` "
                           f'with [backend] kind = "milvus"')
    if pointer.schema != SCHEMA_VERSION:
        raise BackendError(f"Milvus collection {pointer.collection} was written by another qabot version "
                           f"(schema {pointer.schema}, this one reads {SCHEMA_VERSION}); {REBUILD_HINT}")
    if pointer.model_id != model_id:
        raise BackendError(f"Milvus collection {pointer.collection} was built with model {pointer.model_name} "
                           f"({pointer.model_id}), but the configured model is {model_id}; {REBUILD_HINT}")
    return pointer


class StagedCollection:
    """A complete new collection, not yet the current one: `publish()` switches, `abandon()` drops."""

    def __init__(self, client, settings: Settings, name: str, pointer: Pointer):
        self.client = client
        self.settings = settings
        self.name = name
        self.pointer = pointer

    def publish(self) -> None:
        """Make this collection current with one row upsert; keep it and the one it replaces, drop the rest
        (older builds, and collections of builds that failed before publishing)."""
        base = self.settings.backend.collection
        previous = read_pointer(self.client, base)
        self.client.upsert(pointer_collection(base), [{"key": "current", "value": json.dumps(asdict(self.pointer)),
                                                       "vector": [0.0, 0.0]}])
        keep = {self.name, previous.collection if previous else ""}
        pattern = re.compile(rf"{re.escape(base)}_\d{{8}}T\d{{12}}Z")
        for name in self.client.list_collections():
            if pattern.fullmatch(name) and name not in keep:
                self.client.drop_collection(name)
        self.client.close()

    def abandon(self) -> None:
        _drop_quietly(self.client, self.name)


class NothingStaged:
    """The local backend: the snapshot switch is the whole publication."""

    def publish(self) -> None:
        return None

    def abandon(self) -> None:
        return None


def stage_for_backend(settings: Settings, content, model_id: str, model_name: str):
    """A new Milvus collection holding `content`'s chunks when `[backend] kind = "milvus"`; else nothing."""
    if settings.backend.kind != "milvus":
        return NothingStaged()
    return stage_collection(settings, content.articles, content.chunks, content.vectors, model_id, model_name)


def stage_collection(settings: Settings, articles: Sequence[Article], chunks: Sequence[Chunk], vectors: np.ndarray,
                     model_id: str, model_name: str) -> StagedCollection:
    """Write every chunk into a new collection; nothing readers see changes until `publish()`."""
    from pymilvus import MilvusException

    client = connect(settings)
    base = settings.backend.collection
    name = f"{base}_{datetime.now(timezone.utc).strftime('%Y%m%dT%H%M%S%f')}Z"
    dimension = int(vectors.shape[1])
    try:
        _ensure_pointer_collection(client, base)
        _create_chunk_collection(client, name, dimension)
        by_id = {a.id: a for a in articles}
        for start in range(0, len(chunks), INSERT_BATCH):
            batch = chunks[start:start + INSERT_BATCH]
            client.insert(name, [_row(c, vectors[c.id], by_id[c.article_id]) for c in batch])
        client.flush(name)
    except MilvusException as err:
        _drop_quietly(client, name)
        raise explain(err, settings) from None
    except BaseException:
        _drop_quietly(client, name)
        raise
    created = datetime.now(timezone.utc).isoformat(timespec="seconds")
    pointer = Pointer(name, SCHEMA_VERSION, model_id, model_name, dimension, len(chunks), created)
    return StagedCollection(client, settings, name, pointer)


def bm25_text(text: str) -> str:
    """What Milvus's BM25 sees of a chunk or a question: qabot's terms, space-separated."""
    return " ".join(terms(text))


def _row(chunk: Chunk, vector: np.ndarray, article: Article) -> dict:
    return {
        "id": chunk.id,
        "article_id": chunk.article_id,
        "paragraph": chunk.paragraph,
        "start": chunk.start,
        "end": chunk.end,
        "text": chunk.text,
        "terms": bm25_text(chunk.text),
        "published": article.published or "",
        "source": article.source or "",
        "dense": np.asarray(vector, dtype=np.float32).tolist(),
    }


def _create_chunk_collection(client, name: str, dimension: int) -> None:
    from pymilvus import DataType, Function, FunctionType

    schema = client.create_schema(auto_id=False, description=f"qabot chunks, schema {SCHEMA_VERSION}")
    schema.add_field("id", DataType.INT64, is_primary=True)
    schema.add_field("article_id", DataType.VARCHAR, max_length=2048)
    schema.add_field("paragraph", DataType.INT64)
    schema.add_field("start", DataType.INT64)
    schema.add_field("end", DataType.INT64)
    # Milvus's own BM25 over qabot's terms (see the module docstring) fills `sparse`.
    schema.add_field("text", DataType.VARCHAR, max_length=65535)
    schema.add_field("terms", DataType.VARCHAR, max_length=65535, enable_analyzer=True,
                     analyzer_params={"tokenizer": "whitespace"})
    schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
    schema.add_field("dense", DataType.FLOAT_VECTOR, dim=dimension)
    schema.add_field("published", DataType.VARCHAR, max_length=32)
    schema.add_field("source", DataType.VARCHAR, max_length=1024)
    schema.add_function(Function(name="text_bm25", function_type=FunctionType.BM25,
                                 input_field_names=["terms"], output_field_names=["sparse"]))
    index = client.prepare_index_params()
    # milvus-lite accepts only SPARSE_INVERTED_INDEX / SPARSE_WAND for sparse vectors (AUTOINDEX
    # is refused there); a server accepts both. Dense vectors get AUTOINDEX everywhere.
    index.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25",
                    params={"bm25_k1": BM25_K1, "bm25_b": BM25_B})
    index.add_index("dense", index_type="AUTOINDEX", metric_type="IP")
    client.create_collection(name, schema=schema, index_params=index, consistency_level="Strong")


def _ensure_pointer_collection(client, base: str) -> None:
    from pymilvus import DataType

    name = pointer_collection(base)
    if client.has_collection(name):
        return
    schema = client.create_schema(auto_id=False, description="qabot: which collection answers")
    schema.add_field("key", DataType.VARCHAR, is_primary=True, max_length=64)
    schema.add_field("value", DataType.VARCHAR, max_length=8192)
    schema.add_field("vector", DataType.FLOAT_VECTOR, dim=2)  # Milvus needs one; never searched
    index = client.prepare_index_params()
    index.add_index("vector", index_type="AUTOINDEX", metric_type="L2")
    client.create_collection(name, schema=schema, index_params=index, consistency_level="Strong")


def _drop_quietly(client, name: str) -> None:
    try:
        if client.has_collection(name):
            client.drop_collection(name)
    except Exception as err:  # the original failure matters more
        log.warning("could not drop the unfinished collection %s: %s", name, err)
    client.close()


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "unknown error"
