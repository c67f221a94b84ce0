"""Articles into a searchable snapshot: chunking, BM25, FAISS, and the atomic switch.

Exports `build_index` (incremental builds), `files_fingerprint`, the snapshot types
(`IndexFolder`, `Snapshot`, `Manifest`) that the search and answering stages read, and
`verify_snapshot` (checksums and the full check behind `qabot index verify`).
A snapshot is a folder written completely before `index/CURRENT` points at it.
With `[backend] kind = "milvus"`, `stage_collection` brings the Milvus collection readers do
not use up to the snapshot's chunks (upserting and deleting only what changed, keyed by
`chunk_key`), which a build then makes current (`qabot.indexing.milvus_store`; pymilvus is
imported only when used).
"""

from qabot.indexing.build import build_index, files_fingerprint
from qabot.indexing.integrity import VerifyReport, damaged_files, verify_snapshot
from qabot.indexing.milvus_store import MilvusWrite, bm25_text, check_pointer, chunk_key, read_pointer, stage_collection
from qabot.indexing.milvus_store import connect as connect_milvus
from qabot.indexing.milvus_store import explain as explain_milvus_error
from qabot.indexing.snapshot import IndexFolder, Manifest, Snapshot, SnapshotVanishedError

__all__ = ["IndexFolder", "Manifest", "MilvusWrite", "Snapshot", "SnapshotVanishedError", "VerifyReport",
           "bm25_text", "build_index", "check_pointer", "chunk_key", "connect_milvus", "damaged_files", "explain_milvus_error",
           "files_fingerprint", "read_pointer", "stage_collection", "verify_snapshot"]
