"""Is a snapshot still what its build wrote? Checksums, and the full check behind `qabot index verify`.

A build records the sha256 of every file of a snapshot in its manifest (`checksums`),
with each file's size and modification time (`file_stats`). Hashing costs time in
proportion to the snapshot (39 ms for the BBC corpus, seconds at a million chunks), so it
is done when a snapshot becomes current (a build's end, a running bot or Library switching
to it, `qabot index status` and `verify`), not on every open: a plain open (`qabot ask`)
compares each file's size and mtime with the manifest and hashes only a file whose stat
changed (`changed_files`). A truncated FAISS file, NaN bytes written over the vectors or
random bytes inside `chunks.sqlite` are still named before anything is read from them;
only damage that keeps a file's size and time (bit rot) waits for the next full check.
Snapshots written before checksums existed (format 3 without the key) still load; for
them the cheap content checks run instead (`content_problems`); those written before
file stats are hashed on every open, as they were.

`verify_snapshot` does everything: checksums, SQLite's `PRAGMA integrity_check`, the
tables, finite vectors and BM25 weights, and a full load (counts agree).

    >>> report = verify_snapshot(IndexFolder(settings.index_dir).current_path())  # doctest: +SKIP
    >>> report.ok, report.checks[0]                                               # doctest: +SKIP
    (True, Check(name='checksums', problem=None, note='11 files match'))
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MANIFEST = "manifest.json"
TABLES = ("articles", "paragraphs", "chunks", "quotes", "descriptions", "people")
_VECTOR_BATCH = 65_536  # vectors reconstructed at a time when checking they are finite


def file_checksums(directory: Path) -> dict[str, str]:
    """sha256 of every file under `directory` except the manifest, by relative POSIX path."""
    directory = Path(directory)
    return {
        path.relative_to(directory).as_posix(): sha256_of(path)
        for path in sorted(directory.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    }


def file_stats(directory: Path) -> dict[str, list[int]]:
    """[size, mtime_ns] of every file under `directory` except the manifest, by relative path."""
    directory = Path(directory)
    return {
        path.relative_to(directory).as_posix(): [path.stat().st_size, path.stat().st_mtime_ns]
        for path in sorted(directory.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    }


def sha256_of(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def damaged_files(directory: Path, checksums: dict[str, str]) -> list[tuple[str, str]]:
    """(file, what is wrong) for every recorded file that is missing or no longer matches."""
    problems = []
    for name, expected in checksums.items():
        path = Path(directory) / name
        try:
            actual = sha256_of(path)
        except FileNotFoundError:
            problems.append((name, "missing"))
            continue
        except OSError as err:
            problems.append((name, f"unreadable: {err.strerror or err}"))
            continue
        if actual != expected:
            problems.append((name, "its sha256 differs from the one recorded at build time"))
    return problems


def changed_files(directory: Path, checksums: dict[str, str],
                  stats: dict[str, list[int]]) -> list[tuple[str, str]]:
    """The cheap check of a plain open: (file, what is wrong) like `damaged_files`, but a file
    whose size and mtime are those recorded at build time is trusted without hashing.

    A file whose size differs is damaged; one whose mtime alone differs (rewritten, or
    copied without keeping times) is hashed. A file with no recorded stat is hashed.
    """
    problems, to_hash = [], {}
    for name, expected in checksums.items():
        recorded = stats.get(name)
        try:
            actual = (Path(directory) / name).stat()
        except OSError:  # missing or unreadable: `damaged_files` says which
            to_hash[name] = expected
            continue
        if recorded is not None and actual.st_size != recorded[0]:
            problems.append((name, f"its size differs from the one recorded at build time "
                                   f"({actual.st_size:,} bytes, not {recorded[0]:,})"))
        elif recorded is None or actual.st_mtime_ns != recorded[1]:
            to_hash[name] = expected
    return problems + damaged_files(directory, to_hash)


def missing_tables(db: sqlite3.Connection) -> list[str]:
    present = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    return [t for t in TABLES if t not in present]


def content_problems(faiss_index, bm25) -> list[str]:
    """Non-finite numbers in the vectors or the BM25 weights (NaN scores rank anything first)."""
    problems = []
    bad = nonfinite_vectors(faiss_index)
    if bad:
        problems.append(f"vectors.faiss holds {bad} vectors with NaN or infinite values")
    for name in ("weights", "idf"):
        values = getattr(bm25, name)
        if len(values) and not np.isfinite(values).all():
            problems.append(f"bm25/{name}.npy holds NaN or infinite values")
    return problems


def nonfinite_vectors(faiss_index) -> int:
    """How many stored vectors are not finite (checked in batches, so memory stays bounded)."""
    bad = 0
    for start in range(0, faiss_index.ntotal, _VECTOR_BATCH):
        count = min(_VECTOR_BATCH, faiss_index.ntotal - start)
        batch = faiss_index.reconstruct_n(start, count)
        bad += int((~np.isfinite(batch).all(axis=1)).sum())
    return bad


@dataclass(frozen=True)
class Check:
    """One line of `qabot index verify`: what was checked, and the problem if any."""

    name: str
    problem: str | None = None
    note: str = ""


@dataclass(frozen=True)
class VerifyReport:
    snapshot: str
    path: Path
    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        return all(c.problem is None for c in self.checks)


def verify_snapshot(directory: Path) -> VerifyReport:
    """Every check, each reported on its own, so one damaged file does not hide another."""
    import faiss

    from qabot.errors import QabotError
    from qabot.indexing.bm25 import BM25Index
    from qabot.indexing.snapshot import Manifest, Snapshot
    from qabot.indexing.vectors import Vectors, map_problems

    directory = Path(directory)
    checks: list[Check] = []
    try:
        manifest = Manifest.read(directory)
    except QabotError as err:
        return VerifyReport(directory.name, directory, (Check("manifest", str(err)),))
    checks.append(Check("manifest", note=f"format {manifest.format_version}, {manifest.chunks} chunks"))

    if manifest.checksums:
        damaged = damaged_files(directory, manifest.checksums)
        checks.append(Check("checksums", "; ".join(f"{name}: {why}" for name, why in damaged) or None,
                            note=f"{len(manifest.checksums)} files match"))
    else:
        checks.append(Check("checksums", note="not recorded (built before checksums); the other checks still run"))

    checks.append(_check_sqlite(directory / "chunks.sqlite"))

    try:
        index = faiss.read_index(str(directory / "vectors.faiss"))
        bad = nonfinite_vectors(index)
        checks.append(Check("vectors", f"{bad} of {index.ntotal} vectors hold NaN or infinite values" if bad else None,
                            note=f"{index.ntotal} finite vectors"))
        try:
            vectors = Vectors.load(directory, index, manifest.name, "")
            problems = map_problems(vectors)
            note = f"{vectors.stored - vectors.ntotal} removed chunks' vectors not searched" if vectors.mapped else ""
        except QabotError as err:
            problems, note = [str(err).rstrip("; ")], ""
        if problems or note:
            checks.append(Check("position map", "; ".join(problems) or None, note=note))
    except RuntimeError as err:
        checks.append(Check("vectors", f"vectors.faiss cannot be read ({str(err).strip().splitlines()[-1]})"))
    try:
        bm25 = BM25Index.load(directory / "bm25", mmap=True)
        bad_arrays = [n for n in ("weights", "idf") if len(getattr(bm25, n)) and not np.isfinite(getattr(bm25, n)).all()]
        checks.append(Check("bm25", f"bm25/{', bm25/'.join(bad_arrays)}.npy hold NaN or infinite values" if bad_arrays else None,
                            note=f"{bm25.n_terms} terms, {bm25.n_postings} finite weights"))
    except QabotError as err:
        checks.append(Check("bm25", str(err)))

    try:
        Snapshot.load(directory).close()
        checks.append(Check("loads", note="counts agree"))
    except QabotError as err:
        checks.append(Check("loads", str(err)))
    return VerifyReport(manifest.name, directory, tuple(checks))


def _check_sqlite(path: Path) -> Check:
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as err:
        return Check("sqlite", f"chunks.sqlite cannot be opened ({err})")
    try:
        result = [row[0] for row in db.execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            return Check("sqlite", f"chunks.sqlite fails PRAGMA integrity_check ({'; '.join(result[:3])})")
        missing = missing_tables(db)
        if missing:
            return Check("sqlite", f"chunks.sqlite lacks the {', '.join(missing)} table{'s' if len(missing) > 1 else ''}")
        return Check("sqlite", note=f"integrity_check ok, {len(TABLES)} tables present")
    except sqlite3.Error as err:
        return Check("sqlite", f"chunks.sqlite is damaged ({err})")
    finally:
        db.close()
