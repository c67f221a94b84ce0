"""An incremental build gives exactly the snapshot a full build of the same corpus gives:
the same articles, chunks, vectors, BM25 scores, quotes, copies and file records, after
touches, edits, additions, deletions and moves (files touched only carry the snapshot over)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time

import faiss
import numpy as np
import pytest
from conftest import SAMPLE_ARTICLE, make_corpus

from qabot.config import load_settings
from qabot.indexing import IndexFolder, verify_snapshot
from qabot.indexing.bm25 import BM25Index
from qabot.indexing.build import build_index

STORY = ("The harbour authority said the ferry service to Lundy resumes on Monday after the storm damaged "
         "the landing stage, and that repairs to the slipway cost more than expected this winter.")
FILES = {
    "sample.txt": SAMPLE_ARTICLE,
    "ferry.md": f"---\ntitle: Ferry back\nsource: Harbour Times\npublished: 2024-03-02\n---\n{STORY}\n",
    # the same story from a second outlet: merged into the first as a copy
    "wire/ferry-copy.md": f"---\ntitle: Lundy ferry returns\nsource: Wire Service\npublished: 2024-03-03\n---\n{STORY}\n",
    "council.txt": "Council vote\n\nThe council voted 31 to 9 to build a new tram line through the eastern districts.\n\n"
                   '"The line will open in 2027," Mayor Tomas Berg said.\n',
    "feed.jsonl": '{"title": "Storm", "text": "A storm closed the Severn bridge on Tuesday night."}\nnot json\n',
}
TABLES = {
    "articles": "id, title, source, url, published, author, path, content_hash, text",
    "paragraphs": "article_id, number, start, text",
    "chunks": "id, article_id, paragraph, start, end, text",
    "quotes": "article_id, paragraph, speaker, text, start, end",
    "descriptions": "article_id, paragraph, name, text, start, end",
    "people": "article_id, name",
    "copies": "article_id, source, url, title, published, path, copy_id, content_hash",
    "files": "path, shown, size, mtime_ns, articles, skipped",
}
QUESTIONS = [["ferry", "lundy"], ["council", "tram"], ["kosachev"], ["storm", "bridge", "severn"], ["soleimani"]]


def contents(settings) -> dict:
    """Everything a snapshot holds, in a form two snapshots can be compared by."""
    directory = IndexFolder(settings.index_dir).current_path()
    db = sqlite3.connect(directory / "chunks.sqlite")
    try:
        tables = {name: sorted(db.execute(f"SELECT {columns} FROM {name}").fetchall(), key=repr)
                  for name, columns in TABLES.items()}
    finally:
        db.close()
    index = faiss.read_index(str(directory / "vectors.faiss"))
    bm25 = BM25Index.load(directory / "bm25")
    return {
        "tables": tables,
        "vectors": index.reconstruct_n(0, index.ntotal),
        "bm25": [bm25.scores(q).tolist() for q in QUESTIONS],
        "idf": {term: float(bm25.idf[row]) for term, row in bm25.vocabulary.items()},
    }


def full_build_of(settings, tmp_path):
    """A from-scratch build of the same articles into a fresh index folder (sharing the
    embedding cache, so vectors are bit for bit those the model gave the first time)."""
    folder = tmp_path / f"full-{time.monotonic_ns()}"
    folder.mkdir()
    (folder / "config.toml").write_text(f'[corpus]\npaths = ["{settings.article_paths[0]}"]\n[index]\ndir = "index"\n',
                                        encoding="utf-8")
    full = load_settings(folder / "config.toml", env={})
    cache = IndexFolder(full.index_dir).cache_file
    cache.parent.mkdir(parents=True)
    shutil.copyfile(IndexFolder(settings.index_dir).cache_file, cache)
    build_index(full, from_scratch=True)
    return full


def assert_same_as_a_full_build(settings, tmp_path) -> None:
    mine, full = contents(settings), contents(full_build_of(settings, tmp_path))
    for name in TABLES:
        assert mine["tables"][name] == full["tables"][name], name
    assert np.array_equal(mine["vectors"], full["vectors"])
    assert mine["bm25"] == full["bm25"] and mine["idf"] == full["idf"]


def touch(path) -> None:
    later = time.time() + 10
    os.utime(path, (later, later))


def test_every_kind_of_change_gives_the_snapshot_a_full_build_gives(tmp_path):
    settings = make_corpus(tmp_path / "corpus", FILES)
    articles = settings.article_paths[0]
    first = build_index(settings)
    assert first.copies == 1 and first.articles == 4
    assert_same_as_a_full_build(settings, tmp_path)

    # Touched files (the kept article's and the copy's): carried over, nothing read but them.
    touch(articles / "council.txt")
    touch(articles / "wire" / "ferry-copy.md")
    touched = build_index(settings)
    assert touched.files_reused == 3 and "embed" not in touched.stages and touched.snapshot != first.snapshot
    assert [(s.path, s.reason) for s in touched.skipped] == [("feed.jsonl:2", "not valid JSON (Expecting value, column 1)")]
    assert_same_as_a_full_build(settings, tmp_path)

    (articles / "council.txt").write_text(FILES["council.txt"].replace("31 to 9", "30 to 10"), encoding="utf-8")
    edited = build_index(settings)
    assert edited.changed == 1 and edited.embedded == 1 and edited.patched  # not a copy: the snapshot is patched
    assert_same_as_a_full_build(settings, tmp_path)

    (articles / "later").mkdir()
    (articles / "later" / "bridge.txt").write_text("Bridge reopens\n\nThe Severn bridge reopened on Wednesday.\n",
                                                   encoding="utf-8")
    shutil.copyfile(articles / "ferry.md", articles / "later" / "ferry-again.md")  # another copy
    added = build_index(settings)
    assert added.new == 1 and added.copies == 2 and not added.patched  # a new copy: merged the whole way
    assert_same_as_a_full_build(settings, tmp_path)

    (articles / "ferry.md").unlink()  # the kept one goes: a copy is indexed in its place
    deleted = build_index(settings)
    assert deleted.copies == 1 and not deleted.patched
    assert_same_as_a_full_build(settings, tmp_path)

    (articles / "feed.jsonl").rename(articles / "later" / "feed.jsonl")  # moved: a new id, the same text
    moved = build_index(settings)
    assert (moved.new, moved.deleted) == (1, 1) and moved.patched
    assert_same_as_a_full_build(settings, tmp_path)


def test_an_edit_without_copies_loads_the_unchanged_articles_and_matches_a_full_build(tmp_path):
    files = {name: text for name, text in FILES.items() if not name.startswith("wire/")}
    settings = make_corpus(tmp_path / "corpus", files)
    articles = settings.article_paths[0]
    build_index(settings)
    touch(articles / "ferry.md")
    (articles / "council.txt").write_text(FILES["council.txt"].replace("31 to 9", "30 to 10"), encoding="utf-8")
    edited = build_index(settings)
    assert (edited.changed, edited.files_reused, edited.embedded, edited.patched) == (1, 2, 1, True)
    assert_same_as_a_full_build(settings, tmp_path)


LONG = "\n\n".join(f"Paragraph {n} of the long report on the harbour works, where the crane operators and the "
                    f"dock workers met the port authority again on day {n} to talk about pay, shifts, safety "
                    f"rules, the new container berth, and the dredging of the channel before the winter storms "
                    f"come and the ferries stop running to the islands for weeks." for n in range(6))


def test_patched_builds_renumber_chunks_and_keep_quote_order_as_a_full_build_does(tmp_path):
    """Edits that change an article's chunk count, additions in the middle of the path order
    (with quotes) and deletions: each patches the snapshot and gives exactly a full build's."""
    files = {"a.txt": "Port fees\n\nThe port raised its fees by four percent on Monday.\n",
             "c.txt": "Harbour works\n\nThe harbour works start in May.\n",
             "e.txt": FILES["council.txt"]}
    settings = make_corpus(tmp_path / "corpus", files)
    articles = settings.article_paths[0]
    first = build_index(settings)
    (articles / "c.txt").write_text(f"Harbour works\n\n{LONG}\n", encoding="utf-8")  # 1 chunk -> several
    grown = build_index(settings)
    assert grown.patched and grown.changed == 1 and grown.chunks > first.chunks + 2
    assert_same_as_a_full_build(settings, tmp_path)

    (articles / "b.txt").write_text('Ferry strike\n\n"We will not sail until the deal is signed," '
                                    'union leader Ana Costa said on Friday.\n', encoding="utf-8")
    added = build_index(settings)
    assert added.patched and added.new == 1
    assert_same_as_a_full_build(settings, tmp_path)  # its quote sits between a.txt's and e.txt's

    (articles / "a.txt").unlink()
    (articles / "c.txt").write_text("Harbour works\n\nThe harbour works start in June.\n", encoding="utf-8")
    both = build_index(settings)
    assert both.patched and (both.deleted, both.changed) == (1, 1) and both.chunks == first.chunks
    assert_same_as_a_full_build(settings, tmp_path)
    report = verify_snapshot(IndexFolder(settings.index_dir).current_path())  # checksums, integrity_check, counts
    assert report.ok, [c for c in report.checks if c.problem]
    assert build_index(settings).up_to_date


# The HNSW path: a graph over a handful of chunks (the exact-search limit lowered), patched in
# place: new chunks added at its end, removed ones tombstoned, positions mapped to chunk ids.
TOPICS = {f"{name}.txt": f"{title}\n\n{text}\n" for name, title, text in [
    ("a-ferry", "Ferry", "The ferry to Lundy sails again on Monday after the storm repairs."),
    ("b-tram", "Tram", "The council voted to build a new tram line through the eastern districts."),
    ("c-wheat", "Wheat", "Wheat prices rose after the drought cut the harvest across the plains."),
    ("d-court", "Court", "The supreme court ruled against the airline in the long pension case."),
    ("e-violin", "Violin", "A stolen violin worth two million euros was found in a Vienna attic."),
    ("f-glacier", "Glacier", "The glacier lost a tenth of its ice in one summer, researchers said."),
    ("g-chess", "Chess", "The chess champion resigned the final game after a blunder on move forty."),
    ("h-vaccine", "Vaccine", "Nurses began giving the new measles vaccine in rural clinics this week."),
    ("i-bridge", "Bridge", "The Severn bridge closed on Tuesday night because of high winds."),
    ("j-mine", "Mine", "Miners were rescued after three days trapped in the flooded copper mine."),
    ("k-satellite", "Satellite", "The weather satellite reached orbit and sent its first images home."),
    ("l-bakery", "Bakery", "The village bakery closed after ninety years when the baker retired."),
]}
SEARCHES = ["ferry to Lundy", "tram line vote", "price of wheat", "court ruling on pensions", "stolen violin",
            "melting glacier ice", "chess final", "measles vaccine", "bridge closed by wind", "trapped miners",
            "satellite in orbit", "bakery closing", "storm repairs", "olive oil harvest"]


@pytest.fixture
def graph_limit(monkeypatch):
    """Above 4 chunks a snapshot holds an HNSW graph (instead of above 50 000)."""
    import qabot.indexing.snapshot as snapshot_module

    monkeypatch.setattr(snapshot_module, "EXACT_SEARCH_LIMIT", 4)


def searched(settings, questions=SEARCHES, mask_out: str | None = None) -> dict:
    """Each question's hits (chunk texts, best first) through the Retriever, unfiltered or with
    a mask that leaves out the chunks holding `mask_out`; and what the graph returns for each."""
    from qabot.embedding import load_embedder
    from qabot.indexing import Snapshot
    from qabot.search import Retriever

    snapshot = Snapshot.load(IndexFolder(settings.index_dir).current_path())
    try:
        embedder = load_embedder(settings.model)
        retriever = Retriever(snapshot, embedder, settings.retrieval)
        mask = None
        if mask_out is not None:
            texts = snapshot.chunks(list(range(snapshot.manifest.chunks)))
            mask = np.array([mask_out not in texts[i].text for i in range(len(texts))])
        out = {}
        for question in questions:
            hits = retriever.search(question, 5, mask=mask)
            ids, _ = snapshot.vectors.search(embedder.encode_query(question), snapshot.manifest.chunks, mask,
                                             ef_search=512)
            out[question] = ([h.chunk.text for h in hits],
                             sorted(c.text for c in snapshot.chunks(ids.tolist()).values()), len(ids))
        return out
    finally:
        snapshot.close()


def graph_of(settings) -> tuple[str, bool, int]:
    """(FAISS kind, whether positions are mapped, format version) of the current snapshot."""
    from qabot.indexing import Snapshot

    snapshot = Snapshot.load(IndexFolder(settings.index_dir).current_path())
    try:
        return snapshot.manifest.faiss_index, snapshot.vectors.mapped, snapshot.manifest.format_version
    finally:
        snapshot.close()


def assert_searches_like_a_full_build(settings, tmp_path, gone: tuple[str, ...] = ()) -> None:
    """Same hits as a full build for every question (filtered and not), every chunk's vector
    the full build's, and no removed text ever returned."""
    full = full_build_of(settings, tmp_path)
    assert graph_of(full)[:2] == ("hnsw32-fp16", False)
    for mask_out in (None, "Severn"):
        mine, theirs = searched(settings, mask_out=mask_out), searched(full, mask_out=mask_out)
        assert mine == theirs, mask_out
        for hits, every, count in mine.values():
            assert not any(text in hit for text in gone for hit in hits + every)
            assert count == len(every) == len(set(every))
    vectors, chunks = {}, {}
    for which in (settings, full):
        from qabot.indexing import Snapshot

        snapshot = Snapshot.load(IndexFolder(which.index_dir).current_path())
        try:
            rows = snapshot.chunks(list(range(snapshot.manifest.chunks)))
            chunks[id(which)] = [rows[i].text for i in range(len(rows))]
            vectors[id(which)] = snapshot.vectors.all()
        finally:
            snapshot.close()
    assert chunks[id(settings)] == chunks[id(full)]  # ids numbered as a full build numbers them
    assert np.array_equal(vectors[id(settings)], vectors[id(full)])
    report = verify_snapshot(IndexFolder(settings.index_dir).current_path())
    assert report.ok, [c for c in report.checks if c.problem]


def test_a_patched_graph_searches_like_a_full_build_and_never_returns_removed_chunks(tmp_path, graph_limit):
    settings = make_corpus(tmp_path / "corpus", TOPICS)
    articles = settings.article_paths[0]
    first = build_index(settings)
    assert first.chunks == 12 and graph_of(settings) == ("hnsw32-fp16", False, 3)

    (articles / "c-wheat.txt").write_text("Olives\n\nThe olive oil harvest failed in the south this year.\n")
    edited = build_index(settings)
    assert edited.patched and edited.changed == 1
    assert graph_of(settings) == ("hnsw32-fp16", True, 4)  # the wheat chunk's node is a tombstone
    assert_searches_like_a_full_build(settings, tmp_path, gone=("Wheat prices",))

    (articles / "bb-strike.txt").write_text("Strike\n\nDock workers went on strike over pay at the port.\n")
    added = build_index(settings)
    assert added.patched and added.new == 1 and graph_of(settings)[1]
    assert_searches_like_a_full_build(settings, tmp_path, gone=("Wheat prices",))

    (articles / "e-violin.txt").unlink()
    deleted = build_index(settings)  # 2 tombstones of 14 nodes: still patched
    assert deleted.patched and deleted.deleted == 1 and graph_of(settings)[1]
    assert_searches_like_a_full_build(settings, tmp_path, gone=("Wheat prices", "stolen violin"))
    assert build_index(settings).up_to_date

    (articles / "g-chess.txt").unlink()
    past = build_index(settings)  # 3 of 14 nodes would be tombstones, past the share: the graph is written whole
    assert past.patched and graph_of(settings) == ("hnsw32-fp16", False, 3)
    assert_searches_like_a_full_build(settings, tmp_path, gone=("Wheat prices", "stolen violin", "chess champion"))


def test_a_patched_graph_read_through_the_exact_filtered_path_and_by_an_older_qabot(tmp_path, graph_limit, monkeypatch):
    """A filtered question over few chunks reads their vectors by chunk id (not position); an
    older qabot, which would take positions for ids, is refused with the rebuild hint."""
    import json

    import qabot.indexing.snapshot as snapshot_module
    from qabot.errors import SnapshotError
    from qabot.indexing import Snapshot

    settings = make_corpus(tmp_path / "corpus", TOPICS)
    articles = settings.article_paths[0]
    build_index(settings)
    (articles / "a-ferry.txt").write_text("Ferry\n\nThe ferry to Lundy is cancelled for the whole winter.\n")
    assert build_index(settings).patched and graph_of(settings)[1]
    full = full_build_of(settings, tmp_path)
    for limit in (0, 20_000):  # the graph searched through a selector; the allowed chunks scored exactly
        monkeypatch.setattr("qabot.search.retrieval.EXACT_FILTERED_LIMIT", limit)
        assert searched(settings, mask_out="bridge") == searched(full, mask_out="bridge")
    directory = IndexFolder(settings.index_dir).current_path()
    monkeypatch.setattr(snapshot_module, "MAPPED_FORMAT", 3)  # as a qabot before position maps reads it
    with pytest.raises(SnapshotError, match=r"has format version 4, .*run `qabot index rebuild`"):
        Snapshot.load(directory)
    assert json.loads((directory / "manifest.json").read_text())["format_version"] == 4
    monkeypatch.setattr(snapshot_module, "MAPPED_FORMAT", 4)

    # A copy of a story goes the whole way: the kept articles' vectors read from the mapped graph by chunk id.
    shutil.copyfile(articles / "b-tram.txt", articles / "z-tram-copy.txt")
    whole = build_index(settings)
    assert not whole.patched and whole.copies == 1 and whole.embedded == 0
    assert graph_of(settings) == ("hnsw32-fp16", False, 3)
    assert_searches_like_a_full_build(settings, tmp_path)


def test_looking_for_copies_in_sqlite_finds_what_shingling_every_article_finds(tmp_path):
    """`has_copy` shingles only the stored articles that hold one of a changed article's
    telling words (a LIKE in SQLite); it answers as comparing with every stored article does,
    case-folding included (the Kelvin sign lowers to an ASCII k)."""
    from qabot.indexing import Snapshot
    from qabot.indexing.patch import has_copy
    from qabot.news import jaccard, shingles
    from qabot.records import Article, Paragraph

    kelvin = "\u212ailn \u212aeeper \u212ayle \u212aate \u212aent \u212aiosk \u212aarting \u212aickoff \u212anots."
    settings = make_corpus(tmp_path / "corpus", {**TOPICS, "kilns.txt": f"Kilns\n\n{kelvin}\n"})
    build_index(settings)
    probes = {
        "same, other case": TOPICS["d-court.txt"].split("\n\n")[1].upper(),
        "half the words new": "The supreme court ruled against the airline in a short tax case on Friday.",
        "one word": "Wheat",
        "kelvin as ascii": kelvin.replace("\u212a", "K"),
        "cyrillic": "Паром на Ланди снова ходит с понедельника после ремонта.",
        "unrelated": "A new species of frog was found in the rainforest canopy by a school trip.",
    }
    snapshot = Snapshot.load(IndexFolder(settings.index_dir).current_path())
    try:
        stored = [shingles(text) for (text,) in snapshot.query("SELECT text FROM articles")]
        found = {}
        for name, text in probes.items():
            probe = Article(f"p-{name}", name, text, (Paragraph(1, text, 0),), f"{name}.txt", name)
            found[name] = has_copy(snapshot, [probe], set(), 0.5)
            assert found[name] == any(jaccard(shingles(text), s) >= 0.5 for s in stored), name
    finally:
        snapshot.close()
    assert found == {"same, other case": True, "half the words new": False, "one word": False,
                     "kelvin as ascii": True, "cyrillic": False, "unrelated": False}


def test_a_graph_patch_that_fails_midway_leaves_the_old_snapshot_serving(tmp_path, graph_limit, monkeypatch):
    """No space left once the extended graph is written, before its position map is: the
    build fails with the one-line message, leaves no `.building-*`, the old snapshot still
    answers, and the next build patches the graph."""
    import errno

    from qabot.errors import IndexStorageError

    settings = make_corpus(tmp_path / "corpus", TOPICS)
    articles = settings.article_paths[0]
    first = build_index(settings).snapshot
    (articles / "c-wheat.txt").write_text("Olives\n\nThe olive oil harvest failed in the south this year.\n")

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    save = np.save
    monkeypatch.setattr(np, "save", no_space)
    with pytest.raises(IndexStorageError, match="^no space left on device"):
        build_index(settings)
    monkeypatch.setattr(np, "save", save)
    assert [p.name for p in (settings.index_dir / "snapshots").iterdir() if p.name.startswith(".")] == []
    assert IndexFolder(settings.index_dir).current_name() == first
    hits = searched(settings, ["price of wheat"])["price of wheat"][0]
    assert "Wheat prices rose" in hits[0]
    assert build_index(settings).patched and graph_of(settings)[1]
    assert "olive oil" in searched(settings, ["olive oil harvest"])["olive oil harvest"][0][0]
