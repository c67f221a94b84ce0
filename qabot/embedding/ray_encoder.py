"""Embedding on a Ray cluster: Ray Data `map_batches` over an actor pool of encoders.

`ray_encoder(embedder, address, model_settings)` returns an object that looks like the
embedder to `embed_with_cache` (same `model_id`, `dimension`, `encode`), so the
content-hash cache stays in front and only uncached chunks travel to Ray. Each actor loads
the configured model once (exactly as a local build does, at the same precision) and encodes its batches with the
same `Embedder.encode`; texts are sorted by length before they are split into batches, as
the local path sorts them, so padding (and so the arithmetic) matches.

The same code runs on a laptop (`ray start --head`, then `--ray auto`) and on a cluster
(`--ray ray://head:10001` or the head's GCS address); every worker needs qabot and the
model package installed, as the build machine has. Ray is imported only here, on use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from qabot.config import ModelSettings
from qabot.errors import BackendError

INSTALL_HINT = 'Ray embedding needs its extra: pip install -e ".[ray]"'
TEXTS_PER_BLOCK = 256  # texts per Ray batch: big enough to amortise a hand-off, small enough to spread


class ChunkEncoder:
    """One actor of the pool: the configured model, loaded once, encoding batches of texts."""

    def __init__(self, model: ModelSettings, models_dir: Path | None, model_id: str):
        from qabot.embedding.model import load_embedder

        self.embedder = load_embedder(model, models_dir=models_dir)
        if self.embedder.model_id != model_id:  # e.g. a worker that exported its own int8 file differently
            raise BackendError(f"a Ray worker loaded model {self.embedder.model_id}, but the build uses {model_id}; "
                               "give every worker the same model files (and the index's models/ folder for int8)")
        self.batch_size = model.batch_size

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        vectors = self.embedder.encode([str(t) for t in batch["text"]], batch_size=self.batch_size)
        return {"position": batch["position"], "vector": vectors}


class RayEncoder:
    """Stands in for the embedder while a build embeds: `encode` runs on the Ray cluster."""

    def __init__(self, embedder, address: str, model: ModelSettings, models_dir: Path | None = None):
        self.embedder = embedder
        self.address = address
        self.model = model
        self.models_dir = models_dir
        self.name = embedder.name
        self.model_id = embedder.model_id
        self.dimension = embedder.dimension

    def encode(self, texts: Sequence[str], *, batch_size: int = 32,
               progress: Callable[[int], None] | None = None) -> np.ndarray:
        """(n, dimension) vectors, in the order of `texts`; `progress(done)` as results arrive."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        ray = _connect(self.address)
        try:
            import ray.data

            order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
            items = [{"position": i, "text": texts[i]} for i in order]
            actors = max(1, int(ray.cluster_resources().get("CPU", 1)))
            # Rounded up: 500 texts are two blocks, so both actors of a 2-CPU cluster get one (rounded
            # down it was one block, and one actor did all the work).
            blocks = -(-len(items) // TEXTS_PER_BLOCK)
            dataset = ray.data.from_items(items, override_num_blocks=blocks).map_batches(
                ChunkEncoder, fn_constructor_args=(self.model, self.models_dir, self.model_id), batch_size=TEXTS_PER_BLOCK, batch_format="numpy",
                compute=ray.data.ActorPoolStrategy(min_size=1, max_size=actors), num_cpus=1)
            done = 0
            for batch in dataset.iter_batches(batch_size=None, batch_format="numpy"):
                out[batch["position"]] = batch["vector"]
                done += len(batch["position"])
                if progress is not None:
                    progress(done)
        finally:
            ray.shutdown()
        return out


def ray_encoder(embedder, address: str, model: ModelSettings, models_dir: Path | None = None) -> RayEncoder:
    """The embedder's stand-in that encodes on the Ray cluster at `address` ("auto" = the local one).

    Each actor loads the model as `load_embedder(model, models_dir=models_dir)` does, so it
    honours `precision`; an actor whose model id differs from the build's stops the build."""
    try:
        import ray  # noqa: F401
    except ImportError:
        raise BackendError(INSTALL_HINT) from None
    return RayEncoder(embedder, address, model, models_dir)


def _connect(address: str):
    import ray

    _check_reachable(address)
    try:
        ray.init(address=address, logging_level="WARNING", log_to_driver=False, ignore_reinit_error=True)
    except (ConnectionError, RuntimeError, ValueError) as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise BackendError(f"cannot join the Ray cluster at {address!r} ({first}); start one with "
                           f"`ray start --head` or pass its address to --ray") from None
    return ray


def _check_reachable(address: str) -> None:
    """Fail in seconds when nothing listens at a HOST:PORT address: `ray.init` retries for minutes."""
    import socket

    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        return  # "auto", or a form Ray resolves itself
    try:
        socket.create_connection((host, int(port)), timeout=5).close()
    except OSError as err:
        raise BackendError(f"cannot join the Ray cluster at {address!r} ({err.strerror or err}); start one with "
                           f"`ray start --head` or pass its address to --ray") from None
