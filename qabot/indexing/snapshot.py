"""Index snapshots on disk: write completely, switch atomically, load with clear errors.

Layout under the index folder::

    index/
      CURRENT                  one line: the name of the snapshot in use
      snapshots/<name>/        manifest.json, vectors.faiss, bm25/, chunks.sqlite (and, for a
                               patched HNSW graph, chunk_ids.npy and positions.npy: vectors.py)
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
import re
import shutil
import sqlite3
import threading
from functools import cached_property
from contextlib import contextmanager
from dataclasses import MISSING, asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator, Sequence

import numpy as np

from qabot.errors import BuildLockedError, IndexMissingError, SnapshotError
from qabot.indexing.integrity import (changed_files, content_problems, damaged_files, file_checksums, file_stats,
                                      missing_tables, sha256_of)
from qabot.indexing.vectors import MAPPED_FORMAT, Vectors
from qabot.records import Article, ArticleInfo, Chunk, Description, Paragraph, Quote

FORMAT_VERSION = 3
# Below this many chunks FAISS searches exactly; above it an HNSW graph keeps queries fast
# (its recall against exact search is reported by bench/query_latency.py).
EXACT_SEARCH_LIMIT = 50_000
KEEP_SNAPSHOTS = 2
REBUILD_HINT = "run `qabot index rebuild`"
_SNAPSHOT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")

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
CREATE TABLE files(path TEXT, shown TEXT, size INTEGER, mtime_ns INTEGER, articles TEXT, skipped TEXT,
                   PRIMARY KEY(path, shown));
CREATE INDEX chunks_by_article ON chunks(article_id);
CREATE INDEX quotes_by_speaker ON quotes(speaker, text);
CREATE INDEX descriptions_by_name ON descriptions(name, text);
"""
# Copies of a story merged at build time (qabot.news syndication). Snapshots written before
# it have no such table and simply show no "also in".
# copy_id and content_hash (added later; absent in older snapshots) let an incremental build
# see that a copy is unchanged.
_COPIES_SCHEMA = """
CREATE TABLE copies(article_id TEXT, source TEXT, url TEXT, title TEXT, published TEXT, path TEXT,
                    copy_id TEXT, content_hash TEXT);
CREATE INDEX copies_by_article ON copies(article_id);
"""
# Reported speech (qabot.news.extract_reported): one row per sentence that reports a person's
# words, shaped like a quote (the text is the whole sentence). Older snapshots have no such
# table and show no reported speech; `IF NOT EXISTS` lets a patch add it to one.
REPORTED_SCHEMA = """
CREATE TABLE IF NOT EXISTS reported(article_id TEXT, paragraph INTEGER, speaker TEXT, text TEXT, start INTEGER,
                                    end INTEGER);
CREATE INDEX IF NOT EXISTS reported_by_speaker ON reported(speaker, text);
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
    # qabot.sources.reader_version() of the code that read the files; "" when unknown (then
    # an incremental build reads every file again).
    reader_version: str = ""
    # sha256 of every other file of the snapshot, by relative path; empty in snapshots
    # written before checksums existed (they still load; see qabot.indexing.integrity).
    checksums: dict[str, str] = field(default_factory=dict)
    # qabot.indexing.build.build_shape(): the settings that shape an index; "" when unknown
    # (then a build never takes the shortcut of carrying this snapshot's files over).
    build_shape: str = ""
    # [size, mtime_ns] of the same files, so a plain open can trust an unchanged file
    # without hashing it; empty in snapshots written before (they are hashed on every open).
    file_stats: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def read(cls, directory: Path) -> "Manifest":
        path = directory / "manifest.json"
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(raw, dict):
                raise SnapshotError(f"index snapshot {directory.name}: manifest.json holds a JSON "
                                    f"{type(raw).__name__}, not an object; {REBUILD_HINT}")
            version = raw.get("format_version")
            if version not in (FORMAT_VERSION, MAPPED_FORMAT):
                raise SnapshotError(
                    f"index snapshot {directory.name} has format version {version}, this qabot reads "
                    f"versions {FORMAT_VERSION} and {MAPPED_FORMAT}; {REBUILD_HINT}"
                )
            manifest = cls(**{k: raw[k] for k, f in cls.__dataclass_fields__.items()
                              if k in raw or (f.default is MISSING and f.default_factory is MISSING)})
            if not isinstance(manifest.checksums, dict) or not all(
                    isinstance(k, str) and isinstance(v, str) for k, v in manifest.checksums.items()):
                raise ValueError("checksums is not a table of file names and sha256 digests")
            if not isinstance(manifest.file_stats, dict) or not all(
                    isinstance(v, list) and len(v) == 2 and all(isinstance(n, int) for n in v)
                    for v in manifest.file_stats.values()):
                raise ValueError("file_stats is not a table of file names and [size, mtime_ns]")
            return manifest
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
    reported: list[Quote] = field(default_factory=list)  # reported speech, one sentence each


@dataclass(frozen=True)
class SnapshotContent:
    """Everything a build hands to `write_snapshot`."""

    articles: Sequence[Article]
    chunks: Sequence[Chunk]
    vectors: np.ndarray
    quotes: Sequence[Quote]
    descriptions: Sequence[Description]
    people: Sequence[tuple[str, str]]  # (article_id, name)
    files: Sequence = ()  # qabot.sources.FileRecord of each file read, for the next build's scan
    copies: Sequence[tuple[str, Article]] = ()  # (kept article id, a copy of it merged away)
    reported: Sequence[Quote] = ()  # reported speech: a Quote whose text is the reporting sentence


class SnapshotVanishedError(SnapshotError):
    """The snapshot was pruned between reading CURRENT and opening it: read CURRENT again."""


class ReaderLock:
    """A shared `flock` on a snapshot's manifest.json, held while a process reads the snapshot.

    `IndexFolder._prune` deletes an old snapshot only when it can lock it exclusively, so a
    slow `qabot ask` or a bot still answering from an old snapshot never loses it.
    """

    def __init__(self, handle=None):
        self._handle = handle

    @classmethod
    def acquire(cls, directory: Path) -> "ReaderLock":
        manifest = Path(directory) / "manifest.json"
        try:
            handle = open(manifest, "rb")
        except FileNotFoundError:
            if not Path(directory).is_dir():
                raise SnapshotVanishedError(f"index snapshot {Path(directory).name} was replaced by a newer build "
                                            f"while it was being opened; try again") from None
            return cls()  # no manifest: Manifest.read says what is wrong
        except OSError:
            return cls()
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
            # Locked, but a build may have deleted it just before: then the name now leads elsewhere.
            if os.fstat(handle.fileno()).st_nlink == 0:
                raise BlockingIOError
        except BlockingIOError:
            handle.close()
            raise SnapshotVanishedError(f"index snapshot {Path(directory).name} was replaced by a newer build "
                                        f"while it was being opened; try again") from None
        return cls(handle)

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()  # closing drops the flock
            self._handle = None


class IndexFolder:
    """The index folder: where snapshots live, which one is current, and the build lock."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.snapshots = self.root / "snapshots"
        self.current_file = self.root / "CURRENT"
        self.cache_file = self.root / "cache" / "embeddings.sqlite"

    def current_name(self) -> str | None:
        """The snapshot CURRENT names; None if there is none; SnapshotError if CURRENT is garbage."""
        try:
            raw = self.current_file.read_bytes()
        except FileNotFoundError:
            return None
        try:
            name = raw.decode("utf-8").strip()
        except UnicodeDecodeError:
            name = None
        if name == "":
            return None
        if name is None or not _SNAPSHOT_NAME.fullmatch(name):
            raise SnapshotError(f"{self.current_file} does not hold a snapshot name ({len(raw)} bytes of "
                                f"something else); {REBUILD_HINT}")
        return name

    def current_path(self) -> Path:
        name = self.current_name()
        if name is None:
            raise IndexMissingError(f"no index in {self.root}; run `qabot index build` first")
        path = self.snapshots / name
        if not path.is_dir():
            raise SnapshotVanishedError(f"{self.current_file} names snapshot {name}, which is missing; {REBUILD_HINT}")
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
        return self.publish(lambda building, name: self._write_into(building, name, content, manifest_fields))

    def write_from(self, previous: Manifest, change_db: Callable[[sqlite3.Connection], None],
                   manifest_fields: dict) -> Manifest:
        """A new current snapshot that is the current one with `change_db` applied to a copy of
        its `chunks.sqlite`; its FAISS and BM25 files are carried over as they are (hard links:
        snapshots are never written once published), so the cost is the database copy, not
        the corpus. For a build whose articles did not change (only files touched or moved
        between folders); `previous` must be the verified current snapshot's manifest."""
        source = self.snapshots / previous.name

        def derive(building: Path, name: str) -> Manifest:
            for path in sorted(source.rglob("*")):
                target = building / path.relative_to(source)
                if path.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                elif path.name == "chunks.sqlite":
                    shutil.copyfile(path, target)
                elif path.name != "manifest.json":
                    try:
                        os.link(path, target)
                    except OSError:  # a file system without hard links
                        shutil.copyfile(path, target)
            db = sqlite3.connect(building / "chunks.sqlite")
            try:
                change_db(db)
                db.commit()
            finally:
                db.close()
            checksums = dict(previous.checksums)
            checksums["chunks.sqlite"] = sha256_of(building / "chunks.sqlite")
            manifest = replace(previous, name=name, created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                               checksums=checksums, file_stats=file_stats(building), **manifest_fields)
            (building / "manifest.json").write_text(json.dumps(asdict(manifest), indent=2), encoding="utf-8")
            _fsync_tree(building)
            os.rename(building, self.snapshots / name)
            return manifest

        return self.publish(derive)

    def publish(self, write: Callable[[Path, str], Manifest]) -> Manifest:
        """`write(building folder, name)` a snapshot, then make it current with one atomic rename."""
        name = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        self.snapshots.mkdir(parents=True, exist_ok=True)
        building = self.snapshots / f".building-{name}"
        building.mkdir()
        try:
            manifest = write(building, name)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)  # a failed build leaves no half snapshot behind
            raise
        tmp = self.root / "CURRENT.tmp"
        try:
            tmp.write_text(name + "\n", encoding="utf-8")
            os.replace(tmp, self.current_file)
        except OSError:  # CURRENT was not switched: the new snapshot is nobody's
            tmp.unlink(missing_ok=True)
            shutil.rmtree(self.snapshots / name, ignore_errors=True)
            raise
        self._prune(keep=name)
        return manifest

    def _write_into(self, building: Path, name: str, content: SnapshotContent, manifest_fields: dict) -> Manifest:
        faiss_kind = _write_faiss(content.vectors, building / "vectors.faiss")
        _write_bm25(content.chunks, building / "bm25")
        _write_sqlite(content, building / "chunks.sqlite")
        checksums, stats = file_checksums(building), file_stats(building)
        manifest = Manifest(
            format_version=FORMAT_VERSION,
            name=name,
            created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            articles=len(content.articles),
            chunks=len(content.chunks),
            quotes=len(content.quotes),
            faiss_index=faiss_kind,
            dimension=int(content.vectors.shape[1]),
            checksums=checksums,
            file_stats=stats,
            **manifest_fields,
        )
        (building / "manifest.json").write_text(json.dumps(asdict(manifest), indent=2), encoding="utf-8")
        _fsync_tree(building)
        os.rename(building, self.snapshots / name)
        return manifest

    def open_current(self, expected_model_id: str | None = None, attempts: int = 5, *,
                     verify: bool = False) -> "Snapshot":
        """Load the current snapshot, reading CURRENT again if a build replaced it meanwhile.

        Only a snapshot pruned between the read of CURRENT and its opening is retried, and
        only while CURRENT moves on: a reader is never told to rebuild when a retry would do.
        `verify` hashes every file (see `Snapshot.load`).
        """
        for attempt in range(attempts):
            name = self.current_name()
            try:
                return Snapshot.load(self.current_path(), expected_model_id=expected_model_id, verify=verify)
            except SnapshotVanishedError:
                if attempt == attempts - 1 or self.current_name() == name:
                    raise
        raise AssertionError("unreachable")

    def _prune(self, keep: str) -> None:
        """Keep the newest `KEEP_SNAPSHOTS` snapshots, and any older one a process still reads."""
        names = sorted(p.name for p in self.snapshots.iterdir() if p.is_dir() and not p.name.startswith("."))
        for old in names[:-KEEP_SNAPSHOTS]:
            if old != keep:
                _remove_unless_read(self.snapshots / old)
        for leftover in self.snapshots.glob(".building-*"):
            shutil.rmtree(leftover, ignore_errors=True)


def _remove_unless_read(directory: Path) -> None:
    """Delete a snapshot no process holds a `ReaderLock` on (locked exclusively meanwhile)."""
    try:
        handle = open(directory / "manifest.json", "rb")
    except OSError:
        shutil.rmtree(directory, ignore_errors=True)  # no manifest: nobody can be reading it
        return
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return  # still read; the next build tries again
        shutil.rmtree(directory, ignore_errors=True)


def _write_faiss(vectors: np.ndarray, path: Path) -> str:
    import faiss

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    dim = vectors.shape[1]
    if len(vectors) > EXACT_SEARCH_LIMIT:
        # Vectors kept as float16 in the graph: half the memory (1M x 384: 768 MB, not 1.5 GB,
        # which alone was over the 1.5 GB a 1M-chunk process may use), cosines within ~1e-3
        # and recall@10 unchanged (bench/query_latency.py). Small corpora stay exact float32.
        index = faiss.IndexHNSWSQ(dim, faiss.ScalarQuantizer.QT_fp16, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        kind = "hnsw32-fp16"
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
        db.executemany("INSERT OR REPLACE INTO files VALUES (?,?,?,?,?,?)", file_rows(content.files))
        db.executescript(_COPIES_SCHEMA)
        db.executemany("INSERT INTO copies VALUES (?,?,?,?,?,?,?,?)",
                       [(kept, c.source, c.url, c.title, c.published, c.path, c.id, c.content_hash)
                        for kept, c in content.copies])
        db.executescript(REPORTED_SCHEMA)
        db.executemany("INSERT INTO reported VALUES (?,?,?,?,?,?)",
                       [(r.article_id, r.paragraph, r.speaker, r.text, r.start, r.end) for r in content.reported])
        db.commit()
    finally:
        db.close()


def file_rows(files: Sequence) -> list[tuple]:
    """Rows of the `files` table for `qabot.sources.FileRecord`s."""
    return [(f.path, f.shown, f.size, f.mtime_ns, json.dumps(list(f.articles)),
             json.dumps([[s.path, s.reason] for s in f.skipped])) for f in files]


def _fsync_tree(directory: Path) -> None:
    for path in directory.rglob("*"):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())


class Snapshot:
    """A loaded, read-only snapshot. Thread-safe: SQLite reads are serialised by a lock."""

    def __init__(self, directory: Path, manifest: Manifest, vectors: Vectors, bm25, db: sqlite3.Connection):
        self.directory = directory
        self.manifest = manifest
        self.vectors = vectors  # by chunk id, whatever positions FAISS holds them at (vectors.py)
        self.bm25 = bm25
        self._db = db
        self._lock = threading.Lock()
        self._reader: ReaderLock | None = None

    @classmethod
    def load(cls, directory: Path, expected_model_id: str | None = None, *, verify: bool = False) -> "Snapshot":
        """Open a snapshot; any mismatch or damage is a SnapshotError that says to rebuild.

        `verify=True` hashes every file against the manifest's sha256 (when a snapshot
        becomes current); otherwise a file whose size and mtime are those recorded at build
        time is trusted unread (`changed_files`), so a plain open costs about the same at a
        million chunks as at a thousand. The BM25 arrays, and the vectors of a checksummed
        snapshot, are memory-mapped: a question reads only the graph nodes and term rows it
        visits. The
        snapshot stays locked for reading (see `ReaderLock`) until `close`, so no build
        deletes it (and no file under a map changes) while this process answers from it.
        """
        reader = ReaderLock.acquire(directory)
        try:
            return cls._load(Path(directory), expected_model_id, reader, verify)
        except BaseException:
            reader.release()
            raise

    @classmethod
    def _load(cls, directory: Path, expected_model_id: str | None, reader: "ReaderLock", verify: bool) -> "Snapshot":
        import faiss

        from qabot.indexing.bm25 import BM25Index

        manifest = Manifest.read(directory)
        if expected_model_id is not None and manifest.model_id != expected_model_id:
            raise SnapshotError(
                f"index snapshot {manifest.name} was built with model {manifest.model_name} "
                f"({manifest.model_id}), but the configured model is {expected_model_id}; {REBUILD_HINT}"
            )
        damaged = (damaged_files(directory, manifest.checksums) if verify
                   else changed_files(directory, manifest.checksums, manifest.file_stats))
        for name, why in damaged[:1]:
            raise SnapshotError(f"index snapshot {manifest.name}: {name} is damaged ({why}); {REBUILD_HINT}")
        try:
            # A checked file is memory-mapped: opening reads nothing, and a question pages in
            # only the vectors and graph links it visits (shared, clean pages the kernel can drop).
            flags = faiss.IO_FLAG_MMAP_IFC if manifest.checksums else 0
            index = faiss.read_index(str(directory / "vectors.faiss"), flags)
        except RuntimeError as err:
            raise SnapshotError(f"index snapshot {manifest.name}: vectors.faiss is damaged ({_first_line(err)}); {REBUILD_HINT}") from None
        vectors = Vectors.load(directory, index, manifest.name, REBUILD_HINT)
        # Checksummed arrays are not scanned again (a scan would read every page of the map).
        bm25 = BM25Index.load(directory / "bm25", mmap=True, scan=not manifest.checksums)
        db_path = directory / "chunks.sqlite"
        db = None
        try:
            db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, check_same_thread=False)
            missing = missing_tables(db)
            if missing:
                raise sqlite3.DatabaseError(f"no {', '.join(missing)} table")
            (chunks,) = db.execute("SELECT count(*) FROM chunks").fetchone()
            if not manifest.checksums:  # an older snapshot: what the checksums would have caught
                (quick,) = db.execute("PRAGMA quick_check(1)").fetchone()
                if quick != "ok":
                    raise sqlite3.DatabaseError(quick)
            problem = None if manifest.checksums else next(iter(content_problems(index, bm25)), None)
            if problem:
                raise SnapshotError(f"index snapshot {manifest.name}: {problem}; {REBUILD_HINT}")
            if not (vectors.ntotal == chunks == manifest.chunks == bm25.n_docs):
                raise SnapshotError(
                    f"index snapshot {manifest.name} is inconsistent ({vectors.ntotal} vectors, {chunks} chunks, "
                    f"{bm25.n_docs} BM25 documents, manifest says {manifest.chunks}); {REBUILD_HINT}"
                )
        except BaseException as err:
            if db is not None:
                db.close()
            if isinstance(err, sqlite3.Error):
                raise SnapshotError(f"index snapshot {manifest.name}: chunks.sqlite is damaged ({err}); {REBUILD_HINT}") from None
            raise
        snapshot = cls(directory, manifest, vectors, bm25, db)
        snapshot._reader = reader
        return snapshot

    def close(self) -> None:
        """Close the database and the mapped BM25 files, and let builds delete this snapshot."""
        self._db.close()
        self.bm25.close()
        self.vectors.close()
        if self._reader is not None:
            self._reader.release()
            self._reader = None

    def query(self, sql: str, params: Sequence = ()) -> list[tuple]:
        """Rows of a read-only query; damage found only now is a SnapshotError, not a traceback."""
        with self._lock:
            try:
                return self._db.execute(sql, params).fetchall()
            except sqlite3.DatabaseError as err:
                raise SnapshotError(f"index snapshot {self.manifest.name}: chunks.sqlite is damaged ({err}); "
                                    f"{REBUILD_HINT}") from None

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

    def stored_files(self) -> dict[tuple[str, str], tuple[int, int, list[str], list[tuple[str, str]]]]:
        """(path, shown path) -> (size, mtime_ns, article ids, skipped lines) of each file the
        snapshot was built from; empty for a snapshot written before files were recorded."""
        try:
            rows = self.query("SELECT path, shown, size, mtime_ns, articles, skipped FROM files")
        except sqlite3.Error:
            return {}
        # Two json.loads of all rows at once, not two a row (0.05 s of CPU, not 0.15 s, at 20 000 files).
        ids = json.loads("[" + ",".join(r[4] for r in rows) + "]")
        skipped = json.loads("[" + ",".join(r[5] for r in rows) + "]")
        return {(path, shown): (size, mtime, found, [tuple(s) for s in lines])
                for (path, shown, size, mtime, _, _), found, lines in zip(rows, ids, skipped)}

    def stored_identities(self) -> dict[str, str] | None:
        """article id -> content hash of every article the snapshot was built from, kept or
        merged away as a copy; None for a snapshot that does not record its copies' hashes."""
        try:
            with self._lock:
                copies = self._db.execute("SELECT copy_id, content_hash FROM copies").fetchall()
        except sqlite3.Error:
            return None
        return {**dict(self.query("SELECT id, content_hash FROM articles")), **dict(copies)}

    def stored_article_records(self) -> dict[str, Article]:
        """Every article as it was ingested, so an unchanged file need not be read again."""
        paragraphs: dict[str, list[Paragraph]] = {}
        for aid, number, start, text in self.query(
                "SELECT article_id, number, start, text FROM paragraphs ORDER BY article_id, number"):
            paragraphs.setdefault(aid, []).append(Paragraph(number, text, start))
        return {aid: Article(id=aid, title=title, text=text, paragraphs=tuple(paragraphs.get(aid, ())), path=path,
                             content_hash=digest, source=source, url=url, published=published, author=author)
                for aid, title, source, url, published, author, path, digest, text in self.query(
                    "SELECT id, title, source, url, published, author, path, content_hash, text FROM articles")}

    def stored_speech(self) -> dict[str, StoredSpeech]:
        """article id -> its quotes, descriptions and people, in the order they were found."""
        out = {aid: StoredSpeech([], [], []) for (aid,) in self.query("SELECT id FROM articles")}
        for row in self.query("SELECT article_id, paragraph, speaker, text, start, end FROM quotes ORDER BY rowid"):
            out[row[0]].quotes.append(Quote(*row))
        for row in self.query("SELECT article_id, paragraph, name, text, start, end FROM descriptions ORDER BY rowid"):
            out[row[0]].descriptions.append(Description(*row))
        for aid, name in self.query("SELECT article_id, name FROM people ORDER BY rowid"):
            out[aid].people.append(name)
        if self.has_reported:
            for row in self.query("SELECT article_id, paragraph, speaker, text, start, end FROM reported ORDER BY rowid"):
                out[row[0]].reported.append(Quote(*row))
        return out

    @cached_property
    def has_reported(self) -> bool:
        """Does this snapshot store reported speech (one written before it was stored does
        not)? Asked once: a snapshot never changes."""
        return bool(self.query("SELECT 1 FROM sqlite_master WHERE name = 'reported'"))

    def reported_by(self, speakers: Sequence[str]) -> list[Quote]:
        """The speakers' reported speech (each sentence once, cited to the first article
        indexed with it), newest article first, then in reading order; none in a snapshot
        written before reported speech was stored."""
        return self._speech_by("reported", speakers, distinct=True) if self.has_reported else []

    def quotes_by(self, speakers: Sequence[str], distinct: bool = False) -> list[Quote]:
        """The speakers' quotes: newest article first, then in reading order.

        `distinct=True` reads each (speaker, words) once, cited to the first article indexed
        with them: a quote repeated in many articles (follow-up stories; ~86 copies of every
        quote in the 1M-chunk bench) costs one row, not one per copy, because the copies
        are skipped inside the (speaker, text) index (snapshots written before it have no
        such index: same answer, read the slow way).
        """
        return self._speech_by("quotes", speakers, distinct)

    def _speech_by(self, table: str, speakers: Sequence[str], distinct: bool) -> list[Quote]:
        """Rows of `table` ("quotes" or "reported", both shaped like a quote) by `speakers`, newest
        article first, then in reading order; `distinct` as `quotes_by` says."""
        if not speakers:
            return []
        marks = ",".join("?" * len(speakers))
        rows = self.query(
            "SELECT q.article_id, q.paragraph, q.speaker, q.text, q.start, q.end FROM "
            + (f"(SELECT min(rowid) AS first FROM {table} WHERE speaker IN ({marks}) GROUP BY speaker, text) d "
               f"JOIN {table} q ON q.rowid = d.first " if distinct else f"{table} q ")
            + "JOIN articles a ON a.id = q.article_id "
            + ("" if distinct else f"WHERE q.speaker IN ({marks}) ")
            + "ORDER BY coalesce(a.published, '') DESC, a.path, q.start", list(speakers))
        return [Quote(*r) for r in rows]

    def descriptions_of(self, names: Sequence[str], distinct: bool = False) -> list[Description]:
        """The names' descriptions in the order they were found; `distinct` as in `quotes_by`."""
        if not names:
            return []
        marks = ",".join("?" * len(names))
        source = (f"(SELECT min(rowid) AS first FROM descriptions WHERE name IN ({marks}) GROUP BY name, text) f "
                  "JOIN descriptions d ON d.rowid = f.first" if distinct else f"descriptions d WHERE d.name IN ({marks})")
        rows = self.query(f"SELECT d.article_id, d.paragraph, d.name, d.text, d.start, d.end FROM {source} "
                          "ORDER BY d.name, d.rowid", list(names))
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
