"""Hybrid retrieval: BM25 top-N and dense top-N, fused, near-duplicates dropped.

The whole interface is ``Retriever.search(question, k) -> list[Hit]``; a cluster backend
with native hybrid queries (OpenSearch, Elasticsearch) could stand behind the same call.
Every hit keeps both component ranks and scores, for `--json` and for debugging.

A question limited to some dates or sources passes a chunk mask (`qabot.search.filters`):
BM25 drops other chunks before its top-n, FAISS searches through an `IDSelectorBitmap`, so
the candidate lists hold only allowed chunks and a filtered question still gets k hits.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from qabot.config import RetrievalSettings
from qabot.indexing import Snapshot
from qabot.records import Hit
from qabot.search import fusion
from qabot.text import terms

# An HNSW graph searched through a selective filter loses recall (most neighbours are
# filtered out); at most this many allowed chunks are scored exactly instead (~2 ms).
EXACT_FILTERED_LIMIT = 20_000


@dataclass(frozen=True)
class Candidates:
    """Both component rankings for one question, before fusion (also used by `qabot eval`)."""

    bm25: dict[int, float]   # chunk id -> BM25 score, best first
    dense: dict[int, float]  # chunk id -> cosine, best first
    cosines: dict[int, float]  # exact cosine for every candidate of either list
    vectors: dict[int, np.ndarray]


class Retriever:
    """Searches one loaded snapshot with one embedder."""

    def __init__(self, snapshot: Snapshot, embedder, settings: RetrievalSettings):
        self.snapshot = snapshot
        self.embedder = embedder
        self.settings = settings
        # HNSW recall@10 against exact search on the 1M-chunk bench: 0.95 at efSearch 256,
        # 0.98 at 512 for 1.6 ms a question (bench/query_latency.py reports it).
        self.ef_search = max(512, settings.candidates)
        import faiss

        # One query at a time: FAISS's OpenMP threads cost more to wake than they save
        # (measured 13 ms vs 1.1 ms for 11k chunks) and fight the query encoder for cores.
        faiss.omp_set_num_threads(1)

    def close(self) -> None:
        """Release what the retriever holds beyond the snapshot (nothing here; a Milvus connection there)."""

    def candidates(self, question: str, n: int, timings: dict[str, float] | None = None,
                   mask: np.ndarray | None = None) -> Candidates:
        """BM25 top-n and dense top-n, with exact cosines for every candidate.

        With `mask` (one bool per chunk id) both lists hold only the chunks it allows.
        """
        timings = {} if timings is None else timings
        tick = time.perf_counter()
        ids, scores = self.snapshot.bm25.top(terms(question), n, mask)
        bm25 = {int(i): float(s) for i, s in zip(ids, scores)}
        timings["bm25"] = time.perf_counter() - tick

        tick = time.perf_counter()
        query = self.embedder.encode_query(question).astype(np.float32)
        dense = self._dense(query, n, mask)
        union = list({**bm25, **dense})
        vectors = self._vectors(union)
        # The cosine of BM25-only candidates is computed exactly, so fusion never sees a gap.
        cosines = {c: float(vectors[c] @ query) for c in union}
        dense = dict(sorted(((c, cosines[c]) for c in dense), key=lambda item: -item[1]))
        timings["dense"] = time.perf_counter() - tick
        return Candidates(bm25=bm25, dense=dense, cosines=cosines, vectors=vectors)

    def search(self, question: str, k: int | None = None, timings: dict[str, float] | None = None,
               mask: np.ndarray | None = None) -> list[Hit]:
        """The k best chunks for the question, fused and de-duplicated, best first.

        With `mask`, only among the chunks it allows (see the module docstring).
        """
        timings = {} if timings is None else timings
        k = k or self.settings.top_k
        found = self.candidates(question, self.settings.candidates, timings, mask)
        tick = time.perf_counter()
        fused = fusion.fuse(self.settings, found.bm25, found.dense)
        order = fusion.rank_fused(fused, found.cosines)
        chosen = self._without_near_duplicates(order, found.vectors, k)
        timings["fusion"] = time.perf_counter() - tick
        return self._hits(chosen, fused, found)

    def _dense(self, query: np.ndarray, n: int, mask: np.ndarray | None) -> dict[int, float]:
        """Dense top-n chunk ids and cosines, among the masked-in chunks if a mask is given."""
        vectors = self.snapshot.vectors
        if mask is not None:
            allowed = np.flatnonzero(mask)
            if len(allowed) == 0 or n == 0:
                return {}
            if vectors.is_graph and len(allowed) <= EXACT_FILTERED_LIMIT:
                cosines = vectors.reconstruct(allowed) @ query
                best = np.argsort(-cosines, kind="stable")[:n]
                return {int(allowed[i]): float(cosines[i]) for i in best}
        ids, scores = vectors.search(query, n, mask, ef_search=self.ef_search)
        return dict(zip(ids.tolist(), scores.tolist()))

    def _vectors(self, ids: list[int]) -> dict[int, np.ndarray]:
        if not ids:
            return {}
        stacked = self.snapshot.vectors.reconstruct(ids)
        return dict(zip(ids, stacked))

    def _without_near_duplicates(self, order: list[int], vectors: dict[int, np.ndarray], k: int) -> list[int]:
        """Skip a chunk nearly identical to one already chosen (syndicated copies, repeats)."""
        chosen: list[int] = []
        for chunk_id in order:
            vector = vectors[chunk_id]
            if all(float(vector @ vectors[other]) < self.settings.duplicate_similarity for other in chosen):
                chosen.append(chunk_id)
                if len(chosen) == k:
                    break
        return chosen

    def _hits(self, chosen: list[int], fused: dict[int, float], found: Candidates) -> list[Hit]:
        chunks = self.snapshot.chunks(chosen)
        articles = self.snapshot.articles([chunks[c].article_id for c in chosen])
        bm25_ranks = {c: r for r, c in enumerate(found.bm25, 1)}
        dense_ranks = {c: r for r, c in enumerate(found.dense, 1)}
        return [
            Hit(
                chunk=chunks[c],
                article=articles[chunks[c].article_id],
                score=fused[c],
                dense_rank=dense_ranks.get(c),
                dense_score=found.cosines.get(c),
                bm25_rank=bm25_ranks.get(c),
                bm25_score=found.bm25.get(c),
            )
            for c in chosen
        ]
