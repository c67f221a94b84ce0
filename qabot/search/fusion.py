"""Ways to merge a BM25 ranking and a dense ranking into one; pure functions.

Each takes the two candidate lists as ``{chunk_id: score}`` (best first when iterated) and
returns ``{chunk_id: fused score}``; higher is better.

- ``rrf``: reciprocal rank fusion, ``sum 1 / (k + rank)`` (Cormack et al. 2009; Haystack's
  and LlamaIndex's default). Ignores how far ahead the winner is.
- ``weighted`` (default): convex combination of min-max normalised scores (txtai, Onyx):
  ``(1 - w) * bm25_norm + w * dense_norm``. Min-max normalisation throws away how sure
  each side is, so ``w`` is set per question by `lead_weight`: `dense_weight` (0.4) when
  dense search's first passage is barely ahead of its second, rising to 1 as that lead
  reaches `dense_lead` (0.2 cosine). News questions hinge on names, which BM25 matches
  exactly and a small embedding model blurs (its top cosines sit within 0.03 of each
  other); a paraphrased question that shares no rare word with its answer is the case
  where dense search stands out (leads of 0.08-0.13 on the measured set).

Chosen by measurement on 76 news questions over the BBC corpus (two sets written at
different times): see docs/retrieval-quality.md, bench/retrieval_quality.py and
tests/test_retrieval_quality.py.
"""

from __future__ import annotations

from typing import Mapping

from qabot.config import RetrievalSettings

Scores = Mapping[int, float]


def fuse(settings: RetrievalSettings, bm25: Scores, dense: Scores) -> dict[int, float]:
    """The configured fusion of one question's two candidate lists."""
    if settings.fusion == "rrf":
        return rrf(bm25, dense, k=settings.rrf_k, dense_weight=settings.dense_weight)
    return weighted(bm25, dense, dense_weight=lead_weight(dense, settings.dense_weight, settings.dense_lead))


def rank_fused(fused: Scores, cosines: Scores) -> list[int]:
    """Chunk ids by fused score, best first. Ties go to the passage closer in meaning,
    then the earlier chunk, so the order never depends on dict iteration."""
    return sorted(fused, key=lambda c: (-fused[c], -cosines.get(c, -1.0), c))


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


def lead_weight(dense: Scores, dense_weight: float, dense_lead: float) -> float:
    """The dense weight for one question: `dense_weight`, raised towards 1 in proportion
    to how far dense search's first score leads its second (reaching 1 at `dense_lead`).

    `dense` is best first; `dense_lead` 0 turns the adjustment off.
    """
    if dense_lead <= 0 or len(dense) < 2:
        return dense_weight
    first, second = list(dense.values())[:2]
    return dense_weight + (1.0 - dense_weight) * min(1.0, max(0.0, first - second) / dense_lead)


def _min_max(scores: Scores) -> dict[int, float]:
    if not scores:
        return {}
    low, high = min(scores.values()), max(scores.values())
    if high == low:
        return {c: 1.0 for c in scores}
    return {c: (s - low) / (high - low) for c, s in scores.items()}
