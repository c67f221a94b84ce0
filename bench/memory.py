"""Peak memory of a process that has loaded an index and answered a question (target <= 1.5 GB at 100k).

For each size (the BBC index, then 100 000 and 1 000 000 chunks made by
bench/query_latency.py's `scaled_folder`), the snapshot is made first in a process of its
own, so that building never counts; then a fresh process opens the library, answers one
question and reports `ru_maxrss` (the model, FAISS, BM25, SQLite and the in-memory
quote index together), with the snapshot's size on disk for comparison. The vectors and
BM25 arrays are memory-mapped, so resident memory grows as questions visit more of them:
the process then answers the 200 bench questions and reports the peak again, and the
resident memory after each step split into anonymous and file-backed pages (`/proc`).

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


def rss_now() -> dict[str, float]:
    """Resident memory now, MB: all, anonymous (heap) and file-backed (mapped files, libraries)."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return {k: int(fields[key].split()[0]) / 1024 for k, key in (("rss", "VmRSS"), ("anon", "RssAnon"), ("file", "RssFile"))}


def measure(folder: Path) -> dict:
    from questions import bbc_questions

    from qabot.answering.library import Library

    steps = {}
    settings = settings_for(folder)
    library = Library.open(settings)
    steps["opened"] = rss_now()
    library.ask(QUESTION)
    steps["one question"] = rss_now()
    one = peak_rss_mb()
    for question in bbc_questions(library.snapshot):
        library.ask(question)
    steps["200 questions"] = rss_now()
    return {"chunks": library.snapshot.manifest.chunks, "faiss_index": library.snapshot.manifest.faiss_index,
            "peak_rss_mb": one, "peak_rss_200_mb": peak_rss_mb(), "steps": steps,
            "disk_mb": library.snapshot.size_on_disk() / 2**20}


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
    print("| index | chunks | vectors | peak RSS, 1 question | after 200 | snapshot on disk |")
    print("|---|---|---|---|---|---|")
    for size, f in results.items():
        print(f"| {size} | {f['chunks']:,} | {f['faiss_index']} | {f['peak_rss_mb']:,.0f} MB | "
              f"{f['peak_rss_200_mb']:,.0f} MB | {f['disk_mb']:,.0f} MB |")
    for size, f in results.items():
        print(f"{size}: " + "; ".join(f"{step} {r['rss']:,.0f} MB ({r['anon']:,.0f} anonymous, {r['file']:,.0f} file-backed)"
                                      for step, r in f["steps"].items()))


if __name__ == "__main__":
    main(sys.argv[1:])
