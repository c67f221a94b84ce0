"""Hostile input: does every build stay bounded? (goal: every row under 30 s and 1 GB)

Builds, for each hostile file, a corpus of the sample article plus that file, from scratch
in a fresh process, and prints the build's time without and with loading the model, and
the process's peak RSS; then one build of all of them together. Each row shows what the build said about
the hostile file: indexed, or its one-line skip reason. Files are generated under
$QABOT_BENCH_DIR/adversarial (default /tmp/qabot-bench/<checkout>-<hash>, one per checkout), including a 200 MB one.

    .venv/bin/python bench/adversarial.py
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from common import REPO, SAMPLE, WORK, machine

HERE = WORK / "adversarial"
SENTENCE = "The minister said on Monday that the talks in Geneva would go on, officials added. "


def one_mb_paragraph(folder: Path) -> str:
    (folder / "paragraph.txt").write_text("One paragraph\n\n" + (SENTENCE * 12_500)[:1_000_000], encoding="utf-8")
    return "paragraph.txt"


def ten_mb_jsonl(folder: Path) -> str:
    text = (f'"We will not give up," Minister Ivan Petrov{0} said. ' + SENTENCE) * 80_000
    with open(folder / "feed.jsonl", "w", encoding="utf-8") as feed:
        feed.write(json.dumps({"title": "Small", "text": "A small article about the Geneva talks going on."}) + "\n")
        feed.write(json.dumps({"title": "Huge", "text": text[:10_000_000]}) + "\n")
    return "feed.jsonl"


def html_200k(folder: Path) -> str:
    body = "".join(f"<p>w{i}</p>" for i in range(200_000))
    (folder / "flood.html").write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    return "flood.html"


def file_200mb(folder: Path) -> str:
    block = ("Title\n\n" + (SENTENCE * 12 + "\n\n") * 1000).encode()
    with open(folder / "huge.txt", "wb") as huge:
        for _ in range(200_000_000 // len(block) + 1):
            huge.write(block)
    return "huge.txt"


def odd_names(folder: Path) -> str:
    names = [b"caf\xe9.txt", b"two\nlines.txt", b"red\x1b[31m.txt"]
    for raw in names:
        with open(os.path.join(os.fsencode(folder), raw), "wb") as file:
            file.write(SAMPLE.read_bytes())
    os.symlink(folder / "loop-b.txt", folder / "loop-a.txt")
    os.symlink(folder / "loop-a.txt", folder / "loop-b.txt")
    os.symlink("/etc/hostname", folder / "hostname.txt")
    return "odd names (3), a symlink loop, a link to /etc/hostname"


ROWS = [("1 MB paragraph", one_mb_paragraph), ("10 MB JSONL text", ten_mb_jsonl),
        ("HTML, 200k <p>", html_200k), ("200 MB file", file_200mb), ("odd names and links", odd_names)]


# One build in a fresh process, so its peak RSS is its own; printed as one JSON line.
CHILD = """
import json, resource, sys
from qabot.config import load_settings
from qabot.indexing.build import build_index
report = build_index(load_settings(sys.argv[1], env={}), from_scratch=True)
print(json.dumps({"seconds": report.seconds, "model": report.stages.get("load model", 0.0),
                  "articles": report.articles, "skipped": [f"{s.path}: {s.reason}" for s in report.skipped],
                  "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def build(folder: Path) -> dict:
    """Build `folder`'s index from scratch in a fresh process: its figures, or its error."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-c", CHILD, str(folder / "config.toml")], env=env,
                          capture_output=True, text=True, errors="replace")
    if done.returncode:
        return {"error": (done.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def corpus(name: str) -> Path:
    folder = HERE / name
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "articles").mkdir(parents=True)
    shutil.copy(SAMPLE, folder / "articles" / SAMPLE.name)
    (folder / "config.toml").write_text('[corpus]\npaths = ["articles"]\n[index]\ndir = "index"\n', encoding="utf-8")
    return folder


def row(label: str, figures: dict) -> str:
    if "error" in figures:
        return f"| {label} | | | | FAILED: {figures['error']} |"
    count = figures["articles"]
    said = "; ".join([f"{count} article{'' if count == 1 else 's'} indexed"] + figures["skipped"])
    return (f"| {label} | {figures['seconds'] - figures['model']:.1f} s | {figures['seconds']:.1f} s "
            f"| {figures['rss']:.0f} MB | {said} |")


def main() -> None:
    load = os.getloadavg()[0]
    print(f"Hostile input, one build from scratch per row in a fresh process; {machine()}; "
          f"load average {load:.1f} at the start\n")
    print("| input (+ the sample article) | build, model load excluded | whole build | peak RSS | what the build said |")
    print("|---|---|---|---|---|")
    print(row("nothing else (baseline)", build(corpus("baseline"))), flush=True)
    everything = corpus("everything")
    for label, make in ROWS:
        folder = corpus(label.split()[0] + "-" + make.__name__)
        make(folder / "articles")
        make(everything / "articles")
        print(row(label, build(folder)), flush=True)
        shutil.rmtree(folder, ignore_errors=True)
    print(row("all of the above in one corpus", build(everything)))
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end")
    shutil.rmtree(HERE, ignore_errors=True)


if __name__ == "__main__":
    main()
