"""Reading public evaluation sets, BEIR folders and SQuAD v1.1 files, into one `EvalSet`.

Both become documents to index plus questions with their relevant documents, so one
runner scores either. A missing or malformed file is a `QabotError` naming the file (and
the line, for JSON Lines and TSV), never a traceback.

    beir = load_beir(Path("scifact"))            # corpus.jsonl, queries.jsonl, qrels/test.tsv
    squad = load_squad(Path("dev-v1.1.json"))    # each paragraph is a document
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
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
    relevant: dict[str, int]          # document id -> relevance grade (> 0 is relevant)
    answers: tuple[str, ...] = ()     # gold answer strings (SQuAD); empty for BEIR


@dataclass(frozen=True)
class EvalSet:
    name: str
    documents: list[EvalDocument]
    queries: list[EvalQuery] = field(default_factory=list)


def load_beir(folder: Path, split: str = "test") -> EvalSet:
    """A BEIR folder: corpus.jsonl (_id, title, text), queries.jsonl (_id, text), qrels/<split>.tsv.

    The qrels file has a header row "query-id corpus-id score"; only queries judged there
    are kept, in the order they first appear.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise QabotError(f"{folder}: no such folder; give a BEIR dataset folder (corpus.jsonl, queries.jsonl, qrels/)")
    documents = [EvalDocument(str(row["_id"]), str(row.get("title") or ""), str(row["text"] or ""))
                 for row in _json_lines(folder / "corpus.jsonl", ("_id", "text"))]
    texts = {str(row["_id"]): str(row["text"]) for row in _json_lines(folder / "queries.jsonl", ("_id", "text"))}
    qrels_path = folder / "qrels" / f"{split}.tsv"
    relevant: dict[str, dict[str, int]] = {}
    for query_id, doc_id, grade in _qrels(qrels_path):
        relevant.setdefault(query_id, {})[doc_id] = grade
    queries = [EvalQuery(qid, texts[qid], judged) for qid, judged in relevant.items() if qid in texts]
    if not documents:
        raise QabotError(f"{folder / 'corpus.jsonl'}: has no documents")
    if not queries:
        raise QabotError(f"{qrels_path}: none of its query ids is in queries.jsonl")
    return EvalSet(folder.name, documents, queries)


def load_squad(path: Path) -> EvalSet:
    """A SQuAD v1.1 file: each paragraph is a document "<title>#<n>" (n from 1), and each
    question's one relevant document is its own paragraph; its answers are the gold strings."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8-sig") as handle:
            data = json.load(handle)
    except OSError as err:
        raise QabotError(f"{path}: cannot be read ({err.strerror}); give a SQuAD v1.1 JSON file") from None
    except ValueError as err:
        raise QabotError(f"{path}: not valid UTF-8 JSON ({err})") from None
    documents, queries = [], []
    try:
        for article in data["data"]:
            title = str(article["title"])
            for n, paragraph in enumerate(article["paragraphs"], 1):
                doc_id = f"{title}#{n}"
                documents.append(EvalDocument(doc_id, title.replace("_", " "), str(paragraph["context"])))
                for qa in paragraph["qas"]:
                    answers = tuple(dict.fromkeys(str(a["text"]) for a in qa.get("answers", [])))
                    queries.append(EvalQuery(str(qa["id"]), str(qa["question"]), {doc_id: 1}, answers))
    except (KeyError, TypeError, AttributeError) as err:
        detail = f"missing field {err}" if isinstance(err, KeyError) else "unexpected structure"
        raise QabotError(f"{path}: not SQuAD v1.1 JSON ({detail}); expected "
                         '{"data": [{"title", "paragraphs": [{"context", "qas": [{"id", "question", "answers"}]}]}]}') from None
    if not queries:
        raise QabotError(f"{path}: has no paragraphs with questions")
    return EvalSet(path.stem, documents, queries)


def _json_lines(path: Path, required: tuple[str, ...]) -> Iterator[dict]:
    """The objects of a JSON Lines file, each checked for the `required` fields."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except ValueError:
                    raise QabotError(f"{path}:{number}: not valid JSON") from None
                if not isinstance(row, dict) or not all(key in row for key in required):
                    raise QabotError(f"{path}:{number}: needs the fields {', '.join(required)}")
                yield row
    except OSError as err:
        raise QabotError(f"{path}: cannot be read ({err.strerror}); a BEIR folder needs corpus.jsonl and queries.jsonl") from None
    except UnicodeDecodeError:
        raise QabotError(f"{path}: is not UTF-8 text") from None


def _qrels(path: Path) -> Iterator[tuple[str, str, int]]:
    """(query id, document id, grade) for each judgement; the header row is skipped."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            for number, row in enumerate(csv.reader(handle, delimiter="\t"), 1):
                well_formed = len(row) >= 3 and row[2].strip().lstrip("-").isdigit()
                if not row or (number == 1 and not well_formed):  # blank, or the header row
                    continue
                if not well_formed or not row[2].strip().lstrip("-").isdigit():
                    raise QabotError(f"{path}:{number}: expected query-id, corpus-id and an integer score separated by tabs")
                yield row[0], row[1], int(row[2])
    except OSError as err:
        raise QabotError(f"{path}: cannot be read ({err.strerror}); a BEIR folder needs qrels/{path.name}") from None
    except UnicodeDecodeError:
        raise QabotError(f"{path}: is not UTF-8 text") from None
