"""Index snapshots on disk: write completely, switch atomically, load with clear errors.

Layout under the index folder::

    index/
      CURRENT                  one line: the name of the snapshot in use
      snapshots/<name>/        manifest.json, vectors.faiss, bm25/, chunks.sqlite
      cache/embeddings.sqlite  content-hash embedding cache (see embedding_cache)
      .lock                    held (flock) while a build runs

A snapshot is written under ``snapshots/.building-<name>``, renamed into place, and only
then named in CURRENT (written to a temporary file and ``os.replace``d: one atomic rename).
A crash at any point leaves the previous snapshot current. Everything is data: JSON,
SQLite, FAISS's own format and NumPy arrays loaded with ``allow_pickle=False``.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import MISSING, asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np

from qabot.errors import BuildLockedError, IndexMissingError, SnapshotError
from qabot.records import Article, ArticleInfo, Chunk, Description, Paragraph, Quote

FORMAT_VERSION = 3
# Below this many chunks FAISS searches exactly; above it an HNSW graph keeps queries fast
# (its recall against exact search is reported by bench/query_latency.py).
EXACT_SEARCH_LIMIT = 50_000
KEEP_SNAPSHOTS = 2
REBUILD_HINT = "run `qabot index rebuild`"

_SCHEMA = """
CREATE TABLE articles(id TEXT PRIMARY KEY, title TEXT, source TEXT, url TEXT, published TEXT,
                      author TEXT, path TEXT, content_hash TEXT, text TEXT);
CREATE TABLE paragraphs(article_id TEXT, number INTEGER, start INTEGER, text TEXT,
                        PRIMARY KEY(article_id, number));
CREATE TABLE chunks(id INTEGER PRIMARY KEY, article_id TEXT, paragraph INTEGER, start INTEGER,
                    end INTEGER, text TEXT);
CREATE TABLE quotes(article_id TEXT, paragraph INTEGER, speaker TEXT, text TEXT, start INTEGER,
                    end INTEGER);
CREATE TABLE descriptions(article_id TEXT, paragraph INTEGER, name TEXT, text TEXT,
                          start INTEGER, end INTEGER);
CREATE TABLE people(article_id TEXT, name TEXT);
CREATE INDEX chunks_by_article ON chunks(article_id);
CREATE INDEX quotes_by_speaker ON quotes(speaker);
CREATE INDEX descriptions_by_name ON descriptions(name);
"""
# Copies of a story merged at build time (qabot.news syndication). Snapshots written before
# it have no such table and simply show no "also in".
_COPIES_SCHEMA = """
CREATE TABLE copies(article_id TEXT, source TEXT, url TEXT, title TEXT, published TEXT, path TEXT);
CREATE INDEX copies_by_article ON copies(article_id);
"""


@dataclass(frozen=True)
class Manifest:
    """What a snapshot holds and how it was made; checked before anything else is read."""

    format_version: int
    name: str
    created: str
    model_id: str
    model_name: str
    dimension: int
    max_tokens: int
    articles: int
    chunks: int
    quotes: int
    faiss_index: str
    corpus_fingerprint: str
    files_fingerprint: str
    # qabot.news.quotes.extractor_version() of the code that found the quotes; "" when unknown
    # (then an incremental build extracts every article's quotes again).
    speech_version: str = ""

    @classmethod
    def read(cls, directory: Path) -> "Manifest":
        path = directory / "manifest.json"
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            version = raw.get("format_version")
            if version != FORMAT_VERSION:
                raise SnapshotError(
                    f"index snapshot {directory.name} has format version {version}, this qabot reads "
                    f"version {FORMAT_VERSION}; {REBUILD_HINT}"
                )
            return cls(**{k: raw[k] for k, f in cls.__dataclass_fields__.items() if k in raw or f.default is MISSING})
        except SnapshotError:
            raise
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise SnapshotError(f"index snapshot {directory.name} has no readable manifest ({err}); {REBUILD_HINT}") from None


@dataclass(frozen=True)
class StoredSpeech:
    """One article's quotes, descriptions and people as a snapshot holds them."""

    quotes: list[Quote]
    descriptions: list[Description]
    people: list[str]


@dataclass(frozen=True)
class SnapshotContent:
    """Everything a build hands to `write_snapshot`."""

    articles: Sequence[Article]
    chunks: Sequence[Chunk]
    vectors: np.ndarray
    quotes: Sequence[Quote]
    descriptions: Sequence[Description]
    people: Sequence[tuple[str, str]]  # (article_id, name)
    copies: Sequence[tuple[str, Article]] = ()  # (kept article id, a copy of it merged away)


class IndexFolder:
    """The index folder: where snapshots live, which one is current, and the build lock."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.snapshots = self.root / "snapshots"
        self.current_file = self.root / "CURRENT"
        self.cache_file = self.root / "cache" / "embeddings.sqlite"

    def current_name(self) -> str | None:
        try:
            name = self.current_file.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return name or None

    def current_path(self) -> Path:
        name = self.current_name()
        if name is None:
            raise IndexMissingError(f"no index in {self.root}; run `qabot index build` first")
        path = self.snapshots / name
        if not path.is_dir():
            raise SnapshotError(f"{self.current_file} names snapshot {name}, which is missing; {REBUILD_HINT}")
        return path

    @contextmanager
    def build_lock(self) -> Iterator[None]:
        """Hold the build lock; a second build gets a clear message instead of waiting."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise BuildLockedError(
                    f"another `qabot index build` is running on {self.root}; wait for it to finish and try again"
                ) from None
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def write(self, content: SnapshotContent, manifest_fields: dict) -> Manifest:
        """Write a complete snapshot, then make it current with one atomic rename."""
        name = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        self.snapshots.mkdir(parents=True, exist_ok=True)
        building = self.snapshots / f".building-{name}"
        building.mkdir()
        faiss_kind = _write_faiss(content.vectors, building / "vectors.faiss")
        _write_bm25(content.chunks, building / "bm25")
        _write_sqlite(content, building / "chunks.sqlite")
        manifest = Manifest(
            format_version=FORMAT_VERSION,
            name=name,
            created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            articles=len(content.articles),
            chunks=len(content.chunks),
            quotes=len(content.quotes),
            faiss_index=faiss_kind,
            dimension=int(content.vectors.shape[1]),
            **manifest_fields,
        )
        (building / "manifest.json").write_text(json.dumps(asdict(manifest), indent=2), encoding="utf-8")
        _fsync_tree(building)
        os.rename(building, self.snapshots / name)
        tmp = self.root / "CURRENT.tmp"
        tmp.write_text(name + "\n", encoding="utf-8")
        os.replace(tmp, self.current_file)
        self._prune(keep=name)
        return manifest

    def _prune(self, keep: str) -> None:
        """Keep the newest snapshots (a running bot may still read the previous one)."""
        names = sorted(p.name for p in self.snapshots.iterdir() if p.is_dir() and not p.name.startswith("."))
        for old in names[:-KEEP_SNAPSHOTS]:
            if old != keep:
                shutil.rmtree(self.snapshots / old, ignore_errors=True)
        for leftover in self.snapshots.glob(".building-*"):
            shutil.rmtree(leftover, ignore_errors=True)


def _write_faiss(vectors: np.ndarray, path: Path) -> str:
    import faiss

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    dim = vectors.shape[1]
    if len(vectors) > EXACT_SEARCH_LIMIT:
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        kind = "hnsw32"
    else:
        index = faiss.IndexFlatIP(dim)
        kind = "flat"
    if len(vectors):
        index.add(vectors)
    faiss.write_index(index, str(path))
    return kind


def _write_bm25(chunks: Sequence[Chunk], directory: Path) -> None:
    from qabot.indexing.bm25 import BM25Index
    from qabot.text import terms

    BM25Index.fit([terms(c.text) for c in chunks]).save(directory)


def _write_sqlite(content: SnapshotContent, path: Path) -> None:
    db = sqlite3.connect(path)
    try:
        db.executescript(_SCHEMA)
        db.executemany(
            "INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?)",
            [(a.id, a.title, a.source, a.url, a.published, a.author, a.path, a.content_hash, a.text) for a in content.articles],
        )
        db.executemany(
            "INSERT INTO paragraphs VALUES (?,?,?,?)",
            [(a.id, p.number, p.start, p.text) for a in content.articles for p in a.paragraphs],
        )
        db.executemany(
            "INSERT INTO chunks VALUES (?,?,?,?,?,?)",
            [(c.id, c.article_id, c.paragraph, c.start, c.end, c.text) for c in content.chunks],
        )
        db.executemany(
            "INSERT INTO quotes VALUES (?,?,?,?,?,?)",
            [(q.article_id, q.paragraph, q.speaker, q.text, q.start, q.end) for q in content.quotes],
        )
        db.executemany(
            "INSERT INTO descriptions VALUES (?,?,?,?,?,?)",
            [(d.article_id, d.paragraph, d.name, d.text, d.start, d.end) for d in content.descriptions],
        )
        db.executemany("INSERT INTO people VALUES (?,?)", list(content.people))
        db.executescript(_COPIES_SCHEMA)
        db.executemany("INSERT INTO copies VALUES (?,?,?,?,?,?)",
                       [(kept, c.source, c.url, c.title, c.published, c.path) for kept, c in content.copies])
        db.commit()
    finally:
        db.close()


def _fsync_tree(directory: Path) -> None:
    for path in directory.rglob("*"):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())


class Snapshot:
    """A loaded, read-only snapshot. Thread-safe: SQLite reads are serialised by a lock."""

    def __init__(self, directory: Path, manifest: Manifest, faiss_index, bm25, db: sqlite3.Connection):
        self.directory = directory
        self.manifest = manifest
        self.faiss = faiss_index
        self.bm25 = bm25
        self._db = db
        self._lock = threading.Lock()

    @classmethod
    def load(cls, directory: Path, expected_model_id: str | None = None) -> "Snapshot":
        """Open a snapshot; any mismatch or damage is a SnapshotError that says to rebuild."""
        import faiss

        from qabot.indexing.bm25 import BM25Index

        manifest = Manifest.read(directory)
        if expected_model_id is not None and manifest.model_id != expected_model_id:
            raise SnapshotError(
                f"index snapshot {manifest.name} was built with model {manifest.model_name} "
                f"({manifest.model_id}), but the configured model is {expected_model_id}; {REBUILD_HINT}"
            )
        try:
            index = faiss.read_index(str(directory / "vectors.faiss"))
        except RuntimeError as err:
            raise SnapshotError(f"index snapshot {manifest.name}: vectors.faiss is damaged ({_first_line(err)}); {REBUILD_HINT}") from None
        bm25 = BM25Index.load(directory / "bm25")
        db_path = directory / "chunks.sqlite"
        try:
            db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, check_same_thread=False)
            (chunks,) = db.execute("SELECT count(*) FROM chunks").fetchone()
        except sqlite3.Error as err:
            raise SnapshotError(f"index snapshot {manifest.name}: chunks.sqlite is damaged ({err}); {REBUILD_HINT}") from None
        if not (index.ntotal == chunks == manifest.chunks == bm25.n_docs):
            raise SnapshotError(
                f"index snapshot {manifest.name} is inconsistent ({index.ntotal} vectors, {chunks} chunks, "
                f"{bm25.n_docs} BM25 documents, manifest says {manifest.chunks}); {REBUILD_HINT}"
            )
        return cls(directory, manifest, index, bm25, db)

    def close(self) -> None:
        self._db.close()

    def query(self, sql: str, params: Sequence = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def chunks(self, ids: Sequence[int]) -> dict[int, Chunk]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.query(f"SELECT id, article_id, paragraph, start, end, text FROM chunks WHERE id IN ({marks})", list(map(int, ids)))
        return {r[0]: Chunk(*r) for r in rows}

    def articles(self, ids: Sequence[str]) -> dict[str, ArticleInfo]:
        ids = list(dict.fromkeys(ids))
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.query(f"SELECT id, title, source, url, published, author, path FROM articles WHERE id IN ({marks})", ids)
        also_in: dict[str, list[str]] = {}
        if self.query("SELECT 1 FROM sqlite_master WHERE name = 'copies'"):
            for article_id, name in self.query(f"SELECT article_id, COALESCE(NULLIF(source, ''), path) FROM copies "
                                               f"WHERE article_id IN ({marks}) ORDER BY published, path", ids):
                also_in.setdefault(article_id, []).append(name)
        return {r[0]: ArticleInfo(*r, also_in=_other_outlets(r[2], also_in.get(r[0], []))) for r in rows}

    def paragraph(self, article_id: str, number: int) -> Paragraph | None:
        rows = self.query("SELECT number, text, start FROM paragraphs WHERE article_id=? AND number=?", (article_id, number))
        return Paragraph(*rows[0]) if rows else None

    def article_ids_with_prefix(self, prefix: str) -> list[str]:
        return [r[0] for r in self.query("SELECT id FROM articles WHERE id LIKE ? LIMIT 2", (prefix + "%",))]

    def stored_articles(self) -> dict[str, tuple[str, list[Chunk]]]:
        """article id -> (content hash, its chunks): what an incremental build may reuse."""
        hashes = dict(self.query("SELECT id, content_hash FROM articles"))
        out: dict[str, tuple[str, list[Chunk]]] = {aid: (h, []) for aid, h in hashes.items()}
        for row in self.query("SELECT id, article_id, paragraph, start, end, text FROM chunks ORDER BY id"):
            out[row[1]][1].append(Chunk(*row))
        return out

    def stored_speech(self) -> dict[str, StoredSpeech]:
        """article id -> its quotes, descriptions and people, in the order they were found."""
        out = {aid: StoredSpeech([], [], []) for (aid,) in self.query("SELECT id FROM articles")}
        for row in self.query("SELECT article_id, paragraph, speaker, text, start, end FROM quotes ORDER BY rowid"):
            out[row[0]].quotes.append(Quote(*row))
        for row in self.query("SELECT article_id, paragraph, name, text, start, end FROM descriptions ORDER BY rowid"):
            out[row[0]].descriptions.append(Description(*row))
        for aid, name in self.query("SELECT article_id, name FROM people ORDER BY rowid"):
            out[aid].people.append(name)
        return out

    def quotes_by(self, speakers: Sequence[str]) -> list[Quote]:
        """The speakers' quotes: newest article first, then in reading order."""
        if not speakers:
            return []
        marks = ",".join("?" * len(speakers))
        rows = self.query(
            "SELECT q.article_id, q.paragraph, q.speaker, q.text, q.start, q.end FROM quotes q "
            f"JOIN articles a ON a.id = q.article_id WHERE q.speaker IN ({marks}) "
            "ORDER BY coalesce(a.published, '') DESC, a.path, q.start", list(speakers))
        return [Quote(*r) for r in rows]

    def descriptions_of(self, names: Sequence[str]) -> list[Description]:
        if not names:
            return []
        marks = ",".join("?" * len(names))
        rows = self.query(f"SELECT article_id, paragraph, name, text, start, end FROM descriptions WHERE name IN ({marks})",
                          list(names))
        return [Description(*r) for r in rows]

    def size_on_disk(self) -> int:
        return sum(p.stat().st_size for p in self.directory.rglob("*") if p.is_file())


def _first_line(err: Exception) -> str:
    return str(err).strip().splitlines()[-1] if str(err).strip() else type(err).__name__


def _other_outlets(own: str | None, names: Sequence[str]) -> tuple[str, ...]:
    """Each other outlet once, never the kept article's own (a URL variant of one site)."""
    seen = {(own or "").casefold()}
    out = []
    for name in names:
        if name.casefold() not in seen:
            seen.add(name.casefold())
            out.append(name)
    return tuple(out)
