"""bench/peers.py without the peers: the skip line, the scoring rule and the table, on tiny input.

The peers (txtai, LangChain, bm25s) live in .venv-peers, not in qabot's virtualenv, so here
the bench must say why it skips and exit cleanly; its scoring and table are plain code.
"""

from __future__ import annotations

import importlib.util
import sys

import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
spec = importlib.util.spec_from_file_location("peers", REPO / "bench" / "peers.py")
peers = importlib.util.module_from_spec(spec)
spec.loader.exec_module(peers)

QUESTIONS = [{"id": "a", "kind": "person", "question": "Who?", "expect": "Kosachev"},
             {"id": "b", "kind": "paraphrase", "question": "What?", "expect": "oil prices"},
             {"id": "c", "kind": "person", "question": "When?", "expect": "never indexed"}]
TEXTS = {0: "Kosachev wrote on Facebook.", 1: "Oil rose.", 2: "The oil prices fell.", 3: "Nothing."}


def test_without_the_peers_it_prints_one_reason_and_returns(monkeypatch, capsys):
    if peers.missing_peers() is None:
        pytest.skip("the peers are installed in this environment; the skip path cannot be shown here")
    peers.main([])
    out = capsys.readouterr().out.strip()
    assert out.startswith("skipped: ") and "make bench-peers" in out and "\n" not in out


def test_score_uses_the_expected_words_in_the_passage():
    got = peers.score([[0, 1], [1, 3, 2], [3]], QUESTIONS, TEXTS)
    assert got["top1"] == 1 and got["top3"] == 2
    assert got["mrr"] == pytest.approx((1 + 1 / 3) / 3)
    assert got["misses"] == ["b", "c"]


def test_table_has_a_row_per_system_with_its_figures():
    row = {"p50": 0.021, "p95": 0.030, "top1": 48, "top3": 57, "mrr": 0.7, "misses": []}
    results = {"questions": 76, "search": {"one": {s: row for s in peers.SYSTEMS}, "default": {s: row for s in peers.SYSTEMS}},
               "builds": {s: {"wall": 120.4, "cpu": 230.0, "rss": 700.0} for s in ("qabot", "txtai", "langchain", "bm25s")},
               "loads": {s: [{"load": 0.5, "rss": 215.0}, {"load": 0.7, "rss": 220.0}] for s in peers.SYSTEMS}}
    lines = peers.table(results).splitlines()
    assert len(lines) == 2 + len(peers.SYSTEMS)
    assert lines[2] == ("| qabot (hybrid) | 48/76 | 57/76 | 0.700 | 120 s / 230 s | 21.0 / 30.0 ms | 21.0 / 30.0 ms "
                        "| 0.60 s | 220 MB / 700 MB |")
    assert "(in qabot's build)" in lines[5]


def test_the_questions_are_retrieval_qualitys_76():
    qs = peers.questions()
    assert len(qs) == 76 and all(q["expect"] for q in qs)


def test_head_to_head_counts_questions_won_and_lost():
    def row(misses):
        return {"misses": misses}

    one = {s: row(["a", "b"]) for s in peers.SYSTEMS} | {"txtai": row(["b", "c", "d"])}
    lines = peers.head_to_head({"search": {"one": one}})
    assert "- txtai (hybrid): answers first 1 that qabot misses (a), misses 2 that qabot answers" in lines


def test_a_partial_run_still_makes_a_table():
    row = {"p50": 0.5, "p95": 0.9, "top1": 40, "top3": 50, "mrr": 0.6, "misses": []}
    results = {"questions": 76, "search": {"one": {s: row for s in peers.SYSTEMS}}, "builds": {},
               "loads": {s: [] for s in peers.SYSTEMS}}
    lines = peers.table(results).splitlines()
    assert lines[3] == "| txtai (hybrid) | 40/76 | 50/76 | 0.600 | - | 500.0 / 900.0 ms | - | - | - / - |"
