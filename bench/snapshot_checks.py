"""What damage detection costs: checksums on every open, and the full `qabot index verify`.

On the BBC index (built first if missing), in this process:
- the snapshot's size and the time to sha256 every file (what each open adds);
- `Snapshot.load` with its checksums, and on a copy whose manifest has none (the older
  format, which runs the content checks instead: quick_check, finite vectors and weights);
- `verify_snapshot` (checksums, integrity_check, tables, finite values, a full load).
Each figure is the median of 5 runs, after one warm-up run (files in the page cache).

    python bench/snapshot_checks.py
"""

from __future__ import annotations

import json
import shutil
import statistics
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


def main() -> None:
    from qabot.indexing import IndexFolder, Snapshot, verify_snapshot
    from qabot.indexing.integrity import file_checksums

    settings = bbc_settings()
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
        "sha256_all_files_s": median_seconds(lambda: file_checksums(path)),
        "load_with_checksums_s": median_seconds(lambda: Snapshot.load(path).close()),
        "verify_s": median_seconds(lambda: verify_snapshot(path), runs=3),
    }
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / path.name
        shutil.copytree(path, old)
        del manifest["checksums"]
        (old / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        figures["load_without_checksums_s"] = median_seconds(lambda: Snapshot.load(old).close())
    save_result("snapshot_checks", figures)
    print(f"{figures['machine']}; BBC snapshot: {figures['chunks']} chunks, {figures['snapshot_mb']:.1f} MB")
    print(f"sha256 of every file:                    {figures['sha256_all_files_s'] * 1000:.0f} ms")
    print(f"Snapshot.load, checksums verified:       {figures['load_with_checksums_s'] * 1000:.0f} ms")
    print(f"Snapshot.load, older manifest (content): {figures['load_without_checksums_s'] * 1000:.0f} ms")
    print(f"verify_snapshot (qabot index verify):    {figures['verify_s'] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
