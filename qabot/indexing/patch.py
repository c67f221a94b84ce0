"""A new snapshot from the current one and what changed: an edit costs the change, not the corpus.

When files were edited, added or deleted and the current snapshot was built the same way
(settings, model, reading and quote code), the new snapshot is derived from it instead of
written whole: `chunks.sqlite` is copied and only the changed articles' rows are deleted
and inserted (one transaction); BM25 is refitted from its stored term counts in NumPy
(`BM25Index.patched`), only the new chunks tokenised; the vectors are the current ones
with the new chunks' put in. Chunks keep the ids a full build gives them (articles in path
order), so the result is the snapshot a full build would write (`tests/
test_incremental_equivalence.py`): same rows, bit-identical vectors, same BM25 scores.
Above `EXACT_SEARCH_LIMIT` chunks the HNSW graph is not built again but extended: the new
chunks' vectors added at its end, the removed ones' left as tombstones, and a position map
written beside it (`qabot.indexing.vectors`); the graph differs from a full build's, its
searches do not (the same test file checks the top hits), and past `TOMBSTONE_SHARE` of
tombstones it is written whole.

Not taken (the build writes the snapshot whole, as before) when a changed article has a
copy (syndication) or was one, or the snapshot predates stored term counts.

What stays in proportion to the corpus, at memory or SQLite speed rather than per article
in Python: copying `chunks.sqlite`, renumbering the chunks after the first changed one (a
copy of the chunks table in id order), reading each article's id and path (for the order),
scanning the stored texts for a changed article's telling words (`has_copy`), the FAISS file
read and written again, the BM25 arithmetic over every posting (every weight depends on the
corpus size and mean length), and hashing the new files for the manifest (README "Many tiny
files" has the figures).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import numpy as np

import qabot.indexing.snapshot as snapshot_module
from qabot.errors import SnapshotError
from qabot.indexing.integrity import file_checksums, file_stats
from qabot.indexing.snapshot import (
    FORMAT_VERSION,
    REPORTED_SCHEMA,
    IndexFolder,
    Manifest,
    Snapshot,
    _fsync_tree,
    _write_faiss,
    file_rows,
)
from qabot.indexing.vectors import CHUNK_IDS, MAPPED_FORMAT, patch_graph
from qabot.records import Article, Chunk

# Columns of the tables whose rows belong to one article, in insertion order.
_SPEECH = {"quotes": "article_id, paragraph, speaker, text, start, end",
           "descriptions": "article_id, paragraph, name, text, start, end",
           "people": "article_id, name",
           "reported": "article_id, paragraph, speaker, text, start, end"}


class NotPatchable(Exception):
    """The current snapshot cannot be patched; the build writes the snapshot whole."""


@dataclass(frozen=True)
class Change:
    """What differs between the current snapshot and the files, as the build found it."""

    dropped: frozenset[str]  # article ids whose rows go (deleted, or changed and written again)
    articles: Sequence[Article]  # the articles written again or new, with their chunks below
    chunks: Sequence[Chunk]  # their chunks (ids are placeholders, renumbered here)
    vectors: np.ndarray  # one row per chunk of `chunks`
    quotes: Sequence
    descriptions: Sequence
    people: Sequence[tuple[str, str]]
    files: Sequence  # FileRecords of the files read again (all of their articles indexed)
    gone: Sequence[tuple[str, str]]  # (path, shown) of the file records that go
    reported: Sequence = ()  # reported speech (qabot.news.extract_reported), shaped like quotes


def in_copy_group(snapshot: Snapshot, ids: set[str]) -> bool:
    """Are any of `ids` in a syndication group (kept with copies, or a copy)? Then the
    build takes the whole path: merging decides which copy is kept."""
    if not ids:
        return False
    try:
        rows = snapshot.query("SELECT article_id, copy_id FROM copies")
    except SnapshotError:  # no copies table: written before copies were recorded
        return True
    return any(kept in ids or copy in ids for kept, copy in rows)


def has_copy(snapshot: Snapshot, articles: Sequence[Article], leaving: set[str], similarity: float) -> bool:
    """Is any of `articles` a copy (syndication Jaccard at `similarity` or more) of another
    of them or of an article the snapshot keeps (`leaving` aside)? Exact shingle sets, not
    MinHash: one set intersection per stored article that could be a copy.

    Which could is found in SQLite, not by shingling every stored article in Python (8.8 s
    at 100 000 tiny articles): a copy shares at least t = ceil(similarity x |A|) of an
    article's |A| shingles, so it shares one of any |A| - t + 1 of them (prefix filtering),
    and so holds every word of that one. `_telling_words` picks words that cover that many
    shingles, and only the stored articles whose text holds one of them (case-insensitive
    LIKE) are shingled. Without such words (too short, no ASCII words) every article is.
    """
    from qabot.news import jaccard, shingle_runs, shingles

    if not articles:
        return False
    runs = [shingle_runs(a.text) for a in articles]
    mine = [set(hashed) for _, hashed in runs]
    for i, a in enumerate(mine):
        if any(jaccard(a, b) >= similarity for b in mine[i + 1:]):
            return True
    words = [_telling_words(article_runs, hashed, similarity) for article_runs, hashed in runs]
    sql, params = "SELECT id, text FROM articles", []
    if all(w is not None for w in words):
        wanted = sorted({w for some in words for w in some})
        # The only non-ASCII letters whose lower case holds an ASCII one, as Python lowers them.
        folded = "replace(replace(text, char(304), 'i'), char(8490), 'k')"
        sql += " WHERE " + " OR ".join([f"{folded} LIKE ?"] * len(wanted))
        params = [f"%{w}%" for w in wanted]
    for article_id, text in snapshot.query(sql, params):
        if article_id in leaving:
            continue
        theirs = shingles(text)
        if any(jaccard(a, theirs) >= similarity for a in mine):
            return True
    return False


def _telling_words(runs: list[list[str]], hashed: list[int], similarity: float) -> list[str] | None:
    """ASCII words of an article such that any text sharing `similarity` of its shingles holds
    one of them (see `has_copy`); None when there are none such. `runs` and `hashed` are the
    article's shingles as `qabot.news.syndication.shingle_runs` gives them."""
    shingle_set = set(hashed)
    # One spare shingle: two different runs whose 32-bit hashes collide count as shared.
    needed = len(shingle_set) - math.ceil(similarity * len(shingle_set)) + 2
    if needed > len(shingle_set):
        return None
    covered: set[int] = set()
    chosen: list[str] = []
    candidates = sorted({w for run in runs for w in run if w.isascii()}, key=lambda w: (-len(w), w))  # long words are rarer
    for word in candidates:
        if len(covered) >= needed:
            break
        gained = {h for h, run in zip(hashed, runs) if word in run} - covered
        if gained:
            covered |= gained
            chosen.append(word)
    return chosen if len(covered) >= needed else None


def write_patched(folder: IndexFolder, current: Snapshot, change: Change, manifest_fields: dict,
                  stages: dict[str, float] | None = None) -> Manifest:
    """Publish the snapshot `current` becomes with `change` applied (see the module docstring);
    `stages` gets the seconds of each part of the write ("write: vectors", ...)."""
    from qabot.sources import by_path
    from qabot.text import terms

    stages = {} if stages is None else stages
    clock = [time.perf_counter()]

    def lap(stage: str) -> None:
        now = time.perf_counter()
        stages[f"write: {stage}"] = stages.get(f"write: {stage}", 0.0) + now - clock[0]
        clock[0] = now

    # The new order of articles, as a full build has it: by path.
    stored = [(aid, path) for aid, path in current.query("SELECT id, path FROM articles") if aid not in change.dropped]
    fresh = {a.id: a for a in change.articles}
    order = by_path([SimpleNamespace(id=aid, path=path) for aid, path in stored] + list(change.articles))
    old = current.query("SELECT id, article_id FROM chunks ORDER BY id")
    old_ids = np.fromiter((r[0] for r in old), dtype=np.int64, count=len(old))
    if not np.array_equal(old_ids, np.arange(len(old))):
        raise NotPatchable("chunk ids are not 0..n-1")
    spans: dict[str, tuple[int, int]] = {}
    previous = None
    for position, (_, aid) in enumerate(old):
        if aid != previous and aid in spans:
            raise NotPatchable("an article's chunks are not consecutive")
        first, count = spans.get(aid, (position, 0))
        spans[aid] = (first, count + 1)
        previous = aid
    new_chunks = {}
    for chunk in change.chunks:
        new_chunks.setdefault(chunk.article_id, []).append(chunk)
    new_ids = np.full(len(old), -1, dtype=np.int64)  # old position -> new chunk id
    placed: list[tuple[int, int]] = []  # (new id, index into change.chunks)
    index_of = {id(c): n for n, c in enumerate(change.chunks)}
    next_id = 0
    for article in order:
        if article.id in fresh:
            for chunk in new_chunks.get(article.id, ()):
                placed.append((next_id, index_of[id(chunk)]))
                next_id += 1
        else:
            first, count = spans.get(article.id, (0, 0))
            new_ids[first:first + count] = np.arange(next_id, next_id + count)
            next_id += count
    total = next_id
    lap("order")

    def derive(building: Path, name: str) -> Manifest:
        source = current.directory
        lap("order")
        added = np.asarray([p for p, _ in placed], dtype=np.int64)
        added_vectors = change.vectors[[c for _, c in placed]]
        if (current.vectors.is_graph and total > snapshot_module.EXACT_SEARCH_LIMIT
                and patch_graph(current.vectors, source, building, new_ids, added, added_vectors, total)):
            kind = current.manifest.faiss_index  # the graph extended, removed chunks tombstoned (vectors.py)
        else:  # the kept vectors moved to their new ids, the new ones put in, the index written whole
            vectors = np.empty((total, current.vectors.d), dtype=np.float32)
            alive = new_ids >= 0
            if alive.any():
                vectors[new_ids[alive]] = current.vectors.all()[alive]
            vectors[added] = added_vectors
            kind = _write_faiss(vectors, building / "vectors.faiss")
            del vectors
        lap("vectors")
        current.bm25.patched(new_ids, total, {p: terms(change.chunks[c].text) for p, c in placed}
                             ).save(building / "bm25")
        lap("bm25")
        shutil.copyfile(source / "chunks.sqlite", building / "chunks.sqlite")
        lap("sqlite copy")
        counts = _patch_sqlite(building / "chunks.sqlite", change, order, old_ids, new_ids, placed, lap)
        digest = hashlib.sha256()
        for aid, content_hash in counts.pop("identities"):
            digest.update(f"{aid}\0{content_hash}\n".encode())
        checksums, stats = file_checksums(building), file_stats(building)
        lap("checksums")
        version = MAPPED_FORMAT if (building / CHUNK_IDS).exists() else FORMAT_VERSION
        manifest = replace(current.manifest, format_version=version, name=name,
                           created=datetime.now(UTC).isoformat(timespec="seconds"), faiss_index=kind,
                           checksums=checksums, file_stats=stats, chunks=total, corpus_fingerprint=digest.hexdigest(), **counts, **manifest_fields)
        (building / "manifest.json").write_text(json.dumps(asdict(manifest), indent=2), encoding="utf-8")
        _fsync_tree(building)
        os.rename(building, folder.snapshots / name)
        lap("fsync")
        return manifest

    return folder.publish(derive)


def _renumber_chunks(db: sqlite3.Connection, old_ids: np.ndarray, new_ids: np.ndarray) -> None:
    """Give the kept chunks their new ids (`new_ids[old]`, -1 for a dropped one) by copying the
    table in id order, a run of chunks shifted by one amount per statement: appending rows in
    key order is cheap, where moving a row's key in place rewrote its B-tree pages twice (the
    UPDATE this replaces cost 7 s of 200 000 chunks after an early edit)."""
    keep = np.flatnonzero(new_ids >= 0)
    shift = new_ids[keep] - old_ids[keep]
    if not shift.any():
        return
    breaks = np.flatnonzero((np.diff(shift) != 0) | (np.diff(old_ids[keep]) != 1)) + 1
    starts, ends = np.concatenate([[0], breaks]), np.concatenate([breaks, [len(keep)]])
    columns = [row[1] for row in db.execute("PRAGMA table_info(chunks)")]
    (create,) = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'chunks'").fetchone()
    indexes = [row[0] for row in db.execute("SELECT sql FROM sqlite_master WHERE type = 'index' "
                                            "AND tbl_name = 'chunks' AND sql IS NOT NULL")]
    db.execute(create.replace("chunks", "chunks_renumbered", 1))
    rest = ", ".join(c for c in columns if c != "id")
    for start, end in zip(starts.tolist(), ends.tolist()):
        db.execute(f"INSERT INTO chunks_renumbered (id, {rest}) SELECT id + ?, {rest} FROM chunks "
                   f"WHERE id BETWEEN ? AND ? ORDER BY id",
                   (int(shift[start]), int(old_ids[keep[start]]), int(old_ids[keep[end - 1]])))
    db.execute("DROP TABLE chunks")
    db.execute("ALTER TABLE chunks_renumbered RENAME TO chunks")
    for sql in indexes:
        db.execute(sql)


def _patch_sqlite(path: Path, change: Change, order, old_ids: np.ndarray, new_ids: np.ndarray,
                  placed: list[tuple[int, int]], lap=lambda stage: None) -> dict:
    """Apply `change` to the copied database in one transaction; the counts for the manifest."""
    db = sqlite3.connect(path)
    try:
        db.executescript(REPORTED_SCHEMA)  # a snapshot from before reported speech was stored
        db.execute("CREATE TEMP TABLE dropped(id TEXT PRIMARY KEY)")
        db.executemany("INSERT INTO dropped VALUES (?)", [(i,) for i in change.dropped])
        db.execute("DELETE FROM articles WHERE id IN (SELECT id FROM dropped)")
        for table in ("paragraphs", "chunks", *_SPEECH):
            db.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT id FROM dropped)")
        _renumber_chunks(db, old_ids, new_ids)
        lap("sqlite rows")
        articles = change.articles
        db.executemany("INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?)",
                       [(a.id, a.title, a.source, a.url, a.published, a.author, a.path, a.content_hash, a.text)
                        for a in articles])
        db.executemany("INSERT INTO paragraphs VALUES (?,?,?,?)",
                       [(a.id, p.number, p.start, p.text) for a in articles for p in a.paragraphs])
        db.executemany("INSERT INTO chunks VALUES (?,?,?,?,?,?)",
                       [(new, c.article_id, c.paragraph, c.start, c.end, c.text)
                        for new, c in ((n, change.chunks[i]) for n, i in placed)])
        rows = {"quotes": [(q.article_id, q.paragraph, q.speaker, q.text, q.start, q.end) for q in change.quotes],
                "descriptions": [(d.article_id, d.paragraph, d.name, d.text, d.start, d.end) for d in change.descriptions],
                "people": list(change.people),
                "reported": [(r.article_id, r.paragraph, r.speaker, r.text, r.start, r.end) for r in change.reported]}
        positions = None
        for table, columns in _SPEECH.items():
            if not rows[table]:
                continue
            db.executemany(f"INSERT INTO {table} VALUES ({','.join('?' * len(rows[table][0]))})", rows[table])
            if positions is None:
                positions = [(a.id, n) for n, a in enumerate(order)]
                db.execute("CREATE TEMP TABLE position(article_id TEXT PRIMARY KEY, n INTEGER)")
                db.executemany("INSERT INTO position VALUES (?,?)", positions)
            # Rows in the order a full build inserts them: by article, then as found.
            db.execute(f"CREATE TEMP TABLE ordered AS SELECT {columns} FROM {table} t "
                       f"JOIN position p USING (article_id) ORDER BY p.n, t.rowid")
            db.execute(f"DELETE FROM {table}")
            db.execute(f"INSERT INTO {table} SELECT {columns} FROM ordered ORDER BY rowid")
            db.execute("DROP TABLE ordered")
        lap("sqlite speech order")
        db.executemany("DELETE FROM files WHERE path = ? AND shown = ?", list(change.gone))
        db.executemany("INSERT OR REPLACE INTO files VALUES (?,?,?,?,?,?)", file_rows(change.files))
        db.commit()
        lap("sqlite rows")
        (articles_count,) = db.execute("SELECT count(*) FROM articles").fetchone()
        (quotes,) = db.execute("SELECT count(*) FROM quotes").fetchone()
        identities = db.execute("SELECT id, content_hash FROM articles ORDER BY id").fetchall()
        lap("sqlite rows")
    finally:
        db.close()
    return {"articles": articles_count, "quotes": quotes, "identities": identities}
