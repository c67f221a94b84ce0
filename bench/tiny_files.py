"""Many tiny files: does touching one cost in proportion to what changed? (file scan included)

Writes N tiny articles (default 100 000), each a title and two one-sentence paragraphs,
each paragraph one of 400 (12 words at random), combined so that no two articles are alike
(two sharing a paragraph are 25% similar: the syndication merge keeps every one) while
the embedding cache, after 800 chunks, makes the first build quick. Then builds, rebuilds with nothing
changed, touches one file (new modification time, same text), edits another, adds one and
deletes one, timing each rebuild with its stages (and the file scan alone, once).

    .venv/bin/python bench/tiny_files.py [N]
    .venv/bin/python bench/tiny_files.py N --again   # then, in a fresh process: the rebuilds again
    .venv/bin/python bench/tiny_files.py N --compare # each change built both ways, side by side
    .venv/bin/python bench/tiny_files.py N --graph   # after a first run: the HNSW graph patched vs rebuilt

`--compare` copies the index after the full build and, for each change, builds it twice,
interleaved: once as the build runs (an edit patches the current snapshot) and once with
the patch turned off (the snapshot written whole, as before `qabot.indexing.patch`).
`--graph` (over the corpus and index a first run left, no full build) does the same for the
HNSW graph alone: each edit, addition and deletion patched with the graph extended in place
(`qabot.indexing.vectors`) and with the graph built again, as before.
"""

from __future__ import annotations

import os
import random
import shutil
import sys
import time

from common import WORK, corpus_folder, machine, settings_for

WORDS = ("minister talks Geneva ferry harbour Monday budget election council river storm vote bridge port strike "
         "union pay deal court judge trial police city mayor tram line school teacher hospital doctor nurse farm "
         "price market bank rate oil gas power plant wind solar water flood fire road rail train bus airport "
         "flight pilot army navy border treaty summit leader party poll seat senate law tax fund grant report "
         "study data survey museum film music festival team match goal coach player club league cup title").split()
POOL = 400  # paragraphs in each of two pools: 400 x 400 articles, no two alike, 800 chunks to embed


def paragraph(pool: int, n: int) -> str:
    """One of the pool's paragraphs: 12 words drawn at random, so two paragraphs share no 5-word run."""
    rng = random.Random(pool * POOL + n)
    return " ".join(rng.choice(WORDS) for _ in range(12)).capitalize() + "."


def timed(build):
    """(the build's report, CPU seconds of this process while it ran): on a shared machine
    the CPU time says more than the wall time."""
    started = time.process_time()
    report = build()
    return report, time.process_time() - started


def main() -> None:
    again, compare, graph = "--again" in sys.argv, "--compare" in sys.argv, "--graph" in sys.argv
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    count = int(args[0]) if args else 100_000
    from qabot.indexing.build import build_index

    root = WORK / "tiny" / "articles"
    if not again and not graph:
        shutil.rmtree(root.parent, ignore_errors=True)
        for i in range(count):
            folder = root / f"{i // 1000:03d}"
            if i % 1000 == 0:
                folder.mkdir(parents=True)
            (folder / f"{i}.txt").write_text(f"Story {i}\n\n{paragraph(0, i % POOL)}\n\n{paragraph(1, i // POOL % POOL)}\n")
    settings = settings_for(corpus_folder("tiny", [root]))
    print(f"{count} tiny files; {machine()}; load average {os.getloadavg()[0]:.1f}")
    if graph:
        graph_side_by_side(settings, root, count)
        return
    if again:  # a fresh process over the corpus and index a first run left, as `qabot index build` runs
        rebuilds(settings, root, count)
        return
    full, cpu = timed(lambda: build_index(settings, from_scratch=True))
    print(f"full build: {full.seconds:.1f} s ({cpu:.1f} s CPU), {full.articles} articles, {full.copies} merged copies; "
          "stages " + ", ".join(f"{k} {v:.1f} s" for k, v in full.stages.items()))
    if compare:
        side_by_side(settings, root, full.seconds)
        return
    nothing, cpu = timed(lambda: build_index(settings))
    print(f"nothing changed: {nothing.seconds:.2f} s ({cpu:.2f} s CPU; "
          f"{100 * nothing.seconds / full.seconds:.1f}% of the full build)")
    touched = root / "000" / "7.txt"
    os.utime(touched, (time.time() + 5, time.time() + 5))
    report, cpu = timed(lambda: build_index(settings))
    print(f"one file touched: {report.seconds:.2f} s ({cpu:.2f} s CPU; {100 * report.seconds / full.seconds:.1f}%); "
          "stages " + ", ".join(f"{k} {v:.2f} s" for k, v in report.stages.items()))
    edited = root / "001" / "1500.txt"
    edited.write_text("Story edited\n\nThe storm reached the harbour on Tuesday night.\n")
    report, cpu = timed(lambda: build_index(settings))
    print(f"one file edited: {report.seconds:.2f} s ({cpu:.2f} s CPU; {100 * report.seconds / full.seconds:.1f}%), "
          f"{report.embedded} chunks embedded; stages " + ", ".join(f"{k} {v:.2f} s" for k, v in report.stages.items()))
    (root / "050" / "new.txt").write_text("Story added\n\nThe council met on Thursday to vote on the tram.\n")
    report, cpu = timed(lambda: build_index(settings))
    print(f"one file added: {report.seconds:.2f} s ({cpu:.2f} s CPU; {100 * report.seconds / full.seconds:.1f}%), "
          f"{report.new} new; stages " + ", ".join(f"{k} {v:.2f} s" for k, v in report.stages.items()))
    (root / "002" / "2500.txt").unlink()
    report, cpu = timed(lambda: build_index(settings))
    print(f"one file deleted: {report.seconds:.2f} s ({cpu:.2f} s CPU; {100 * report.seconds / full.seconds:.1f}%), "
          f"{report.deleted} deleted; stages " + ", ".join(f"{k} {v:.2f} s" for k, v in report.stages.items()))
    scan_alone(settings)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


def side_by_side(settings, root, full_seconds: float) -> None:
    """Each change built with the patch and without it, in two copies of the index."""
    from dataclasses import replace

    from qabot.indexing import build

    whole_dir = settings.index_dir.parent / "index-whole"
    shutil.rmtree(whole_dir, ignore_errors=True)
    shutil.copytree(settings.index_dir, whole_dir, ignore=shutil.ignore_patterns(".lock"))
    whole = replace(settings, index=replace(settings.index, dir=str(whole_dir)))
    patch = build._patch

    def run(label: str, which: str) -> None:
        build._patch = patch if which == "patched" else (lambda *a, **k: None)
        report, cpu = timed(lambda: build.build_index(settings if which == "patched" else whole))
        print(f"{label}, {which}: {report.seconds:.2f} s ({cpu:.2f} s CPU; {100 * report.seconds / full_seconds:.1f}% "
              f"of the full build), {report.embedded} embedded, load {os.getloadavg()[0]:.1f}; stages "
              + ", ".join(f"{k} {v:.2f} s" for k, v in report.stages.items()), flush=True)

    later = time.time() + 60
    changes = [
        ("one file touched", lambda: os.utime(root / "000" / "7.txt", (later, later))),
        ("one file edited", lambda: (root / "001" / "1500.txt").write_text(
            "Story edited\n\nThe storm reached the harbour on Tuesday night.\n")),
        ("one file added", lambda: (root / "005" / "new.txt").write_text(
            "Story added\n\nThe council met on Thursday to vote on the tram.\n")),
        ("one file deleted", lambda: (root / "002" / "2500.txt").unlink()),
    ]
    for n, (label, change) in enumerate(changes):
        change()
        for which in (("patched", "whole") if n % 2 == 0 else ("whole", "patched")):
            run(label, which)
    scan_alone(settings)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


def graph_side_by_side(settings, root, count: int) -> None:
    """Each change built twice, interleaved, in two copies of the index: the HNSW graph
    extended in place, and built again whole (the patch otherwise the same)."""
    from dataclasses import replace

    from qabot.embedding import load_embedder
    from qabot.indexing import build, patch, vectors

    rebuilt_dir = settings.index_dir.parent / "index-graph-rebuilt"
    shutil.rmtree(rebuilt_dir, ignore_errors=True)
    shutil.copytree(settings.index_dir, rebuilt_dir, ignore=shutil.ignore_patterns(".lock"))
    rebuilt = replace(settings, index=replace(settings.index, dir=str(rebuilt_dir)))
    patch_graph = vectors.patch_graph
    load_embedder(settings.model)

    def run(label: str, which: str) -> None:
        patch.patch_graph = patch_graph if which == "graph patched" else (lambda *a, **k: False)
        report, cpu = timed(lambda: build.build_index(settings if which == "graph patched" else rebuilt))
        print(f"{label}, {which}: {report.seconds:.2f} s ({cpu:.2f} s CPU), patched {report.patched}, "
              f"load {os.getloadavg()[0]:.1f}; stages " + ", ".join(f"{k} {v:.2f} s" for k, v in report.stages.items()),
              flush=True)

    def file(i: int):
        return root / f"{i // 1000:03d}" / f"{i}.txt"

    later = time.time()
    changes = [
        ("one file edited", lambda: file(count // 3).write_text(
            f"Story edited {later}\n\nThe ferry left the harbour on Friday.\n")),
        ("one file added", lambda: (file(count // 4).parent / f"added-{later:.0f}.txt").write_text(
            f"Story added\n\nThe council met on Wednesday {later:.0f} to vote on the harbour tram.\n")),
        ("one file deleted", lambda: file(count // 5 + 1).unlink(missing_ok=True)),
    ]
    for n, (label, change) in enumerate(changes):
        change()
        for which in (("graph patched", "graph rebuilt") if n % 2 == 0 else ("graph rebuilt", "graph patched")):
            run(label, which)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


def scan_alone(settings) -> None:
    """The walk alone (one `os.scandir` a folder, one `stat` a file), timed on its own."""
    from qabot.sources import scan_files

    started, cpu = time.perf_counter(), time.process_time()
    scan = scan_files(settings.article_paths, settings.corpus.extensions)
    print(f"the file scan alone: {time.perf_counter() - started:.2f} s ({time.process_time() - cpu:.2f} s CPU), "
          f"{sum(1 for _ in scan.files())} files")


def rebuilds(settings, root, count: int) -> None:
    """`--again`: nothing changed, one file touched, then (the model loaded first, untimed)
    one file edited, each timed in this fresh process."""
    from qabot.embedding import load_embedder
    from qabot.indexing.build import build_index

    def run(label: str) -> None:
        report, cpu = timed(lambda: build_index(settings))
        print(f"{label}: {report.seconds:.2f} s wall, {cpu:.2f} s CPU, load average {os.getloadavg()[0]:.1f}; "
              "stages " + ", ".join(f"{k} {v:.2f} s" for k, v in report.stages.items()), flush=True)

    def file(i: int):
        return root / f"{i // 1000:03d}" / f"{i}.txt"

    later = time.time() + 60
    run("nothing changed")
    os.utime(file(count // 2), (later, later))
    run("one file touched")
    load_embedder(settings.model)
    file(count // 3).write_text(f"Story edited {later}\n\nThe ferry left the harbour on Friday.\n")
    run("one file edited")
    (file(count // 4).parent / f"added-{later:.0f}.txt").write_text(  # text of its own: not a copy of an earlier run's
        f"Story added\n\nThe council met on Thursday {later:.0f} to vote on the new tram depot.\n")
    run("one file added")
    file(count // 5).unlink(missing_ok=True)
    run("one file deleted")
    scan_alone(settings)


if __name__ == "__main__":
    main()
