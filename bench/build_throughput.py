"""How fast does a full build go, next to the model alone? (pipeline overhead target: <= 15%)

Builds the BBC News corpus from scratch with no embedding cache (ingest, chunking, embedding,
quotes, snapshot write), then, in the same process, times plain
`SentenceTransformer.encode` on exactly the chunk texts the build produced, with the same
batch size. Overhead = build time / raw encode time - 1 (model loading excluded).

The machine may be shared, so CPU time (all threads of this process) is reported next to
wall time: another process taking a core slows the wall clock but not the CPU count.

    .venv/bin/python bench/build_throughput.py
"""

from __future__ import annotations

import time

from common import bbc_paths, corpus_folder, machine, save_result, settings_for


def main() -> None:
    from qabot.embedding.model import load_embedder
    from qabot.indexing.build import build_index
    from qabot.indexing.snapshot import IndexFolder, Snapshot

    settings = settings_for(corpus_folder("bbc-throughput", bbc_paths()))
    load_embedder(settings.model)  # loaded once, outside both timings
    cpu = time.process_time()
    report = build_index(settings, from_scratch=True, use_cache=False)
    build_cpu = time.process_time() - cpu
    build_seconds = report.seconds - report.stages.get("load model", 0.0)

    snapshot = Snapshot.load(IndexFolder(settings.index_dir).current_path())
    texts = [row[0] for row in snapshot.query("SELECT text FROM chunks ORDER BY id")]
    snapshot.close()
    model = load_embedder(settings.model).model
    started, cpu = time.perf_counter(), time.process_time()
    model.encode(texts, batch_size=settings.model.batch_size, normalize_embeddings=True,
                 convert_to_numpy=True, show_progress_bar=False)
    raw_seconds, raw_cpu = time.perf_counter() - started, time.process_time() - cpu

    figures = {
        "articles": report.articles,
        "chunks": report.chunks,
        "build_seconds": build_seconds,
        "stages": report.stages,
        "build_chunks_per_s": report.chunks / build_seconds,
        "raw_encode_seconds": raw_seconds,
        "raw_chunks_per_s": len(texts) / raw_seconds,
        "overhead": build_seconds / raw_seconds - 1,
        "embed_stage_overhead": report.stages["embed"] / raw_seconds - 1,
        "build_cpu_seconds": build_cpu,
        "raw_encode_cpu_seconds": raw_cpu,
        "cpu_overhead": build_cpu / raw_cpu - 1,
        "machine": machine(),
    }
    save_result("build_throughput", figures)
    print(f"Full build of {report.articles} articles -> {report.chunks} chunks, no cache; {machine()}")
    print("stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in report.stages.items()))
    print(f"build (without model load): {build_seconds:.1f} s = {figures['build_chunks_per_s']:.0f} chunks/s")
    print(f"raw SentenceTransformer.encode: {raw_seconds:.1f} s = {figures['raw_chunks_per_s']:.0f} chunks/s")
    print(f"pipeline overhead: {figures['overhead']:+.1%} of raw encode time (target <= 15%); "
          f"embedding stage alone {figures['embed_stage_overhead']:+.1%}")
    print(f"in CPU seconds: build {build_cpu:.0f} s, raw encode {raw_cpu:.0f} s: overhead {figures['cpu_overhead']:+.1%}")


if __name__ == "__main__":
    main()
