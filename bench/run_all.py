"""Run every benchmark in order and print one Markdown block for the README (`make bench`).

Each script runs as its own process (so memory and cold-start figures are its own) and
prints its figures; a script that fails is reported in the block and the rest still run.
Built indexes are cached under $QABOT_BENCH_DIR (default /tmp/qabot-bench/<checkout>-<hash>:
one folder per checkout, since an index records the paths it was built from), so a second
run skips the slow builds except the ones being measured.

    .venv/bin/python bench/run_all.py
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from common import machine, require_bbc

HERE = Path(__file__).resolve().parent
SCRIPTS = (
    ("Build throughput", "build_throughput.py"),
    ("Rebuilds", "rebuild.py"),
    ("Query latency", "query_latency.py"),
    ("Memory", "memory.py"),
    ("Cold start", "cold_start.py"),
    ("BM25 stage", "bm25_speed.py"),
    ("Retrieval quality", "retrieval_quality.py"),
    ("qabot eval on the news questions", "eval_news.py"),
    ("Quote attribution (PolNeAR dev)", "quote_attribution.py"),
    ("Quote attribution (BBC News, hand-read samples)", "bbc_quote_attribution.py"),
    ("Hostile text for the quotation finder", "hostile_quotes.py"),
    # The scale-out extras (pip install -e ".[milvus,ray]"); each fails alone if its extra is missing.
    ("Milvus-lite against the local snapshot", "milvus_vs_local.py"),
    ("Ray embedding overhead", "ray_embedding.py"),
)


def main() -> None:
    require_bbc()
    sections = []
    for title, script in SCRIPTS:
        if not (HERE / script).is_file():
            continue
        print(f"running {script} ...", file=sys.stderr, flush=True)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, str(HERE / script)], capture_output=True, text=True, cwd=HERE.parent)
        took = time.perf_counter() - started
        body = done.stdout.strip() if done.returncode == 0 else \
            f"(failed with exit code {done.returncode})\n\n```\n{done.stderr.strip()[-1500:]}\n```"
        sections.append(f"### {title}\n\n{body}\n\n<sub>`bench/{script}`, {took:.0f} s</sub>")
        print(f"  done in {took:.0f} s", file=sys.stderr, flush=True)
    print("## Benchmarks\n")
    print(f"Machine: {machine()}.\n")
    print("\n\n".join(sections))


if __name__ == "__main__":
    main()
