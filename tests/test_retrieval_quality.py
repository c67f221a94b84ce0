"""The default fusion beats BM25 alone and dense alone on news questions (top-1 passage).

The question set (tests/fixtures/questions/news_questions.jsonl) is the one
bench/retrieval_quality.py scores over the whole BBC corpus; here it is asked of a smaller
index built by the real pipeline in a temporary folder: the sample article, every article
a question is about, and about 300 other BBC articles as distractors (every n-th file in
sorted order, so the choice is the same on every machine). A question counts when its
expected words are in the first passage; a syndicated copy counts, since the test is on
the text, not the file name.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import REPO, SAMPLE_ARTICLE, bbc_question_files, make_corpus

from qabot.config import RetrievalSettings
from qabot.sources.ingest import read_article_file

QUESTIONS = [json.loads(line) for line in
             (REPO / "tests" / "fixtures" / "questions" / "news_questions.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip()]
DISTRACTORS = 300


def article_path(bbc_dir: Path, question: dict) -> Path:
    return SAMPLE_ARTICLE if question["file"] == "sample" else bbc_dir / question["file"]


def test_question_set_is_balanced_and_well_formed():
    kinds = [q["kind"] for q in QUESTIONS]
    assert len({q["id"] for q in QUESTIONS}) == len(QUESTIONS)
    assert set(kinds) == {"person", "paraphrase"}
    assert kinds.count("person") >= 25 and kinds.count("paraphrase") >= 10
    assert {q["file"].split("/")[0] for q in QUESTIONS} == {"business", "entertainment", "politics", "sport", "tech", "sample"}
    assert all(4 <= len(q["expect"].split()) <= 12 for q in QUESTIONS)


@pytest.mark.parametrize("question", QUESTIONS, ids=[q["id"] for q in QUESTIONS])
def test_expected_words_are_verbatim_in_exactly_one_paragraph(bbc_dir, question):
    path = article_path(bbc_dir, question)
    (article,) = read_article_file(path, path.parent)
    holding = [p.number for p in article.paragraphs if question["expect"] in p.text]
    assert len(holding) == 1, f"{question['expect']!r} is in paragraphs {holding} of {question['file']}"


@pytest.fixture(scope="module")
def retriever(bbc_dir, tmp_path_factory):
    from qabot.embedding.model import load_embedder
    from qabot.indexing.build import build_index
    from qabot.indexing.snapshot import IndexFolder, Snapshot
    from qabot.search.retrieval import Retriever

    asked = {q["file"] for q in QUESTIONS if q["file"] != "sample"}
    settings = make_corpus(tmp_path_factory.mktemp("news-quality"), bbc_question_files(bbc_dir, asked, DISTRACTORS))
    build_index(settings)
    snapshot = Snapshot.load(IndexFolder(settings.index_dir).current_path())
    return Retriever(snapshot, load_embedder(settings.model), RetrievalSettings())


def correct_at_top1(retriever, method: str) -> dict[str, list[str]]:
    """kind -> ids of the questions whose first passage holds the expected words."""
    right: dict[str, list[str]] = {"person": [], "paraphrase": []}
    for q in QUESTIONS:
        if method == "default":
            hits = retriever.search(q["question"], k=1)
            text = hits[0].chunk.text if hits else ""
        else:
            found = retriever.candidates(q["question"], retriever.settings.candidates)
            ranking = list(found.bm25 if method == "bm25" else found.dense)
            text = retriever.snapshot.chunks(ranking[:1])[ranking[0]].text if ranking else ""
        if q["expect"] in text:
            right[q["kind"]].append(q["id"])
    return right


def test_default_fusion_puts_more_answers_first_than_bm25_or_dense_alone(retriever):
    bm25, dense, default = (correct_at_top1(retriever, m) for m in ("bm25", "dense", "default"))
    total = {name: sum(map(len, r.values())) for name, r in (("bm25", bm25), ("dense", dense), ("default", default))}
    print(f"\ntop-1 of {len(QUESTIONS)}: {total}; paraphrases: bm25 {len(bm25['paraphrase'])}, "
          f"dense {len(dense['paraphrase'])}, default {len(default['paraphrase'])}", file=sys.stderr)
    assert total["default"] > total["bm25"], f"default fusion {default} vs BM25 alone {bm25}"
    assert total["default"] > total["dense"], f"default fusion {default} vs dense alone {dense}"
    lost = sorted(set(dense["paraphrase"]) - set(default["paraphrase"]))
    assert len(lost) <= 1, f"the default fusion loses these paraphrased questions dense search answers: {lost}"
