"""The default fusion beats BM25 alone and dense alone on news questions (top-1 passage).

The same measurement as bench/retrieval_quality.py, over the whole BBC corpus plus the
sample: a subset would flatter dense search (fewer distractors), so the test pays for the
real corpus. The built index is kept in $QABOT_TEST_CACHE (default ~/.cache/qabot-tests),
so only the first run on a machine embeds (about two and a half minutes on 2 cores).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from conftest import REPO, SAMPLE_ARTICLE
from qabot.config import RetrievalSettings, load_settings
from qabot.evaluation.methods import ranked_chunks

QUESTIONS = [json.loads(line) for line in
             (REPO / "tests" / "fixtures" / "questions" / "retrieval_questions.jsonl").read_text().splitlines() if line]


@pytest.fixture(scope="module")
def retriever(bbc_dir):
    from qabot.embedding import load_embedder
    from qabot.indexer import build_index
    from qabot.retrieval import Retriever
    from qabot.snapshot import IndexFolder, Snapshot

    cache = Path(os.environ.get("QABOT_TEST_CACHE", Path.home() / ".cache" / "qabot-tests")) / "bbc-quality"
    cache.mkdir(parents=True, exist_ok=True)
    paths = [str(p) for p in sorted(bbc_dir.iterdir()) if p.is_dir()] + [str(SAMPLE_ARTICLE)]
    (cache / "config.toml").write_text(f"[corpus]\npaths = {json.dumps(paths)}\n[index]\ndir = \"index\"\n")
    settings = load_settings(cache / "config.toml", env={})
    build_index(settings)
    snapshot = Snapshot.load(IndexFolder(settings.index_dir).current_path())
    return Retriever(snapshot, load_embedder(settings.model), RetrievalSettings())


def correct(retriever, method: str) -> dict[str, int]:
    hits = {"person": 0, "paraphrase": 0}
    for q in QUESTIONS:
        (top,) = ranked_chunks(retriever, q["question"], method, 1) or [None]
        text = retriever.snapshot.chunks([top])[top].text if top is not None else ""
        hits[q["kind"]] += q["expect"] in text
    return hits


def test_default_fusion_beats_bm25_and_dense_alone(retriever):
    bm25, dense, hybrid = (correct(retriever, m) for m in ("bm25", "dense", "hybrid"))
    print(f"\ntop-1 correct of {len(QUESTIONS)}: bm25 {bm25}, dense {dense}, default hybrid {hybrid}", file=sys.stderr)
    assert sum(hybrid.values()) > sum(bm25.values())
    assert sum(hybrid.values()) > sum(dense.values())
    assert hybrid["paraphrase"] >= dense["paraphrase"] - 1
    assert hybrid["person"] >= bm25["person"]
