"""Many tiny files: does touching one cost in proportion to what changed? (file scan included)

Writes N tiny articles (default 100 000; each a title and one sentence, from a few hundred
distinct sentences so the embedding cache makes the first build quick), builds, then
touches one file (new modification time, same text) and edits another, timing each
rebuild with its stages.

    .venv/bin/python bench/tiny_files.py [N]
"""

from __future__ import annotations

import os
import shutil
import sys
import time

from common import WORK, corpus_folder, machine, settings_for

WORDS = "minister talks Geneva ferry harbour Monday budget election council river storm vote".split()


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    from qabot.indexing.build import build_index

    root = WORK / "tiny" / "articles"
    shutil.rmtree(root.parent, ignore_errors=True)
    for i in range(count):
        folder = root / f"{i // 1000:03d}"
        if i % 1000 == 0:
            folder.mkdir(parents=True)
        a, b, c = WORDS[i % 12], WORDS[(i // 12) % 12], WORDS[(i // 144) % 12]
        (folder / f"{i}.txt").write_text(f"Story {i}\n\nThe {a} said the {b} would meet the {c} again.\n")
    settings = settings_for(corpus_folder("tiny", [root]))
    print(f"{count} tiny files; {machine()}")
    full = build_index(settings, from_scratch=True)
    print(f"full build: {full.seconds:.1f} s, {full.articles} articles; stages " +
          ", ".join(f"{k} {v:.1f} s" for k, v in full.stages.items()))
    nothing = build_index(settings)
    print(f"nothing changed: {nothing.seconds:.2f} s ({100 * nothing.seconds / full.seconds:.1f}% of the full build)")
    touched = root / "000" / "7.txt"
    os.utime(touched, (time.time() + 5, time.time() + 5))
    report = build_index(settings)
    print(f"one file touched: {report.seconds:.2f} s ({100 * report.seconds / full.seconds:.1f}%); stages " +
          ", ".join(f"{k} {v:.2f} s" for k, v in report.stages.items()))
    edited = root / "001" / "1500.txt"
    edited.write_text("Story edited\n\nThe storm reached the harbour on Tuesday night.\n")
    report = build_index(settings)
    print(f"one file edited: {report.seconds:.2f} s ({100 * report.seconds / full.seconds:.1f}%), "
          f"{report.embedded} chunks embedded; stages " + ", ".join(f"{k} {v:.2f} s" for k, v in report.stages.items()))


if __name__ == "__main__":
    main()
