"""Milvus-lite against the local snapshot: `ask()` latency and top-1 on the 76 news questions,
at BBC scale and at 100 000 chunks, all four side by side in one run; and the Milvus write.

Each size's local snapshot is the one the other benches use: the BBC build
($QABOT_BENCH_DIR/bbc) and the 100 000-chunk index query_latency.py makes from it (BBC
chunks replicated, vectors the real ones plus a little noise). Its chunks and vectors are
written into an embedded milvus-lite file beside it (`index/milvus.db`) by the same
`stage_collection` a build uses, timed twice: written whole into an empty collection, then
brought back from a version where 1 % of the articles had changed (the difference a daily
build of a busy archive writes). Then the questions are asked of the four libraries in turn,
question by question, so a busy machine slows all alike; five are asked once first, unmeasured.
Top-1 is judged as bench/retrieval_quality.py judges it: the expected words are in the
first passage `Retriever.search` returns. Dense recall@10 is the share of the exact dense
top-10 (every stored vector scored) that each backend's dense search returns.

    .venv/bin/python bench/milvus_vs_local.py [--sizes bbc 100000] [--questions 76]
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import replace

from common import (
    bbc_paths,
    corpus_folder,
    machine,
    ms,
    p50_p95,
    save_result,
    settings_for,
)
from query_latency import scaled_folder
from retrieval_quality import QUESTION_SETS, load_questions

CHANGED_SHARE = 0.01


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["bbc", "100000"])
    parser.add_argument("--questions", type=int, default=76)
    args = parser.parse_args()

    from qabot.answering.library import Library
    from qabot.indexing.build import build_index

    libraries, writes = {}, {}
    for size in args.sizes:
        if size == "bbc":
            local = settings_for(corpus_folder("bbc", bbc_paths()))
            build_index(local)
        else:
            local = scaled_folder(int(size))
        milvus = replace(local, backend=replace(local.backend, kind="milvus", uri="index/milvus.db", collection="bench"))
        writes[size] = write_to_milvus(local, milvus)
        label = "BBC" if size == "bbc" else f"{int(size):,}"
        libraries[f"{label}, local snapshot"] = Library.open(local)
        libraries[f"{label}, milvus-lite 2.5.1"] = Library.open(milvus)
    questions = [q for path in QUESTION_SETS.values() for q in load_questions(path)][:args.questions]

    for q in questions[:5]:  # warm-up, not counted
        for library in libraries.values():
            library.ask(q["question"])
    seconds = {name: [] for name in libraries}
    top1 = {name: 0 for name in libraries}
    recall = {name: 0 for name in libraries}
    exact = {}  # per size: every chunk's vector, for the exact dense top-10
    for q in questions:
        for name, library in libraries.items():
            answer = library.ask(q["question"])
            seconds[name].append(answer.timings["total"])
            hits = library.retriever.search(q["question"])
            top1[name] += bool(hits) and q["expect"] in hits[0].chunk.text
            recall[name] += dense_recall(library, q["question"], exact)

    print(f"{len(questions)} questions; {machine()}; load average {os.getloadavg()[0]:.1f} at the end "
          f"(the machine was shared with other jobs)\n")
    print("| index | backend | ask() p50 | ask() p95 | top-1 | dense recall@10 vs exact |")
    print("|---|---|---|---|---|---|")
    figures = {}
    for name in libraries:
        f = p50_p95(seconds[name])
        figures[name] = {**f, "top1": top1[name], "questions": len(questions),
                         "dense_recall10": recall[name] / len(questions)}
        size, backend = name.split(", ")
        print(f"| {size} | {backend} | {ms(f['p50'])} | {ms(f['p95'])} | {top1[name]}/{len(questions)} | "
              f"{recall[name] / len(questions):.3f} |")
    print("\n| index | chunks | Milvus write, whole | 1 % of articles changed: rows upserted + deleted | seconds |")
    print("|---|---|---|---|---|")
    for size, w in writes.items():
        print(f"| {size} | {w['chunks']:,} | {w['whole_s']:.1f} s | {w['upserted']:,} + {w['deleted']:,} | "
              f"{w['diff_s']:.1f} s |")
    save_result("milvus_vs_local", {"writes": writes, **figures})


def dense_recall(library, question: str, exact: dict) -> float:
    """The share of the exact dense top-10 (by cosine, over every chunk's stored vector) that
    the backend's dense search returns; a tie at the tenth cosine counts as found."""
    import numpy as np

    snapshot = library.snapshot
    if snapshot.manifest.name not in exact:
        exact[snapshot.manifest.name] = snapshot.vectors.all()
    query = library.embedder.encode_query(question).astype(np.float32)
    tenth = np.sort(exact[snapshot.manifest.name] @ query)[-10]
    found = library.retriever.candidates(question, 10).dense
    return sum(cosine >= tenth - 1e-5 for cosine in list(found.values())[:10]) / 10


def write_to_milvus(local, milvus) -> dict:
    """Write the local snapshot's chunks into Milvus (timed: whole, then a 1 % difference), current."""
    import numpy as np

    from qabot.indexing import IndexFolder, Snapshot
    from qabot.indexing.milvus_store import connect, stage_collection
    from qabot.records import Chunk

    snapshot = Snapshot.load(IndexFolder(local.index_dir).current_path())
    try:
        m = snapshot.manifest
        articles = list(snapshot.stored_article_records().values())
        chunks = [Chunk(*row) for row in snapshot.query("SELECT id, article_id, paragraph, start, end, text FROM chunks ORDER BY id")]
        vectors = snapshot.vectors.all().astype(np.float32)
        name = m.name
    finally:
        snapshot.close()
    client = connect(milvus)  # start empty, so the first write is a whole one
    for collection in client.list_collections():
        if collection.startswith(milvus.backend.collection + "_"):
            client.drop_collection(collection)
    client.close()
    # The version "before": every hundredth article with another content hash, so its chunks get other keys.
    step = round(1 / CHANGED_SHARE)
    before = [replace(a, content_hash=a.content_hash + "-old") if i % step == 0 else a for i, a in enumerate(articles)]
    tick = time.perf_counter()
    stage_collection(milvus, before, chunks, vectors, m.model_id, m.model_name).abandon()  # not made current
    whole = time.perf_counter() - tick
    tick = time.perf_counter()
    staged = stage_collection(milvus, articles, chunks, vectors, m.model_id, m.model_name)
    diff = time.perf_counter() - tick
    staged.publish(name)
    assert not staged.written.whole, staged.written
    return {"chunks": len(chunks), "whole_s": whole, "diff_s": diff,
            "upserted": staged.written.upserted, "deleted": staged.written.deleted}


if __name__ == "__main__":
    main()
