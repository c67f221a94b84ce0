"""Ray Data embedding against plain sentence-transformers encode: chunks per second and the overhead.

Encodes the same N chunk texts of the BBC index ($QABOT_BENCH_DIR/bbc) three times, with no
cache: with the local `Embedder.encode`, then through `qabot.embedding.ray_encoder` on a
one-node Ray cluster this script starts on 127.0.0.1 (`ray start --head --block`, its own
process group, ended at the end), then locally again; the overhead is against the mean of
the two local runs, which bracket the Ray one so a machine whose load drifts is seen. The
Ray time includes joining the cluster and starting the actor pool (each actor loads the
model), which is what a build pays; the time to the first batch back is shown apart.
CPU seconds are counted beside wall time (this process, plus the Ray head's whole process
tree for the Ray run): on a machine shared with other jobs, wall time measures the share of
the cores each path got, CPU time what it cost.

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

    def plain() -> tuple[float, float]:
        tick, cpu = time.perf_counter(), time.process_time()
        embedder.encode(texts, batch_size=settings.model.batch_size)
        return time.perf_counter() - tick, time.process_time() - cpu

    before, before_cpu = plain()
    head, address = _start_ray()
    first: list[float] = []
    sampler = ClusterCpu(head.pid)
    try:
        sampler.start()
        tick, cpu = time.perf_counter(), time.process_time()
        ray_encoder(embedder, address, settings.model).encode(
            texts, batch_size=settings.model.batch_size,
            progress=lambda done: first or first.append(time.perf_counter() - tick))
        on_ray, ray_cpu = time.perf_counter() - tick, time.process_time() - cpu
        ray_cpu += sampler.stop()
    finally:
        _stop(head)
    after, after_cpu = plain()
    local, local_cpu = (before + after) / 2, (before_cpu + after_cpu) / 2

    print(f"{n} BBC chunks, no cache; {machine()}; load average {os.getloadavg()[0]:.1f} at the end "
          f"(the machine was shared with other jobs)")
    print("| path | wall seconds | chunks/s | CPU seconds (all processes) |")
    print("|---|---|---|---|")
    print(f"| sentence-transformers encode, one process (before Ray) | {before:.1f} | {n / before:.1f} | {before_cpu:.1f} |")
    print(f"| Ray Data map_batches, 2 actors on a local 2-CPU cluster | {on_ray:.1f} | {n / on_ray:.1f} | {ray_cpu:.1f} |")
    print(f"| sentence-transformers encode, one process (after Ray) | {after:.1f} | {n / after:.1f} | {after_cpu:.1f} |")
    print(f"\nRay overhead on this machine: wall {100 * (on_ray - local) / local:+.0f} %, CPU {100 * (ray_cpu - local_cpu) / local_cpu:+.0f} % "
          f"against the mean local run; first batch back after {first[0] if first else float('nan'):.1f} s "
          f"(cluster join + actor start + one batch)")
    save_result("ray_embedding", {"chunks": n, "plain_before_s": before, "plain_after_s": after, "ray_s": on_ray,
                                  "plain_before_cpu_s": before_cpu, "plain_after_cpu_s": after_cpu, "ray_cpu_s": ray_cpu,
                                  "ray_first_batch_s": first[0] if first else None})


class ClusterCpu:
    """CPU seconds used by the Ray head's process tree (raylet, GCS, workers, actors) while it
    runs: /proc is read every half second, keeping each process's last reading, so a worker
    that exits loses at most half a second. CPU time, unlike wall time, is not stretched by
    other jobs on a shared machine."""

    def __init__(self, root: int):
        import threading

        self.root = root
        self.start_readings = self._read()
        self.last: dict[int, float] = {}
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> float:
        self._done.set()
        self._thread.join()
        self.last.update(self._read())
        return sum(t - self.start_readings.get(pid, 0.0) for pid, t in self.last.items())

    def _run(self) -> None:
        while not self._done.wait(0.5):
            self.last.update(self._read())

    def _read(self) -> dict[int, float]:
        tick = os.sysconf("SC_CLK_TCK")
        parent, cpu = {}, {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parent[int(entry)] = int(fields[1])
            cpu[int(entry)] = (int(fields[11]) + int(fields[12])) / tick  # utime + stime
        tree = {self.root}
        for _ in range(10):  # descendants, however deep Ray nests them
            tree |= {pid for pid, ppid in parent.items() if ppid in tree}
        return {pid: cpu[pid] for pid in tree}


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
