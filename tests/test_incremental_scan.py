"""An incremental build reads only the files that changed: the others' articles come from
the snapshot, exactly as they were read."""

from __future__ import annotations

import os
import time

from conftest import SAMPLE_ARTICLE, make_corpus

from qabot.answering import Library
from qabot.indexing import IndexFolder, Snapshot
from qabot.indexing.build import build_index

FILES = {
    "sample.txt": SAMPLE_ARTICLE,
    "ferry.txt": "Ferry news\n\nThe harbour authority said the ferry service to Lundy resumes on Monday.\n",
    "feed.jsonl": '{"title": "Storm", "text": "A storm closed the Severn bridge on Tuesday night."}\n'
                  "not json\n",
}


def articles_of(settings) -> dict:
    snapshot = Snapshot.load(IndexFolder(settings.index_dir).current_path())
    try:
        return snapshot.stored_article_records()
    finally:
        snapshot.close()


def test_touching_one_file_reads_only_that_file_and_keeps_every_article_as_read(tmp_path):
    settings = make_corpus(tmp_path, FILES)
    first = build_index(settings)
    assert first.files_reused == 0 and first.articles == 3
    before = articles_of(settings)

    ferry = tmp_path / "articles" / "ferry.txt"
    later = time.time() + 10
    os.utime(ferry, (later, later))
    touched = build_index(settings)
    assert touched.files_reused == 2  # sample.txt and feed.jsonl were not read again
    assert (touched.articles, touched.new, touched.changed, touched.deleted) == (3, 0, 0, 0)
    assert [(s.path, s.reason) for s in touched.skipped] == [("feed.jsonl:2", "not valid JSON (Expecting value, column 1)")]
    assert articles_of(settings) == before

    ferry.write_text("Ferry news\n\nThe ferry service to Lundy is cancelled until spring.\n", encoding="utf-8")
    edited = build_index(settings)
    assert edited.files_reused == 2 and edited.changed == 1
    answer = Library.open(settings).ask("When does the ferry service to Lundy run?")
    assert any("cancelled until spring" in c.passage for c in answer.citations + answer.closest)
    kosachev = Library.open(settings).ask("What did Kosachev say?")
    assert any("Soleimani" in s.text for s in kosachev.statements)


def test_a_rebuild_reads_every_file_again(tmp_path):
    settings = make_corpus(tmp_path, FILES)
    build_index(settings)
    assert build_index(settings, from_scratch=True).files_reused == 0
