"""`qabot eval`: metrics checked by hand, datasets read with clear errors, the real pipeline scored."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys

import pytest
from conftest import REPO

from qabot.config import load_settings
from qabot.errors import QabotError
from qabot.evaluation.datasets import load_beir, load_squad
from qabot.evaluation.metrics import answer_contains, mrr_at_k, ndcg_at_k, recall_at_k, squad_normalize
from qabot.evaluation.runner import evaluate

FIXTURES = REPO / "tests" / "fixtures" / "eval"


def test_metrics_match_hand_computation():
    relevant = {"d2": 2, "d3": 1}
    # ranked d3, x, d2: DCG = 1/log2(2) + 2/log2(4) = 2; IDCG = 2/log2(2) + 1/log2(3) = 2.6309
    assert ndcg_at_k(["d3", "x", "d2"], relevant, 10) == pytest.approx(2 / (2 + 1 / math.log2(3)))
    assert ndcg_at_k(["d2", "d3"], relevant, 10) == pytest.approx(1.0)
    assert ndcg_at_k(["x", "y"], relevant, 10) == 0.0
    assert recall_at_k(["d3", "x", "d2"], relevant, 1) == 0.5 and recall_at_k(["d3", "x", "d2"], relevant, 5) == 1.0
    assert mrr_at_k(["x", "d3"], relevant, 10) == 0.5 and mrr_at_k(["x"] * 10 + ["d2"], relevant, 10) == 0.0


def test_squad_normalisation():
    assert squad_normalize("The Forty  Metres!") == "forty metres"
    assert answer_contains("It retreated forty metres this summer. [1]", ["Forty metres", "40 m"])
    assert not answer_contains("It retreated fourteen metres.", ["forty metres"])


def test_beir_and_squad_are_read():
    beir = load_beir(FIXTURES / "beir")
    assert len(beir.documents) == 5 and [q.id for q in beir.queries] == ["q1", "q2", "q3"]
    assert beir.queries[1].relevant == {"d2": 2, "d3": 1}
    squad = load_squad(FIXTURES / "squad.json")
    assert [d.id for d in squad.documents] == ["Harbour#1", "Harbour#2", "Glacier#1"]
    assert squad.queries[0].answers == ("until Thursday", "Thursday") and squad.queries[0].relevant == {"Harbour#1": 1}


def test_bad_datasets_get_clear_messages(tmp_path):
    with pytest.raises(QabotError, match="corpus.jsonl: cannot be read"):
        load_beir(tmp_path)
    (tmp_path / "bad.json").write_text("{}")
    with pytest.raises(QabotError, match="not SQuAD v1.1 JSON"):
        load_squad(tmp_path / "bad.json")


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    return load_settings(REPO / "config.toml", env={})


def test_beir_evaluation_scores_each_method(settings):
    report = evaluate(load_beir(FIXTURES / "beir"), settings)
    assert set(report.methods) == {"bm25", "dense", "hybrid"} and report.queries == 3
    # By hand: BM25 ranks d1 first for q1; d2 (two "glacier retreat"s) then d3 for q2; for
    # the paraphrased q3 it finds nothing (no shared word with d5).
    assert report.methods["bm25"] == pytest.approx(
        {"ndcg@10": 2 / 3, "recall@1": 0.5, "recall@5": 2 / 3, "recall@20": 2 / 3, "mrr@10": 2 / 3})
    assert report.methods["hybrid"]["recall@5"] == 1.0  # dense search brings d5 in for q3
    assert report.methods["hybrid"]["mrr@10"] > report.methods["bm25"]["mrr@10"]
    assert report.answer_recall is None


def test_squad_evaluation_reports_answer_recall(settings):
    report = evaluate(load_squad(FIXTURES / "squad.json"), settings)
    assert report.methods["hybrid"]["recall@1"] == 1.0
    assert report.answer_recall == 1.0


def test_eval_command_prints_json_and_never_touches_the_users_index(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("QABOT_")}
    done = subprocess.run([sys.executable, "-m", "qabot", "eval", "--beir", str(FIXTURES / "beir"), "--json", "--limit", "2"],
                          cwd=tmp_path, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["queries"] == 2 and set(data["methods"]) == {"bm25", "dense", "hybrid"}
    assert not (tmp_path / "index").exists()
    both = subprocess.run([sys.executable, "-m", "qabot", "eval"], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert both.returncode == 1 and "give exactly one of --beir DIR or --squad FILE" in both.stderr
