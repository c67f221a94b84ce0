"""What keeps a large snapshot small and quick to open: float16 vectors in the HNSW graph,
memory-mapped BM25 arrays, and file stats that spare a plain open from hashing.

A snapshot over the exact-search limit is written with a lowered limit (3 000 chunks
instead of 50 000), so the test runs in seconds with the real FAISS and BM25 code.
"""

from __future__ import annotations

import json

import faiss
import numpy as np
import pytest

import qabot.indexing.snapshot as snapshot_module
from qabot.indexing.snapshot import IndexFolder, Snapshot, SnapshotContent
from qabot.records import Article, Chunk, Paragraph

WORDS = ["strike", "port", "union", "pay", "deal", "ferry", "crane", "harbour", "oil", "price", "minister", "vote", "budget", "court"]


def clustered_vectors(n: int, dim: int = 64, seed: int = 3) -> np.ndarray:
    """Unit vectors around 40 topics, the shape real chunk embeddings have (not uniform noise)."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(40, dim))
    vectors = centres[rng.integers(0, 40, n)] + rng.normal(0, 0.6, (n, dim))
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    n = 3000
    rng = np.random.default_rng(5)
    texts = [" ".join(rng.choice(WORDS, 6)) for _ in range(n)]
    articles = [Article(f"a{i}", f"Story {i}", t, (Paragraph(1, t, 0),), f"a{i}.txt", f"h{i}")
                for i, t in enumerate(texts)]
    chunks = [Chunk(i, f"a{i}", 1, 0, len(t), t) for i, t in enumerate(texts)]
    vectors = clustered_vectors(n)
    folder = IndexFolder(tmp_path_factory.mktemp("large") / "index")
    limit = snapshot_module.EXACT_SEARCH_LIMIT
    snapshot_module.EXACT_SEARCH_LIMIT = 1000
    try:
        folder.write(SnapshotContent(articles, chunks, vectors, [], [], []),
                     {"model_id": "m", "model_name": "m", "max_tokens": 128, "corpus_fingerprint": "c",
                      "files_fingerprint": "f"})
    finally:
        snapshot_module.EXACT_SEARCH_LIMIT = limit
    return folder, vectors, texts


def test_a_large_snapshot_keeps_float16_vectors_with_the_recall_of_exact_search(large):
    folder, vectors, _ = large
    snapshot = folder.open_current()
    try:
        assert snapshot.manifest.faiss_index == "hnsw32-fp16"
        assert isinstance(snapshot.vectors.index, faiss.IndexHNSWSQ)
        exact = faiss.IndexFlatIP(vectors.shape[1])
        exact.add(vectors)
        queries = clustered_vectors(100, seed=9)
        found = [snapshot.vectors.search(q, 10, ef_search=512) for q in queries]  # efSearch as the Retriever sets it
        approx, approx_scores = np.array([f[0] for f in found]), np.array([f[1] for f in found])
        exact_scores, truth = exact.search(queries, 10)
        recall = np.mean([len(set(a) & set(t)) / 10 for a, t in zip(approx, truth)])
        assert recall >= 0.95
        # Cosines from float16 storage stay within 1e-3 of the float32 ones.
        stored = snapshot.vectors.reconstruct(np.arange(50))
        assert np.abs(stored - vectors[:50]).max() < 1e-3
        assert np.abs(approx_scores[:, 0] - exact_scores[:, 0]).max() < 1e-3
    finally:
        snapshot.close()


def test_a_graph_with_tombstones_keeps_its_recall_and_never_returns_them(large):
    """A patched graph (qabot.indexing.vectors): 15% of its nodes removed chunks' (the share
    past which a build writes the graph whole), the rest renumbered; searches by chunk id
    find what exact search over the live vectors finds, filtered or not."""
    from qabot.indexing.vectors import TOMBSTONE_SHARE, Vectors

    folder, vectors, _ = large
    snapshot = folder.open_current()
    try:
        rng = np.random.default_rng(11)
        dead = rng.choice(len(vectors), int(TOMBSTONE_SHARE * len(vectors)), replace=False)
        chunk_ids = np.arange(len(vectors), dtype=np.int64)
        chunk_ids[dead] = -1
        live = np.flatnonzero(chunk_ids >= 0)
        chunk_ids[live] = rng.permutation(len(live))  # ids renumbered, as a patched build does
        positions = np.empty(len(live), dtype=np.int64)
        positions[chunk_ids[live]] = live
        mapped = Vectors(snapshot.vectors.index, chunk_ids, positions)
        by_id = vectors[positions]
        assert mapped.ntotal == len(live) and np.abs(mapped.all() - by_id).max() < 1e-3
        queries = clustered_vectors(100, seed=9)
        mask = rng.random(len(live)) < 0.5
        for allowed in (None, mask):
            exact = faiss.IndexFlatIP(vectors.shape[1])
            exact.add(by_id if allowed is None else by_id[allowed])
            truth = exact.search(queries, 10)[1]
            if allowed is not None:
                truth = np.flatnonzero(allowed)[truth]
            found = [mapped.search(q, 10, allowed, ef_search=512)[0] for q in queries]
            assert all(len(f) == 10 and (allowed is None or allowed[f].all()) for f in found)
            recall = np.mean([len(set(f.tolist()) & set(t.tolist())) / 10 for f, t in zip(found, truth)])
            assert recall >= 0.95, allowed is not None
        everything = mapped.search(queries[0], len(vectors), ef_search=len(vectors))[0]  # more than there are
        assert sorted(everything.tolist()) == list(range(len(live)))
    finally:
        snapshot.close()


def test_bm25_is_memory_mapped_with_float32_weights(large):
    folder, _, texts = large
    snapshot = folder.open_current()
    try:
        assert isinstance(snapshot.bm25.weights, np.memmap) and snapshot.bm25.weights.dtype == np.float32
        ids, _ = snapshot.bm25.top(["ferry", "crane"], 5)
        assert all({"ferry", "crane"} & set(texts[i].split()) for i in ids)
    finally:
        snapshot.close()


def test_the_manifest_records_size_and_mtime_of_every_checksummed_file(large):
    folder, _, _ = large
    directory = folder.current_path()
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["file_stats"]) == set(manifest["checksums"])
    for name, (size, mtime_ns) in manifest["file_stats"].items():
        assert (directory / name).stat().st_size == size
        assert (directory / name).stat().st_mtime_ns == mtime_ns


def test_a_file_whose_size_changed_is_named_without_hashing(large, tmp_path):
    import shutil

    from qabot.errors import SnapshotError

    folder, _, _ = large
    copy = tmp_path / "copy"
    shutil.copytree(folder.current_path(), copy)  # copytree keeps mtimes
    Snapshot.load(copy).close()
    with open(copy / "vectors.faiss", "ab") as handle:
        handle.write(b"\0" * 10)
    with pytest.raises(SnapshotError, match=r"vectors.faiss is damaged \(its size differs from the one recorded"):
        Snapshot.load(copy)


def test_closing_a_snapshot_closes_its_mapped_files_at_once(large):
    """A replaced snapshot's files are let go when it is closed, not when the GC runs."""
    import os

    folder, _, _ = large
    before = len(os.listdir("/proc/self/fd"))
    snapshot = folder.open_current()
    assert len(os.listdir("/proc/self/fd")) >= before + 4  # SQLite, the reader lock, mapped BM25 arrays
    snapshot.close()
    assert len(os.listdir("/proc/self/fd")) == before
