"""Reading public evaluation sets: BEIR folders and SQuAD v1.1 files, with clear errors."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from qabot.errors import QabotError


@dataclass(frozen=True)
class EvalDocument:
    id: str
    title: str
    text: str


@dataclass(frozen=True)
class EvalQuery:
    id: str
    text: str
    relevant: dict[str, int]
    answers: tuple[str, ...] = ()


@dataclass(frozen=True)
class EvalSet:
    name: str
    documents: list[EvalDocument]
    queries: list[EvalQuery] = field(default_factory=list)


def load_beir(folder: Path) -> EvalSet:
    """corpus.jsonl (_id, title, text), queries.jsonl (_id, text), qrels/test.tsv (with header)."""
    folder = Path(folder)
    documents = [EvalDocument(str(r["_id"]), r.get("title") or "", r.get("text") or "")
                 for r in _jsonl(folder / "corpus.jsonl", ("_id", "text"))]
    texts = {str(r["_id"]): r["text"] for r in _jsonl(folder / "queries.jsonl", ("_id", "text"))}
    qrels_path = folder / "qrels" / "test.tsv"
    relevant: dict[str, dict[str, int]] = {}
    try:
        with open(qrels_path, encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle, delimiter="\t"))
    except OSError as err:
        raise QabotError(f"{qrels_path}: cannot be read ({err.strerror}); a BEIR folder needs qrels/test.tsv") from None
    for number, row in enumerate(rows[1:], 2):
        if len(row) < 3 or not row[2].strip().lstrip("-").isdigit():
            raise QabotError(f"{qrels_path}:{number}: expected query-id, corpus-id, score separated by tabs")
        relevant.setdefault(row[0], {})[row[1]] = int(row[2])
    queries = [EvalQuery(qid, texts[qid], rel) for qid, rel in relevant.items() if qid in texts]
    if not queries:
        raise QabotError(f"{folder}: no query in qrels/test.tsv is in queries.jsonl")
    return EvalSet(folder.name, documents, queries)


def load_squad(path: Path) -> EvalSet:
    """Each paragraph is a document ("<title>#<n>"); each question's gold document is its paragraph."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))["data"]
    except OSError as err:
        raise QabotError(f"{path}: cannot be read ({err.strerror})") from None
    except (ValueError, KeyError, TypeError):
        raise QabotError(f"{path}: not SQuAD v1.1 JSON (expected {{\"data\": [{{\"title\", \"paragraphs\"}}]}})") from None
    documents, queries = [], []
    for article in data:
        for n, paragraph in enumerate(article.get("paragraphs", []), 1):
            doc_id = f"{article.get('title', 'untitled')}#{n}"
            documents.append(EvalDocument(doc_id, article.get("title", "").replace("_", " "), paragraph["context"]))
            for qa in paragraph.get("qas", []):
                answers = tuple(dict.fromkeys(a["text"] for a in qa.get("answers", [])))
                queries.append(EvalQuery(str(qa["id"]), qa["question"], {doc_id: 1}, answers))
    if not documents or not queries:
        raise QabotError(f"{path}: no paragraphs with questions found")
    return EvalSet(path.stem, documents, queries)


def _jsonl(path: Path, required: tuple[str, ...]) -> list[dict]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise QabotError(f"{path}: cannot be read ({err.strerror}); a BEIR folder needs corpus.jsonl and queries.jsonl") from None
    rows = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError:
            raise QabotError(f"{path}:{number}: not valid JSON") from None
        if not all(key in row for key in required):
            raise QabotError(f"{path}:{number}: needs the fields {', '.join(required)}")
        rows.append(row)
    return rows
