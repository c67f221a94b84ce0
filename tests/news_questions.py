"""The news question set (tests/fixtures/questions/news_speech.jsonl) and how a case is judged.

Used by tests/test_news_questions.py, where every case must pass.
"""

from __future__ import annotations

import json
from pathlib import Path

QUESTIONS = Path(__file__).parent / "fixtures" / "questions" / "news_speech.jsonl"


def load_cases() -> list[dict]:
    return [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


def run_case(library, case: dict):
    """Ask the case's turns in one conversation; return the last answer."""
    from qabot.answering.library import Conversation

    conversation = Conversation()
    answer = None
    for turn in case["turns"]:
        answer = library.ask(turn, conversation=conversation)
    return answer


def problems(library, case: dict, answer) -> list[str]:
    """What is wrong with `answer` for `case` (empty when it is right)."""
    found = []
    statements = [s.text for s in answer.statements]
    joined = "\n".join(statements)
    for words in case.get("expect", []):
        if words not in joined and words not in (answer.heading or ""):
            found.append(f"missing: {words}")
    for words in case.get("forbid", []):
        if words in answer.text:
            found.append(f"should not say: {words}")
    if "first" in case and (not statements or case["first"] not in statements[0]):
        found.append(f"should come first: {case['first']}")
    if "first_title" in case:
        first = citations_by_number(answer).get(answer.statements[0].citation) if answer.statements else None
        if first is None or first.article.title != case["first_title"]:
            found.append(f"first statement should come from: {case['first_title']}")
    if "heading" in case and case["heading"] not in (answer.heading or ""):
        found.append(f"heading should name: {case['heading']}")
    if "not_quoted" in case and (answer.statements or case["not_quoted"] not in answer.text):
        found.append(f"should say: {case['not_quoted']}")
    citations = citations_by_number(answer)
    for s in answer.statements:  # every statement verbatim in the paragraph its citation names
        c = citations.get(s.citation)
        paragraph = library.snapshot.paragraph(c.article.id, c.paragraph) if c else None
        if paragraph is None or s.text not in paragraph.text:
            found.append(f"not verbatim in its cited paragraph: {s.text[:60]}")
    return found


def citations_by_number(answer) -> dict:
    return {c.number: c for c in answer.citations}
