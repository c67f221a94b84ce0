"""Ranking and answer metrics, as BEIR / trec_eval and the SQuAD v1.1 script define them.

    >>> ndcg_at_k(["d2", "d1"], {"d1": 1}, 10)   # the only relevant document at rank 2
    0.6309297535714575
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Mapping, Sequence


def ndcg_at_k(ranked: Sequence[str], relevant: Mapping[str, int], k: int) -> float:
    """nDCG@k with gain = relevance grade and a log2(rank + 1) discount (pytrec_eval's ndcg_cut)."""
    dcg = sum(relevant.get(doc, 0) / math.log2(rank + 1) for rank, doc in enumerate(ranked[:k], 1))
    ideal = sorted((g for g in relevant.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(rank + 1) for rank, g in enumerate(ideal, 1))
    return dcg / idcg if idcg > 0 else 0.0


def recall_at_k(ranked: Sequence[str], relevant: Mapping[str, int], k: int) -> float:
    wanted = {d for d, g in relevant.items() if g > 0}
    return len(wanted & set(ranked[:k])) / len(wanted) if wanted else 0.0


def mrr_at_k(ranked: Sequence[str], relevant: Mapping[str, int], k: int) -> float:
    for rank, doc in enumerate(ranked[:k], 1):
        if relevant.get(doc, 0) > 0:
            return 1.0 / rank
    return 0.0


def squad_normalize(text: str) -> str:
    """Lower case, no punctuation, no articles, single spaces (the SQuAD v1.1 script)."""
    text = text.lower()
    text = "".join(ch for ch in text if ch not in set(string.punctuation))
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def answer_contains(answer_text: str, gold_answers: Sequence[str]) -> bool:
    """True if any gold answer, normalised, occurs in the normalised answer text."""
    haystack = f" {squad_normalize(answer_text)} "
    return any(f" {squad_normalize(g)} " in haystack for g in gold_answers if squad_normalize(g))


def ranking_metrics(ranked: Sequence[str], relevant: Mapping[str, int]) -> dict[str, float]:
    """The figures `qabot eval` reports for one query."""
    return {
        "ndcg@10": ndcg_at_k(ranked, relevant, 10),
        "recall@1": recall_at_k(ranked, relevant, 1),
        "recall@5": recall_at_k(ranked, relevant, 5),
        "recall@20": recall_at_k(ranked, relevant, 20),
        "mrr@10": mrr_at_k(ranked, relevant, 10),
    }


def mean_metrics(per_query: Sequence[Mapping[str, float]]) -> dict[str, float]:
    keys = list(per_query[0]) if per_query else []
    return {k: sum(q[k] for q in per_query) / len(per_query) for k in keys}
