"""Peak memory of a process that has loaded an index and answered a question (target <= 1.5 GB at 100k).

For each size (the BBC index, then 100 000 and 1 000 000 chunks made by
bench/query_latency.py's `scaled_folder`), the snapshot is made first in a process of its
own, so that building never counts; then a fresh process opens the library, answers one
question and reports `ru_maxrss` (the model, torch, FAISS, BM25, SQLite and the in-memory
quote index together), with the snapshot's size on disk for comparison.

    .venv/bin/python bench/memory.py                  # bbc, 100000, 1000000
    .venv/bin/python bench/memory.py bbc 100000
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from common import WORK, bbc_settings, machine, peak_rss_mb, save_result, settings_for

HERE = Path(__file__).resolve().parent
QUESTION = "What did Tony Blair say about the Iraq war?"


def folder_for(size: str) -> Path:
    """The corpus folder of `size`, made if missing (called in its own process)."""
    if size == "bbc":
        bbc_settings()
        return WORK / "bbc"
    from query_latency import scaled_folder

    return scaled_folder(int(size)).base_dir


def measure(folder: Path) -> dict:
    from qabot.answering.library import Library

    library = Library.open(settings_for(folder))
    library.ask(QUESTION)
    return {"chunks": library.snapshot.manifest.chunks, "faiss_index": library.snapshot.manifest.faiss_index,
            "peak_rss_mb": peak_rss_mb(), "disk_mb": library.snapshot.size_on_disk() / 2**20}


def main(args: list[str]) -> None:
    if args[:1] == ["--make"]:
        print(folder_for(args[1]))
        return
    if args[:1] == ["--measure"]:
        print(json.dumps(measure(Path(args[1]))))
        return
    results = {}
    for size in args or ["bbc", "100000", "1000000"]:
        made = subprocess.run([sys.executable, __file__, "--make", size], capture_output=True, text=True, check=True)
        folder = made.stdout.strip().splitlines()[-1]
        done = subprocess.run([sys.executable, __file__, "--measure", folder], capture_output=True, text=True, check=True)
        results[size] = json.loads(done.stdout.strip().splitlines()[-1])
    save_result("memory", {"sizes": results, "machine": machine()})
    print(f"Peak RSS of a process that loaded the index and answered one question; {machine()}")
    print("| index | chunks | vectors | peak RSS | snapshot on disk |")
    print("|---|---|---|---|---|")
    for size, f in results.items():
        print(f"| {size} | {f['chunks']:,} | {f['faiss_index']} | {f['peak_rss_mb']:,.0f} MB | {f['disk_mb']:,.0f} MB |")


if __name__ == "__main__":
    main(sys.argv[1:])
