"""Building, updating and switching snapshots: incremental, atomic, and clear when broken."""

from __future__ import annotations

import json
import threading

import pytest
from conftest import SAMPLE_ARTICLE, make_corpus

from qabot.answering.library import Library
from qabot.errors import BuildLockedError, CorpusError, IndexMissingError, SnapshotError
from qabot.indexing import patch as patch_module
from qabot.indexing import snapshot as snapshot_module
from qabot.indexing.build import build_index
from qabot.indexing.snapshot import IndexFolder, Snapshot

ARTICLE_A = """---
title: Port strike ends after pay deal
source: Harbour Times
published: 2024-03-02
author: Jane Doe
---
Dock workers in Rotterdam ended a nine-day strike on Friday after unions accepted a 6% pay rise.

"This is a fair deal for every worker on the quay," union leader Marta Jansen said.
"""

ARTICLE_B = """---
title: City council approves tram line
source: Valley Post
published: 2024-05-10
---
The council voted 31 to 9 to build a new tram line through the eastern districts.

Mayor Tomas Berg said the line would open in 2027.
"""


@pytest.fixture()
def corpus(tmp_path):
    return make_corpus(tmp_path, {"a.md": ARTICLE_A, "b.md": ARTICLE_B})


def current(settings) -> Snapshot:
    return Snapshot.load(IndexFolder(settings.index_dir).current_path())


def test_unchanged_corpus_is_up_to_date_and_changes_are_incremental(corpus):
    first = build_index(corpus)
    assert not first.up_to_date and first.articles == 2 and first.new == 2 and first.embedded == first.chunks

    again = build_index(corpus)
    assert again.up_to_date and again.snapshot == first.snapshot

    articles = corpus.article_paths[0]
    (articles / "b.md").write_text(ARTICLE_B.replace("31 to 9", "30 to 10"), encoding="utf-8")
    (articles / "c.md").write_text("# Ferry timetable changes\n\nThe summer ferry timetable starts on 1 June.\n", encoding="utf-8")
    (articles / "a.md").unlink()
    update = build_index(corpus)
    assert (update.new, update.changed, update.deleted) == (1, 1, 1)
    assert update.embedded == 2  # only the changed paragraph and the new article's one
    texts = [row[0] for row in current(corpus).query("SELECT text FROM chunks")]
    assert any("30 to 10" in t for t in texts) and not any("Rotterdam" in t for t in texts)


def reseal(snapshot_dir) -> None:
    """Record a deliberately edited snapshot's new checksums, as if the build had written it so."""
    from qabot.indexing.integrity import file_checksums

    manifest = json.loads((snapshot_dir / "manifest.json").read_text(encoding="utf-8"))
    manifest["checksums"] = file_checksums(snapshot_dir)
    (snapshot_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_unchanged_articles_keep_their_quotes_until_the_extraction_code_changes(corpus, monkeypatch):
    import sqlite3

    from qabot import news

    build_index(corpus)
    # Mark the stored quote of the unchanged article, so keeping it can be seen.
    db = sqlite3.connect(IndexFolder(corpus.index_dir).current_path() / "chunks.sqlite")
    with db:
        db.execute("UPDATE quotes SET text = 'KEPT FROM THE LAST BUILD' WHERE speaker = 'Marta Jansen'")
    db.close()
    reseal(IndexFolder(corpus.index_dir).current_path())
    articles = corpus.article_paths[0]
    (articles / "b.md").write_text(ARTICLE_B.replace("31 to 9", "30 to 10"), encoding="utf-8")
    build_index(corpus)
    kept = current(corpus).query("SELECT text FROM quotes WHERE speaker = 'Marta Jansen'")
    assert kept == [("KEPT FROM THE LAST BUILD",)]
    assert current(corpus).manifest.speech_version == news.extractor_version()

    # New extraction code: every article's quotes are found again.
    monkeypatch.setattr(news, "extractor_version", lambda: "newer-code")
    (articles / "b.md").write_text(ARTICLE_B, encoding="utf-8")
    build_index(corpus)
    found = current(corpus).query("SELECT text FROM quotes WHERE speaker = 'Marta Jansen'")
    assert found == [("This is a fair deal for every worker on the quay",)]


def test_new_extraction_code_finds_the_quotes_again_even_when_no_file_changed(corpus, monkeypatch):
    import sqlite3

    from qabot import news

    build_index(corpus)
    snapshot_dir = IndexFolder(corpus.index_dir).current_path()
    db = sqlite3.connect(snapshot_dir / "chunks.sqlite")
    with db:
        db.execute("UPDATE quotes SET text = 'STALE' WHERE speaker = 'Marta Jansen'")
    db.close()
    reseal(snapshot_dir)
    assert build_index(corpus).up_to_date  # same code, same files

    monkeypatch.setattr(news, "extractor_version", lambda: "newer-code")  # an upgraded qabot
    report = build_index(corpus)
    assert not report.up_to_date and report.embedded == 0
    found = current(corpus).query("SELECT text FROM quotes WHERE speaker = 'Marta Jansen'")
    assert found == [("This is a fair deal for every worker on the quay",)]
    assert build_index(corpus).up_to_date


def test_a_manifest_without_a_speech_version_loads_and_its_quotes_are_found_again(corpus):
    import sqlite3

    build_index(corpus)
    snapshot_dir = IndexFolder(corpus.index_dir).current_path()
    manifest_file = snapshot_dir / "manifest.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    del manifest["speech_version"]  # written before quotes were kept between builds
    manifest_file.write_text(json.dumps(manifest), encoding="utf-8")
    db = sqlite3.connect(snapshot_dir / "chunks.sqlite")
    with db:
        db.execute("UPDATE quotes SET text = 'STALE' WHERE speaker = 'Marta Jansen'")
    db.close()
    reseal(snapshot_dir)
    assert current(corpus).manifest.speech_version == ""

    (corpus.article_paths[0] / "b.md").write_text(ARTICLE_B.replace("31 to 9", "30 to 10"), encoding="utf-8")
    build_index(corpus)
    found = current(corpus).query("SELECT text FROM quotes WHERE speaker = 'Marta Jansen'")
    assert found == [("This is a fair deal for every worker on the quay",)]


def test_rebuild_without_cache_embeds_everything(corpus):
    build_index(corpus)
    report = build_index(corpus, from_scratch=True, use_cache=False)
    assert report.embedded == report.chunks > 0


@pytest.mark.parametrize("from_scratch", [False, True], ids=["patched", "written whole"])
def test_crash_in_the_middle_of_a_build_leaves_the_previous_snapshot_current(corpus, monkeypatch, from_scratch):
    first = build_index(corpus)
    (corpus.article_paths[0] / "c.md").write_text("# New\n\nA brand new article about bridges.\n", encoding="utf-8")

    def crash(*args, **kwargs):
        raise OSError("simulated crash: disk unplugged while writing chunks.sqlite")

    monkeypatch.setattr(snapshot_module, "_write_sqlite", crash)
    monkeypatch.setattr(patch_module, "_patch_sqlite", crash)  # an added file patches the snapshot
    with pytest.raises(OSError, match="simulated crash"):
        build_index(corpus, from_scratch=from_scratch)
    monkeypatch.undo()

    folder = IndexFolder(corpus.index_dir)
    assert not list(folder.snapshots.glob(".building-*"))  # the half-written snapshot is gone at once
    assert folder.current_name() == first.snapshot
    assert current(corpus).manifest.articles == 2  # loadable, and still the old content
    report = build_index(corpus)  # the next build cleans up and succeeds
    assert report.articles == 3 and not list(folder.snapshots.glob(".building-*"))


def test_second_build_at_the_same_time_gets_a_clear_message(corpus):
    folder = IndexFolder(corpus.index_dir)
    with folder.build_lock():
        with pytest.raises(BuildLockedError, match="another `qabot index build` is running"):
            build_index(corpus)


def test_missing_index_tells_the_user_to_build(tmp_path):
    settings = make_corpus(tmp_path, {"a.md": ARTICLE_A})
    with pytest.raises(IndexMissingError, match="run `qabot index build`"):
        Library.open(settings)


def test_missing_articles_folder_is_a_clear_error_and_keeps_the_index(corpus, tmp_path):
    first = build_index(corpus)
    moved = corpus.article_paths[0].rename(tmp_path / "elsewhere")
    with pytest.raises(CorpusError, match="does not exist"):
        build_index(corpus)
    assert IndexFolder(corpus.index_dir).current_name() == first.snapshot
    assert moved.is_dir()


def test_empty_articles_folder_is_a_clear_error(tmp_path):
    settings = make_corpus(tmp_path, {})
    with pytest.raises(CorpusError, match="no readable articles"):
        build_index(settings)


@pytest.mark.parametrize("damage, message", [
    ("manifest_version", "format version 999"),
    ("other_model", "was built with model"),
    ("truncated_faiss", "vectors.faiss is damaged"),
    ("truncated_sqlite", "chunks.sqlite is damaged"),
    ("missing_manifest", "no readable manifest"),
])
def test_damaged_or_foreign_snapshot_says_to_rebuild(corpus, damage, message):
    build_index(corpus)
    path = IndexFolder(corpus.index_dir).current_path()
    manifest = json.loads((path / "manifest.json").read_text())
    if damage == "manifest_version":
        manifest["format_version"] = 999
        (path / "manifest.json").write_text(json.dumps(manifest))
    elif damage == "other_model":
        manifest["model_id"] = "someone/else@123"
        manifest["model_name"] = "someone/else"
        (path / "manifest.json").write_text(json.dumps(manifest))
    elif damage == "truncated_faiss":
        data = (path / "vectors.faiss").read_bytes()
        (path / "vectors.faiss").write_bytes(data[: len(data) // 2])
    elif damage == "truncated_sqlite":
        (path / "chunks.sqlite").write_bytes(b"SQLite format 3\x00" + b"\x00" * 40)
    elif damage == "missing_manifest":
        (path / "manifest.json").unlink()
    with pytest.raises(SnapshotError, match=message) as caught:
        Library.open(corpus)
    assert "qabot index rebuild" in str(caught.value)


def test_running_library_picks_up_a_new_snapshot_and_survives_a_broken_one(corpus):
    build_index(corpus)
    library = Library.open(corpus)
    assert not library.ask("What did Marta Jansen say?").found or "fair deal" in library.ask("What did Marta Jansen say?").text

    (corpus.article_paths[0] / "c.md").write_text(
        "# Bridge reopens\n\n\"The bridge is safe again,\" engineer Petra Novak said on Monday.\n", encoding="utf-8")
    build_index(corpus)
    assert "The bridge is safe again" in library.ask("What did Petra Novak say?").text

    # A snapshot that cannot be loaded is never switched to; the old one keeps answering.
    folder = IndexFolder(corpus.index_dir)
    (corpus.article_paths[0] / "d.md").write_text("# Other\n\nSomething else happened in the harbour.\n", encoding="utf-8")
    build_index(corpus)
    (folder.current_path() / "vectors.faiss").write_bytes(b"garbage")
    assert "The bridge is safe again" in library.ask("What did Petra Novak say?").text


def test_many_threads_can_ask_at_once(sample_library):
    results: dict[int, str] = {}

    def ask(i: int) -> None:
        person = ["Kosachev", "Bogdanov", "Shepovalenko"][i % 3]
        results[i] = sample_library.ask(f"What did {person} say?").text

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(9)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all("retaliation by Iran" in results[i] for i in range(0, 9, 3))
    assert all("revenge is a dish best served cold" in results[i] for i in range(2, 9, 3))


def test_sample_article_is_shipped_with_the_project():
    assert SAMPLE_ARTICLE.is_file()


def test_near_duplicate_chunks_do_not_fill_the_top_k(tmp_path):
    story = ("# Ferry strike\n\nFerry crews walked out on Monday over pay, stranding thousands of passengers "
             "at the harbour, the union said.\n")
    files = {f"copy{i}.md": story for i in range(4)}  # one story syndicated four times
    files["other.md"] = "# Ferry timetable\n\nThe summer ferry timetable adds a late sailing on Fridays.\n"
    settings = make_corpus(tmp_path, files)
    build_index(settings)
    hits = Library.open(settings)._loaded.retriever.search("ferry strike passengers stranded", 5)
    texts = [h.chunk.text for h in hits]
    assert texts.count(texts[0]) == 1
    assert any("timetable" in t for t in texts)
