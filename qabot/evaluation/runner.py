"""`qabot eval`: measure BM25 alone, dense alone and the configured hybrid on a public set.

The documents are written to a throw-away folder as a JSONL corpus and indexed there with
the production pipeline (ingest, chunking, embedding, snapshot), so what is measured is what
ships; the user's own index is never touched. Ranking is judged per document: a document
is found at the rank of its best chunk.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from qabot.config import Settings
from qabot.evaluation.datasets import EvalSet
from qabot.evaluation.methods import describe_fusion, ranked_chunks
from qabot.evaluation.metrics import answer_contains, mean_metrics, ranking_metrics

METHODS = ("bm25", "dense", "hybrid")
CANDIDATE_CHUNKS = 100


@dataclass(frozen=True)
class EvalReport:
    dataset: str
    documents: int
    queries: int
    chunks: int
    fusion: str
    methods: dict[str, dict[str, float]]  # method -> metric -> mean
    answer_recall: float | None = None

    def as_dict(self) -> dict:
        return self.__dict__ | {"methods": self.methods}


def evaluate(eval_set: EvalSet, settings: Settings, *, limit: int | None = None,
             progress: Callable[[str, int, int], None] | None = None) -> EvalReport:
    """Index `eval_set` in a temporary folder and score every method on its queries.

    Answer recall (does `ask()`'s answer contain a gold answer?) is measured when the
    queries carry gold answers, as SQuAD's do.
    """
    from qabot.answering import Library
    from qabot.indexing import build_index

    queries = eval_set.queries[:limit] if limit else eval_set.queries
    answers = any(q.answers for q in queries)
    report = progress or (lambda stage, done, total: None)
    with tempfile.TemporaryDirectory(prefix="qabot-eval-") as tmp:
        corpus = Path(tmp) / "articles" / "corpus.jsonl"
        corpus.parent.mkdir()
        with open(corpus, "w", encoding="utf-8") as handle:
            for doc in eval_set.documents:
                handle.write(json.dumps({"title": doc.title, "text": doc.text}, ensure_ascii=False) + "\n")
        # With a Milvus server, a collection set of its own: the throw-away index never becomes the bot's.
        local = replace(settings, base_dir=Path(tmp), corpus=replace(settings.corpus, paths=("articles",)),
                        index=replace(settings.index, dir="index"),
                        backend=replace(settings.backend, collection=settings.backend.collection + "_eval"))
        build = build_index(local, progress=report)
        library = Library.open(local)
        retriever = library._loaded.retriever
        chunk_article = dict(library.snapshot.query("SELECT id, article_id FROM chunks"))
        # Ingest ends every JSONL article's path with "#<line>": line n is documents[n-1],
        # whatever scheme turns that path into an article id.
        doc_of_article = {aid: eval_set.documents[int(path.rsplit("#", 1)[1]) - 1].id
                          for aid, path in library.snapshot.query("SELECT id, path FROM articles")}
        per_method: dict[str, list[dict[str, float]]] = {m: [] for m in METHODS}
        found_answers = 0
        for done, query in enumerate(queries, 1):
            for method in METHODS:
                chunks = ranked_chunks(retriever, query.text, method, CANDIDATE_CHUNKS)
                docs = list(dict.fromkeys(doc_of_article.get(chunk_article[c]) for c in chunks))
                per_method[method].append(ranking_metrics([d for d in docs if d], query.relevant))
            if answers and query.answers:
                found_answers += answer_contains(library.ask(query.text).text, query.answers)
            report("questions", done, len(queries))
        return EvalReport(
            dataset=eval_set.name,
            documents=len(eval_set.documents),
            queries=len(queries),
            chunks=build.chunks,
            fusion=describe_fusion(settings.retrieval),
            methods={m: mean_metrics(v) for m, v in per_method.items()},
            answer_recall=found_answers / len(queries) if answers and queries else None,
        )
