"""`qabot eval` on tiny BEIR and SQuAD sets whose right figures can be worked out by hand.

The BEIR set (tests/fixtures/eval_runner/beir) has six news snippets, each with words no
other one uses, and four judged queries: three whose only relevant document BM25 must rank
first, and one ("q-two") with two relevant documents that BM25 must rank first and second.
So for BM25 alone: nDCG@10 = 1, MRR@10 = 1, Recall@5 = Recall@20 = 1 and
Recall@1 = (1 + 1 + 1 + 1/2) / 4 = 0.875. The corpus starts with a document whose text is
empty: ingest skips it, and the documents after it must still be credited correctly.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qabot.config import load_settings
from qabot.evaluation.datasets import load_beir, load_squad
from qabot.evaluation.runner import evaluate

FIXTURES = Path(__file__).parent / "fixtures" / "eval_runner"
BEIR = FIXTURES / "beir"
SQUAD = FIXTURES / "squad.json"


def defaults(tmp_path: Path):
    """Built-in settings with a base folder of their own (eval must not write there)."""
    (tmp_path / "config.toml").write_text("", encoding="utf-8")
    return load_settings(tmp_path / "config.toml", env={})


@pytest.fixture(scope="module")
def user_folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("user")


@pytest.fixture(scope="module")
def beir_report(user_folder):
    stages: list[str] = []
    report = evaluate(load_beir(BEIR), defaults(user_folder), progress=lambda stage, done, total: stages.append(stage))
    return report, stages


@pytest.fixture(scope="module")
def squad_report(user_folder):
    return evaluate(load_squad(SQUAD), defaults(user_folder))


def test_bm25_figures_match_the_hand_computed_ones(beir_report):
    report, _ = beir_report
    bm25 = report.methods["bm25"]
    assert bm25["ndcg@10"] == pytest.approx(1.0)
    assert bm25["mrr@10"] == pytest.approx(1.0)
    assert bm25["recall@1"] == pytest.approx(0.875)
    assert bm25["recall@5"] == pytest.approx(1.0)
    assert bm25["recall@20"] == pytest.approx(1.0)


def test_all_three_methods_are_reported_with_every_metric(beir_report):
    report, _ = beir_report
    assert set(report.methods) == {"bm25", "dense", "hybrid"}
    for values in report.methods.values():
        assert set(values) == {"ndcg@10", "recall@1", "recall@5", "recall@20", "mrr@10"}
        assert all(0.0 <= v <= 1.0 for v in values.values())
    # Every query's relevant documents are among the six snippets, so all methods find them by rank 20.
    assert report.methods["dense"]["recall@20"] == pytest.approx(1.0)
    assert report.methods["hybrid"]["recall@20"] == pytest.approx(1.0)


def test_only_judged_queries_count_and_the_empty_document_is_skipped(beir_report):
    report, _ = beir_report
    assert report.queries == 4
    assert report.documents == 7
    assert report.chunks == 6  # one chunk per non-empty snippet; "empty" is skipped by ingest


def test_progress_reports_embedding_and_questions(beir_report):
    _, stages = beir_report
    assert "embedding" in stages
    assert stages[-1] == "questions"


def test_eval_leaves_the_users_folder_alone(beir_report, user_folder):
    assert sorted(p.name for p in user_folder.iterdir()) == ["config.toml"]


def test_limit_keeps_the_first_queries(user_folder):
    report = evaluate(load_beir(BEIR), defaults(user_folder), limit=1)
    assert report.queries == 1
    assert report.methods["bm25"]["recall@1"] == pytest.approx(1.0)


def test_squad_questions_find_their_paragraph_and_answers_contain_the_gold_text(squad_report):
    assert squad_report.queries == 3
    assert squad_report.documents == 5  # three paragraphs without questions keep BM25's IDF meaningful
    assert squad_report.methods["bm25"]["recall@1"] == pytest.approx(1.0)
    assert squad_report.answer_recall == pytest.approx(1.0)


def test_beir_has_no_answer_recall(beir_report):
    report, _ = beir_report
    assert report.answer_recall is None


# The command, as a user runs it.

def qabot(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("QABOT_")}
    return subprocess.run([sys.executable, "-m", "qabot", *args], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=300)


def test_eval_json_prints_the_three_methods(tmp_path):
    done = qabot("eval", "--beir", str(BEIR), "--limit", "3", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["queries"] == 3
    assert figures["methods"]["bm25"]["recall@1"] == pytest.approx(1.0)
    assert set(figures["methods"]) == {"bm25", "dense", "hybrid"}
    assert not (tmp_path / "index").exists()


@pytest.mark.parametrize("args, message", [
    ((), "exactly one of --beir"),
    (("--beir", str(BEIR), "--squad", str(SQUAD)), "exactly one of --beir"),
    (("--beir", "no-such-folder"), "corpus.jsonl"),
    (("--squad", "missing.json"), "missing.json"),
])
def test_bad_inputs_get_one_clear_line(tmp_path, args, message):
    done = qabot("eval", *args, cwd=tmp_path)
    assert done.returncode == 1
    assert message in done.stderr
    assert "Traceback" not in done.stderr
