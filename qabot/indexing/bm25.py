"""BM25 as rank-bm25's `BM25Okapi` defines it, scored through a term x document matrix.

`BM25Okapi` is the definition: IDF = log(N - df + 0.5) - log(df + 0.5), with every
negative IDF (a word in more than half the documents) replaced by epsilon x the average
IDF; k1; b; average document length. But its `get_scores` loops over every document in
Python for every query term (~60-200 ms a question at 100 000 chunks). So the fitted
model's statistics are turned once, at build time, into one weight per (term, document),

    w(t, d) = idf(t) * (tf(t, d) * (k1 + 1) / (tf(t, d) + k1 * (1 - b + b * |d| / avgdl)))

stored as the three arrays of a CSR matrix with one row per term: int32 document ids and
float32 weights (8 bytes a posting, not 12: 300 MB less at a million chunks; bm25s stores
the same). A question's scores are the sum of its terms' rows in float64, repeats counted
as `get_scores` counts them, and only the documents in those rows are touched.
`tests/test_bm25.py` proves the scores equal `BM25Okapi.get_scores` to 1e-5 on the BBC
corpus (float32 keeps 7 significant digits of a weight below ~40).

Each posting's term count is stored beside it (`tf.npy`, int32: 4 bytes a posting on disk,
never read by a question), so an incremental build refits the index in O(postings) NumPy
from the counts, tokenising only the chunks that changed (`patched`).

Saved as plain `.npy` arrays and a JSON vocabulary: no pickle, loadable memory-mapped.
Snapshots written with float64 weights, or without `tf.npy`, load as they are.

    >>> index = BM25Index.fit([["kosachev", "strike"], ["bogdanov"], ["strike", "oil"]])
    >>> index.top(["kosachev"], 5)[0].tolist()
    [0]
"""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path
from typing import Sequence

import numpy as np

from qabot.errors import SnapshotError

FILES = ("vocabulary.json", "indptr.npy", "doc_ids.npy", "weights.npy", "idf.npy", "tf.npy")


class BM25Index:
    """BM25 weights as CSR rows (`indptr`, `doc_ids`, `weights`), one row per term.

    Row `vocabulary[t]` lists, in increasing document id, the documents containing `t`
    and their weights. `idf` is per term, after the epsilon floor.
    """

    def __init__(self, vocabulary: dict[str, int], idf: np.ndarray, indptr: np.ndarray,
                 doc_ids: np.ndarray, weights: np.ndarray, n_docs: int, tf: np.ndarray | None = None) -> None:
        self.vocabulary = vocabulary
        self.idf = idf
        self.indptr = indptr
        self.doc_ids = doc_ids
        self.weights = weights
        self.n_docs = n_docs
        self.tf = tf  # each posting's term count, beside `doc_ids`; None in snapshots written before

    @property
    def n_terms(self) -> int:
        return len(self.vocabulary)

    @property
    def n_postings(self) -> int:
        return len(self.doc_ids)

    @classmethod
    def fit(cls, corpus_terms: Sequence[Sequence[str]], k1: float = 1.5, b: float = 0.75,
            epsilon: float = 0.25) -> BM25Index:
        """rank-bm25's `BM25Okapi` statistics of `corpus_terms` (one term list per document)
        as term rows, terms numbered in order of first appearance as `BM25Okapi` has them.

        An empty corpus, or one whose documents have no terms, gives an index that finds
        nothing (BM25Okapi itself divides by zero there).
        """
        vocabulary: dict[str, int] = {}
        term: list[int] = []
        tf: list[int] = []
        per_doc = np.zeros(len(corpus_terms), dtype=np.int64)
        for doc, words in enumerate(corpus_terms):
            counts = Counter(words)  # first occurrence order, as BM25Okapi's doc_freqs
            per_doc[doc] = len(counts)
            term += [vocabulary.setdefault(t, len(vocabulary)) for t in counts]
            tf += counts.values()
        docs = np.repeat(np.arange(len(corpus_terms), dtype=np.int64), per_doc)
        return cls.from_postings(list(vocabulary), np.asarray(term, dtype=np.int64), docs,
                                 np.asarray(tf, dtype=np.int64), len(corpus_terms), k1, b, epsilon)

    @classmethod
    def from_postings(cls, terms_in_order: list[str], term: np.ndarray, docs: np.ndarray, tf: np.ndarray,
                      n_docs: int, k1: float = 1.5, b: float = 0.75, epsilon: float = 0.25) -> BM25Index:
        """The index of postings (term row, document, count), every term of `terms_in_order`
        in at least one document: O(postings) NumPy, so an incremental build refits from
        stored counts instead of tokenising the corpus again (`patched`).

        Exactly `BM25Okapi`'s arithmetic (its `math.log`s, its weights in the same order of
        operations), except that the average IDF behind the epsilon floor is summed exactly
        (`math.fsum`), not in the order the terms first appeared, so that it does not depend
        on the documents' order: within one unit in the last place of BM25Okapi's.
        """
        if len(term) == 0:
            return cls({}, np.zeros(0), np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int32),
                       np.zeros(0, dtype=np.float32), n_docs, np.zeros(0, dtype=np.int32))
        df = np.bincount(term, minlength=len(terms_in_order))
        values, where = np.unique(df, return_inverse=True)
        # A term's IDF depends only on its document frequency: one math.log pair for each.
        idf = np.array([math.log(n_docs - f + 0.5) - math.log(f + 0.5) for f in values.tolist()])[where]
        floor = epsilon * (math.fsum(idf.tolist()) / len(idf))
        idf = np.where(idf < 0, floor, idf)
        tf = tf.astype(np.float64)
        lengths = np.bincount(docs, weights=tf, minlength=n_docs)
        avgdl = int(lengths.sum()) / n_docs
        # BM25Okapi.get_scores, term by term, written in the same order of operations.
        weights = idf[term] * (tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths[docs] / avgdl)))
        by_term = np.lexsort((docs, term))  # rows by term, documents in increasing id within a row
        indptr = np.zeros(len(terms_in_order) + 1, dtype=np.int64)
        np.cumsum(df, out=indptr[1:])
        return cls({t: row for row, t in enumerate(terms_in_order)}, idf, indptr, docs[by_term].astype(np.int32),
                   weights[by_term].astype(np.float32), n_docs, tf[by_term].astype(np.int32))

    def patched(self, new_ids: np.ndarray, n_docs: int, added: dict[int, Sequence[str]]) -> BM25Index:
        """This index with document `d` renumbered `new_ids[d]` (-1: removed) and the documents
        of `added` (new id -> terms) put in: the index `fit` gives for the new corpus, from the
        stored counts (`tf`) in O(postings) NumPy, only the added documents tokenised.
        Terms no document holds any more are dropped; new terms get new rows at the end."""
        if self.tf is None:
            raise ValueError("this index has no term counts (written before they were stored)")
        term = np.repeat(np.arange(self.n_terms, dtype=np.int64), np.diff(np.asarray(self.indptr)))
        docs = np.asarray(new_ids, dtype=np.int64)[np.asarray(self.doc_ids)]
        alive = docs >= 0
        term, docs, tf = term[alive], docs[alive], np.asarray(self.tf, dtype=np.int64)[alive]
        vocabulary = dict(self.vocabulary)
        extra_term: list[int] = []
        extra_doc: list[int] = []
        extra_tf: list[int] = []
        for doc, words in added.items():
            counts = Counter(words)
            extra_term += [vocabulary.setdefault(t, len(vocabulary)) for t in counts]
            extra_doc += [doc] * len(counts)
            extra_tf += counts.values()
        term = np.concatenate([term, np.asarray(extra_term, dtype=np.int64)])
        docs = np.concatenate([docs, np.asarray(extra_doc, dtype=np.int64)])
        tf = np.concatenate([tf, np.asarray(extra_tf, dtype=np.int64)])
        used = np.bincount(term, minlength=len(vocabulary)) > 0
        row = np.cumsum(used) - 1
        terms_in_order = [t for t, keep in zip(vocabulary, used.tolist()) if keep]
        return BM25Index.from_postings(terms_in_order, row[term], docs, tf, n_docs)

    def term_weight(self, term: str) -> float:
        """The term's IDF, for weighing question words.

        A word no document has gets the IDF of document frequency 0, log((N + 0.5) / 0.5),
        above every indexed word's: a question word the corpus has never seen is the
        strongest sign the answer is not there ("boiling point of tungsten"), so it must
        weigh most in the share of the question an answer covers, not drop out of it.
        """
        row = self.vocabulary.get(term)
        if row is not None:
            return float(self.idf[row])
        return float(np.log(self.n_docs + 0.5) - np.log(0.5)) if self.n_docs else 0.0

    def _rows(self, query_terms: Sequence[str]) -> list[tuple[slice, int]]:
        """(row slice, times the term occurs in the query) for each known query term."""
        rows = []
        for term, times in Counter(query_terms).items():
            row = self.vocabulary.get(term)
            if row is not None:
                rows.append((slice(int(self.indptr[row]), int(self.indptr[row + 1])), times))
        return rows

    def scores(self, query_terms: Sequence[str]) -> np.ndarray:
        """A score for every document, equal to `BM25Okapi.get_scores(query_terms)`."""
        out = np.zeros(self.n_docs)
        for span, times in self._rows(query_terms):
            out[self.doc_ids[span]] += times * self.weights[span].astype(np.float64)
        return out

    def top(self, query_terms: Sequence[str], n: int, mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(document ids, scores) of the n best documents scoring above 0, best first.

        Equal scores go to the lower document id first. Only the documents that contain a
        query term are looked at; with `mask` (one bool per document) only those it allows,
        before the top n is taken.
        """
        rows = self._rows(query_terms)
        if not rows or n <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        if len(rows) == 1:
            span, times = rows[0]
            docs, values = self.doc_ids[span].astype(np.int64), times * self.weights[span].astype(np.float64)
        else:
            docs, where = np.unique(np.concatenate([self.doc_ids[span] for span, _ in rows]), return_inverse=True)
            values = np.bincount(where, weights=np.concatenate([times * self.weights[span].astype(np.float64)
                                                                for span, times in rows]))
            docs = docs.astype(np.int64)
        positive = values > 0 if mask is None else (values > 0) & mask[docs]
        docs, values = docs[positive], values[positive]
        if len(values) > n:
            # The n-th best score; of the documents tied at it, the lowest ids are kept
            # (`docs` is in increasing id, so the first ones).
            cut = np.partition(values, len(values) - n)[len(values) - n]
            above = np.flatnonzero(values > cut)
            tied = np.flatnonzero(values == cut)[: n - len(above)]
            keep = np.concatenate([above, tied])
            docs, values = docs[keep], values[keep]
        order = np.lexsort((docs, -values))
        return docs[order], values[order]

    def close(self) -> None:
        """Let go of the arrays now: a memory-mapped array holds an open file until it is
        freed, and a replaced snapshot must not keep files open until the garbage collector
        runs. The index finds nothing afterwards."""
        self.vocabulary = {}
        self.idf = np.zeros(0)
        self.indptr = np.zeros(1, dtype=np.int64)
        self.doc_ids = np.zeros(0, dtype=np.int32)
        self.weights = np.zeros(0, dtype=np.float32)
        self.tf = None

    def save(self, directory: Path) -> None:
        """Write the index as `FILES` in `directory` (created if needed)."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        np.save(directory / "indptr.npy", np.asarray(self.indptr, dtype=np.int64), allow_pickle=False)
        np.save(directory / "doc_ids.npy", np.asarray(self.doc_ids, dtype=np.int32), allow_pickle=False)
        np.save(directory / "weights.npy", np.asarray(self.weights, dtype=np.float32), allow_pickle=False)
        np.save(directory / "idf.npy", np.asarray(self.idf, dtype=np.float64), allow_pickle=False)
        if self.tf is not None:
            np.save(directory / "tf.npy", np.asarray(self.tf, dtype=np.int32), allow_pickle=False)
        terms_in_order = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        (directory / "vocabulary.json").write_text(
            json.dumps({"n_docs": self.n_docs, "terms": terms_in_order}, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path, mmap: bool = False, scan: bool = True) -> BM25Index:
        """Read an index written by `save`; `mmap=True` maps the arrays instead of reading them.

        `scan=False` skips the one check that reads every posting (document ids in range),
        for arrays whose checksums were verified: a scan would page the whole map in.

        Raises SnapshotError, saying to rebuild, when a file is missing, truncated or
        inconsistent with the others.
        """
        directory = Path(directory)
        reading = "vocabulary.json"
        try:
            meta = json.loads((directory / reading).read_text(encoding="utf-8"))
            terms_in_order, n_docs = meta["terms"], int(meta["n_docs"])
            arrays = {}
            for name in ("indptr", "doc_ids", "weights", "idf"):
                reading = f"{name}.npy"
                arrays[name] = np.load(directory / reading, mmap_mode="r" if mmap else None, allow_pickle=False)
            reading = "tf.npy"
            tf = np.load(directory / reading, mmap_mode="r" if mmap else None, allow_pickle=False) \
                if (directory / reading).exists() else None
            reading = "consistency"
            _check(terms_in_order, n_docs, scan, **arrays)
            if tf is not None and (tf.ndim != 1 or tf.dtype.kind != "i" or len(tf) != len(arrays["doc_ids"])):
                raise ValueError("term counts disagree with the postings")
        except (OSError, ValueError, KeyError, TypeError) as err:
            reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
            raise SnapshotError(f"index snapshot {directory.parent.name}: BM25 files are damaged "
                                f"({reading}: {reason}); run `qabot index rebuild`") from None
        indptr, doc_ids, weights, idf = arrays["indptr"], arrays["doc_ids"], arrays["weights"], arrays["idf"]
        return cls({term: row for row, term in enumerate(terms_in_order)}, idf, indptr, doc_ids, weights, n_docs, tf)


def _check(terms_in_order: list, n_docs: int, scan: bool, indptr: np.ndarray, doc_ids: np.ndarray,
           weights: np.ndarray, idf: np.ndarray) -> None:
    """Raise ValueError unless the arrays form one consistent CSR matrix."""
    if not isinstance(terms_in_order, list) or n_docs < 0:
        raise ValueError("vocabulary.json lacks its term list or document count")
    if len(set(terms_in_order)) != len(terms_in_order):
        raise ValueError("a term is listed twice")
    if any(a.ndim != 1 for a in (indptr, doc_ids, weights, idf)):
        raise ValueError("arrays are not one-dimensional")
    if indptr.dtype.kind != "i" or doc_ids.dtype.kind != "i" or weights.dtype.kind != "f" or idf.dtype.kind != "f":
        raise ValueError("arrays have the wrong types")
    if len(indptr) != len(terms_in_order) + 1 or len(idf) != len(terms_in_order):
        raise ValueError("array sizes disagree with the vocabulary")
    if indptr[0] != 0 or indptr[-1] != len(doc_ids) or len(weights) != len(doc_ids):
        raise ValueError("array sizes disagree")
    if len(indptr) > 1 and np.any(np.diff(indptr) < 0):
        raise ValueError("row offsets go backwards")
    if scan and len(doc_ids) and (doc_ids.min() < 0 or doc_ids.max() >= n_docs):
        raise ValueError("a document id is out of range")
