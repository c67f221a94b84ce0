"""The news question set: who said what, who someone is, when, follow-ups — all cited verbatim."""

from __future__ import annotations

import pytest
from news_questions import load_cases, problems, run_case

CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_news_question(sample_library, case):
    answer = run_case(sample_library, case)
    assert problems(sample_library, case, answer) == []
