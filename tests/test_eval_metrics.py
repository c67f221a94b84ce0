"""Evaluation building blocks: metrics checked against figures worked out by hand, datasets
read from tiny BEIR and SQuAD fixtures, and clear messages for broken files."""

from __future__ import annotations

import math
import shutil

import pytest
from conftest import REPO

from qabot.errors import QabotError
from qabot.evaluation.datasets import load_beir, load_squad
from qabot.evaluation.metrics import (
    answer_contains,
    mrr_at_k,
    ndcg_at_k,
    ranking_metrics,
    recall_at_k,
    squad_normalize,
    summarize,
)

FIXTURES = REPO / "tests" / "fixtures" / "eval"
LOG2_3 = math.log2(3)

# The two judged queries of fixtures/eval/beir_graded and a ranking for each.
Q1 = {"kosachev-1": 2, "kosachev-2": 1, "oil": 0}
Q2 = {"oil": 1}
RANKED_Q1 = ["kosachev-2", "weather", "kosachev-1"]
RANKED_Q2 = ["weather", "oil"]


def test_ndcg_with_graded_relevance_matches_the_hand_computation():
    # q1: DCG = 1/log2(2) + 0 + 2/log2(4) = 2;  IDCG = 2/log2(2) + 1/log2(3) = 2.6309 -> 0.7602
    assert ndcg_at_k(RANKED_Q1, Q1, 10) == pytest.approx(2 / (2 + 1 / LOG2_3))
    assert ndcg_at_k(RANKED_Q1, Q1, 10) == pytest.approx(0.76019, abs=1e-5)
    # q2: DCG = 1/log2(3) = 0.6309;  IDCG = 1
    assert ndcg_at_k(RANKED_Q2, Q2, 10) == pytest.approx(1 / LOG2_3)
    # Cut at 1: DCG@1 = 1, IDCG@1 = 2 (the grade-2 document would be first).
    assert ndcg_at_k(RANKED_Q1, Q1, 1) == pytest.approx(0.5)
    assert ndcg_at_k(["kosachev-1", "kosachev-2"], Q1, 10) == pytest.approx(1.0)
    # A grade-0 judgement is not relevant; nothing relevant found gives 0.
    assert ndcg_at_k(["oil", "weather"], Q1, 10) == 0.0 and ndcg_at_k(["x"], {}, 10) == 0.0


def test_recall_and_mrr_match_the_hand_computation():
    assert recall_at_k(RANKED_Q1, Q1, 1) == 0.5          # kosachev-2 of {kosachev-1, kosachev-2}
    assert recall_at_k(RANKED_Q1, Q1, 5) == 1.0
    assert recall_at_k(RANKED_Q2, Q2, 1) == 0.0
    assert mrr_at_k(RANKED_Q1, Q1, 10) == 1.0
    assert mrr_at_k(RANKED_Q2, Q2, 10) == 0.5 and mrr_at_k(RANKED_Q2, Q2, 1) == 0.0
    assert mrr_at_k(["oil"], Q1, 10) == 0.0              # grade 0 does not count
    # A plain set of relevant ids works too.
    assert recall_at_k(RANKED_Q1, {"kosachev-1", "kosachev-2"}, 1) == 0.5
    assert mrr_at_k(RANKED_Q2, {"oil"}, 10) == 0.5


def test_summary_is_the_mean_over_queries():
    per_query = [ranking_metrics(RANKED_Q1, Q1), ranking_metrics(RANKED_Q2, Q2)]
    summary = summarize(per_query)
    # nDCG@10 = (0.7602 + 0.6309) / 2 = 0.6956; recall@1 = (0.5 + 0) / 2; MRR@10 = (1 + 0.5) / 2
    assert summary == pytest.approx({
        "ndcg@10": (2 / (2 + 1 / LOG2_3) + 1 / LOG2_3) / 2,
        "recall@1": 0.25, "recall@5": 1.0, "recall@20": 1.0, "mrr@10": 0.75,
    })
    assert summary["ndcg@10"] == pytest.approx(0.69556, abs=1e-5)
    assert summarize([]) == {}


def test_squad_normalisation_and_answer_containment():
    assert squad_normalize("The Forty  Metres!") == "forty metres"
    assert squad_normalize("an U.S.-led strike") == "usled strike"   # punctuation goes, as in SQuAD
    assert answer_contains("Kosachev called it a mistake. [1]", ["A mistake!"])
    assert answer_contains("Prices rose four percent.", ["40%", "four percent"])
    assert not answer_contains("Prices rose fourteen percent.", ["four percent"])   # whole words only
    assert not answer_contains("anything", ["", "the"])                             # empty golds never match


def test_beir_folder_is_read_with_graded_judgements():
    beir = load_beir(FIXTURES / "beir_graded")
    assert beir.name == "beir_graded"
    assert [d.id for d in beir.documents] == ["kosachev-1", "kosachev-2", "oil", "weather", "ferry"]
    assert beir.documents[3].title == "" and beir.documents[2].text == "Oil prices rose four percent after the strike."
    # q-unjudged has no qrels line, so it is not a test query.
    assert [q.id for q in beir.queries] == ["q1", "q2"]
    assert beir.queries[0].text == "What did Kosachev say about Soleimani?"
    assert beir.queries[0].relevant == Q1 and beir.queries[1].relevant == Q2 and beir.queries[0].answers == ()


def test_squad_file_is_read_paragraph_by_paragraph():
    squad = load_squad(FIXTURES / "squad_two_articles.json")
    assert [d.id for d in squad.documents] == ["Russia_and_Iran#1", "Russia_and_Iran#2", "Weather#1"]
    assert squad.documents[0].title == "Russia and Iran"
    assert [q.id for q in squad.queries] == ["k1", "k2", "k3"]
    assert squad.queries[0].answers == ("a mistake", "mistake")      # repeated gold answers once
    assert squad.queries[2].relevant == {"Russia_and_Iran#2": 1}
    assert squad.queries[1].text == "By how much did oil prices rise?"


@pytest.fixture
def beir_copy(tmp_path):
    folder = tmp_path / "set"
    shutil.copytree(FIXTURES / "beir_graded", folder)
    return folder


def test_missing_beir_pieces_are_named(tmp_path, beir_copy):
    with pytest.raises(QabotError, match="nowhere: no such folder"):
        load_beir(tmp_path / "nowhere")
    (beir_copy / "queries.jsonl").unlink()
    with pytest.raises(QabotError, match=r"queries\.jsonl: cannot be read"):
        load_beir(beir_copy)
    with pytest.raises(QabotError, match=r"qrels/dev\.tsv: cannot be read"):
        load_beir(FIXTURES / "beir_graded", split="dev")


def test_malformed_beir_lines_are_named_with_their_line_number(beir_copy):
    corpus = beir_copy / "corpus.jsonl"
    corpus.write_text(corpus.read_text(encoding="utf-8") + '{"_id": "x", "text": \n', encoding="utf-8")
    with pytest.raises(QabotError, match=r"corpus\.jsonl:7: not valid JSON"):
        load_beir(beir_copy)
    corpus.write_text('{"_id": "x"}\n', encoding="utf-8")
    with pytest.raises(QabotError, match=r"corpus\.jsonl:1: needs the fields _id, text"):
        load_beir(beir_copy)


def test_malformed_qrels_line_is_named(beir_copy):
    qrels = beir_copy / "qrels" / "test.tsv"
    qrels.write_text("query-id\tcorpus-id\tscore\nq1\tkosachev-1\thigh\n", encoding="utf-8")
    with pytest.raises(QabotError, match=r"test\.tsv:2: expected query-id, corpus-id and an integer score"):
        load_beir(beir_copy)
    qrels.write_text("query-id\tcorpus-id\tscore\nq9\tkosachev-1\t1\n", encoding="utf-8")
    with pytest.raises(QabotError, match=r"test\.tsv: none of its query ids is in queries\.jsonl"):
        load_beir(beir_copy)


def test_broken_squad_files_get_clear_messages(tmp_path):
    with pytest.raises(QabotError, match=r"absent\.json: cannot be read"):
        load_squad(tmp_path / "absent.json")
    broken = tmp_path / "broken.json"
    broken.write_text('{"data": [', encoding="utf-8")
    with pytest.raises(QabotError, match=r"broken\.json: not valid UTF-8 JSON"):
        load_squad(broken)
    broken.write_text('{"data": [{"title": "T", "paragraphs": [{"qas": []}]}]}', encoding="utf-8")
    with pytest.raises(QabotError, match=r"broken\.json: not SQuAD v1\.1 JSON \(missing field 'context'\)"):
        load_squad(broken)
    broken.write_bytes(b"\xff\xfe{}")
    with pytest.raises(QabotError, match=r"broken\.json: not valid UTF-8 JSON"):
        load_squad(broken)
    broken.write_text('{"data": [{"title": "T", "paragraphs": [{"context": "c", "qas": []}]}]}', encoding="utf-8")
    with pytest.raises(QabotError, match=r"broken\.json: has no paragraphs with questions"):
        load_squad(broken)
