"""Milvus-lite against the local snapshot: `ask()` latency and top-1 on the 76 news questions, one run.

Both backends answer from the same BBC build ($QABOT_BENCH_DIR/bbc, shared with the other
bench scripts): the local snapshot (FAISS + BM25 files) and an embedded milvus-lite file
written from it by `build_index` with `[backend] kind = "milvus"` (the vectors come from
the embedding cache, so only the Milvus write is new work). Questions are asked in turn of
one backend and then the other, so a busy machine slows both alike; each is asked once
unmeasured first (warm-up). Top-1 is judged as bench/retrieval_quality.py judges it: the
expected words are in the first passage `Retriever.search` returns.

    .venv/bin/python bench/milvus_vs_local.py
"""

from __future__ import annotations

import time

from common import bbc_settings, machine, ms, p50_p95, save_result
from retrieval_quality import QUESTION_SETS, load_questions


def main() -> None:
    from dataclasses import replace

    from qabot.answering.library import Library
    from qabot.indexing.build import build_index

    local = bbc_settings()
    milvus = replace(local, backend=replace(local.backend, kind="milvus", uri="index/milvus.db", collection="bench"))
    tick = time.perf_counter()
    report = build_index(milvus)
    milvus_write = time.perf_counter() - tick
    libraries = {"local snapshot": Library.open(local), "milvus-lite 2.5.1": Library.open(milvus)}
    questions = [q for path in QUESTION_SETS.values() for q in load_questions(path)]

    for q in questions[:5]:  # warm-up, not counted
        for library in libraries.values():
            library.ask(q["question"])
    seconds = {name: [] for name in libraries}
    top1 = {name: 0 for name in libraries}
    for q in questions:
        for name, library in libraries.items():
            answer = library.ask(q["question"])
            seconds[name].append(answer.timings["total"])
            hits = library._loaded.retriever.search(q["question"])
            top1[name] += bool(hits) and q["expect"] in hits[0].chunk.text

    print(f"ask() over {report.articles} BBC articles ({report.chunks} chunks), {len(questions)} questions; "
          f"{machine()}; the machine was shared with other jobs while this ran")
    print(f"Milvus write (build with the vectors cached): {milvus_write:.1f} s\n")
    print("| backend | ask() p50 | ask() p95 | top-1 |")
    print("|---|---|---|---|")
    figures = {}
    for name in libraries:
        f = p50_p95(seconds[name])
        figures[name] = {**f, "top1": top1[name], "questions": len(questions)}
        print(f"| {name} | {ms(f['p50'])} | {ms(f['p95'])} | {top1[name]}/{len(questions)} |")
    save_result("milvus_vs_local", {"chunks": report.chunks, "milvus_write_s": milvus_write, **figures})


if __name__ == "__main__":
    main()
