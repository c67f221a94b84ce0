"""Text into vectors: the sentence-transformers model, the content-hash cache, the query encoder.

Exports `load_embedder` (the model loaded offline and verified; questions encoded by a
torch-free NumPy pass; with `precision = "int8"`, the quantised ONNX model of `quantized`
for both; `model_identity` names the weights without loading them) and `EmbeddingCache` / `embed_with_cache` (unchanged chunks are
never embedded twice), and `ray_encoder` (the same encoding on a Ray cluster; Ray is
imported only when used). Knows nothing of FAISS, BM25 or snapshots.
"""

from qabot.embedding.cache import EmbeddingCache, embed_with_cache
from qabot.embedding.model import load_embedder, model_identity
from qabot.embedding.ray_encoder import ray_encoder

__all__ = ["EmbeddingCache", "embed_with_cache", "load_embedder", "model_identity", "ray_encoder"]
