"""Damaged snapshots are detected, named and repaired: checksums, `index verify`, `index status`.

Each damaged variant is made by the test from a freshly built snapshot (truncated files,
flipped bytes, dropped tables, NaN vectors and weights, random bytes inside the SQLite file,
a manifest that is a JSON list, a binary CURRENT), and the checks are run the way a user
meets them: `Library.open`, `qabot index status`, `qabot index verify`, `qabot index build`.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sqlite3
import subprocess
import sys

import numpy as np
import pytest
from conftest import make_corpus

from qabot.answering.library import Library
from qabot.errors import SnapshotError
from qabot.indexing.build import build_index
from qabot.indexing.snapshot import IndexFolder

ARTICLE = """---
title: Port strike ends after pay deal
source: Harbour Times
published: 2024-03-02
---
Dock workers in Rotterdam ended a nine-day strike on Friday after unions accepted a 6% pay rise.

"This is a fair deal for every worker on the quay," union leader Marta Jansen said.

The port authority said ships would be loaded again from Saturday morning.
"""
FILLER = "\n\n".join(f"Paragraph {i} about the harbour, the cranes and the ferry number {i}." for i in range(300))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A built corpus and a pristine copy of its index, restored before every test."""
    folder = tmp_path_factory.mktemp("damage")
    settings = make_corpus(folder, {"a.md": ARTICLE, "filler.md": "# Harbour notes\n\n" + FILLER})
    build_index(settings)
    shutil.copytree(settings.index_dir, folder / "pristine")
    return settings, folder


@pytest.fixture()
def corpus(built):
    settings, folder = built
    shutil.rmtree(settings.index_dir)
    shutil.copytree(folder / "pristine", settings.index_dir)
    return settings


def snapshot_dir(settings):
    return IndexFolder(settings.index_dir).current_path()


def truncate(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def flip_bytes(path):
    data = bytearray(path.read_bytes())
    for i in range(len(data) // 2, len(data) // 2 + 16):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def flip_byte_in_place(path):
    """Bit rot: one byte flipped, the file's size and modification time as they were."""
    before = path.stat()
    with open(path, "r+b") as handle:
        handle.seek(before.st_size // 2)
        byte = handle.read(1)[0]
        handle.seek(before.st_size // 2)
        handle.write(bytes([byte ^ 0xFF]))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def drop_table(table):
    def damage(directory):
        db = sqlite3.connect(directory / "chunks.sqlite")
        db.execute(f"DROP TABLE {table}")
        db.commit()
        db.close()
    return damage


def nan_vectors(directory):
    import faiss

    index = faiss.read_index(str(directory / "vectors.faiss"))
    vectors = index.reconstruct_n(0, index.ntotal)
    vectors[:3] = np.nan
    fresh = faiss.IndexFlatIP(vectors.shape[1])
    fresh.add(vectors)
    faiss.write_index(fresh, str(directory / "vectors.faiss"))


def nan_weights(directory):
    weights = np.load(directory / "bm25" / "weights.npy")
    weights[::7] = np.nan
    np.save(directory / "bm25" / "weights.npy", weights, allow_pickle=False)


def random_bytes_in_sqlite(directory):
    path = directory / "chunks.sqlite"
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 8192] = np.random.default_rng(11).bytes(8192)
    path.write_bytes(bytes(data))


# (damage, file it names, message with checksums, message for a snapshot written before checksums)
VARIANTS = {
    "truncated faiss": (lambda d: truncate(d / "vectors.faiss"), "vectors.faiss", "vectors.faiss is damaged"),
    # Flipped bytes that still read as finite numbers: only a checksum can tell (None below).
    "flipped bm25 weights": (lambda d: flip_bytes(d / "bm25" / "weights.npy"), "bm25/weights.npy", None),
    "paragraphs table dropped": (drop_table("paragraphs"), "chunks.sqlite", "no paragraphs table"),
    "quotes table dropped": (drop_table("quotes"), "chunks.sqlite", "no quotes table"),
    "NaN vectors": (nan_vectors, "vectors.faiss", "vectors.faiss holds 3 vectors with NaN"),
    "NaN BM25 weights": (nan_weights, "bm25/weights.npy", "bm25/weights.npy holds NaN"),
    "random bytes in chunks.sqlite": (random_bytes_in_sqlite, "chunks.sqlite", "chunks.sqlite is damaged"),
}


def qabot(*args, settings) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QABOT_")}
    return subprocess.run([sys.executable, "-m", "qabot", "--config", settings.source, *args],
                          env=env, capture_output=True, text=True, timeout=300)


def strip_checksums(directory) -> None:
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    del manifest["checksums"]
    (directory / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_damage_is_named_by_its_file_when_the_snapshot_is_opened(corpus, variant):
    damage, name, _ = VARIANTS[variant]
    damage(snapshot_dir(corpus))
    with pytest.raises(SnapshotError) as caught:
        Library.open(corpus)
    # A plain open stats each file: a changed size is named at once, a changed time is hashed.
    assert re.search(rf"{re.escape(name)} is damaged \(its (sha256|size) differs from the one recorded at build time",
                     str(caught.value)), str(caught.value)
    assert "qabot index rebuild" in str(caught.value)


def test_a_plain_open_hashes_nothing_but_status_verify_and_build_catch_a_byte_flipped_in_place(corpus):
    """Same size, same mtime: only the sha256 can tell, and it is checked where issue #11 asks."""
    flip_byte_in_place(snapshot_dir(corpus) / "bm25" / "weights.npy")
    library = Library.open(corpus)  # trusted on size and time: opening costs no hashing
    library.snapshot.close()
    status = qabot("index", "status", settings=corpus)
    assert status.returncode == 1
    assert "DAMAGED: bm25/weights.npy (its sha256 differs from the one recorded at build time)" in status.stdout
    verify = qabot("index", "verify", settings=corpus)
    assert verify.returncode == 1 and "bm25/weights.npy: its sha256 differs" in verify.stdout
    built = qabot("index", "build", settings=corpus)
    assert built.returncode == 0 and "The current snapshot was damaged, so it was rebuilt" in built.stdout, built.stdout


def test_a_snapshot_without_file_stats_is_hashed_on_every_open(corpus):
    directory = snapshot_dir(corpus)
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    del manifest["file_stats"]  # as written before stats were recorded
    (directory / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert "fair deal for every worker" in Library.open(corpus).ask("What did Marta Jansen say?").text
    flip_byte_in_place(directory / "bm25" / "weights.npy")
    with pytest.raises(SnapshotError, match="bm25/weights.npy is damaged \\(its sha256 differs"):
        Library.open(corpus)


@pytest.mark.parametrize("variant", [name for name, (_, _, message) in VARIANTS.items() if message])
def test_damage_in_a_snapshot_without_checksums_is_still_found(corpus, variant):
    """Snapshots written before checksums: what the checksums would catch, the content checks do."""
    damage, _, message = VARIANTS[variant]
    directory = snapshot_dir(corpus)
    strip_checksums(directory)
    damage(directory)
    with pytest.raises(SnapshotError, match=message):
        Library.open(corpus)


def test_a_snapshot_without_checksums_loads_and_answers(corpus):
    strip_checksums(snapshot_dir(corpus))
    answer = Library.open(corpus).ask("What did Marta Jansen say?")
    assert "fair deal for every worker" in answer.text
    status = qabot("index", "status", settings=corpus)
    assert status.returncode == 0, status.stderr
    assert "no checksums (built before they existed)" in status.stdout
    verify = qabot("index", "verify", settings=corpus)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "not recorded" in verify.stdout and "DAMAGED" not in verify.stdout


def test_status_and_verify_pass_on_a_sound_snapshot(corpus):
    status = qabot("index", "status", settings=corpus)
    assert status.returncode == 0, status.stderr
    assert "files match their checksums" in status.stdout
    verify = qabot("index", "verify", settings=corpus)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    for check in ("checksums", "sqlite", "vectors", "bm25", "loads"):
        assert f"{check}: ok" in verify.stdout


def test_status_exits_non_zero_and_names_the_damaged_file(corpus):
    nan_vectors(snapshot_dir(corpus))
    status = qabot("index", "status", settings=corpus)
    assert status.returncode == 1
    assert "DAMAGED: vectors.faiss" in status.stdout
    assert "vectors.faiss is damaged; run `qabot index build`" in status.stderr
    assert "Traceback" not in status.stderr


def test_verify_reports_every_damaged_part_without_checksums(corpus):
    directory = snapshot_dir(corpus)
    strip_checksums(directory)
    nan_vectors(directory)
    nan_weights(directory)
    drop_table("quotes")(directory)
    verify = qabot("index", "verify", settings=corpus)
    assert verify.returncode == 1
    assert "3 of" in verify.stdout and "vectors hold NaN" in verify.stdout
    assert "bm25/weights.npy hold NaN" in verify.stdout
    assert "chunks.sqlite lacks the quotes table" in verify.stdout
    assert "is damaged; run `qabot index build`" in verify.stderr


def test_verify_runs_sqlite_integrity_check(corpus):
    directory = snapshot_dir(corpus)
    strip_checksums(directory)
    random_bytes_in_sqlite(directory)
    verify = qabot("index", "verify", settings=corpus)
    assert verify.returncode == 1
    assert "chunks.sqlite" in verify.stdout and "Traceback" not in verify.stderr


@pytest.mark.parametrize("variant", ["truncated faiss", "NaN BM25 weights", "paragraphs table dropped"])
def test_build_over_a_damaged_snapshot_rebuilds_it(corpus, variant):
    VARIANTS[variant][0](snapshot_dir(corpus))
    built = qabot("index", "build", settings=corpus)
    assert built.returncode == 0, built.stderr
    assert "up to date" not in built.stdout
    assert "The current snapshot was damaged, so it was rebuilt" in built.stdout
    assert "fair deal for every worker" in Library.open(corpus).ask("What did Marta Jansen say?").text
    assert "Index is up to date" in qabot("index", "build", settings=corpus).stdout


def test_manifest_that_is_a_json_list_is_a_clear_message(corpus):
    (snapshot_dir(corpus) / "manifest.json").write_text("[1, 2, 3]", encoding="utf-8")
    with pytest.raises(SnapshotError, match="manifest.json holds a JSON list, not an object"):
        Library.open(corpus)
    status = qabot("index", "status", settings=corpus)
    assert status.returncode == 1 and "manifest.json holds a JSON list" in status.stderr
    assert "Traceback" not in status.stderr


def test_binary_current_is_a_clear_message_and_build_repairs_it(corpus):
    folder = IndexFolder(corpus.index_dir)
    folder.current_file.write_bytes(b"\xff\xfe\x00garbage\x9c\n")
    with pytest.raises(SnapshotError, match="does not hold a snapshot name"):
        Library.open(corpus)
    status = qabot("index", "status", settings=corpus)
    assert status.returncode == 1 and "does not hold a snapshot name" in status.stderr
    built = qabot("index", "build", settings=corpus)
    assert built.returncode == 0 and "up to date" not in built.stdout, built.stdout + built.stderr
    assert "fair deal for every worker" in Library.open(corpus).ask("What did Marta Jansen say?").text


def test_damage_found_while_answering_is_a_clear_error_not_a_traceback(corpus):
    library = Library.open(corpus)
    drop_table("paragraphs")(snapshot_dir(corpus))  # damaged after it was opened
    with pytest.raises(SnapshotError, match="chunks.sqlite is damaged .*no such table: paragraphs"):
        library.passage(library.snapshot.query("SELECT id FROM articles")[0][0], 1)


def open_then_build_another(corpus) -> tuple[Library, str]:
    """A Library open on the current snapshot, and a newer snapshot built beside it (one more
    article), for the tests of a running library meeting a new snapshot; returns the old name."""
    library = Library.open(corpus)
    old = library.snapshot.manifest.name
    extra = corpus.article_paths[0] / "b.md"
    extra.write_text("# Ferry\n\nThe ferry to Texel runs again.\n", encoding="utf-8")
    try:
        build_index(corpus)
    finally:
        extra.unlink()
    return library, old


def test_running_library_refuses_a_damaged_new_snapshot_once_and_keeps_serving(corpus, caplog):
    library, old = open_then_build_another(corpus)
    truncate(snapshot_dir(corpus) / "vectors.faiss")
    with caplog.at_level(logging.INFO, logger="qabot.answering.library"):
        for _ in range(5):
            assert "fair deal for every worker" in library.ask("What did Marta Jansen say?").text
    assert library.snapshot.manifest.name == old
    refusals = [r for r in caplog.records if "cannot be used" in r.getMessage()]
    assert len(refusals) == 1
    assert "vectors.faiss is damaged" in refusals[0].getMessage()


def test_running_library_hashes_a_new_snapshot_before_switching_to_it(corpus, caplog):
    """A byte flipped in place (same size and time) passes a plain open, not a switch."""
    library, old = open_then_build_another(corpus)
    flip_byte_in_place(snapshot_dir(corpus) / "bm25" / "weights.npy")
    with caplog.at_level(logging.INFO, logger="qabot.answering.library"):
        assert "fair deal for every worker" in library.ask("What did Marta Jansen say?").text
    assert library.snapshot.manifest.name == old
    refusals = [r.getMessage() for r in caplog.records if "cannot be used" in r.getMessage()]
    assert len(refusals) == 1 and "bm25/weights.npy is damaged (its sha256 differs" in refusals[0]
