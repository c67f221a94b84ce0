"""Articles into a searchable snapshot: chunking, BM25, FAISS, and the atomic switch.

Exports `build_index` (incremental builds), `files_fingerprint`, the snapshot types
(`IndexFolder`, `Snapshot`, `Manifest`) that the search and answering stages read, and
`verify_snapshot` (checksums and the full check behind `qabot index verify`).
A snapshot is a folder written completely before `index/CURRENT` points at it.
"""

from qabot.indexing.build import build_index, files_fingerprint
from qabot.indexing.integrity import VerifyReport, damaged_files, verify_snapshot
from qabot.indexing.snapshot import IndexFolder, Manifest, Snapshot, SnapshotVanishedError

__all__ = ["IndexFolder", "Manifest", "Snapshot", "SnapshotVanishedError", "VerifyReport", "build_index", "damaged_files",
           "files_fingerprint", "verify_snapshot"]
