"""Faults that must leave nothing stuck: a full disk, a read-only index folder, slow readers,
snapshot switches that leak file handles.

Disk full and read-only use a real 5 MB tmpfs mounted over the corpus's `index/` folder
(this needs root, as in the test container); without it the disk-full test falls back to an
ENOSPC raised at the SQLite write call, and the read-only test is skipped.
"""

from __future__ import annotations

import errno
import os
import subprocess

import pytest
from conftest import make_corpus

from qabot.answering.library import Library
from qabot.errors import IndexStorageError
from qabot.indexing import patch as patch_module
from qabot.indexing import snapshot as snapshot_module
from qabot.indexing.build import build_index
from qabot.indexing.snapshot import IndexFolder

ARTICLE = """---
title: Port strike ends after pay deal
source: Harbour Times
---
"This is a fair deal for every worker on the quay," union leader Marta Jansen said.
"""
BRIDGE = "# Bridge reopens\n\n\"The bridge is safe again,\" engineer Petra Novak said on Monday.\n"


def _mount_tmpfs(where) -> bool:
    where.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=5m", "tmpfs", str(where)], capture_output=True)
    return done.returncode == 0


@pytest.fixture()
def small_disk(tmp_path):
    """A corpus whose index/ is a 5 MB tmpfs, or None where mounting is not allowed."""
    index = tmp_path / "index"
    mounted = _mount_tmpfs(index)
    settings = make_corpus(tmp_path, {"a.md": ARTICLE})
    yield settings, mounted
    if mounted:
        subprocess.run(["umount", "-l", str(index)], capture_output=True)


def _fill(folder) -> list:
    """Fill the file system holding `folder` to the last byte; the ballast files, to free it."""
    ballast, n = [], 0
    while True:
        path = folder / f"ballast-{n}"
        try:
            with open(path, "wb") as handle:
                while True:
                    handle.write(b"\0" * 65536)
                    handle.flush()
                    os.fsync(handle.fileno())
        except OSError as err:
            assert err.errno == errno.ENOSPC
            ballast.append(path)
            if os.statvfs(folder).f_bavail == 0:
                return ballast
        n += 1


def _leftovers(settings) -> list[str]:
    return [p.name for p in (settings.index_dir / "snapshots").iterdir() if p.name.startswith(".")]


def test_full_disk_fails_cleanly_and_the_next_build_succeeds_once_space_is_back(small_disk, monkeypatch):
    settings, mounted = small_disk
    first = build_index(settings).snapshot
    (settings.article_paths[0] / "b.md").write_text(BRIDGE, encoding="utf-8")
    if mounted:
        ballast = _fill(settings.index_dir)
    else:  # no tmpfs here: the same failure, raised where SQLite would meet it
        def no_space(*args, **kwargs):
            raise OSError(errno.ENOSPC, "No space left on device")
        monkeypatch.setattr(snapshot_module, "_write_sqlite", no_space)
        monkeypatch.setattr(patch_module, "_patch_sqlite", no_space)  # an added file patches the snapshot

    with pytest.raises(IndexStorageError) as caught:
        build_index(settings)
    message = str(caught.value)
    assert message.startswith("no space left on device (needed about ")
    assert f"MB in {settings.index_dir})" in message and "previous snapshot stays current" in message
    assert _leftovers(settings) == []  # nothing half-written keeps the disk full
    assert IndexFolder(settings.index_dir).current_name() == first
    assert "fair deal" in Library.open(settings).ask("What did Marta Jansen say?").text

    if mounted:
        for path in ballast:
            path.unlink()
    else:
        monkeypatch.undo()
    report = build_index(settings)
    assert not report.up_to_date and report.snapshot != first
    assert "The bridge is safe again" in Library.open(settings).ask("What did Petra Novak say?").text


def test_read_only_index_folder_is_a_clear_message(small_disk):
    settings, mounted = small_disk
    if not mounted:
        pytest.skip("cannot mount a tmpfs here (needs root), so no read-only file system to test on")
    first = build_index(settings).snapshot
    (settings.article_paths[0] / "b.md").write_text(BRIDGE, encoding="utf-8")
    subprocess.run(["mount", "-o", "remount,ro", str(settings.index_dir)], check=True)
    try:
        with pytest.raises(IndexStorageError, match=r"the index folder .* is on a read-only file system; "
                                                    r"make it writable or set \[index\] dir"):
            build_index(settings)
        assert "fair deal" in Library.open(settings).ask("What did Marta Jansen say?").text
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(settings.index_dir)], check=True)
    assert IndexFolder(settings.index_dir).current_name() == first
    assert build_index(settings).snapshot != first


@pytest.fixture()
def corpus(tmp_path):
    return make_corpus(tmp_path, {"a.md": ARTICLE})


def test_a_slow_reader_keeps_its_snapshot_through_builds(corpus):
    folder = IndexFolder(corpus.index_dir)
    build_index(corpus)
    reading = folder.open_current()  # a slow `qabot ask` that opened the snapshot and is still at it
    for i in range(3):
        (corpus.article_paths[0] / f"n{i}.md").write_text(f"# Note {i}\n\nHarbour note number {i}.\n", encoding="utf-8")
        build_index(corpus)
    assert reading.directory.is_dir()
    assert reading.paragraph(reading.query("SELECT id FROM articles")[0][0], 1) is not None
    reading.close()
    (corpus.article_paths[0] / "n9.md").write_text("# Last\n\nThe last harbour note.\n", encoding="utf-8")
    build_index(corpus)
    assert not reading.directory.exists()  # once nobody reads it, the next build removes it
    assert len([p for p in folder.snapshots.iterdir() if not p.name.startswith(".")]) == snapshot_module.KEEP_SNAPSHOTS


def _open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_replaced_snapshots_are_closed_so_file_handles_do_not_grow(corpus):
    build_index(corpus)
    library = Library.open(corpus)
    library.ask("What did Marta Jansen say?")
    before = _open_files()
    for i in range(8):
        (corpus.article_paths[0] / f"n{i}.md").write_text(f"# Note {i}\n\nHarbour note number {i}.\n", encoding="utf-8")
        build_index(corpus)
        assert "fair deal" in library.ask("What did Marta Jansen say?").text
    assert library.snapshot.manifest.name == IndexFolder(corpus.index_dir).current_name()
    assert _open_files() <= before
