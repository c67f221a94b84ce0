"""Ray Data embedding against plain sentence-transformers encode: chunks per second and the overhead.

Encodes the same N chunk texts of the BBC index ($QABOT_BENCH_DIR/bbc) three times, with no
cache: with the local `Embedder.encode`, then through `qabot.embedding.ray_encoder` on a
one-node Ray cluster this script starts on 127.0.0.1 (`ray start --head --block`, its own
process group, ended at the end), then locally again; the overhead is against the mean of
the two local runs, which bracket the Ray one so a machine whose load drifts is seen. The
Ray time includes joining the cluster and starting the actor pool (each actor loads the
model), which is what a build pays; the time to the first batch back is shown apart.

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

    def plain() -> float:
        tick = time.perf_counter()
        embedder.encode(texts, batch_size=settings.model.batch_size)
        return time.perf_counter() - tick

    before = plain()
    head, address = _start_ray()
    first: list[float] = []
    try:
        tick = time.perf_counter()
        ray_encoder(embedder, address, settings.model).encode(
            texts, batch_size=settings.model.batch_size,
            progress=lambda done: first or first.append(time.perf_counter() - tick))
        on_ray = time.perf_counter() - tick
    finally:
        _stop(head)
    after = plain()
    local = (before + after) / 2

    print(f"{n} BBC chunks, no cache; {machine()}; load average {os.getloadavg()[0]:.1f} at the end "
          f"(the machine was shared with other jobs)")
    print("| path | seconds | chunks/s |")
    print("|---|---|---|")
    print(f"| sentence-transformers encode, one process (before Ray) | {before:.1f} | {n / before:.0f} |")
    print(f"| Ray Data map_batches, 2 actors on a local 2-CPU cluster | {on_ray:.1f} | {n / on_ray:.0f} |")
    print(f"| sentence-transformers encode, one process (after Ray) | {after:.1f} | {n / after:.0f} |")
    print(f"\nRay overhead on this machine: {100 * (on_ray - local) / local:+.0f} % against the mean local run; "
          f"first batch back after {first[0] if first else float('nan'):.1f} s (cluster join + actor start + one batch)")
    save_result("ray_embedding", {"chunks": n, "plain_before_s": before, "plain_after_s": after, "ray_s": on_ray,
                                  "ray_first_batch_s": first[0] if first else None})


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
