"""Are rebuilds cheap when little changed? (target: nothing changed < 5% of a full build)

Copies the BBC corpus to a scratch folder, builds it once, then times three rebuilds:
nothing changed; 1% of the articles touched (new modification time, same content); 1% of
the articles edited in every paragraph, so all their chunks are new text. It reports wall
time and chunks re-embedded (expected: 0, 0 and about 1% of the chunks) and compares each
with the full build time measured by bench/build_throughput.py (or measured here when that
has not been run).

    .venv/bin/python bench/rebuild.py
"""

from __future__ import annotations

import os
import random
import shutil
import time

from common import BBC, CATEGORIES, SAMPLE, WORK, corpus_folder, load_result, machine, require_bbc, save_result, settings_for

SHARE = 0.01


def copy_corpus(target) -> list:
    """A fresh copy of the BBC corpus (plus the sample article); its article files."""
    require_bbc()
    shutil.rmtree(target, ignore_errors=True)
    for category in CATEGORIES:
        shutil.copytree(BBC / category, target / category)
    shutil.copy2(SAMPLE, target / SAMPLE.name)
    return sorted(p for p in target.rglob("*.txt"))


def seed_cache(settings) -> None:
    """Start from the embeddings the BBC index already has, so the first build is quick."""
    cached = WORK / "bbc" / "index" / "cache" / "embeddings.sqlite"
    target = settings.index_dir / "cache" / "embeddings.sqlite"
    if cached.is_file() and not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cached, target)


def edit(path) -> None:
    """A correction in every paragraph: each paragraph (not the title line) gets a sentence more."""
    title, _, body = path.read_text(encoding="utf-8", errors="replace").partition("\n")
    paragraphs = [p.rstrip() + " This paragraph was corrected." if p.strip() else p for p in body.split("\n\n")]
    path.write_text(title + "\n" + "\n\n".join(paragraphs), encoding="utf-8")


def main() -> None:
    from qabot.indexing.build import build_index

    folder = WORK / "rebuild"
    files = copy_corpus(folder / "articles")
    settings = settings_for(corpus_folder("rebuild", [folder / "articles"]))
    # A fresh index each run: a cache kept from the last run would already hold the edited texts.
    shutil.rmtree(settings.index_dir, ignore_errors=True)
    seed_cache(settings)
    first = build_index(settings, from_scratch=True)
    full = load_result("build_throughput")
    if full is None:
        print("(bench/build_throughput.py has not been run: measuring a full build without cache here)")
        measured = build_index(settings, from_scratch=True, use_cache=False)
        full_seconds = measured.seconds
    else:
        full_seconds = full["build_seconds"]

    rows = []
    nothing = build_index(settings)
    rows.append(("nothing changed", nothing.seconds, nothing.embedded, nothing.up_to_date, nothing.stages))

    picked = random.Random(5).sample(files, max(1, round(len(files) * SHARE)))
    now = time.time()
    for path in picked:
        os.utime(path, (now, now))
    touched = build_index(settings)
    rows.append((f"{len(picked)} articles touched (1%)", touched.seconds, touched.embedded, touched.up_to_date, touched.stages))

    for path in picked:
        edit(path)
    edited = build_index(settings)
    rows.append((f"{len(picked)} articles edited (1%)", edited.seconds, edited.embedded, edited.up_to_date, edited.stages))

    figures = {
        "articles": first.articles, "chunks": first.chunks, "full_build_seconds": full_seconds,
        "first_build_from_cache_seconds": first.seconds,
        "rows": [{"case": c, "seconds": s, "embedded": e, "share_of_full": s / full_seconds,
                  "embedded_share": e / edited.chunks, "stages": st} for c, s, e, _, st in rows],
        "machine": machine(),
    }
    save_result("rebuild", figures)
    print(f"Rebuilds of {first.articles} articles / {first.chunks} chunks; full build without cache "
          f"{full_seconds:.1f} s; {machine()}")
    print(f"(first build of the copy, every embedding from the cache: {first.seconds:.1f} s)")
    print("| change | wall time | vs full build | chunks re-embedded | where the time goes |")
    print("|---|---|---|---|---|")
    for case, seconds, embedded, up_to_date, stages in rows:
        note = " (up to date)" if up_to_date else ""
        where = ", ".join(f"{k} {v:.1f} s" for k, v in stages.items()) or "files' sizes and times compared"
        print(f"| {case} | {seconds:.2f} s{note} | {seconds / full_seconds:.1%} | {embedded} "
              f"({embedded / edited.chunks:.2%}) | {where} |")


if __name__ == "__main__":
    main()
