"""Ranking and answer metrics, as BEIR (pytrec_eval / trec_eval) and the SQuAD v1.1 script define them.

Ranking metrics take the ranked document ids, best first, and the query's judgements
(`{doc_id: grade}`; a grade above 0 is relevant, as pytrec_eval's default relevance level
1). Recall and MRR also accept a plain set of relevant ids. Like BEIR's run dicts, a
ranking lists each document once: map chunks to their documents and drop repeats first.

    >>> ndcg_at_k(["d2", "d1"], {"d1": 1}, 10)   # the only relevant document at rank 2
    0.6309297535714575
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Collection, Mapping, Sequence

_PUNCTUATION = frozenset(string.punctuation)  # ASCII only, as in the SQuAD v1.1 script
_ARTICLES = re.compile(r"\b(a|an|the)\b")


def _relevant_ids(relevant: Mapping[str, int] | Collection[str]) -> set[str]:
    if isinstance(relevant, Mapping):
        return {doc for doc, grade in relevant.items() if grade > 0}
    return set(relevant)


def ndcg_at_k(ranked: Sequence[str], relevant: Mapping[str, int], k: int) -> float:
    """nDCG@k: gain = grade, discount log2(rank + 1), ideal from all judged grades (ndcg_cut_k)."""
    dcg = sum(relevant.get(doc, 0) / math.log2(rank + 1) for rank, doc in enumerate(ranked[:k], 1))
    ideal = sorted((g for g in relevant.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(rank + 1) for rank, g in enumerate(ideal, 1))
    return dcg / idcg if idcg > 0 else 0.0


def recall_at_k(ranked: Sequence[str], relevant: Mapping[str, int] | Collection[str], k: int) -> float:
    """Share of the relevant documents found in the top k (0 when none is relevant)."""
    wanted = _relevant_ids(relevant)
    return len(wanted.intersection(ranked[:k])) / len(wanted) if wanted else 0.0


def mrr_at_k(ranked: Sequence[str], relevant: Mapping[str, int] | Collection[str], k: int) -> float:
    """1 / rank of the first relevant document within the top k, else 0."""
    wanted = _relevant_ids(relevant)
    for rank, doc in enumerate(ranked[:k], 1):
        if doc in wanted:
            return 1.0 / rank
    return 0.0


def squad_normalize(text: str) -> str:
    """Lower case, no ASCII punctuation, no articles, single spaces (SQuAD v1.1's normalize_answer).

    >>> squad_normalize("The Forty  Metres!")
    'forty metres'
    """
    text = "".join(ch for ch in text.lower() if ch not in _PUNCTUATION)
    return " ".join(_ARTICLES.sub(" ", text).split())


def answer_contains(answer_text: str, gold_answers: Sequence[str]) -> bool:
    """True if any gold answer, normalised, occurs as whole words in the normalised answer.

    Our answers are extracted passages, not spans, so SQuAD's exact match is replaced by
    containment: "retreated forty metres" contains the gold "forty metres".
    """
    haystack = f" {squad_normalize(answer_text)} "
    return any(f" {gold} " in haystack for gold in map(squad_normalize, gold_answers) if gold)


def ranking_metrics(ranked: Sequence[str], relevant: Mapping[str, int]) -> dict[str, float]:
    """The figures `qabot eval` reports for one query."""
    return {
        "ndcg@10": ndcg_at_k(ranked, relevant, 10),
        "recall@1": recall_at_k(ranked, relevant, 1),
        "recall@5": recall_at_k(ranked, relevant, 5),
        "recall@20": recall_at_k(ranked, relevant, 20),
        "mrr@10": mrr_at_k(ranked, relevant, 10),
    }


def summarize(per_query: Sequence[Mapping[str, float]]) -> dict[str, float]:
    """The mean of each metric over the queries (every query reports the same metrics)."""
    if not per_query:
        return {}
    return {key: math.fsum(q[key] for q in per_query) / len(per_query) for key in per_query[0]}


# The runner's earlier name for `summarize`.
mean_metrics = summarize
