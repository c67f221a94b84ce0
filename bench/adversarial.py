"""Hostile input: does every build stay bounded? (goal: every row under 30 s and 1 GB)

Builds, for each hostile file, a corpus of the sample article plus that file and times
`qabot index build` as a fresh process (model loading included), with the process's peak
RSS; then one build of all of them together. Each row shows what the build said about
the hostile file: indexed, or its one-line skip reason. Files are generated under
$QABOT_BENCH_DIR/adversarial (default /tmp/qabot-bench), including a 200 MB one.

    .venv/bin/python bench/adversarial.py
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from common import REPO, SAMPLE, WORK, machine

HERE = WORK / "adversarial"
SENTENCE = "The minister said on Monday that the talks in Geneva would go on, officials added. "


def one_mb_paragraph(folder: Path) -> str:
    (folder / "paragraph.txt").write_text("One paragraph\n\n" + (SENTENCE * 12_500)[:1_000_000], encoding="utf-8")
    return "paragraph.txt"


def ten_mb_jsonl(folder: Path) -> str:
    text = (f'"We will not give up," Minister Ivan Petrov{0} said. ' + SENTENCE) * 70_000
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


def build(folder: Path) -> tuple[float, float, str, int]:
    """`qabot index build` in `folder`: seconds, peak RSS in MB, its stdout, exit code."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1"}
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "qabot", "index", "rebuild"], cwd=folder, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = child.stdout.read(), child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    return seconds, usage.ru_maxrss / 1024, (out + err).decode("utf-8", "replace"), child.returncode


def corpus(name: str) -> Path:
    folder = HERE / name
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "articles").mkdir(parents=True)
    shutil.copy(SAMPLE, folder / "articles" / SAMPLE.name)
    (folder / "config.toml").write_text('[corpus]\npaths = ["articles"]\n[index]\ndir = "index"\n', encoding="utf-8")
    return folder


def outcome(output: str, code: int) -> str:
    if code:
        return f"FAILED (exit {code}): " + output.strip().splitlines()[-1]
    skipped = [line.strip() for line in output.splitlines() if line.startswith("  ")]
    indexed = next((line.split(" into ")[0] for line in output.splitlines() if line.startswith("Indexed")), "")
    return "; ".join([indexed] + skipped)


def main() -> None:
    print(f"Hostile input, `qabot index rebuild` as a fresh process (model load included); {machine()}\n")
    print("| input | time | peak RSS | what the build said |")
    print("|---|---|---|---|")
    seconds, rss, output, code = build(corpus("baseline"))
    print(f"| the sample article alone (baseline) | {seconds:.1f} s | {rss:.0f} MB | {outcome(output, code)} |")
    everything = corpus("everything")
    for label, make in ROWS:
        folder = corpus(label.split()[0] + "-" + make.__name__)
        make(folder / "articles")
        make(everything / "articles")
        seconds, rss, output, code = build(folder)
        print(f"| {label} | {seconds:.1f} s | {rss:.0f} MB | {outcome(output, code)} |", flush=True)
        shutil.rmtree(folder, ignore_errors=True)
    seconds, rss, output, code = build(everything)
    print(f"| all of the above in one corpus | {seconds:.1f} s | {rss:.0f} MB | {outcome(output, code)} |")
    shutil.rmtree(HERE, ignore_errors=True)


if __name__ == "__main__":
    main()
