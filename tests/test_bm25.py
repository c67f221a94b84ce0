"""The fast BM25 stage scores exactly as rank-bm25's BM25Okapi, and finds names in any script."""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from qabot.errors import SnapshotError
from qabot.indexing.bm25 import BM25Index
from qabot.text.words import terms


@pytest.fixture(scope="module")
def bbc_paragraphs(bbc_dir) -> list[list[str]]:
    """Terms of every BBC paragraph (~13 000 documents), read straight from the files."""
    docs = []
    for path in sorted(bbc_dir.glob("*/*.txt")):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        docs += [terms(line) for line in text.splitlines() if line.strip()]
    return docs


def varied_queries(docs: list[list[str]], count: int) -> list[list[str]]:
    """Hand-picked edge cases, then random words and bigrams drawn from the corpus."""
    rng = random.Random(5)
    df = Counter(t for doc in docs for t in set(doc))
    most_common = df.most_common(1)[0][0]
    queries = [
        [],                                        # empty question
        terms("What did they say?"),               # only stop words -> no terms
        ["zzzunknownzzz"],                         # a word no document has
        ["zzzunknownzzz", "blair"],                # unknown and known together
        ["blair", "blair", "brown"],               # a repeated term counts twice
        ["mourinho"], ["chelsea", "mourinho"], ["gordon", "brown", "budget"],
        [most_common], [most_common, most_common, "iraq"],
    ]
    non_empty = [d for d in docs if len(d) > 1]
    while len(queries) < count:
        doc = rng.choice(non_empty)
        start = rng.randrange(len(doc) - 1)
        kind = rng.random()
        if kind < 0.3:
            query = doc[start:start + 2]                                  # a bigram
        elif kind < 0.6:
            query = rng.sample(doc, min(len(doc), rng.randint(1, 5)))     # a bag of words
        else:
            query = [doc[start]]                                          # one word
        if rng.random() < 0.15:
            query = query + [rng.choice(query)]                           # with a repeat
        queries.append(query)
    return queries


def reference_top(scores: np.ndarray, n: int) -> np.ndarray:
    """Best first, ties to the lower id, only positive scores: what `top` must return."""
    order = np.lexsort((np.arange(len(scores)), -scores))
    return order[scores[order] > 0][:n]


def test_scores_and_top_equal_bm25okapi_on_the_bbc_corpus(bbc_paragraphs):
    docs = bbc_paragraphs
    reference = BM25Okapi(docs)
    fast = BM25Index.fit(docs)
    assert fast.n_docs == len(docs) > 10_000
    assert list(fast.vocabulary) == list(reference.idf)
    # The epsilon floor's average IDF is summed exactly, not in first-appearance order.
    assert np.allclose(fast.idf, [reference.idf[t] for t in fast.vocabulary], rtol=1e-15, atol=0)
    for query in varied_queries(docs, 220):
        expected = reference.get_scores(query)
        # Weights are stored as float32 (7 significant digits), summed in float64.
        assert np.allclose(fast.scores(query), expected, rtol=0, atol=1e-5), query
        for n in (1, 10, 100):
            ids, scores = fast.top(query, n)
            assert ids.tolist() == reference_top(expected, n).tolist(), query
            assert np.allclose(scores, expected[ids], rtol=0, atol=1e-5)


def test_very_common_words_get_bm25okapis_epsilon_idf():
    # "news" is in 4 of 5 documents: its raw IDF is negative, so BM25Okapi floors it at
    # epsilon x the average IDF. "quiet" is in 1 of 5, "rain" in 2.
    docs = [["news", "rain"], ["news", "rain", "rain"], ["news"], ["news", "quiet"], ["sport"]]
    reference = BM25Okapi(docs)
    fast = BM25Index.fit(docs)
    assert fast.term_weight("news") > 0
    assert fast.term_weight("news") == pytest.approx(reference.idf["news"])
    for query in (["news"], ["news", "rain"], ["quiet", "news", "news"], ["sport", "rain"]):
        assert np.allclose(fast.scores(query), reference.get_scores(query), rtol=0, atol=1e-5)
    assert fast.top(["rain"], 5)[0].tolist() == [1, 0]     # two "rain"s beat one
    # The shortest document first (2); 0 and 3 tie at two words: the lower id wins.
    assert fast.top(["news"], 2)[0].tolist() == [2, 0]


def test_a_word_no_document_has_weighs_more_than_any_indexed_word():
    # "What is the boiling point of tungsten?": if "boiling" and "tungsten" weighed 0,
    # a sentence with "point" alone would cover the whole question.
    docs = [["point", "army"], ["point"], ["army", "syria"], ["oil"], ["oil", "price"]]
    index = BM25Index.fit(docs)
    unseen = index.term_weight("tungsten")
    assert unseen == pytest.approx(np.log((5 + 0.5) / 0.5))
    assert unseen > max(index.term_weight(t) for t in ("point", "army", "syria", "oil", "price"))


def test_equal_scores_go_to_the_lower_document_id():
    docs = [["other"], ["storm"], ["other"], ["storm"], ["storm"], ["calm"], ["calm"], ["other"]]
    index = BM25Index.fit(docs)
    ids, scores = index.top(["storm"], 2)
    assert ids.tolist() == [1, 3] and scores[0] == scores[1] > 0


def test_tiny_corpora_where_every_idf_is_negative_find_nothing():
    # With two documents no word's IDF is positive (BM25Okapi's own quirk): scores agree
    # with BM25Okapi and `top` returns nothing rather than negative "matches".
    docs = [["kosachev", "said"], ["kosachev"]]
    assert np.allclose(BM25Index.fit(docs).scores(["kosachev"]), BM25Okapi(docs).get_scores(["kosachev"]))
    assert BM25Index.fit(docs).top(["kosachev"], 5)[0].size == 0


def test_save_and_load_round_trip(tmp_path):
    docs = [terms(t) for t in ["Kosachev said the strike was a mistake.", "Bogdanov told Al-Monitor.", "",
                               "Mistake after mistake, Kosachev said.", "Косачев заявил.", "Oil prices rose."]]
    index = BM25Index.fit(docs)
    index.save(tmp_path / "bm25")
    for mmap in (False, True):
        loaded = BM25Index.load(tmp_path / "bm25", mmap=mmap)
        assert (loaded.n_docs, loaded.vocabulary) == (6, index.vocabulary)
        for query in (["mistake"], ["kosachev", "mistake"], ["косачев"], []):
            assert np.array_equal(loaded.scores(query), index.scores(query))
            assert all(np.array_equal(a, b) for a, b in zip(loaded.top(query, 3), index.top(query, 3)))
        assert loaded.term_weight("kosachev") == index.term_weight("kosachev") > 0


def test_postings_are_stored_as_int32_ids_and_float32_weights(tmp_path):
    BM25Index.fit([["a", "b"], ["b", "c"], ["d"]]).save(tmp_path / "bm25")
    assert np.load(tmp_path / "bm25" / "doc_ids.npy").dtype == np.int32
    assert np.load(tmp_path / "bm25" / "weights.npy").dtype == np.float32


def test_an_index_saved_with_float64_weights_still_loads_and_scores_the_same(tmp_path):
    """Snapshots written before float32 weights keep working without a rebuild."""
    docs = [["kosachev", "strike"], ["bogdanov"], ["strike", "oil", "oil"], ["oil"]]
    index = BM25Index.fit(docs)
    index.save(tmp_path / "bm25")
    np.save(tmp_path / "bm25" / "weights.npy", index.weights.astype(np.float64), allow_pickle=False)
    old = BM25Index.load(tmp_path / "bm25", mmap=True)
    assert old.weights.dtype == np.float64
    for query in (["oil"], ["strike", "oil"], ["kosachev", "kosachev"]):
        assert np.allclose(old.scores(query), BM25Okapi(docs).get_scores(query), rtol=0, atol=1e-5)
        assert old.top(query, 3)[0].tolist() == index.top(query, 3)[0].tolist()


def test_no_pickle_is_written(tmp_path):
    BM25Index.fit([["a", "b"], ["b", "c"], ["d"]]).save(tmp_path / "bm25")
    for path in (tmp_path / "bm25").glob("*.npy"):
        np.load(path, allow_pickle=False)  # raises if an object array had been pickled in


@pytest.mark.parametrize("damage", ["truncate", "delete", "garble_json", "wrong_length"])
def test_damaged_files_say_which_and_to_rebuild(tmp_path, damage):
    folder = tmp_path / "bm25"
    BM25Index.fit([["a", "b"], ["b", "c"], ["d"]]).save(folder)
    weights = folder / "weights.npy"
    if damage == "truncate":
        weights.write_bytes(weights.read_bytes()[:90])
    elif damage == "delete":
        weights.unlink()
    elif damage == "garble_json":
        (folder / "vocabulary.json").write_text('{"n_docs": 3, "ter', encoding="utf-8")
    else:
        np.save(weights, np.zeros(2), allow_pickle=False)
    with pytest.raises(SnapshotError, match=r"index snapshot \S+: BM25 files are damaged \(.+\); run `qabot index rebuild`"):
        BM25Index.load(folder)


def test_missing_file_is_named(tmp_path):
    BM25Index.fit([["a"], ["b"], ["c"]]).save(tmp_path / "bm25")
    (tmp_path / "bm25" / "doc_ids.npy").unlink()
    with pytest.raises(SnapshotError, match="doc_ids.npy"):
        BM25Index.load(tmp_path / "bm25")


def test_names_in_other_scripts_and_with_accents_are_found():
    texts = ["Косачев заявил, что удар был ошибкой.",
             "قال سليماني إن الرد قادم",
             "Jürgen Müller sprach in Zürich.",
             "Nothing relevant here at all.",
             "Nor here: the weather stayed calm."]
    index = BM25Index.fit([terms(t) for t in texts])
    assert index.top(terms("Что сказал КОСАЧЕВ?"), 1)[0].tolist() == [0]
    assert index.top(terms("ماذا قال سُلَيْمَانِي؟"), 1)[0].tolist() == [1]   # vowel marks in the question
    assert index.top(terms("What did Muller say?"), 1)[0].tolist() == [2]
    assert index.top(terms("Müller in Zurich"), 1)[0].tolist() == [2]


def test_empty_corpus_and_documents_without_terms():
    empty = BM25Index.fit([])
    assert empty.n_docs == 0 and empty.top(["x"], 5)[0].size == 0 and empty.scores(["x"]).size == 0
    blank = BM25Index.fit([[], []])
    assert blank.n_docs == 2 and blank.top(["x"], 5)[0].size == 0 and blank.scores(["x"]).tolist() == [0, 0]


def test_empty_index_survives_save_and_load(tmp_path):
    BM25Index.fit([[], []]).save(tmp_path / "bm25")
    loaded = BM25Index.load(tmp_path / "bm25")
    assert loaded.n_docs == 2 and loaded.top(["x"], 3)[0].size == 0


def test_patched_equals_a_fit_of_the_new_corpus():
    """Documents renumbered, removed and added from the stored counts: the index `fit` gives."""
    docs = [["harbour", "ferry", "ferry"], ["council", "tram"], ["ferry", "storm"], ["tram", "vote", "tram"],
            ["the", "storm"], ["the", "harbour"], ["the", "ferry"]]
    index = BM25Index.fit(docs)
    # Document 1 goes, document 3 moves to the end, a new one takes id 1 and another id 5.
    new_ids = np.array([0, -1, 2, 6, 3, 4, 7])
    added = {1: ["bridge", "storm", "the"], 5: ["the", "the", "pier"]}
    patched = index.patched(new_ids, 8, added)
    expected_docs = [docs[0], added[1], docs[2], docs[4], docs[5], added[5], docs[3], docs[6]]
    expected = BM25Index.fit(expected_docs)
    assert patched.vocabulary.keys() == expected.vocabulary.keys() and "council" not in patched.vocabulary
    for term in expected.vocabulary:
        assert patched.term_weight(term) == expected.term_weight(term), term
        assert patched.scores([term]).tolist() == expected.scores([term]).tolist(), term
    assert np.allclose(patched.scores(["storm", "the"]), BM25Okapi(expected_docs).get_scores(["storm", "the"]), atol=1e-5)


def test_an_index_saved_without_term_counts_loads_but_cannot_be_patched(tmp_path):
    BM25Index.fit([["a", "b"], ["b", "c"], ["d"]]).save(tmp_path / "bm25")
    (tmp_path / "bm25" / "tf.npy").unlink()
    loaded = BM25Index.load(tmp_path / "bm25")
    assert loaded.tf is None and loaded.top(["a"], 5)[0].tolist() == [0]
    with pytest.raises(ValueError, match="no term counts"):
        loaded.patched(np.array([0, 1, 2]), 3, {})
