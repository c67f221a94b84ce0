"""Writing a snapshot's chunks into Milvus, only what changed, and switching readers in one step.

Two collections per `[backend] collection`, ``<collection>_blue`` and ``<collection>_green``,
take turns: readers use the one that one row of ``<collection>_current`` names, and a build
brings the OTHER one up to date, then switches the row. A question in flight keeps reading
the collection it started on; a build that fails anywhere leaves the row, and so the readers,
where they were.

Bringing a collection up to date means writing only the difference. Every chunk row has a
stable primary key, `chunk_key`: 63 bits of a hash of (article id, the article's content
hash, paragraph, start, end). The content hash changes whenever an article's text or metadata
does, and the text is ``article.text[start:end]``, so equal keys mean equal rows (text, terms,
date, source; the vector too, as the model is checked). The build lists the keys the
collection holds (a query iterator over the primary keys only), deletes the keys that are
gone and upserts the new ones, with vectors from the content-hash embedding cache (nothing is
re-embedded). A changed article is its old rows deleted and its new rows upserted; an
unchanged one is not touched. Since the difference is taken against what the collection
really holds, not against a record of it, a build that failed half-way through a difference
is simply finished by the next one. The collection is written whole instead when it is
missing, has no record (made by an older qabot), or its record names another schema, model
or dimension; and when, after the difference, its row count is not the snapshot's chunk count.

Why keys and not the snapshot's chunk ids: those are row numbers (FAISS positions) and
shift whenever an earlier article changes, so one new article would rewrite every row after
it. The reader (`qabot.search.backends.milvus`) maps each candidate's key back to the loaded
snapshot's chunk id by recomputing the keys of the candidates' articles' chunks from the
snapshot; a candidate the loaded snapshot does not hold (a build switched one side but not yet
the other) is left out, so a citation never mixes two versions of an article.
Why two collections and not one updated in place: a reader must never see a half-applied
difference, and Milvus has no multi-row transactions.

The BM25 terms are qabot's own (`qabot.text.terms`: folding, any script, the stop words
of questions) joined by spaces, and Milvus splits them on whitespace, with the local
index's k1 = 1.5 and b = 0.75. Measured on the news questions, Milvus's ``english``
analyzer (stemming, its own stop words) ranked other passages first for one-name questions
and would lose the Cyrillic and Arabic folding; with qabot's terms only Milvus's IDF
(log(1 + (N - n + 0.5) / (n + 0.5)), never negative) differs from the local BM25.

Why a row and not a Milvus alias: milvus-lite 2.5.1 answers ``create_alias`` with
UNIMPLEMENTED (measured here), and the same code must run on lite and on a cluster. The
row also carries what the collection was made with (schema version, model), so a reader
can refuse a collection from another qabot or model with a clear message; each side has a
row of its own too (``blue``, ``green``: schema, model, state, the snapshot it was built for).

Quotes, descriptions and article metadata stay in the snapshot's SQLite beside it: they
are read by exact key (speaker, article id), not searched by similarity, and Milvus
requires a vector in every collection.

pymilvus is imported only here and in `qabot.search.backends.milvus`, on first use.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import time
import uuid
import warnings
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from typing import Sequence

import numpy as np

from qabot.config import Settings
from qabot.errors import BackendError
from qabot.records import Article, Chunk
from qabot.text import terms

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2  # 2: blue/green collections keyed by `chunk_key` (1: one collection a build, row-number ids)
INSERT_BATCH = 1000
DELETE_BATCH = 5000
KEY_BATCH = 10_000
BM25_K1, BM25_B = 1.5, 0.75  # as the local index (qabot.indexing.bm25)
# Every chunk field a reader needs, in the order they are written.
CHUNK_FIELDS = ["key", "article_id", "paragraph", "start", "end", "text", "published", "source"]
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
    snapshot: str = ""  # the local snapshot built with it (set when it becomes current)


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


def read_pointer(client, base: str, attempts: int = 10) -> Pointer | None:
    """The current collection's row, or None when no build has written one.

    An upsert is a delete and an insert inside Milvus, so a read that lands between the two
    (a build switching readers) finds no row for an instant; CI caught one such question in
    tests/test_milvus.py's rebuild-under-questions test. The row is read again, for up to about
    2 s, before deciding there is none: 5 reads over 0.5 s were not enough on a loaded 2-core
    machine (CI, 2026-12-02: one read of thousands, while 300 upserts ran)."""
    name = pointer_collection(base)
    if not client.has_collection(name):
        return None
    for attempt in range(attempts):
        rows = client.get(name, ids=["current"], output_fields=["value"])
        if rows:
            return _pointer(json.loads(rows[0]["value"]))
        if attempt + 1 < attempts:
            time.sleep(min(0.05 * (attempt + 1), 0.3))
    return None


def _pointer(raw: dict) -> Pointer:
    try:
        return Pointer(**{k: raw[k] for k in Pointer.__dataclass_fields__ if k in raw})
    except TypeError:  # a row from another qabot: enough of it to say so
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


@dataclass(frozen=True)
class MilvusWrite:
    """What a build wrote into Milvus: which collection, whole or as a difference, how many rows."""

    collection: str
    whole: bool  # written from nothing (`reason` says why) rather than as a difference
    upserted: int
    deleted: int
    reason: str = ""


class StagedCollection:
    """A collection brought up to date, not yet the current one: `publish()` switches readers to it."""

    def __init__(self, client, settings: Settings, pointer: Pointer, written: MilvusWrite):
        self.client = client
        self.settings = settings
        self.pointer = pointer
        self.written = written

    def publish(self, snapshot: str = "") -> None:
        """Make this collection current with one row upsert, noting the snapshot it was built
        with; drop the collections of qabot before blue/green except the one just replaced
        (a question may still be reading it)."""
        from pymilvus import MilvusException

        base = self.settings.backend.collection
        try:
            previous = read_pointer(self.client, base)
            pointer = replace(self.pointer, snapshot=snapshot)
            self.client.upsert(pointer_collection(base), [_pointer_row("current", pointer)])
            self.client.upsert(pointer_collection(base), [_pointer_row(_side(base, pointer.collection), pointer)])
            legacy = re.compile(rf"{re.escape(base)}_\d{{8}}T\d{{12}}Z")
            for name in self.client.list_collections():
                if legacy.fullmatch(name) and name != (previous.collection if previous else ""):
                    self.client.drop_collection(name)
        except MilvusException as err:
            raise explain(err, self.settings) from None
        finally:
            self.client.close()

    def abandon(self) -> None:
        """The snapshot was not written: readers stay where they are. The collection stays as it
        is (its rows are right for their keys), and the next build takes its difference again."""
        self.client.close()


class NothingStaged:
    """The local backend: the snapshot switch is the whole publication."""

    written = None

    def publish(self, snapshot: str = "") -> None:
        return None

    def abandon(self) -> None:
        return None


def stage_for_backend(settings: Settings, content, model_id: str, model_name: str):
    """The Milvus collection readers do not use, brought up to `content`'s chunks, when
    `[backend] kind = "milvus"`; else nothing."""
    if settings.backend.kind != "milvus":
        return NothingStaged()
    return stage_collection(settings, content.articles, content.chunks, content.vectors, model_id, model_name)


def chunk_key(article_id: str, content_hash: str, paragraph: int, start: int, end: int) -> int:
    """A chunk's Milvus primary key: the same for the same chunk of the same article version,
    in every build (63 bits, so it stays a non-negative INT64)."""
    digest = hashlib.blake2b(f"{article_id}\0{content_hash}\0{paragraph}\0{start}\0{end}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big") >> 1


def stage_collection(settings: Settings, articles: Sequence[Article], chunks: Sequence[Chunk], vectors: np.ndarray,
                     model_id: str, model_name: str) -> StagedCollection:
    """Bring the collection readers do not use up to these chunks (see the module docstring);
    nothing readers see changes until `publish()`. A failure leaves it for the next build."""
    from pymilvus import MilvusException

    by_id = {a.id: a for a in articles}
    keys = [chunk_key(c.article_id, by_id[c.article_id].content_hash, c.paragraph, c.start, c.end) for c in chunks]
    wanted = dict(zip(keys, range(len(chunks))))
    if len(wanted) != len(chunks):  # 63-bit keys: ~1 chance in 2 000 at 100 M chunks
        raise BackendError("two chunks got the same Milvus key (a hash collision); report it, and use the "
                           "local backend meanwhile")
    base = settings.backend.collection
    dimension = int(vectors.shape[1])
    client = connect(settings)
    try:
        _ensure_pointer_collection(client, base)
        current = read_pointer(client, base)
        target = f"{base}_green" if current is not None and current.collection == f"{base}_blue" else f"{base}_blue"
        created = datetime.now(timezone.utc).isoformat(timespec="seconds")
        pointer = Pointer(target, SCHEMA_VERSION, model_id, model_name, dimension, len(chunks), created)
        reason = _why_whole(client, base, target, pointer)
        _mark(client, base, pointer, "writing")
        upserted = deleted = 0
        if not reason:
            held = _stored_keys(client, target)
            gone = [k for k in held if k not in wanted]
            new = [i for k, i in wanted.items() if k not in held]
            for start in range(0, len(gone), DELETE_BATCH):
                client.delete(target, ids=gone[start:start + DELETE_BATCH])
            for start in range(0, len(new), INSERT_BATCH):
                batch = new[start:start + INSERT_BATCH]
                client.upsert(target, [_row(keys[i], chunks[i], vectors[chunks[i].id], by_id[chunks[i].article_id])
                                       for i in batch])
            upserted, deleted = len(new), len(gone)
            client.flush(target)
            if _count(client, target) != len(chunks):
                reason = "its row count after the difference was not the snapshot's chunk count"
        if reason:
            _drop(client, target)
            _create_chunk_collection(client, target, dimension)
            for start in range(0, len(chunks), INSERT_BATCH):
                batch = range(start, min(start + INSERT_BATCH, len(chunks)))
                client.insert(target, [_row(keys[i], chunks[i], vectors[chunks[i].id], by_id[chunks[i].article_id])
                                       for i in batch])
            upserted, deleted = len(chunks), 0
            client.flush(target)
        _mark(client, base, pointer, "complete")
    except MilvusException as err:
        client.close()
        raise explain(err, settings) from None
    except BaseException:
        client.close()
        raise
    log.info("Milvus %s: %s, %d rows upserted, %d deleted", target, f"written whole ({reason})" if reason
             else "brought up to date", upserted, deleted)
    return StagedCollection(client, settings, pointer, MilvusWrite(target, bool(reason), upserted, deleted, reason))


def _why_whole(client, base: str, target: str, wanted: Pointer) -> str:
    """Why `target` must be written whole, or "" when a difference will do."""
    if not client.has_collection(target):
        return "no such collection yet"
    held, _ = read_record(client, base, _side(base, target))
    if held is None:
        return "no record of what it holds"
    if held.schema != wanted.schema:
        return f"written by another qabot version (schema {held.schema})"
    if held.model_id != wanted.model_id or held.dimension != wanted.dimension:
        return f"built with another model ({held.model_name}, {held.model_id})"
    return ""


def read_record(client, base: str, side: str) -> tuple[Pointer | None, str]:
    """What the `side` ("blue" or "green") collection was last written with, and whether that
    write finished ("complete") or not ("writing"); (None, "") if there is no record."""
    rows = client.get(pointer_collection(base), ids=[side], output_fields=["value"])
    if not rows:
        return None, ""
    raw = json.loads(rows[0]["value"])
    return _pointer(raw), raw.get("state", "")


def _mark(client, base: str, pointer: Pointer, state: str) -> None:
    client.upsert(pointer_collection(base), [_pointer_row(_side(base, pointer.collection), pointer, state)])


def _side(base: str, collection: str) -> str:
    return collection[len(base) + 1:]


def _pointer_row(key: str, pointer: Pointer, state: str = "complete") -> dict:
    return {"key": key, "value": json.dumps({**asdict(pointer), "state": state}), "vector": [0.0, 0.0]}


def _stored_keys(client, name: str) -> set[int]:
    """Every primary key the collection holds, read in batches (keys only: 8 bytes a row)."""
    keys: set[int] = set()
    iterator = client.query_iterator(name, batch_size=KEY_BATCH, filter="", output_fields=["key"])
    try:
        while batch := iterator.next():
            keys.update(int(row["key"]) for row in batch)
    finally:
        iterator.close()
    return keys


def _count(client, name: str) -> int:
    (row,) = client.query(name, filter="", output_fields=["count(*)"])
    return int(row["count(*)"])


def bm25_text(text: str) -> str:
    """What Milvus's BM25 sees of a chunk or a question: qabot's terms, space-separated."""
    return " ".join(terms(text))


def _row(key: int, chunk: Chunk, vector: np.ndarray, article: Article) -> dict:
    return {
        "key": key,
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
    schema.add_field("key", DataType.INT64, is_primary=True)  # chunk_key
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


def _drop(client, name: str) -> None:
    if client.has_collection(name):
        client.drop_collection(name)


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "unknown error"
