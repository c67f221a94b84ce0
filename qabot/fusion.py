"""Ways to merge a BM25 ranking and a dense ranking into one; pure functions.

Each takes the two candidate lists as ``{chunk_id: score}`` (best first when iterated) and
returns ``{chunk_id: fused score}``; higher is better.

- ``rrf``: reciprocal rank fusion, ``sum 1 / (k + rank)`` (Cormack et al. 2009; Haystack's
  and LlamaIndex's default). Ignores how far ahead the winner is.
- ``weighted``: convex combination of min-max normalised scores (txtai, Onyx):
  ``(1 - w) * bm25_norm + w * dense_norm``. Min-max stretches even a hopeless dense list
  to [0, 1], so a noisy dense winner can bury an exact name match.
- ``bm25_guided`` (default): BM25 divided by the best BM25 score, plus ``w`` times the raw
  cosine similarity. Names and rare words — what news questions hinge on — keep their
  lead when BM25 is confident, and where BM25 finds nothing (a paraphrased question) the
  cosine alone ranks. Chosen by measurement: see tests/test_retrieval_quality.py and the
  README's "Retrieval quality" table.
"""

from __future__ import annotations

from typing import Mapping

Scores = Mapping[int, float]


def rrf(bm25: Scores, dense: Scores, *, k: int = 60, dense_weight: float = 0.5) -> dict[int, float]:
    """Reciprocal rank fusion; `dense_weight` 0.5 weighs both lists equally (plain RRF)."""
    fused: dict[int, float] = {}
    for weight, ranking in ((1.0 - dense_weight, bm25), (dense_weight, dense)):
        for rank, chunk_id in enumerate(ranking, 1):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + 2.0 * weight / (k + rank)
    return fused


def weighted(bm25: Scores, dense: Scores, *, dense_weight: float = 0.5) -> dict[int, float]:
    """Convex combination of min-max normalised scores; a missing score counts as 0."""
    b, d = _min_max(bm25), _min_max(dense)
    return {c: (1.0 - dense_weight) * b.get(c, 0.0) + dense_weight * d.get(c, 0.0) for c in {*b, *d}}


def bm25_guided(bm25: Scores, dense: Scores, *, dense_weight: float = 0.35) -> dict[int, float]:
    """BM25 relative to its best score, plus `dense_weight` times the raw cosine."""
    top = max(bm25.values(), default=0.0)
    fused = {c: (s / top if top > 0 else 0.0) for c, s in bm25.items()}
    for c, cosine in dense.items():
        fused[c] = fused.get(c, 0.0) + dense_weight * cosine
    return fused


def _min_max(scores: Scores) -> dict[int, float]:
    if not scores:
        return {}
    low, high = min(scores.values()), max(scores.values())
    if high == low:
        return {c: 1.0 for c in scores}
    return {c: (s - low) / (high - low) for c, s in scores.items()}
