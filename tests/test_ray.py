"""Embedding on a local Ray cluster gives the same vectors as the local path, behind the same cache.

The test starts its own one-node cluster on 127.0.0.1 (`ray start --head --block` in a
process group of its own) and ends that process group when done.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO, SAMPLE_ARTICLE, make_corpus

# Read by Ray when it is imported: without it Ray rewrites 127.0.0.1 to the machine's
# interface address and the driver never finds the local node.
os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"
pytest.importorskip("ray.data", reason="the Ray extra is not installed: pip install -e '.[ray]'")

RAY = Path(sys.executable).with_name("ray")


@pytest.fixture(scope="module")
def ray_address():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))
    head = subprocess.Popen([str(RAY), "start", "--head", "--block", "--node-ip-address=127.0.0.1", f"--port={port}",
                             "--num-cpus=2", "--include-dashboard=false", "--disable-usage-stats"],
                            env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_port(port, head)
        yield f"127.0.0.1:{port}"
    finally:
        _stop(head)


def _wait_for_port(port: int, head: subprocess.Popen) -> None:
    for _ in range(600):
        if head.poll() is not None:
            raise AssertionError(f"`ray start` exited with {head.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"the Ray head did not listen on 127.0.0.1:{port}")


def _stop(head: subprocess.Popen) -> None:
    """End the cluster this test started: its own process group, politely first."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(head.pid, sig)
        except ProcessLookupError:
            return
        try:
            head.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
        time.sleep(1)
    try:
        os.killpg(head.pid, signal.SIGKILL)  # anything of the group still alive
    except ProcessLookupError:
        pass


def test_ray_vectors_equal_the_local_ones(ray_address):
    from qabot.config import ModelSettings
    from qabot.embedding import load_embedder, ray_encoder

    embedder = load_embedder(ModelSettings())
    texts = [f"Konstantin Kosachev said sanctions are a ritual, number {i}. " + "More words follow. " * (i % 9)
             for i in range(200)]
    seen = []
    on_ray = ray_encoder(embedder, ray_address, ModelSettings()).encode(texts, progress=seen.append)
    local = embedder.encode(texts)
    assert on_ray.shape == local.shape == (200, embedder.dimension)
    # Same model, same batching by length: equal up to float32 rounding.
    np.testing.assert_allclose(on_ray, local, atol=1e-5)
    assert seen[-1] == 200


def test_index_build_with_ray_embeds_only_uncached_chunks(ray_address, tmp_path):
    from qabot.indexing.build import build_index
    from qabot.indexing.snapshot import IndexFolder, Snapshot

    settings = make_corpus(tmp_path / "ray", {SAMPLE_ARTICLE.name: SAMPLE_ARTICLE})
    first = build_index(settings, ray_address=ray_address)
    assert first.embedded == first.chunks > 0
    (tmp_path / "ray" / "articles" / "new.md").write_text(
        "# Dam talks\n\nEngineers said the Aswan reservoir reached a record level in January.\n")
    second = build_index(settings, ray_address=ray_address)
    assert second.new == 1 and second.embedded == second.chunks - first.chunks

    local_settings = make_corpus(tmp_path / "local", {SAMPLE_ARTICLE.name: SAMPLE_ARTICLE})
    build_index(local_settings)
    on_ray = Snapshot.load(IndexFolder(settings.index_dir).current_path())
    local = Snapshot.load(IndexFolder(local_settings.index_dir).current_path())
    n = local.vectors.ntotal
    ray_ids = {c.text: c.id for c in on_ray.chunks(list(range(on_ray.vectors.ntotal))).values()}
    order = [ray_ids[c.text] for c in sorted(local.chunks(list(range(n))).values(), key=lambda c: c.id)]
    np.testing.assert_allclose(on_ray.vectors.reconstruct(order), local.vectors.reconstruct(np.arange(n)), atol=1e-5)


def test_an_unreachable_ray_cluster_is_one_line(tmp_path):
    from qabot.config import ModelSettings
    from qabot.embedding import load_embedder, ray_encoder
    from qabot.errors import BackendError

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    encoder = ray_encoder(load_embedder(ModelSettings()), f"127.0.0.1:{port}", ModelSettings())
    with pytest.raises(BackendError, match=f"cannot join the Ray cluster at '127.0.0.1:{port}'"):
        encoder.encode(["one text"])
