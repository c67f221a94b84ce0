"""How fast does a full build go, next to the model alone, at fp32 and at int8?

Builds the BBC News corpus from scratch with no embedding cache (ingest, chunking, embedding,
quotes, snapshot write) twice, `[model] precision = "fp32"` then `"int8"`, then times plain
`SentenceTransformer.encode` (fp32, torch: the yardstick of issue 15) on exactly the chunk
texts the build produced, with the same batch size. Model loading (and the one-time int8
export) is excluded from every figure.

The machine may be shared, so the raw encode is timed in slices alternating with qabot's
int8 encoder on the same texts (raw fp32, int8, raw fp32, int8, ...): a load that comes and
goes hits both alike, and their ratio is the figure to trust. The raw figure is the sum of
its slices. CPU time (all threads of this process) is reported next to wall time.

    .venv/bin/python bench/build_throughput.py [--every N]   # N: every N-th BBC file (1 = all)
    .venv/bin/python bench/build_throughput.py --encoders-only --batch-every K

`--encoders-only` skips the two timed builds and only runs the alternating slices, on the
chunk texts of an existing fp32 build (made once if missing). `--batch-every K` keeps every
K-th batch of the texts sorted longest first, as `SentenceTransformer.encode` sorts and
batches them: the raw encode then runs exactly the batches it runs on all the texts (a
plain every-K-th-text sample would pad each batch with texts of many lengths and flatter
int8), in a K-th of the time, for a loaded machine.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from common import (
    CATEGORIES,
    SAMPLE,
    corpus_folder,
    machine,
    require_bbc,
    save_result,
    settings_for,
)

SLICES = 6


def build(name: str, paths, precision: str) -> tuple[dict, list[str]]:
    from qabot.embedding.model import load_embedder
    from qabot.indexing.build import build_index
    from qabot.indexing.snapshot import IndexFolder, Snapshot

    settings = settings_for(corpus_folder(name, paths, model={"precision": precision}))
    load_embedder(settings.model, models_dir=settings.index_dir / "models")  # loaded (exported) outside the timing
    cpu = time.process_time()
    report = build_index(settings, from_scratch=True, use_cache=False)
    build_cpu = time.process_time() - cpu
    seconds = report.seconds - report.stages.get("load model", 0.0)
    snapshot = Snapshot.load(IndexFolder(settings.index_dir).current_path())
    texts = [row[0] for row in snapshot.query("SELECT text FROM chunks ORDER BY id")]
    snapshot.close()
    figures = {"articles": report.articles, "chunks": report.chunks, "seconds": seconds, "cpu_seconds": build_cpu,
               "chunks_per_s": report.chunks / seconds, "stages": report.stages}
    return figures, texts


def every_kth_batch(texts: list[str], batch_size: int, k: int) -> list[str]:
    """The texts of every k-th batch that SentenceTransformer.encode forms (longest first, by characters)."""
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    batches = [order[i:i + batch_size] for i in range(0, len(order), batch_size)][::k]
    return [texts[i] for batch in batches for i in batch]


def interleaved(texts: list[str], batch_size: int, models_dir) -> dict:
    """Raw SentenceTransformer.encode (fp32) and qabot's int8 encoder on the same slices, alternating."""
    from qabot.config import ModelSettings
    from qabot.embedding.model import load_embedder

    raw = load_embedder(ModelSettings()).model
    int8 = load_embedder(ModelSettings(precision="int8"), models_dir=models_dir)
    wall = {"raw_fp32": 0.0, "int8": 0.0}
    cpu = dict(wall)
    step = -(-len(texts) // SLICES)
    step = -(-step // batch_size) * batch_size  # whole batches: a slice's raw batches are the full run's
    for start in range(0, len(texts), step):
        part = texts[start:start + step]
        for name in wall:
            began, cpu_began = time.perf_counter(), time.process_time()
            if name == "raw_fp32":
                raw.encode(part, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True,
                           show_progress_bar=False)
            else:
                int8.encode(part, batch_size=batch_size)
            wall[name] += time.perf_counter() - began
            cpu[name] += time.process_time() - cpu_began
    return {"wall": wall, "cpu": cpu, "speedup": wall["raw_fp32"] / wall["int8"],
            "cpu_speedup": cpu["raw_fp32"] / cpu["int8"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=1, help="index every N-th BBC file (1: all 2 225)")
    parser.add_argument("--encoders-only", action="store_true", help="no timed builds: raw vs int8 encoder slices only")
    parser.add_argument("--batch-every", type=int, default=1, help="time every K-th length-sorted batch (1: all)")
    parser.add_argument("--texts-from", type=Path, default=None,
                        help="with --encoders-only: read the chunk texts from this built index folder (read only)")
    args = parser.parse_args()
    bbc = require_bbc()
    files = sorted(p for c in CATEGORIES for p in (bbc / c).glob("*.txt"))[::args.every]
    if args.every == 1:
        paths = [bbc / c for c in CATEGORIES] + [SAMPLE]
    else:
        paths = files + [SAMPLE]
    load_before = os.getloadavg()[0]
    if args.encoders_only:
        encoders_only(paths, args.batch_every, load_before, args.texts_from)
        return

    fp32, texts = build("bbc-throughput", paths, "fp32")
    int8_folder = "bbc-int8" if args.every == 1 else f"bbc-throughput-int8-{args.every}"  # bbc-int8: shared with the quality benches
    int8, _ = build(int8_folder, paths, "int8")
    settings = settings_for(corpus_folder(int8_folder, paths, model={"precision": "int8"}))
    side = interleaved(texts, settings.model.batch_size, settings.index_dir / "models")
    raw_seconds, raw_cpu = side["wall"]["raw_fp32"], side["cpu"]["raw_fp32"]

    figures = {
        "articles": fp32["articles"], "chunks": len(texts), "every": args.every,
        "build_fp32": fp32, "build_int8": int8,
        "raw_encode_seconds": raw_seconds, "raw_encode_cpu_seconds": raw_cpu, "raw_chunks_per_s": len(texts) / raw_seconds,
        "fp32_build_vs_raw": raw_seconds / fp32["seconds"], "int8_build_vs_raw": raw_seconds / int8["seconds"],
        "interleaved": side, "load_average": [load_before, os.getloadavg()[0]], "machine": machine(),
        "overhead": fp32["seconds"] / raw_seconds - 1,
    }
    save_result("build_throughput", figures)
    print(f"Full build of {fp32['articles']} articles -> {len(texts)} chunks, no cache; {machine()}; "
          f"load average {load_before:.1f} at start, {os.getloadavg()[0]:.1f} at end")
    print("| what | seconds | chunks/s | × raw fp32 encode |")
    print("|---|---|---|---|")
    print(f"| raw `SentenceTransformer.encode` (fp32, torch) | {raw_seconds:.1f} | {len(texts) / raw_seconds:.0f} | 1.00 |")
    for name, run in (("fp32", fp32), ("int8", int8)):
        print(f"| qabot build, precision {name} (model load excluded) | {run['seconds']:.1f} | "
              f"{run['chunks_per_s']:.0f} | {raw_seconds / run['seconds']:.2f} |")
    print(f"| qabot int8 encoder alone, in slices alternating with the raw encode | {side['wall']['int8']:.1f} | "
          f"{len(texts) / side['wall']['int8']:.0f} | **{side['speedup']:.2f}** (CPU time: {side['cpu_speedup']:.2f}) |")
    for name, run in (("fp32", fp32), ("int8", int8)):
        print(f"stages {name}: " + ", ".join(f"{k} {v:.1f} s" for k, v in run["stages"].items()))


def encoders_only(paths, batch_every: int, load_before: float, texts_from: Path | None) -> None:
    from qabot.indexing.build import build_index
    from qabot.indexing.snapshot import IndexFolder, Snapshot

    settings = settings_for(corpus_folder("bbc-throughput", paths))
    if texts_from is None:
        build_index(settings)  # nothing to do when the fp32 index is up to date
    snapshot = Snapshot.load(IndexFolder(texts_from or settings.index_dir).current_path())
    texts = [row[0] for row in snapshot.query("SELECT text FROM chunks ORDER BY id")]
    snapshot.close()
    sample = every_kth_batch(texts, settings.model.batch_size, batch_every)
    int8_settings = settings_for(corpus_folder("bbc-int8", paths, model={"precision": "int8"}))
    side = interleaved(sample, settings.model.batch_size, int8_settings.index_dir / "models")
    side.update(texts=len(sample), of=len(texts), batch_every=batch_every, machine=machine(),
                load_average=[load_before, os.getloadavg()[0]])
    save_result("build_throughput_encoders", side)
    print(f"{len(sample)} of {len(texts)} chunk texts (every {batch_every}-th length-sorted batch of "
          f"{settings.model.batch_size}), {SLICES} alternating slices; {machine()}; "
          f"load average {load_before:.1f} at start, {os.getloadavg()[0]:.1f} at end")
    for name in side["wall"]:
        print(f"{name}: {side['wall'][name]:.1f} s wall, {side['cpu'][name]:.1f} s CPU")
    print(f"int8 vs raw fp32: **{side['speedup']:.2f}× wall, {side['cpu_speedup']:.2f}× CPU**")


if __name__ == "__main__":
    main()
