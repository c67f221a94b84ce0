"""Ray Data embedding against plain sentence-transformers encode: chunks per second and the overhead.

Encodes the same N chunk texts of the BBC index ($QABOT_BENCH_DIR/bbc) twice, with no cache:
once with the local `Embedder.encode` and once through `qabot.embedding.ray_encoder` on a
one-node Ray cluster this script starts on 127.0.0.1 (`ray start --head --block`, its own
process group, ended at the end). The Ray time includes joining the cluster and starting
the actor pool (each actor loads the model), which is what a build pays.

    .venv/bin/python bench/ray_embedding.py [--chunks 3000]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from common import REPO, bbc_settings, machine, save_result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=3000)
    args = parser.parse_args()

    from qabot.embedding import load_embedder, ray_encoder
    from qabot.indexing.snapshot import IndexFolder, Snapshot

    settings = bbc_settings()
    snapshot = Snapshot.load(IndexFolder(settings.index_dir).current_path())
    n = min(args.chunks, snapshot.manifest.chunks)
    texts = [c.text for c in snapshot.chunks(list(range(n))).values()]
    embedder = load_embedder(settings.model)

    tick = time.perf_counter()
    embedder.encode(texts, batch_size=settings.model.batch_size)
    plain = time.perf_counter() - tick

    head, address = _start_ray()
    try:
        tick = time.perf_counter()
        ray_encoder(embedder, address, settings.model).encode(texts, batch_size=settings.model.batch_size)
        on_ray = time.perf_counter() - tick
    finally:
        _stop(head)

    print(f"{n} BBC chunks, no cache; {machine()}; the machine was shared with other jobs while this ran")
    print("| path | seconds | chunks/s |")
    print("|---|---|---|")
    print(f"| sentence-transformers encode, one process | {plain:.1f} | {n / plain:.0f} |")
    print(f"| Ray Data map_batches, 2 actors on a local 2-CPU cluster | {on_ray:.1f} | {n / on_ray:.0f} |")
    print(f"\nRay overhead on this machine: {100 * (on_ray - plain) / plain:+.0f} %")
    save_result("ray_embedding", {"chunks": n, "plain_s": plain, "ray_s": on_ray})


def _start_ray() -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"  # else Ray rewrites 127.0.0.1
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))
    head = subprocess.Popen([str(Path(sys.executable).with_name("ray")), "start", "--head", "--block",
                             "--node-ip-address=127.0.0.1", f"--port={port}", "--num-cpus=2",
                             "--include-dashboard=false", "--disable-usage-stats"],
                            env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return head, f"127.0.0.1:{port}"
        time.sleep(0.1)
    _stop(head)
    sys.exit("the Ray head did not start")


def _stop(head: subprocess.Popen) -> None:
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(head.pid, sig)
            head.wait(timeout=wait)
            return
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


if __name__ == "__main__":
    main()
