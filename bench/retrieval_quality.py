"""Which fusion answers news questions best? BM25 alone, dense alone and fusions, top-1.

Question set: tests/fixtures/questions/retrieval_questions.jsonl (person-centric questions
as users ask them, plus paraphrased ones that share few words with the answer) over the
whole BBC News corpus plus the sample article. A question is answered when the expected
words are in the top-ranked passage. Prints a Markdown table for the README.

    .venv/bin/python bench/retrieval_quality.py
"""

from __future__ import annotations

import json

from common import REPO, bbc_paths, corpus_folder, machine, settings_for

QUESTIONS = REPO / "tests" / "fixtures" / "questions" / "retrieval_questions.jsonl"


def load_questions() -> list[dict]:
    return [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


def score(retriever, questions, method: str, fusion=None, top: int = 1) -> dict[str, int]:
    from qabot.evaluation.methods import ranked_chunks

    hits = {"person": 0, "paraphrase": 0}
    for q in questions:
        ids = ranked_chunks(retriever, q["question"], method, top, fusion)
        texts = [c.text for c in retriever.snapshot.chunks(ids).values()]
        hits[q["kind"]] += any(q["expect"] in t for t in texts)
    return hits


def table(retriever, questions) -> list[tuple[str, dict, dict]]:
    from qabot.evaluation.methods import fusion_variants

    rows = [("BM25 alone", score(retriever, questions, "bm25"), score(retriever, questions, "bm25", top=3)),
            ("dense alone (MiniLM)", score(retriever, questions, "dense"), score(retriever, questions, "dense", top=3))]
    for name, fusion in fusion_variants(retriever.settings).items():
        rows.append((name, score(retriever, questions, "fused", fusion), score(retriever, questions, "fused", fusion, top=3)))
    return rows


def main() -> None:
    from qabot.embedding import load_embedder
    from qabot.indexer import build_index
    from qabot.retrieval import Retriever
    from qabot.snapshot import IndexFolder, Snapshot

    folder = corpus_folder("bbc", bbc_paths())
    settings = settings_for(folder)
    build_index(settings)
    embedder = load_embedder(settings.model)
    snapshot = Snapshot.load(IndexFolder(settings.index_dir).current_path())
    retriever = Retriever(snapshot, embedder, settings.retrieval)
    questions = load_questions()
    n_person = sum(q["kind"] == "person" for q in questions)
    n_para = len(questions) - n_person
    print(f"Retrieval quality, top-1 passage, {len(questions)} questions over {snapshot.manifest.articles} articles "
          f"({snapshot.manifest.chunks} chunks); {machine()}\n")
    print(f"| method | person ({n_person}) | paraphrase ({n_para}) | total top-1 | total top-3 |")
    print("|---|---|---|---|---|")
    default = f"{settings.retrieval.fusion} {settings.retrieval.dense_weight}"
    for name, top1, top3 in table(retriever, questions):
        mark = " **(default)**" if name == default else ""
        print(f"| {name}{mark} | {top1['person']} | {top1['paraphrase']} | {sum(top1.values())}/{len(questions)} "
              f"| {sum(top3.values())}/{len(questions)} |")


if __name__ == "__main__":
    main()
