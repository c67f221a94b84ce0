"""Warm query latency per stage, peak memory, and HNSW recall, at three index sizes.

Sizes: the BBC corpus as indexed (~11.6k chunks), and 100 000 and 1 000 000 chunks made
from it: the BBC chunks and articles replicated, each copy's vectors the real ones plus a
little noise (re-normalised), so no hours of embedding are needed yet the vectors keep a
realistic shape. BM25 is fitted on the replicated text. Each size runs in a fresh process
(peak RSS is that process's), answering 200 varied questions after 10 warm-up ones.

    .venv/bin/python bench/query_latency.py            # all sizes
    .venv/bin/python bench/query_latency.py bbc 100000 # some
    .venv/bin/python bench/query_latency.py 100000f    # filtered questions (issue #13)
    .venv/bin/python bench/query_latency.py --against OLD 1000000  # before/after, interleaved

`--against OLD` (a folder holding another version's `qabot/` package, e.g. made by
`git archive COMMIT qabot | tar -x -C OLD`) answers the same 200 questions in two processes
on the same index, one running OLD's code and one this tree's, each question asked of both
in turn (which goes first alternates), and prints both processes' wall and CPU (thread
time) p50 / p95 / p99 of `ask()`: a before/after under the same load. No stage split here.

A size ending in "f" measures filtered questions too. The BBC articles carry no dates or
outlets, so that index gives each article a published day (uniform over 2004-2005) and
one of five outlets; the same 200 questions are then asked unfiltered, limited to one
month (~4% of the chunks: scored exactly) and to one outlet (~20%: FAISS searches through
an IDSelectorBitmap). Filters are applied inside retrieval, so this is their real cost.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from datetime import date, timedelta

import numpy as np

from common import REPO, WORK, bbc_paths, corpus_folder, machine, ms, percentile, settings_for
from questions import bbc_questions

STAGES = ("bm25", "dense", "fusion", "answer", "total")


OUTLETS = ("Harbour Times", "Capital Wire", "Moscow Ledger", "River Gazette", "Valley Post")


def scaled_folder(size: int, dated: bool = False):
    """An index folder of `size` chunks built from the BBC index (reused when present).

    `dated` gives every article a published day and an outlet (for the filtered case).
    """
    from qabot.indexing.build import build_index
    from qabot.records import Article, Chunk, Description, Paragraph, Quote
    from qabot.indexing.snapshot import IndexFolder, Snapshot, SnapshotContent

    folder = corpus_folder(f"scale-{size}{'-dated' if dated else ''}", bbc_paths())
    settings = settings_for(folder)
    index = IndexFolder(settings.index_dir)
    if index.current_name() is not None:
        return settings
    base_settings = settings_for(corpus_folder("bbc", bbc_paths()))
    build_index(base_settings)
    base = Snapshot.load(IndexFolder(base_settings.index_dir).current_path())
    vectors = base.vectors.all()
    chunk_rows = base.query("SELECT id, article_id, paragraph, start, end, text FROM chunks ORDER BY id")
    article_rows = base.query("SELECT id, title, source, url, published, author, path, content_hash, text FROM articles")
    paragraphs: dict[str, list[Paragraph]] = {}
    for aid, number, start, text in base.query("SELECT article_id, number, start, text FROM paragraphs ORDER BY article_id, number"):
        paragraphs.setdefault(aid, []).append(Paragraph(number, text, start))
    quotes = base.query("SELECT article_id, paragraph, speaker, text, start, end FROM quotes")
    descriptions = base.query("SELECT article_id, paragraph, name, text, start, end FROM descriptions")
    people = base.query("SELECT article_id, name FROM people")
    copies = -(-size // len(chunk_rows))
    rng = np.random.default_rng(0)
    articles, chunks, all_vectors, all_quotes, all_desc, all_people = [], [], [], [], [], []
    for copy in range(copies):
        tag = lambda aid: aid if copy == 0 else f"{aid}-{copy}"  # noqa: E731
        if dated:
            days = rng.integers(0, 731, len(article_rows))
            meta = [(OUTLETS[int(d) % len(OUTLETS)], (date(2004, 1, 1) + timedelta(days=int(d))).isoformat()) for d in days]
        else:
            meta = [(a[2], a[4]) for a in article_rows]
        articles += [Article(tag(a[0]), a[1], a[8], tuple(paragraphs[a[0]]), a[6], a[7], source, a[3], published, a[5])
                     for a, (source, published) in zip(article_rows, meta)]
        chunks += [Chunk(len(chunks) + i, tag(c[1]), c[2], c[3], c[4], c[5]) for i, c in enumerate(chunk_rows)]
        # Noise 0.05 per dimension moves a copy about as far from its original as two
        # different BBC paragraphs on one story are apart, so HNSW recall is not flattered.
        noisy = vectors if copy == 0 else vectors + rng.normal(0, 0.05, vectors.shape).astype(np.float32)
        all_vectors.append(noisy / np.linalg.norm(noisy, axis=1, keepdims=True))
        all_quotes += [Quote(tag(q[0]), *q[1:]) for q in quotes]
        all_desc += [Description(tag(d[0]), *d[1:]) for d in descriptions]
        all_people += [(tag(p[0]), p[1]) for p in people]
    chunks = chunks[:size]
    kept = {c.article_id for c in chunks}
    content = SnapshotContent([a for a in articles if a.id in kept], chunks, np.vstack(all_vectors)[:size],
                              [q for q in all_quotes if q.article_id in kept], [d for d in all_desc if d.article_id in kept],
                              [p for p in all_people if p[0] in kept])
    index.write(content, {"model_id": base.manifest.model_id, "model_name": base.manifest.model_name,
                          "max_tokens": base.manifest.max_tokens, "corpus_fingerprint": f"synthetic-{size}",
                          "files_fingerprint": f"synthetic-{size}"})
    return settings


def hnsw_recall(snapshot, library, asked: list[str]) -> float | None:
    """recall@10 of the approximate index against exact search, on the real questions."""
    import faiss

    if not snapshot.vectors.is_graph:
        return None
    vectors = snapshot.vectors.all()
    exact = faiss.IndexFlatIP(vectors.shape[1])
    exact.add(vectors)
    found = []
    for q in asked[:100]:
        v = library.embedder.encode_query(q)[None, :]
        approx, _ = snapshot.vectors.search(v[0], 10, ef_search=getattr(library.retriever, "ef_search", 512))
        _, truth = exact.search(v, 10)
        found.append(len(set(approx.tolist()) & set(truth[0])) / 10)
    return float(np.mean(found))


FILTERS = {
    "unfiltered": {},
    "one month": {"since": date(2005, 3, 1), "until": date(2005, 3, 31)},
    "one outlet": {"sources": ("Capital Wire",)},
}


def measure(size: str) -> dict:
    from qabot.answering.library import Library

    if size.endswith("f"):
        return measure_filtered(int(size[:-1]))
    settings = settings_for(corpus_folder("bbc", bbc_paths())) if size == "bbc" else scaled_folder(int(size))
    if size == "bbc":
        from qabot.indexing.build import build_index

        build_index(settings)
    start = time.perf_counter()
    library = Library.open(settings)
    load = time.perf_counter() - start
    asked = bbc_questions(library.snapshot)
    for q in asked[:10]:
        library.ask(q)
    timings = {s: [] for s in STAGES}
    for q in asked:
        answer = library.ask(q)
        for s in STAGES:
            # A stage a question did not need (a "what did X say" answered from the quote
            # index skips fusion) is left out, not counted as 0 ms.
            if s in answer.timings:
                timings[s].append(answer.timings[s])
    # Peak memory before the recall check below loads every vector into an exact index.
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "size": size, "chunks": library.snapshot.manifest.chunks, "index": library.snapshot.manifest.faiss_index,
        "load_s": load, "rss_mb": rss_mb,
        "p50": {s: percentile(v, 50) for s, v in timings.items()}, "p95": {s: percentile(v, 95) for s, v in timings.items()},
        "recall10": hnsw_recall(library.snapshot, library, asked),
    }


def measure_filtered(size: int) -> dict:
    """The same questions unfiltered, within one month and within one outlet."""
    from qabot.answering.library import Library

    library = Library.open(scaled_folder(size, dated=True))
    asked = bbc_questions(library.snapshot)
    rows = {}
    for name, limits in FILTERS.items():
        for q in asked[:10]:
            library.ask(q, **limits)
        timings = {s: [] for s in STAGES}
        passages = []
        for q in asked:
            answer = library.ask(q, **limits)
            passages.append(len(answer.citations or answer.closest))
            for s in STAGES:
                if s in answer.timings:
                    timings[s].append(answer.timings[s])
        selection = library._loaded.catalog.get().select(_scope(limits))
        rows[name] = {"p50": {s: percentile(v, 50) for s, v in timings.items()},
                      "p95": {s: percentile(v, 95) for s, v in timings.items()},
                      "share": selection.chunks / library.snapshot.manifest.chunks,
                      "passages": float(np.mean(passages))}
    return {"size": f"{size}f", "chunks": library.snapshot.manifest.chunks, "index": library.snapshot.manifest.faiss_index,
            "filtered": rows}


def _scope(limits: dict):
    from qabot.search import Scope

    return Scope(limits.get("since"), limits.get("until"), tuple(limits.get("sources", ())))


def serve(size: str) -> None:
    """Answer questions read one a line from stdin; one JSON line of wall and CPU each."""
    import qabot
    from qabot.answering.library import Library

    print(f"serving from {qabot.__file__}", file=sys.stderr)
    settings = settings_for(corpus_folder("bbc", bbc_paths())) if size == "bbc" else scaled_folder(int(size))
    library = Library.open(settings)
    print(json.dumps(bbc_questions(library.snapshot)), flush=True)
    for line in sys.stdin:
        question = json.loads(line)
        wall, cpu = time.perf_counter(), time.thread_time()
        library.ask(question)
        print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.thread_time() - cpu}), flush=True)


def interleaved(old_tree: str, size: str) -> None:
    """This tree's `ask()` against OLD's on one index, question by question (see the docstring)."""
    import os

    children = {}
    for name, tree in (("before", old_tree), ("after", str(REPO))):
        env = {**os.environ, "PYTHONPATH": tree, "QABOT_TREE": tree}
        children[name] = subprocess.Popen([sys.executable, __file__, "--serve", size], stdin=subprocess.PIPE,
                                          stdout=subprocess.PIPE, text=True, env=env)
    asked = [json.loads(c.stdout.readline()) for c in children.values()]
    assert asked[0] == asked[1], "the two versions drew different questions"
    asked = asked[0]

    def ask(name: str, question: str) -> dict:
        children[name].stdin.write(json.dumps(question) + "\n")
        children[name].stdin.flush()
        return json.loads(children[name].stdout.readline())

    for q in asked[:10]:
        ask("before", q), ask("after", q)
    times = {name: [] for name in children}
    for i, q in enumerate(asked):
        for name in (("before", "after") if i % 2 == 0 else ("after", "before")):
            times[name].append(ask(name, q))
    for child in children.values():
        child.stdin.close()
        child.wait()
    print(f"ask() over {len(asked)} questions at {size} chunks, interleaved, wall / CPU (thread time); {machine()}; "
          f"load average {os.getloadavg()[0]:.1f} at the end\n")
    print("| code | wall p50 | wall p95 | wall p99 | CPU p50 | CPU p95 | CPU p99 |\n|---|---|---|---|---|---|---|")
    for name, rows in times.items():
        cells = [ms(percentile([r[kind] for r in rows], p)) for kind in ("wall", "cpu") for p in (50, 95, 99)]
        print(f"| {name} | " + " | ".join(cells) + " |")


def main(sizes: list[str]) -> None:
    if len(sizes) == 2 and sizes[0] == "--child":
        print(json.dumps(measure(sizes[1])))
        return
    if len(sizes) == 2 and sizes[0] == "--serve":
        serve(sizes[1])
        return
    if len(sizes) == 3 and sizes[0] == "--against":
        interleaved(sizes[1], sizes[2])
        return
    results = []
    for size in sizes or ["bbc", "100000", "1000000"]:
        done = subprocess.run([sys.executable, __file__, "--child", size], capture_output=True, text=True)
        if done.returncode != 0:
            print(done.stderr[-2000:], file=sys.stderr)
            continue
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(f"Warm ask() latency over 200 questions, per stage (p50 / p95); {machine()}\n")
    print("| chunks | vector index | " + " | ".join(STAGES) + " | peak RSS | load | HNSW recall@10 |")
    print("|---|---|" + "---|" * len(STAGES) + "---|---|---|")
    for r in [r for r in results if "filtered" in r]:
        print(f"\nFiltered questions at {r['chunks']:,} chunks ({r['index']}), p50 / p95:\n")
        print("| filter | share of chunks | passages cited (mean) | " + " | ".join(STAGES) + " |")
        print("|---|---|---|" + "---|" * len(STAGES))
        for name, row in r["filtered"].items():
            cells = " | ".join(f"{ms(row['p50'][s])} / {ms(row['p95'][s])}" for s in STAGES)
            print(f"| {name} | {row['share']:.1%} | {row.get('passages', float('nan')):.1f} | {cells} |")
    for r in [r for r in results if "filtered" not in r]:
        cells = " | ".join(f"{ms(r['p50'][s])} / {ms(r['p95'][s])}" for s in STAGES)
        recall = f"{r['recall10']:.3f}" if r["recall10"] is not None else "exact"
        print(f"| {r['chunks']:,} | {r['index']} | {cells} | {r['rss_mb']:.0f} MB | {r['load_s']:.1f} s | {recall} |")


if __name__ == "__main__":
    import os

    if os.environ.get("QABOT_TREE"):  # --against: this child runs that tree's qabot
        sys.path.insert(0, os.environ["QABOT_TREE"])
    WORK.mkdir(parents=True, exist_ok=True)
    main(sys.argv[1:])
