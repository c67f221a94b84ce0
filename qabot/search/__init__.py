"""Finding passages: BM25 and dense search fused into one ranking.

Exports `Retriever` (`search(question, k) -> list[Hit]`, the seam a scale-out backend
stands behind) and `fuse` / `rank_fused` (the one fusion path, also used by evaluation).
Knows nothing of how an answer is worded.
"""

from qabot.search.fusion import fuse, rank_fused
from qabot.search.retrieval import Retriever

__all__ = ["Retriever", "fuse", "rank_fused"]
