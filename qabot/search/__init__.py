"""Finding passages: BM25 and dense search fused into one ranking.

Exports `Retriever` (`search(question, k) -> list[Hit]`, the seam a scale-out backend
stands behind) and `fuse` / `rank_fused` (the one fusion path, also used by evaluation), the date and source filters
(`Scope` -> `Catalog.select` -> a chunk mask that `search` takes; `CatalogCache` reads the
catalog once per snapshot), and `open_retriever`, which picks the backend by `[backend]
kind` (the local snapshot, or Milvus from `qabot.search.backends.milvus`, imported only
then). Knows nothing of how an answer is worded.
"""

from qabot.search.backends import open_retriever
from qabot.search.filters import Catalog, CatalogCache, Scope, Selection
from qabot.search.fusion import fuse, rank_fused
from qabot.search.retrieval import Retriever

__all__ = ["Catalog", "CatalogCache", "Retriever", "Scope", "Selection", "fuse", "open_retriever", "rank_fused"]
