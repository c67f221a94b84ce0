"""BM25 query latency: `BM25Index.top` against rank-bm25's `BM25Okapi.get_scores`.

Two sizes: the BBC corpus split into paragraphs (~10.6k documents) and 100 000 documents
(the BBC paragraphs replicated). Queries are 1-4 words drawn from the corpus itself.
Also prints fit times. Numbers only, no assertions.

    .venv/bin/python bench/bm25_speed.py
"""

from __future__ import annotations

import random
import time

import numpy as np
from rank_bm25 import BM25Okapi

from common import machine, percentile, require_bbc
from qabot.indexing.bm25 import BM25Index
from qabot.text.words import terms

SIZES = ("bbc", 100_000)


def bbc_paragraph_terms() -> list[list[str]]:
    """Terms of every paragraph of the BBC articles, as qabot's ingest reads them."""
    from qabot.sources.ingest import read_article_file

    docs = []
    for path in sorted(require_bbc().glob("*/*.txt")):
        for article in read_article_file(path, path.parent):
            docs += [terms(p.text) for p in article.paragraphs]
    return docs


def queries(docs: list[list[str]], count: int, seed: int = 3) -> list[list[str]]:
    rng = random.Random(seed)
    pool = [d for d in docs if len(d) >= 4]
    return [rng.sample(rng.choice(pool), rng.randint(1, 4)) for _ in range(count)]


def latencies(fn, batch: list[list[str]]) -> list[float]:
    out = []
    for query in batch:
        start = time.perf_counter()
        fn(query)
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    print(machine())
    base = bbc_paragraph_terms()
    for size in SIZES:
        docs = base if size == "bbc" else (base * (size // len(base) + 1))[:size]
        start = time.perf_counter()
        index = BM25Index.fit(docs)
        fit_index = time.perf_counter() - start
        start = time.perf_counter()
        okapi = BM25Okapi(docs)
        fit_okapi = time.perf_counter() - start
        batch = queries(docs, 200)
        for query in batch[:10]:  # warm-up
            index.top(query, 100)
        fast = latencies(lambda q: index.top(q, 100), batch)
        slow_batch = batch[:50]   # get_scores is slow; 50 queries are enough for its spread
        slow = latencies(okapi.get_scores, slow_batch)
        for query in slow_batch[:5]:
            assert np.allclose(index.scores(query), okapi.get_scores(query), atol=1e-6)
        print(f"{len(docs):>7} docs, {index.n_terms} terms, {index.n_postings} postings | "
              f"fit: BM25Index {fit_index:.2f} s, BM25Okapi {fit_okapi:.2f} s")
        print(f"  BM25Index.top(n=100)   p50 {percentile(fast, 50) * 1000:7.2f} ms  p95 {percentile(fast, 95) * 1000:7.2f} ms  ({len(fast)} queries)")
        print(f"  BM25Okapi.get_scores   p50 {percentile(slow, 50) * 1000:7.2f} ms  p95 {percentile(slow, 95) * 1000:7.2f} ms  ({len(slow)} queries)")


if __name__ == "__main__":
    main()
