"""Retrieval from Milvus: its BM25 and its dense search, fused here exactly as for the local snapshot.

Both candidate lists are fetched from Milvus (two `search` calls), then the stored vectors
of every candidate (one `get`), and `qabot.search.fusion` merges them: so the per-question
dense share (`lead_weight`) and the near-duplicate rule are the same code as the local
backend's. Milvus's BM25 reads qabot's own terms (`bm25_text`), so only its IDF differs.

Which collection answers is looked up once per question (`<collection>_current`, see
`qabot.indexing.milvus_store`): a rebuild switches readers between two questions, never
inside one. Article titles and URLs come from the snapshot beside it, by article id.
"""

from __future__ import annotations

import threading
import time

import numpy as np

from qabot.config import Settings
from qabot.indexing import MILVUS_CHUNK_FIELDS, bm25_text, check_pointer, connect_milvus, explain_milvus_error, read_pointer
from qabot.records import Chunk, Hit
from qabot.search.retrieval import Candidates, Retriever


class MilvusRetriever(Retriever):
    """`Retriever` whose candidates come from a Milvus collection instead of FAISS + BM25 files."""

    def __init__(self, snapshot, embedder, settings: Settings):
        self.snapshot = snapshot
        self.embedder = embedder
        self.settings = settings.retrieval
        self.full_settings = settings
        self.client = connect_milvus(settings)
        self._local = threading.local()
        self.current_collection()  # fail at open, with the fix, if there is nothing to read

    def current_collection(self) -> str:
        """The collection that answers now; checked against this qabot and model when it changes."""
        from pymilvus import MilvusException

        try:
            pointer = read_pointer(self.client, self.full_settings.backend.collection)
        except MilvusException as err:
            raise explain_milvus_error(err, self.full_settings) from None
        return check_pointer(pointer, self.full_settings, self.embedder.model_id).collection

    def candidates(self, question: str, n: int, timings: dict[str, float] | None = None,
                   mask: np.ndarray | None = None) -> Candidates:
        """Milvus BM25 top-n and dense top-n, with exact cosines from the stored vectors.

        A date or source filter's chunk mask becomes a Milvus boolean expression on the
        chunk ids (the collection's ids are the snapshot's), so it applies inside both
        searches, as for the local backend."""
        from pymilvus import MilvusException

        allowed = "" if mask is None else f"id in {np.flatnonzero(mask).tolist()}"

        timings = {} if timings is None else timings
        collection = self.current_collection()
        self._local.collection = collection  # `_hits` reads the same collection for this question
        try:
            tick = time.perf_counter()
            words = bm25_text(question)
            found = self.client.search(collection, data=[words], anns_field="sparse", limit=n, filter=allowed,
                                       search_params={}, output_fields=["id"]) if words else [[]]
            bm25 = {int(h["id"]): float(h["distance"]) for h in found[0]}
            timings["bm25"] = time.perf_counter() - tick

            tick = time.perf_counter()
            query = self.embedder.encode_query(question).astype(np.float32)
            found = self.client.search(collection, data=[query.tolist()], anns_field="dense", limit=n,
                                       filter=allowed, search_params={}, output_fields=["id"])
            union = list(dict.fromkeys([*bm25, *(int(h["id"]) for h in found[0])]))
            vectors = self._stored_vectors(collection, union)
        except MilvusException as err:
            raise explain_milvus_error(err, self.full_settings) from None
        cosines = {c: float(vectors[c] @ query) for c in union}
        dense = dict(sorted(((int(h["id"]), cosines[int(h["id"])]) for h in found[0]), key=lambda item: -item[1]))
        timings["dense"] = time.perf_counter() - tick
        return Candidates(bm25=bm25, dense=dense, cosines=cosines, vectors=vectors)

    def _stored_vectors(self, collection: str, ids: list[int]) -> dict[int, np.ndarray]:
        if not ids:
            return {}
        rows = self.client.get(collection, ids=ids, output_fields=["id", "dense"])
        return {int(r["id"]): np.asarray(r["dense"], dtype=np.float32) for r in rows}

    def _hits(self, chosen: list[int], fused: dict[int, float], found: Candidates) -> list[Hit]:
        if not chosen:
            return []
        rows = self.client.get(self._local.collection, ids=chosen, output_fields=MILVUS_CHUNK_FIELDS)
        chunks = {int(r["id"]): Chunk(int(r["id"]), r["article_id"], int(r["paragraph"]), int(r["start"]),
                                      int(r["end"]), r["text"]) for r in rows}
        articles = self.snapshot.articles([chunks[c].article_id for c in chosen if c in chunks])
        bm25_ranks = {c: r for r, c in enumerate(found.bm25, 1)}
        dense_ranks = {c: r for r, c in enumerate(found.dense, 1)}
        # A chunk whose article the snapshot no longer knows (a build between the two) is left out.
        return [
            Hit(chunk=chunks[c], article=articles[chunks[c].article_id], score=fused[c],
                dense_rank=dense_ranks.get(c), dense_score=found.cosines.get(c),
                bm25_rank=bm25_ranks.get(c), bm25_score=found.bm25.get(c))
            for c in chosen if c in chunks and chunks[c].article_id in articles
        ]
