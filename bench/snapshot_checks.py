"""What damage detection costs: a plain open, an open that hashes, and `qabot index verify`.

On the BBC index (built first if missing), or a scaled one, in this process:
- the snapshot's size and the time to sha256 every file;
- a plain `Snapshot.load` (each file's size and mtime against the manifest: `qabot ask`),
  `Snapshot.load(verify=True)` (every file hashed: a snapshot becoming current), and on
  the BBC index a copy whose manifest has no checksums (the older format, which runs the
  content checks instead: quick_check, finite vectors and weights);
- `verify_snapshot` (checksums, integrity_check, tables, finite values, a full load).
Each figure is the median of 5 runs (3 for verify), after one warm-up run (files in the
page cache), the plain and hashing opens interleaved.

    python bench/snapshot_checks.py            # the BBC index
    python bench/snapshot_checks.py 1000000    # the 1M-chunk bench index (query_latency.scaled_folder)
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import bbc_settings, machine, save_result


def median_seconds(fn, runs: int = 5) -> float:
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def interleaved_medians(fns: dict, runs: int = 5) -> dict[str, float]:
    """Median seconds of each function, run in turn so load on the machine hits all alike."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for fn in fns.values():
        fn()
    for _ in range(runs):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def main(size: str = "bbc") -> None:
    from qabot.indexing import IndexFolder, Snapshot, verify_snapshot
    from qabot.indexing.integrity import file_checksums

    if size == "bbc":
        settings = bbc_settings()
    else:
        from query_latency import scaled_folder

        settings = scaled_folder(int(size))
    path = IndexFolder(settings.index_dir).current_path()
    size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    if not manifest.get("checksums"):
        raise SystemExit(f"{path} was built before checksums; run `qabot index rebuild` on it first")
    figures = {
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d"),
        "chunks": manifest["chunks"],
        "snapshot_mb": size / 1e6,
        **interleaved_medians({"sha256_all_files_s": lambda: file_checksums(path),
                               "load_plain_s": lambda: Snapshot.load(path).close(),
                               "load_verified_s": lambda: Snapshot.load(path, verify=True).close()}),
        "verify_s": median_seconds(lambda: verify_snapshot(path), runs=3),
    }
    with tempfile.TemporaryDirectory() as tmp:
        if size != "bbc":  # not worth copying gigabytes for the older format
            return _report(figures)
        old = Path(tmp) / path.name
        shutil.copytree(path, old)
        del manifest["checksums"]
        (old / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        figures["load_without_checksums_s"] = median_seconds(lambda: Snapshot.load(old).close())
    _report(figures)


def _report(figures: dict) -> None:
    save_result(f"snapshot_checks_{figures['chunks']}", figures)
    print(f"{figures['machine']}; snapshot: {figures['chunks']} chunks, {figures['snapshot_mb']:.1f} MB")
    print(f"sha256 of every file:                    {figures['sha256_all_files_s'] * 1000:.0f} ms")
    print(f"Snapshot.load, plain (size + mtime):     {figures['load_plain_s'] * 1000:.0f} ms")
    print(f"Snapshot.load, every file hashed:        {figures['load_verified_s'] * 1000:.0f} ms")
    if "load_without_checksums_s" in figures:
        print(f"Snapshot.load, older manifest (content): {figures['load_without_checksums_s'] * 1000:.0f} ms")
    print(f"verify_snapshot (qabot index verify):    {figures['verify_s'] * 1000:.0f} ms")


if __name__ == "__main__":
    main(*sys.argv[1:])
