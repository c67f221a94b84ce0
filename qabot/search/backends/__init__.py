"""Search backends behind the one seam, `search(question, k) -> list[Hit]`.

`open_retriever` picks by `[backend] kind`: the local snapshot's `Retriever` (the default,
no extra imports) or `MilvusRetriever` (pymilvus, imported only then).
"""

from __future__ import annotations

from qabot.config import Settings
from qabot.search.retrieval import Retriever


def open_retriever(snapshot, embedder, settings: Settings):
    """The retriever `[backend] kind` asks for, over `snapshot` (which also names the articles)."""
    if settings.backend.kind == "milvus":
        from qabot.search.backends.milvus import MilvusRetriever

        return MilvusRetriever(snapshot, embedder, settings)
    return Retriever(snapshot, embedder, settings.retrieval)
