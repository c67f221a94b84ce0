"""Articles into a searchable snapshot: chunking, BM25, FAISS, and the atomic switch.

Exports `build_index` (incremental builds), `files_fingerprint`, and the snapshot types
(`IndexFolder`, `Snapshot`, `Manifest`) that the search and answering stages read.
A snapshot is a folder written completely before `index/CURRENT` points at it.
"""

from qabot.indexing.build import build_index, files_fingerprint
from qabot.indexing.snapshot import IndexFolder, Manifest, Snapshot

__all__ = ["IndexFolder", "Manifest", "Snapshot", "build_index", "files_fingerprint"]
