"""Index build throughput, and rebuilds with nothing / 1% changed, on the BBC News corpus.

1. Full build of a copy of the BBC corpus with an empty embedding cache: chunks/s, next
   to raw `SentenceTransformer.encode` on the same chunk texts in the same process.
2. Rebuild with nothing changed; then with 1% of the articles edited: wall time and
   chunks re-embedded.

    .venv/bin/python bench/build_speed.py
"""

from __future__ import annotations

import shutil
import time

from common import CATEGORIES, SAMPLE, WORK, corpus_folder, machine, require_bbc, settings_for


def main() -> None:
    from qabot.config import ModelSettings
    from qabot.embedding import load_embedder
    from qabot.indexer import build_index
    from qabot.snapshot import IndexFolder, Snapshot

    bbc = require_bbc()
    copy = WORK / "bbc-copy"
    shutil.rmtree(copy, ignore_errors=True)
    for category in CATEGORIES:
        shutil.copytree(bbc / category, copy / category)
    shutil.copy(SAMPLE, copy / SAMPLE.name)
    folder = corpus_folder("build-speed", [copy])
    shutil.rmtree(folder / "index", ignore_errors=True)
    settings = settings_for(folder)
    embedder = load_embedder(ModelSettings())  # loaded once, outside both timings

    report = build_index(settings)
    full = report.seconds
    snapshot = Snapshot.load(IndexFolder(settings.index_dir).current_path())
    texts = [row[0] for row in snapshot.query("SELECT text FROM chunks ORDER BY id")]
    unique = list(dict.fromkeys(texts))
    start = time.perf_counter()
    embedder.model.encode(unique, batch_size=settings.model.batch_size, normalize_embeddings=True, show_progress_bar=False)
    raw = time.perf_counter() - start
    pipeline_rate = report.chunks / full
    raw_rate = len(unique) / raw
    embedded_rate = report.embedded / full

    nothing = build_index(settings)
    changed_files = sorted(copy.glob("*/*.txt"))[:: 100]  # 1% of the articles
    for path in changed_files:
        path.write_text(path.read_text(encoding="latin-1") + "\nThis paragraph was added for the rebuild benchmark.\n",
                        encoding="latin-1")
    one_percent = build_index(settings)

    print(f"Build speed on {report.articles} articles, {report.chunks} chunks ({report.embedded} unique texts embedded); {machine()}\n")
    print("| measurement | figure |")
    print("|---|---|")
    print(f"| full build, wall time | {full:.1f} s ({', '.join(f'{k} {v:.1f} s' for k, v in report.stages.items())}) |")
    print(f"| full build throughput | {pipeline_rate:.0f} chunks/s ({embedded_rate:.0f} embedded texts/s) |")
    print(f"| raw SentenceTransformer.encode, same texts | {raw_rate:.0f} texts/s ({raw:.1f} s) |")
    print(f"| pipeline overhead over raw encode | {(full - raw) / raw * 100:+.1f}% of encode time |")
    print(f"| rebuild, nothing changed | {nothing.seconds:.2f} s ({nothing.seconds / full * 100:.2f}% of full build), 0 chunks re-embedded |")
    print(f"| rebuild, {len(changed_files)} articles (1%) changed | {one_percent.seconds:.1f} s ({one_percent.seconds / full * 100:.1f}% of full build), "
          f"{one_percent.embedded} of {one_percent.chunks} chunks re-embedded ({one_percent.embedded / one_percent.chunks * 100:.2f}%) |")


if __name__ == "__main__":
    main()
