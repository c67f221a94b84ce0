"""A snapshot's vectors, read by chunk id whatever FAISS holds: the one accessor every reader uses.

A full build stores chunk i's vector at FAISS position i. A patched build over an HNSW
graph does not build the graph again (53 s for 200 000 vectors, README "Many tiny files"):
it adds the new chunks' vectors at the end of a copy of the current graph and leaves the
removed chunks' nodes in place as tombstones, still walked through (so the graph keeps its
links) but never returned. Chunk ids are then renumbered as a full build numbers them, so
positions and ids part: `chunk_ids.npy` (position -> chunk id, -1 for a tombstone) and
`positions.npy` (chunk id -> position) say where each chunk is. Readers never see positions:
`reconstruct`, `all` and `search` take and give chunk ids, and a search (filtered or not)
excludes tombstones through a FAISS selector. Past `TOMBSTONE_SHARE` of the graph's nodes
the next patched build writes the graph whole (no map, positions = ids again).

A snapshot with a map has format version 4 (`MAPPED_FORMAT`): an older qabot, which would
read positions as ids, refuses it with its "run `qabot index rebuild`" message.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from qabot.errors import SnapshotError

CHUNK_IDS = "chunk_ids.npy"  # position -> chunk id, -1 for a removed chunk's node (a tombstone)
POSITIONS = "positions.npy"  # chunk id -> position in the FAISS index
MAPPED_FORMAT = 4
# Past this share of tombstones a patched build writes the graph whole. Tombstones cost
# memory, disk and search steps (walked, never returned); recall@10 measured against exact
# search stays put up to well past this share (README "Many tiny files").
TOMBSTONE_SHARE = 0.15


class Vectors:
    """The FAISS index of one snapshot, addressed by chunk id (see the module docstring)."""

    def __init__(self, index, chunk_ids: np.ndarray | None = None, positions: np.ndarray | None = None):
        self.index = index
        self._chunk_ids = chunk_ids
        self._positions = positions
        self._alive = None  # (packed bitmap, selector) of the live positions, made on first search

    @classmethod
    def load(cls, directory: Path, index, name: str, hint: str) -> Vectors:
        """`index` (already read) with the position map of `directory`, if it has one (memory-mapped)."""
        if not (directory / CHUNK_IDS).exists():
            return cls(index)
        try:
            chunk_ids = np.load(directory / CHUNK_IDS, mmap_mode="r", allow_pickle=False)
            positions = np.load(directory / POSITIONS, mmap_mode="r", allow_pickle=False)
        except (OSError, ValueError) as err:
            raise SnapshotError(f"index snapshot {name}: the vectors' position map is damaged ({err}); {hint}") from None
        if (chunk_ids.ndim != 1 or positions.ndim != 1 or chunk_ids.dtype != np.int64 or positions.dtype != np.int64
                or len(chunk_ids) != index.ntotal or len(positions) > len(chunk_ids)):
            raise SnapshotError(f"index snapshot {name}: the vectors' position map does not fit vectors.faiss "
                                f"({len(chunk_ids)} positions for {index.ntotal} vectors); {hint}")
        return cls(index, chunk_ids, positions)

    def close(self) -> None:
        """Let go of the memory-mapped position map now (an open file until it is freed), as
        `BM25Index.close` does; nothing is found afterwards."""
        if self._chunk_ids is not None:
            self._chunk_ids = np.zeros(0, dtype=np.int64)
            self._positions = np.zeros(0, dtype=np.int64)
            self._alive = None

    @property
    def d(self) -> int:
        return self.index.d

    @property
    def ntotal(self) -> int:
        """How many chunks have a vector (tombstones not counted)."""
        return self.index.ntotal if self._positions is None else len(self._positions)

    @property
    def stored(self) -> int:
        """Vectors in the FAISS index, tombstones included."""
        return self.index.ntotal

    @property
    def is_graph(self) -> bool:
        return hasattr(self.index, "hnsw")

    @property
    def mapped(self) -> bool:
        return self._chunk_ids is not None

    def chunk_ids(self) -> np.ndarray:
        """position -> chunk id (-1 for a tombstone), for every stored vector."""
        return np.arange(self.index.ntotal, dtype=np.int64) if self._chunk_ids is None else np.asarray(self._chunk_ids)

    def reconstruct(self, ids) -> np.ndarray:
        """The vectors of chunks `ids`, one row each, in that order."""
        ids = np.asarray(ids, dtype=np.int64)
        if len(ids) == 0:
            return np.zeros((0, self.d), dtype=np.float32)
        return self.index.reconstruct_batch(ids if self._positions is None else np.asarray(self._positions[ids]))

    def all(self) -> np.ndarray:
        """Every chunk's vector, row i for chunk i."""
        if self._positions is None:
            return self.index.reconstruct_n(0, self.index.ntotal)
        return self.reconstruct(np.arange(len(self._positions)))

    def search(self, query: np.ndarray, n: int, mask: np.ndarray | None = None,
               ef_search: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(chunk ids, inner products) of the n nearest chunks to `query`, best first; only
        those `mask` (one bool per chunk id) allows, if given; never a tombstone."""
        import faiss

        n = min(n, self.ntotal)
        if n <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        keep = None  # what the selector points into, alive until the search returns
        selector = None
        if mask is not None:
            allowed = np.asarray(mask, dtype=bool)
            if self._chunk_ids is not None:  # the mask is by chunk id; the selector by position
                chunk_ids = np.asarray(self._chunk_ids)
                allowed = np.zeros(len(chunk_ids), dtype=bool)
                live = chunk_ids >= 0
                allowed[live] = mask[chunk_ids[live]]
            keep = np.packbits(allowed, bitorder="little")
            selector = faiss.IDSelectorBitmap(len(allowed), faiss.swig_ptr(keep))
        elif self._chunk_ids is not None and len(self._positions) < len(self._chunk_ids):
            if self._alive is None:
                bitmap = np.packbits(np.asarray(self._chunk_ids) >= 0, bitorder="little")
                self._alive = (bitmap, faiss.IDSelectorBitmap(len(self._chunk_ids), faiss.swig_ptr(bitmap)))
            keep, selector = self._alive
        params = None
        if self.is_graph:
            ef = ef_search or self.index.hnsw.efSearch
            params = faiss.SearchParametersHNSW(sel=selector, efSearch=ef) if selector else \
                faiss.SearchParametersHNSW(efSearch=ef)
        elif selector is not None:
            params = faiss.SearchParameters(sel=selector)
        scores, found = self.index.search(np.ascontiguousarray(query, dtype=np.float32)[None, :], n, params=params)
        del keep
        hit = found[0] >= 0
        positions = found[0][hit]
        ids = positions if self._chunk_ids is None else np.asarray(self._chunk_ids)[positions]
        return ids.astype(np.int64), scores[0][hit]


def map_problems(vectors: Vectors) -> list[str]:
    """What is wrong with a position map (`qabot index verify`): each chunk at one live position."""
    if not vectors.mapped:
        return []
    chunk_ids, positions = vectors.chunk_ids(), np.asarray(vectors._positions)
    live = np.flatnonzero(chunk_ids >= 0)
    if len(live) != len(positions) or (chunk_ids >= len(positions)).any():
        return [f"the vectors' position map holds {len(live)} live positions for {len(positions)} chunks"]
    if not np.array_equal(positions[chunk_ids[live]], live):
        return ["the vectors' position map and its inverse disagree"]
    return []


def patch_graph(current: Vectors, source: Path, building: Path, new_ids: np.ndarray,
                added: np.ndarray, added_vectors: np.ndarray, total: int) -> bool:
    """Write `building`/vectors.faiss as `source`'s HNSW graph with `added_vectors` (of chunks
    `added`) added at its end, its kept chunks renumbered by `new_ids` (old chunk id -> new,
    -1 when removed), and the position map beside it. False, having written nothing, when
    the tombstones would pass `TOMBSTONE_SHARE`: then the graph is written whole."""
    import faiss

    old = current.chunk_ids()
    chunk_ids = np.concatenate([np.where(old >= 0, new_ids[np.maximum(old, 0)], -1), np.asarray(added, dtype=np.int64)])
    live = np.flatnonzero(chunk_ids >= 0)
    if len(chunk_ids) - len(live) > TOMBSTONE_SHARE * len(chunk_ids):
        return False
    positions = np.full(total, -1, dtype=np.int64)
    positions[chunk_ids[live]] = live
    if len(live) != total or (positions < 0).any():
        raise AssertionError("a patched graph must hold every chunk once")
    index = faiss.read_index(str(source / "vectors.faiss"))
    if len(added_vectors):
        index.add(np.ascontiguousarray(added_vectors, dtype=np.float32))
    faiss.write_index(index, str(building / "vectors.faiss"))
    if not np.array_equal(chunk_ids, np.arange(len(chunk_ids))):  # no tombstones, same order: no map needed
        np.save(building / CHUNK_IDS, chunk_ids)
        np.save(building / POSITIONS, positions)
    return True
