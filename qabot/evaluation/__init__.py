"""Measuring retrieval and answers: BM25 alone, dense alone and the hybrid, side by side.

Exports `load_beir` / `load_squad` (public evaluation sets, with clear errors for malformed
files), `evaluate` (builds a throw-away index and scores every method) and `ranked_chunks`
(one method's ranking, shared with the retrieval-quality bench).
"""

from qabot.evaluation.datasets import EvalSet, load_beir, load_squad
from qabot.evaluation.methods import describe_fusion, ranked_chunks
from qabot.evaluation.runner import evaluate

__all__ = ["EvalSet", "describe_fusion", "evaluate", "load_beir", "load_squad", "ranked_chunks"]
