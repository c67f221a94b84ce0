"""The fusion functions on hand-made rankings: what each rewards, and the per-question weight."""

from __future__ import annotations

import pytest

from qabot.search.fusion import lead_weight, rrf, weighted

# BM25 finds the exact name match (chunk 1) far ahead; dense search prefers chunk 2 narrowly.
BM25 = {1: 30.0, 3: 12.0, 4: 11.0}
DENSE_UNSURE = {2: 0.61, 1: 0.60, 5: 0.59}
# Dense search is sure of chunk 2: its lead over the second is 0.15 cosine.
DENSE_SURE = {2: 0.75, 1: 0.60, 5: 0.59}


def best(fused: dict[int, float]) -> int:
    return max(fused, key=fused.get)


def test_a_barely_leading_dense_hit_keeps_the_base_weight_and_the_name_match_wins():
    w = lead_weight(DENSE_UNSURE, 0.4, 0.2)
    assert w == pytest.approx(0.4 + 0.6 * 0.01 / 0.2)
    assert best(weighted(BM25, DENSE_UNSURE, dense_weight=w)) == 1


def test_a_clear_dense_lead_raises_the_dense_weight_and_the_paraphrase_wins():
    w = lead_weight(DENSE_SURE, 0.4, 0.2)
    assert w == pytest.approx(0.4 + 0.6 * 0.15 / 0.2)
    assert best(weighted(BM25, DENSE_SURE, dense_weight=w)) == 2
    # The same question with the fixed weight: BM25's name match buries dense's sure answer.
    assert best(weighted(BM25, DENSE_SURE, dense_weight=0.4)) == 1


def test_lead_weight_is_capped_at_one_and_off_when_the_lead_setting_is_zero():
    assert lead_weight({2: 0.9, 1: 0.3}, 0.4, 0.2) == 1.0
    assert lead_weight(DENSE_SURE, 0.4, 0.0) == 0.4
    assert lead_weight({2: 0.9}, 0.4, 0.2) == 0.4


def test_weighted_counts_a_missing_score_as_zero_and_rrf_rewards_agreement():
    fused = weighted(BM25, DENSE_UNSURE, dense_weight=0.5)
    assert fused[3] == pytest.approx(0.5 * (12 - 11) / (30 - 11))
    assert fused[5] == 0.0  # last in dense, absent from BM25
    assert best(rrf(BM25, DENSE_UNSURE)) == 1  # in both lists near the top
