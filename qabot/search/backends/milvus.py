"""Retrieval from Milvus: its BM25 and its dense search, fused here exactly as for the local snapshot.

Both candidate lists are fetched from Milvus (two `search` calls), then the stored vectors
of every candidate (one `get`), and `qabot.search.fusion` merges them: so the per-question
dense share (`lead_weight`) and the near-duplicate rule are the same code as the local
backend's. Milvus's BM25 reads qabot's own terms (`bm25_text`), so only its IDF differs.

Which collection answers is looked up once per question (`<collection>_current`, see
`qabot.indexing.milvus_store`): a rebuild switches readers between two questions, never
inside one. Milvus rows are keyed by `chunk_key` (stable across builds); each candidate's
key is mapped back to the loaded snapshot's chunk id by recomputing the keys of its
article's chunks from the snapshot (one SQLite query a question), so hits, citations and
`qabot eval` see the same chunk ids as with the local backend. A candidate the loaded
snapshot does not hold (a build has switched Milvus but this reader not yet its snapshot,
or the other way round) is left out rather than cited against another version of its article.

A date or source filter arrives as the snapshot's chunk mask (`qabot.search.filters`); it
becomes a Milvus boolean expression on the article ids, `article_id in [...]` (or
`not in` the rest, whichever list is shorter), applied inside both searches, so a filtered
question still gets its k passages when the period holds them.
"""

from __future__ import annotations

import json
import time

import numpy as np

from qabot.config import Settings
from qabot.indexing import bm25_text, check_pointer, chunk_key, connect_milvus, explain_milvus_error, read_pointer
from qabot.search.filters import CatalogCache
from qabot.search.retrieval import Candidates, Retriever

NOTHING = "<nothing>"  # a mask that allows no chunk


class MilvusRetriever(Retriever):
    """`Retriever` whose candidates come from a Milvus collection instead of FAISS + BM25 files."""

    def __init__(self, snapshot, embedder, settings: Settings):
        self.snapshot = snapshot
        self.embedder = embedder
        self.settings = settings.retrieval
        self.full_settings = settings
        self.catalog = CatalogCache(snapshot)  # chunk -> article, read on the first filtered question
        self.client = connect_milvus(settings)
        self._last_collection = ""
        try:
            self.current_collection()  # fail at open, with the fix, if there is nothing to read
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Close this retriever's Milvus connection (the library does when its snapshot is replaced)."""
        self.client.close()

    def current_collection(self) -> str:
        """The collection that answers now; checked against this qabot and model when it changes."""
        from pymilvus import MilvusException

        try:
            pointer = read_pointer(self.client, self.full_settings.backend.collection)
        except MilvusException as err:
            raise explain_milvus_error(err, self.full_settings) from None
        if pointer is None and self._last_collection:
            # The row is being rewritten by a build; the collection read last is still whole
            # (a build writes the other side and never drops the one it replaces).
            return self._last_collection
        self._last_collection = check_pointer(pointer, self.full_settings, self.embedder.model_id).collection
        return self._last_collection

    def candidates(self, question: str, n: int, timings: dict[str, float] | None = None,
                   mask: np.ndarray | None = None) -> Candidates:
        """Milvus BM25 top-n and dense top-n, with exact cosines from the stored vectors, keyed
        by the loaded snapshot's chunk ids; with `mask`, only among the chunks it allows."""
        from pymilvus import MilvusException

        timings = {} if timings is None else timings
        allowed = self._filter(mask)
        if allowed == NOTHING:
            return Candidates(bm25={}, dense={}, cosines={}, vectors={})
        collection = self.current_collection()
        try:
            tick = time.perf_counter()
            words = bm25_text(question)
            found = self.client.search(collection, data=[words], anns_field="sparse", limit=n, filter=allowed,
                                       search_params={}, output_fields=["key"]) if words else [[]]
            bm25_keys = {int(h["key"]): float(h["distance"]) for h in found[0]}
            timings["bm25"] = time.perf_counter() - tick

            tick = time.perf_counter()
            query = self.embedder.encode_query(question).astype(np.float32)
            found = self.client.search(collection, data=[query.tolist()], anns_field="dense", limit=n,
                                       filter=allowed, search_params={}, output_fields=["key"])
            dense_keys = [int(h["key"]) for h in found[0]]
            union = list(dict.fromkeys([*bm25_keys, *dense_keys]))
            rows = self.client.get(collection, ids=union, output_fields=["key", "article_id", "dense"]) if union else []
        except MilvusException as err:
            raise explain_milvus_error(err, self.full_settings) from None
        ids = self._snapshot_ids(rows)  # key -> the loaded snapshot's chunk id
        vectors = {ids[int(r["key"])]: np.asarray(r["dense"], dtype=np.float32) for r in rows if int(r["key"]) in ids}
        bm25 = {ids[k]: score for k, score in bm25_keys.items() if k in ids}
        cosines = {c: float(v @ query) for c, v in vectors.items()}
        dense = dict(sorted(((ids[k], cosines[ids[k]]) for k in dense_keys if k in ids), key=lambda item: -item[1]))
        timings["dense"] = time.perf_counter() - tick
        return Candidates(bm25=bm25, dense=dense, cosines=cosines, vectors=vectors)

    def _snapshot_ids(self, rows: list[dict]) -> dict[int, int]:
        """Milvus key -> chunk id in the loaded snapshot, for the rows' articles' chunks."""
        articles = sorted({r["article_id"] for r in rows})
        if not articles:
            return {}
        marks = ",".join("?" * len(articles))
        found = self.snapshot.query(
            "SELECT c.id, c.article_id, a.content_hash, c.paragraph, c.start, c.end FROM chunks c "
            f"JOIN articles a ON a.id = c.article_id WHERE c.article_id IN ({marks})", articles)
        return {chunk_key(aid, digest, paragraph, start, end): chunk_id
                for chunk_id, aid, digest, paragraph, start, end in found}

    def _filter(self, mask: np.ndarray | None) -> str:
        """The Milvus expression for a chunk mask: "" for no limit, NOTHING if it allows nothing."""
        if mask is None:
            return ""
        catalog = self.catalog.get()
        chosen = np.zeros(len(catalog.article_ids), dtype=bool)
        chunk_articles = catalog.chunk_article[mask]
        chosen[chunk_articles[chunk_articles >= 0]] = True
        inside = int(chosen.sum())
        if inside == 0:
            return NOTHING
        if inside == len(chosen):
            return ""
        # Milvus string literals take JSON's escapes; the shorter list keeps the expression small.
        if inside <= len(chosen) - inside:
            return "article_id in " + json.dumps([catalog.article_ids[i] for i in np.flatnonzero(chosen)],
                                                 ensure_ascii=False)
        return "article_id not in " + json.dumps([catalog.article_ids[i] for i in np.flatnonzero(~chosen)],
                                                 ensure_ascii=False)
