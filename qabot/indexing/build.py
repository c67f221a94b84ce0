"""`qabot index build`: articles on disk -> a new current snapshot, re-doing only what changed.

Bounded on any input: files over `[corpus] max_file_mb` are skipped when read, and each
article's chunking and quote finding run within `[corpus] article_seconds`
(`qabot.indexing.budget`); an article past it is skipped with its reason.

Cheap when little changed, in six layers:
1. the files' names, sizes and modification times match the current snapshot, and it is
   not damaged (it loads and its checksums match) -> nothing to do (the corpus is walked
   once, one `os.scandir` a folder and one `stat` a file);
2. a file whose size and modification time match the snapshot's record of it is not read
   again: its articles come from the snapshot (when the reading code is the same,
   `sources.reader_version`);
3. the files read again give exactly the articles the snapshot holds (files touched,
   copied back, or moved without changing their shown path) and the snapshot was built
   the same way (`build_shape`, model, reading and quote code) -> the snapshot is carried
   over: FAISS and BM25 files hard-linked, `chunks.sqlite` copied with its file records
   updated; no article is loaded and the model is not loaded;
4. files were edited, added or deleted, the snapshot was built the same way, and no
   changed article is (or has) a syndicated copy -> the snapshot is patched
   (`qabot.indexing.patch`): only the articles of the files read again are chunked,
   searched for quotes and embedded, and SQLite, BM25 and FAISS are derived from the
   current snapshot's, not written from Python objects of every article (an HNSW graph is
   extended in place, `qabot.indexing.vectors`);
5. otherwise an article whose content hash matches the current snapshot keeps its chunks
   and their vectors (read from the snapshot's FAISS index in one go), and its quotes too
   when the quote-extraction code is the same (`quotes.extractor_version`);
6. every other chunk's vector comes from the embedding cache when (model, text) was seen
   before.
What layer 5 still does for the whole corpus: load every article and chunk from the
snapshot, find syndicated copies, and write FAISS, BM25 and SQLite anew (README "Many tiny
files" has the figures).
"""

from __future__ import annotations

import errno
import hashlib
import json
import shutil
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from qabot.config import Settings
from qabot.errors import CorpusError, IndexStorageError, QabotError
from qabot.indexing.budget import OverBudget, time_budget
from qabot.indexing.milvus_store import MilvusWrite, stage_for_backend
from qabot.indexing.snapshot import (
    FORMAT_VERSION,
    IndexFolder,
    Manifest,
    Snapshot,
    SnapshotContent,
)
from qabot.records import Article, Chunk, Skipped

# progress(stage, done, total): stage is "reading", "chunking" or "embedding".
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class BuildReport:
    """What a build did, for the summary line and for tests."""

    up_to_date: bool
    articles: int = 0
    skipped: tuple[Skipped, ...] = ()
    chunks: int = 0
    embedded: int = 0
    new: int = 0
    changed: int = 0
    deleted: int = 0
    files_reused: int = 0  # files not read again: unchanged since the snapshot recorded them
    copies: int = 0  # articles merged into another copy of the same story
    snapshot: str | None = None
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)
    # Why the current snapshot was not kept (it is damaged), when that forced this build.
    replaced_damaged: str = ""
    milvus: MilvusWrite | None = None  # what went into Milvus, with `[backend] kind = "milvus"`
    patched: bool = False  # derived from the current snapshot, only the changed articles written (patch.py)


def _shape(settings: Settings, model_name: str | None = None) -> bytes:
    """The settings that shape an index, as the fingerprint has always hashed them."""
    shape = [FORMAT_VERSION, model_name or settings.model.name, settings.chunking.max_tokens,
             settings.corpus.max_file_mb, settings.corpus.follow_symlinks_outside]
    if settings.syndication.merge:  # changing how copies merge changes the index (absent when off, as before)
        shape.append([settings.syndication.similarity, list(settings.syndication.preferred_sources)])
    if settings.model.precision != "fp32":  # another precision is another model (absent for fp32, as before)
        shape.append(settings.model.precision)
    out = json.dumps(shape).encode()
    if settings.backend.kind != "local":  # switching to (or between) Milvus stores needs a build
        out += json.dumps([settings.backend.kind, settings.milvus_uri, settings.backend.collection]).encode()
    return out


def build_shape(settings: Settings) -> str:
    """Recorded in the manifest: a later build carries a snapshot over only when this matches."""
    return hashlib.sha256(_shape(settings)).hexdigest()[:16]


def files_fingerprint(settings: Settings, model_name: str | None = None, scan=None) -> str:
    """Hash of every article file's path, size and mtime plus the settings that shape an index.

    `scan` is `qabot.sources.scan_files` of the configured paths, when already walked.
    """
    from qabot.sources import scan_files

    digest = hashlib.sha256(_shape(settings, model_name))
    if scan is None:
        scan = scan_files(settings.article_paths, settings.corpus.extensions,
                          follow_outside=settings.corpus.follow_symlinks_outside)
    digest.update("".join(f"{f.path}\0{f.stat.st_size}\0{f.stat.st_mtime_ns}\n"
                          for f in scan.files() if f.stat is not None).encode())
    return digest.hexdigest()


def build_index(
    settings: Settings,
    *,
    from_scratch: bool = False,
    use_cache: bool = True,
    progress: Progress | None = None,
    ray_address: str | None = None,
) -> BuildReport:
    """Build (or update) the index under `settings.index_dir` and make it current.

    Raises `BuildLockedError` if another build runs, `CorpusError` when there is nothing to
    index, `IndexStorageError` when the index folder is full or cannot be written; in every
    failure the previous snapshot stays current and nothing half-written is left behind.
    `ray_address` ("auto" or a Ray address) embeds the uncached chunks on a Ray cluster
    (`qabot.embedding.ray_encoder`).
    """
    folder = IndexFolder(settings.index_dir)
    needed = [0]  # bytes the build expects to write, once the articles are read
    with _storage_errors(folder, needed):
        return _build(settings, folder, from_scratch, use_cache, progress, needed, ray_address)


def _build(settings: Settings, folder: IndexFolder, from_scratch: bool, use_cache: bool,
           progress: Progress | None, needed: list[int], ray_address: str | None = None) -> BuildReport:
    started = time.perf_counter()
    report = _noop_progress if progress is None else progress
    with folder.build_lock():
        from qabot.sources import scan_files

        tick = time.perf_counter()
        scan = scan_files(settings.article_paths, settings.corpus.extensions,
                          follow_outside=settings.corpus.follow_symlinks_outside)
        fingerprint = files_fingerprint(settings, scan=scan)
        scanned = time.perf_counter() - tick
        previous = _previous_manifest(folder)
        tick = time.perf_counter()
        current, damage = _open_current(folder) if previous is not None else (None, "")
        verified = time.perf_counter() - tick  # every file of the current snapshot hashed (test_damage)
        try:
            if (not from_scratch and current is not None and current.manifest.files_fingerprint == fingerprint
                    and _same_extractor(current)):
                return BuildReport(up_to_date=True, articles=current.manifest.articles, chunks=current.manifest.chunks,
                                   snapshot=current.manifest.name, seconds=time.perf_counter() - started)
            return _changed(settings, folder, scan, fingerprint, current, from_scratch, damage,
                            use_cache, report, needed, ray_address, started, {"scan": scanned, "verify": verified})
        finally:
            if current is not None:
                current.close()


def _changed(settings: Settings, folder: IndexFolder, scan, fingerprint: str, current: Snapshot | None,
             from_scratch: bool, damage: str, use_cache: bool, report: Progress, needed: list[int], ray_address: str | None, started: float,
             stages: dict[str, float]) -> BuildReport:
    """Build the new snapshot: carried over from `current` when no article changed, else
    written whole (re-using what `current` holds of the unchanged articles)."""
    tick = time.perf_counter()
    from qabot.sources import ingest_paths, reader_version

    max_bytes = int(settings.corpus.max_file_mb * 1e6)
    reader = reader_version(max_bytes, settings.corpus.follow_symlinks_outside)
    kept = None
    if current is not None and not from_scratch and current.manifest.reader_version == reader:
        kept = _KeptFiles(current, carry_over=_can_carry_over(settings, current))
    ingested = ingest_paths(settings.article_paths, settings.corpus.extensions, max_bytes=max_bytes,
                            follow_outside=settings.corpus.follow_symlinks_outside,
                            reuse=kept.reuse if kept else None, scan=scan)
    stages["ingest"] = time.perf_counter() - tick
    if kept is not None and kept.carry_over and _same_articles(ingested, kept):
        tick = time.perf_counter()
        manifest = _carry_over(folder, current, kept, ingested, fingerprint)
        stages["write"] = time.perf_counter() - tick
        return BuildReport(up_to_date=False, articles=manifest.articles, skipped=ingested.skipped,
                           chunks=manifest.chunks, files_reused=ingested.reused, snapshot=manifest.name,
                           seconds=time.perf_counter() - started, stages=stages)
    if kept is not None and kept.carry_over:
        patched = _patch(settings, folder, current, kept, ingested, fingerprint, use_cache, report, needed,
                         started, stages, ray_address)
        if patched is not None:
            return patched
    if kept is not None and kept.carry_over:  # articles changed: the unchanged files' articles are needed
        tick = time.perf_counter()
        kept.carry_over = False
        ingested = kept.with_articles(ingested) or ingest_paths(
            settings.article_paths, settings.corpus.extensions, max_bytes=max_bytes,
            follow_outside=settings.corpus.follow_symlinks_outside, reuse=kept.reuse, scan=scan)
        stages["ingest"] += time.perf_counter() - tick
    if not ingested.articles:
        _nothing_to_index(settings, ingested.skipped)

    tick = time.perf_counter()
    articles, copies = ingested.articles, ()
    if settings.syndication.merge:
        from qabot.news import merge_copies

        merged = merge_copies(articles, settings.syndication.similarity, settings.syndication.preferred_sources)
        articles, copies = merged.articles, merged.copies
    stages["copies"] = time.perf_counter() - tick

    tick = time.perf_counter()
    from qabot.embedding import load_embedder, ray_encoder

    embedder = load_embedder(settings.model, models_dir=settings.index_dir / "models")
    stages["load model"] = time.perf_counter() - tick
    needed[0] = estimated_bytes(ingested.articles, embedder.dimension)

    from qabot.news import extractor_version

    speech_version = extractor_version()
    reusable, stored_speech = ({}, {}) if from_scratch or current is None else \
        _reusable(current, embedder.model_id, settings, speech_version)
    # Articles whose text the current snapshot already holds: their chunks (and quotes) are kept.
    unchanged = {a.id for a in articles if a.id in reusable and reusable[a.id][0] == a.content_hash}
    done = _process(articles, reusable, unchanged, stored_speech, embedder, settings, report)
    stages["chunk"], stages["quotes"] = done.chunk_seconds, done.quote_seconds
    skipped = ingested.skipped + done.skipped
    if not done.articles:
        _nothing_to_index(settings, skipped)
    chunks = done.chunks

    tick = time.perf_counter()
    encoder = embedder if ray_address is None else ray_encoder(embedder, ray_address, settings.model, settings.index_dir / "models")
    carried = done.carried if use_cache and current is not None and reusable else {}
    vectors, embedded = _embed(chunks, encoder, folder, use_cache, settings.model.batch_size, report,
                               carried, current)
    stages["embed"] = time.perf_counter() - tick

    tick = time.perf_counter()
    # Files whose articles are all indexed (or merged into a copy): not those over budget.
    kept_ids = {a.id for a in done.articles} | {c.id for _, c in copies}
    files = [f for f in ingested.files if all(i in kept_ids for i in f.articles)]
    content = SnapshotContent(done.articles, chunks, vectors, done.quotes, done.descriptions, done.people,
                              files=files, copies=copies, reported=done.reported)
    staged = stage_for_backend(settings, content, embedder.model_id, embedder.name)  # Milvus, if configured
    try:
        manifest = folder.write(content, {
            "model_id": embedder.model_id,
            "model_name": embedder.name,
            "max_tokens": settings.chunking.max_tokens,
            "corpus_fingerprint": corpus_fingerprint(done.articles),
            "files_fingerprint": fingerprint,
            "speech_version": speech_version,
            "reader_version": reader,
            "build_shape": build_shape(settings),
        })
    except BaseException:  # the snapshot was not written: Milvus readers stay on their collection
        staged.abandon()
        raise
    staged.publish(manifest.name)
    stages["write"] = time.perf_counter() - tick

    previous_ids = set(reusable) if reusable else _previous_article_ids(current)
    current_ids = {a.id for a in done.articles}
    return BuildReport(
        up_to_date=False,
        articles=len(done.articles),
        skipped=skipped,
        chunks=len(chunks),
        embedded=embedded,
        new=len(current_ids - previous_ids),
        changed=len(current_ids & previous_ids) - len(unchanged & current_ids),
        deleted=len(previous_ids - current_ids),
        files_reused=ingested.reused,
        copies=len(copies),
        snapshot=manifest.name,
        seconds=time.perf_counter() - started,
        stages=stages,
        replaced_damaged=damage,
        milvus=staged.written,
    )


def estimated_bytes(articles: Sequence[Article], dimension: int) -> int:
    """Roughly what a build writes: the text about five times over (articles, paragraphs,
    chunks, BM25 postings, SQLite pages) and each chunk's vector twice (snapshot and cache),
    counting a chunk per 600 characters. Only for the "needed about N MB" message."""
    text = sum(len(a.text.encode("utf-8")) for a in articles)
    return 5 * text + 2 * (text // 600 + len(articles)) * dimension * 4


@contextmanager
def _storage_errors(folder: IndexFolder, needed: list[int]):
    """A full disk or an unwritable index folder becomes one clear line, not a traceback."""
    try:
        yield
    except (OSError, sqlite3.OperationalError, RuntimeError) as err:
        problem = _storage_problem(err, folder, needed[0])
        if problem is None:
            raise
        raise IndexStorageError(f"{problem}; the previous snapshot stays current") from None


def _storage_problem(err: Exception, folder: IndexFolder, needed: int) -> str | None:
    where = folder.root
    code = getattr(err, "errno", None)
    text = str(err).lower()
    if code in (errno.ENOSPC, errno.EDQUOT) or "disk is full" in text or (
            isinstance(err, (RuntimeError, sqlite3.OperationalError)) and _nearly_full(where)):
        return f"no space left on device (needed about {max(-(-needed // 1_000_000), 1)} MB in {where})"
    if code == errno.EROFS or "readonly database" in text or "read-only file system" in text:
        return f"the index folder {where} is on a read-only file system; make it writable or set [index] dir"
    if code in (errno.EACCES, errno.EPERM) or "unable to open database" in text:
        return f"no permission to write in the index folder {where}; make it writable or set [index] dir"
    return None


def _nearly_full(where) -> bool:
    try:
        return shutil.disk_usage(where).free < 1_000_000
    except OSError:
        return False


def corpus_fingerprint(articles: Sequence[Article]) -> str:
    """Identifies the indexed content: every article's id and content hash."""
    digest = hashlib.sha256()
    for article in sorted(articles, key=lambda a: a.id):
        digest.update(f"{article.id}\0{article.content_hash}\n".encode())
    return digest.hexdigest()


def _noop_progress(stage: str, done: int, total: int) -> None:
    return None


class _KeptFiles:
    """What the current snapshot recorded of each file, for `ingest_paths(reuse=...)`: an
    unchanged file's articles are loaded from the snapshot (all at once, on first use).

    With `carry_over`, an unchanged file is handed back as its `FileRecord` instead, its
    articles not loaded: when no article changed, the snapshot is carried over whole.
    """

    def __init__(self, snapshot: Snapshot, carry_over: bool = False):
        self._snapshot = snapshot
        self.carry_over = carry_over
        self._files: dict | None = None
        self._articles: dict[str, Article] | None = None
        self.identities: dict[str, str] | None = snapshot.stored_identities() if carry_over else None
        self.stored: dict = {}  # (path, shown) -> the FileRecord handed back unchanged

    def files(self) -> dict:
        if self._files is None:
            self._files = self._snapshot.stored_files()
        return self._files

    def reuse(self, path: str, shown: str, size: int, mtime_ns: int):
        record = self.files().get((path, shown))
        if record is None or record[0] != size or record[1] != mtime_ns:
            return None
        if self.carry_over:
            from qabot.sources import FileRecord

            kept = FileRecord(path, shown, size, mtime_ns, tuple(record[2]), tuple(Skipped(p, r) for p, r in record[3]))
            self.stored[(path, shown)] = kept
            return kept
        if self._articles is None:
            self._articles = self._snapshot.stored_article_records()
        if not all(i in self._articles for i in record[2]):
            return None
        return [self._articles[i] for i in record[2]], [Skipped(p, r) for p, r in record[3]]

    def with_articles(self, ingested):
        """`ingested` (read with `carry_over`) with the unchanged files' articles loaded from
        the snapshot, as a reading without `carry_over` gives it; None when a file's articles
        are not all in the snapshot (merged copies: that file must be read again)."""
        from dataclasses import replace

        from qabot.sources import by_path

        if self._articles is None:
            self._articles = self._snapshot.stored_article_records()
        loaded = []
        for record in self.stored.values():
            if not all(i in self._articles for i in record.articles):
                return None
            loaded += [self._articles[i] for i in record.articles]
        return replace(ingested, articles=by_path(list(ingested.articles) + loaded))


def _can_carry_over(settings: Settings, current: Snapshot) -> bool:
    """May this build carry `current` over when no article changed? Only when it was built
    the same way: same settings, model weights, reading and quote code, checksums recorded."""
    from qabot.embedding import model_identity
    from qabot.news import extractor_version

    manifest = current.manifest
    if settings.backend.kind != "local" or not manifest.checksums or manifest.build_shape != build_shape(settings):
        return False
    if manifest.speech_version != extractor_version():
        return False
    return model_identity(settings.model, settings.index_dir / "models") == manifest.model_id


def _same_articles(ingested, kept: _KeptFiles) -> bool:
    """True when the files give exactly the articles (ids and content hashes) `kept`'s snapshot holds."""
    if kept.identities is None:
        return False
    found = {i for f in ingested.files for i in f.articles}
    return (found == kept.identities.keys() and len(ingested.articles) == len({a.id for a in ingested.articles})
            and all(kept.identities[a.id] == a.content_hash for a in ingested.articles))


def _carry_over(folder: IndexFolder, current: Snapshot, kept: _KeptFiles, ingested, fingerprint: str) -> Manifest:
    """The current snapshot again, with its record of the files brought up to date."""
    from qabot.indexing.snapshot import file_rows

    scanned = {(f.path, f.shown) for f in ingested.files}
    gone = [key for key in kept.files() if key not in scanned]
    read = [f for f in ingested.files if (f.path, f.shown) not in kept.stored]

    def change(db: sqlite3.Connection) -> None:
        db.executemany("DELETE FROM files WHERE path = ? AND shown = ?", gone)
        db.executemany("INSERT OR REPLACE INTO files VALUES (?,?,?,?,?,?)", file_rows(read))

    return folder.write_from(current.manifest, change, {"files_fingerprint": fingerprint})


def _patch(settings: Settings, folder: IndexFolder, current: Snapshot, kept: _KeptFiles, ingested,
           fingerprint: str, use_cache: bool, progress: Progress, needed: list[int], started: float,
           stages: dict[str, float], ray_address: str | None = None) -> BuildReport | None:
    """Files were edited, added or deleted: the new snapshot derived from `current` with only
    the changed articles' rows, chunks and vectors written (`qabot.indexing.patch`). Every
    article of a file read again is processed again (its vectors from the embedding cache
    when its text is unchanged). None when that does not apply: the build goes the whole way."""
    from qabot.embedding import load_embedder, ray_encoder
    from qabot.indexing.patch import (
        Change,
        NotPatchable,
        has_copy,
        in_copy_group,
        write_patched,
    )

    if kept.identities is None or current.bm25.tf is None:
        return None
    tick = time.perf_counter()
    records = kept.files()
    scanned = {(f.path, f.shown) for f in ingested.files}
    gone = [key for key in records if key not in scanned]
    read = [f for f in ingested.files if (f.path, f.shown) not in kept.stored]
    dropped = frozenset(i for key in gone for i in records[key][2]) | frozenset(
        i for f in read for i in records.get((f.path, f.shown), (0, 0, [], []))[2])
    articles = ingested.articles
    ids = [a.id for a in articles]
    identities = kept.identities
    if (len(set(ids)) != len(ids) or len(dropped) >= current.manifest.articles
            or any(i in identities and i not in dropped for i in ids) or in_copy_group(current, set(dropped) | set(ids))):
        return None
    if settings.syndication.merge and has_copy(current, articles, set(dropped), settings.syndication.similarity):
        return None
    stages["look for copies"] = time.perf_counter() - tick

    tick = time.perf_counter()
    embedder = load_embedder(settings.model, models_dir=settings.index_dir / "models")
    stages["load model"] = time.perf_counter() - tick
    done = _process(articles, {}, set(), {}, embedder, settings, progress)
    stages["chunk"], stages["quotes"] = done.chunk_seconds, done.quote_seconds
    tick = time.perf_counter()
    if done.chunks:
        encoder = embedder if ray_address is None else ray_encoder(embedder, ray_address, settings.model,
                                                                    settings.index_dir / "models")
        vectors, embedded = _embed(done.chunks, encoder, folder, use_cache, settings.model.batch_size, progress)
    else:
        vectors, embedded = np.zeros((0, current.vectors.d), dtype=np.float32), 0
    stages["embed"] = time.perf_counter() - tick

    tick = time.perf_counter()
    indexed = {a.id for a in done.articles}
    complete = [f for f in read if all(i in indexed for i in f.articles)]
    needed[0] = sum(size for size, _ in current.manifest.file_stats.values())
    change = Change(dropped, done.articles, done.chunks, vectors, done.quotes, done.descriptions, done.people,
                    files=complete, gone=gone + [(f.path, f.shown) for f in read if f not in complete],
                    reported=done.reported)
    try:
        manifest = write_patched(folder, current, change, {"files_fingerprint": fingerprint}, stages)
    except NotPatchable:
        return None
    stages["write"] = time.perf_counter() - tick
    return BuildReport(
        up_to_date=False, articles=manifest.articles, skipped=ingested.skipped + done.skipped, chunks=manifest.chunks,
        embedded=embedded, new=len(indexed - identities.keys()),
        changed=sum(1 for a in done.articles if a.id in identities and identities[a.id] != a.content_hash),
        deleted=len(dropped - indexed), files_reused=ingested.reused, snapshot=manifest.name,
        seconds=time.perf_counter() - started, stages=stages, patched=True)


def _open_current(folder: IndexFolder) -> tuple[Snapshot | None, str]:
    """(the current snapshot, loaded and its checksums verified; or None and why it cannot be used)."""
    try:
        return folder.open_current(verify=True), ""
    except QabotError as err:
        return None, str(err)


def _same_extractor(current: Snapshot) -> bool:
    """Were `current`'s quotes found by today's extraction code? If not, the corpus is not
    "up to date" even when no file changed: an upgraded qabot finds the quotes again (the
    chunks and vectors are kept, nothing is embedded)."""
    from qabot.news import extractor_version

    return current.manifest.speech_version == extractor_version()


def _previous_manifest(folder: IndexFolder) -> Manifest | None:
    try:
        return Manifest.read(folder.current_path())
    except QabotError:
        return None


def _reusable(snapshot: Snapshot, model_id: str, settings: Settings, speech_version: str):
    """What the current snapshot lets this build keep, if it was made the same way:
    (article id -> (content hash, chunks), article id -> StoredSpeech); else nothing."""
    if snapshot.manifest.model_id != model_id or snapshot.manifest.max_tokens != settings.chunking.max_tokens:
        return {}, {}
    speech = snapshot.stored_speech() if snapshot.manifest.speech_version == speech_version else {}
    return snapshot.stored_articles(), speech


def _previous_article_ids(snapshot: Snapshot | None) -> set[str]:
    if snapshot is None:
        return set()
    return {row[0] for row in snapshot.query("SELECT id FROM articles")}


@dataclass
class _Processed:
    """The articles that fit their time budget, with their chunks and speech; the rest skipped."""

    articles: list[Article] = field(default_factory=list)
    chunks: list[Chunk] = field(default_factory=list)
    quotes: list = field(default_factory=list)
    descriptions: list = field(default_factory=list)
    people: list = field(default_factory=list)
    reported: list = field(default_factory=list)
    skipped: tuple[Skipped, ...] = ()
    carried: dict[int, int] = field(default_factory=dict)  # new chunk id -> its id in the current snapshot
    chunk_seconds: float = 0.0
    quote_seconds: float = 0.0


def _process(articles, reusable, unchanged: set[str], stored_speech: dict, embedder, settings: Settings,
             progress: Progress) -> _Processed:
    """Chunks, quotes, descriptions and people of every article, each article within
    `corpus.article_seconds`; an unchanged article keeps its chunks (and its speech when
    the extraction code is the same, else `stored_speech` is empty)."""
    from qabot.indexing.chunking import chunk_article
    from qabot.news import (
        extract_descriptions,
        extract_quotes,
        extract_reported,
        load_name_tables,
        people,
    )

    out = _Processed()
    skipped: list[Skipped] = []
    budget = settings.corpus.article_seconds
    for done, article in enumerate(articles, 1):
        progress("chunking", done, len(articles))
        stored = stored_speech.get(article.id) if article.id in unchanged else None
        if stored is None:
            load_name_tables()  # read once, by the first article that needs it, outside its time budget
        try:
            with time_budget(budget):
                tick = time.perf_counter()
                if article.id in unchanged:
                    pieces = list(reusable[article.id][1])
                else:
                    pieces = chunk_article(article, embedder.count_tokens, settings.chunking.max_tokens)
                chunked = time.perf_counter()
                if stored is not None:
                    speech = (stored.quotes, stored.descriptions, list(stored.people), stored.reported)
                else:
                    speech = (extract_quotes(article), extract_descriptions(article), people(article),
                              extract_reported(article))
        except OverBudget:
            skipped.append(Skipped(article.path, f"took over {budget:g} s to chunk and find quotes "
                                                 f"(corpus.article_seconds); not indexed"))
            continue
        out.chunk_seconds += chunked - tick
        out.quote_seconds += time.perf_counter() - chunked
        out.articles.append(article)
        for piece in pieces:
            if article.id in unchanged:  # a chunk the current snapshot holds: its vector is there too
                out.carried[len(out.chunks)] = piece.id
            out.chunks.append(Chunk(len(out.chunks), piece.article_id, piece.paragraph, piece.start, piece.end, piece.text))
        out.quotes += speech[0]
        out.descriptions += speech[1]
        out.people += [(article.id, name) for name in speech[2]]
        out.reported += speech[3]
    out.skipped = tuple(skipped)
    return out


def _nothing_to_index(settings: Settings, skipped: Sequence[Skipped]) -> None:
    where = ", ".join(str(p) for p in settings.article_paths)
    raise CorpusError(f"no readable articles in {where} ({len(skipped)} files skipped); "
                      f"add .txt, .md, .html or .jsonl files and run `qabot index build` again")


def _embed(chunks: Sequence[Chunk], embedder, folder: IndexFolder, use_cache: bool, batch_size: int,
           progress: Progress, carried: dict[int, int] | None = None, current: Snapshot | None = None):
    """Every chunk's vector: a chunk of an unchanged article takes its vector from the current
    snapshot (`carried`: new id -> old id; one bulk read, no cache look-up per chunk), the
    rest come from the embedding cache or the model."""
    from qabot.embedding import EmbeddingCache, embed_with_cache

    carried = carried or {}
    if carried:
        new_ids = np.fromiter(carried.keys(), dtype=np.int64, count=len(carried))
        old_ids = np.fromiter(carried.values(), dtype=np.int64, count=len(carried))
        vectors = np.zeros((len(chunks), current.vectors.d), dtype=np.float32)
        vectors[new_ids] = current.vectors.reconstruct(old_ids)
        rest = [c for c in chunks if c.id not in carried]
        progress("embedding", len(carried), len(chunks))
        if rest:
            fresh, embedded = _embed(rest, embedder, folder, use_cache, batch_size,
                                     lambda stage, done, total: progress(stage, len(carried) + done, len(chunks)))
            vectors[[c.id for c in rest]] = fresh
            return vectors, embedded
        return vectors, 0
    texts = [c.text for c in chunks]
    total = len(texts)

    def on_batch(done: int) -> None:
        progress("embedding", done, total)

    if not use_cache:
        vectors = embedder.encode(texts, batch_size=batch_size, progress=on_batch)
        return vectors, total
    folder.cache_file.parent.mkdir(parents=True, exist_ok=True)
    with EmbeddingCache(folder.cache_file) as cache:
        return embed_with_cache(embedder, texts, cache, progress=on_batch, batch_size=batch_size)
