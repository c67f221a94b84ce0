"""Shared by the bench scripts: where the data is, building cached indexes, timing, the machine."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DATA = REPO.parent / "shared" / "data"
BBC = DATA / "bbc"
SAMPLE = REPO / "articles" / "al-monitor-russia-reading-soleimani-killing.txt"
# Keyed by tree: an index records the paths it was built from (the sample article lives in
# the tree), so two checkouts sharing one folder would rebuild it under each other's readers.
_TREE = f"{REPO.name}-{hashlib.sha1(str(REPO).encode()).hexdigest()[:8]}"
WORK = Path(os.environ.get("QABOT_BENCH_DIR") or f"/tmp/qabot-bench/{_TREE}")
CATEGORIES = ("business", "entertainment", "politics", "sport", "tech")


def require_bbc() -> Path:
    if not BBC.is_dir():
        sys.exit(f"The BBC corpus is not at {BBC}; the benchmarks read ../shared/data/bbc (see ../shared/data/README.md).")
    return BBC


def corpus_folder(name: str, paths: list[Path], **sections: dict) -> Path:
    """A folder with a config.toml indexing `paths` into its own index/ (kept between runs)."""
    folder = WORK / name
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["[corpus]", "paths = " + json.dumps([str(p) for p in paths]), "[index]", 'dir = "index"']
    for section, values in sections.items():
        lines.append(f"[{section}]")
        lines += [f"{k} = {json.dumps(v)}" for k, v in values.items()]
    (folder / "config.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def bbc_paths() -> list[Path]:
    return [require_bbc() / c for c in CATEGORIES] + [SAMPLE]


def settings_for(folder: Path):
    from qabot.config import load_settings

    return load_settings(folder / "config.toml", env={})


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem_kb = int(next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")).split()[1])
        mem = f"{mem_kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration):
        mem = "unknown RAM"
    return f"{os.cpu_count()} cores ({cpu}), {mem}, Python {platform.python_version()}, {date.today().isoformat()}"


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return value, time.perf_counter() - start


def run(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})})
    return time.perf_counter() - start, done


def mean(values) -> float:
    values = list(values)
    return statistics.fmean(values) if values else float("nan")


# --- shared by build_throughput, rebuild, query_latency, cold_start and run_all ---

RESULTS = WORK / "results"


def bbc_settings(build: bool = True, precision: str = "fp32"):
    """Settings of the cached BBC index (WORK/bbc, WORK/bbc-int8), built first if it is missing or stale."""
    if precision == "fp32":
        settings = settings_for(corpus_folder("bbc", bbc_paths()))
    else:
        settings = settings_for(corpus_folder(f"bbc-{precision}", bbc_paths(), model={"precision": precision}))
    if build:
        from qabot.indexing.build import build_index

        build_index(settings)
    return settings


def save_result(name: str, figures: dict) -> None:
    """Keep a script's figures for run_all.py's Markdown block (WORK/results/<name>.json)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")


def load_result(name: str) -> dict | None:
    try:
        return json.loads((RESULTS / f"{name}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def peak_rss_mb() -> float:
    """This process's peak resident memory (ru_maxrss is in KiB on Linux)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def p50_p95(values: list[float]) -> dict[str, float]:
    return {"n": len(values), "p50": percentile(values, 50), "p95": percentile(values, 95)}


# The bundled model loads from its package; never reach for a hub during a benchmark.
os.environ.setdefault("HF_HUB_OFFLINE", "1")


@contextmanager
def bot_running(app, stop_seconds: float = 60):
    """Run a built python-telegram-bot `Application` (polling) in a thread for the with-block."""
    import asyncio
    import threading

    loop = asyncio.new_event_loop()

    def run() -> None:
        asyncio.set_event_loop(loop)
        app.run_polling(timeout=1, stop_signals=None, close_loop=False)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield
    finally:
        loop.call_soon_threadsafe(app.stop_running)
        thread.join(stop_seconds)
