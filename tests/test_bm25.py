"""The fast BM25 stage equals rank-bm25's BM25Okapi, and names in any script are searchable."""

from __future__ import annotations

import random

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from qabot.bm25 import BM25Index
from qabot.errors import SnapshotError
from qabot.ingest import ingest_paths
from qabot.terms import terms


@pytest.fixture(scope="module")
def bbc_paragraph_terms(bbc_dir):
    categories = sorted(p for p in bbc_dir.iterdir() if p.is_dir())
    articles = ingest_paths(categories, [".txt"]).articles
    return [terms(p.text) for a in articles for p in a.paragraphs]


def queries(docs: list[list[str]], count: int, seed: int = 7) -> list[list[str]]:
    rng = random.Random(seed)
    out = [[], ["zzzunknownzzz"], ["blair", "blair", "said"], ["brown", "chancellor", "budget"]]
    while len(out) < count:
        doc = rng.choice([d for d in docs[:5000] if d] or [["x"]])
        out.append(rng.sample(doc, min(len(doc), rng.randint(1, 4))) + ([rng.choice(doc)] if rng.random() < 0.2 else []))
    return out


def test_scores_equal_bm25okapi_on_the_bbc_corpus(bbc_paragraph_terms):
    docs = bbc_paragraph_terms
    reference = BM25Okapi(docs)
    fast = BM25Index.fit(docs)
    assert fast.n_docs == len(docs) > 10_000
    for query in queries(docs, 200):
        expected = reference.get_scores(query)
        assert np.allclose(fast.scores(query), expected, atol=1e-6, rtol=0)
        ids, scores = fast.top(query, 10)
        best = np.sort(expected[expected > 0])[::-1][:10]
        # Same top scores in the same order; tied documents may come in either order.
        assert np.allclose(scores, best, atol=1e-6)
        assert np.allclose(expected[ids], scores, atol=1e-6)


def test_save_and_load_round_trip(tmp_path):
    docs = [terms(t) for t in ["Kosachev said the strike was a mistake.", "Bogdanov told Al-Monitor.", "", "Mistake mistake."]]
    index = BM25Index.fit(docs)
    index.save(tmp_path / "bm25")
    loaded = BM25Index.load(tmp_path / "bm25")
    assert loaded.n_docs == 4
    assert np.allclose(loaded.scores(["mistake"]), index.scores(["mistake"]))
    assert loaded.term_weight("kosachev") == index.term_weight("kosachev") > 0


@pytest.mark.parametrize("damage", ["truncate", "delete"])
def test_damaged_files_say_to_rebuild(tmp_path, damage):
    BM25Index.fit([["a", "b"], ["b", "c"]]).save(tmp_path / "bm25")
    target = tmp_path / "bm25" / "weights.npy"
    if damage == "truncate":
        target.write_bytes(target.read_bytes()[:20])
    else:
        target.unlink()
    with pytest.raises(SnapshotError, match="BM25 files are damaged.*qabot index rebuild"):
        BM25Index.load(tmp_path / "bm25")


def test_names_in_other_scripts_and_with_accents_are_found():
    docs = [terms(t) for t in ["Косачев заявил, что удар был ошибкой.", "قال سليماني إن الرد قادم",
                               "Jürgen Müller sprach in Zürich.", "Nothing relevant here at all."]]
    index = BM25Index.fit(docs)
    assert index.top(terms("Что сказал КОСАЧЕВ?"), 1)[0].tolist() == [0]
    assert index.top(terms("سليماني"), 1)[0].tolist() == [1]
    assert index.top(terms("What did Muller say?"), 1)[0].tolist() == [2]
    assert terms("What did Kosachev say about Soleimani's killing?") == ["kosachev", "soleimani", "killing"]


def test_empty_corpus_and_empty_documents():
    assert BM25Index.fit([]).top(["x"], 5)[0].size == 0
    assert BM25Index.fit([[], []]).top(["x"], 5)[0].size == 0
