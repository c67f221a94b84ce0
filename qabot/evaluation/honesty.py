"""Does `ask()` answer when the articles hold the answer, and say "not found" when they don't?

A question set (JSONL, `tests/fixtures/questions/honesty.jsonl`) mixes *answerable*
questions, each with the `expect` phrase the answer must contain, and *unanswerable* ones,
each with a `kind` saying why they cannot be answered (`absent` topic, `unsaid` — the
corpus's own names and words asking for something never said, `unquoted` — a person
mentioned but never quoted, `wrong_role` — a real name with a role the articles never
give). Each answer is judged as a reader would:

- answerable: *right* when `found` and the phrase is in the answer's statements or
  heading; *not found* when `found` is False (a false not-found); otherwise *wrong*;
- unanswerable: a *false answer* when `found` is True, whatever it says.

    >>> outcome = judge(case, library.ask(case["question"]))

Shared by `bench/honesty.py` (full BBC corpus, the curve over the threshold) and the
gating test (a smaller index).
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from qabot.records import Answer

RIGHT, NOT_FOUND, WRONG, FALSE_ANSWER, HONEST = "right", "not found", "wrong", "false answer", "honest not found"


def load_cases(path: Path) -> list[dict]:
    """The question set, one JSON object a line."""
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def judge(case: dict, answer: Answer) -> str:
    """One of RIGHT, NOT_FOUND, WRONG (answerable) or FALSE_ANSWER, HONEST (unanswerable)."""
    if not case["answerable"]:
        return FALSE_ANSWER if answer.found else HONEST
    if not answer.found:
        return NOT_FOUND
    return RIGHT if shows(answer, case["expect"]) else WRONG


def shows(answer: Answer, phrase: str) -> bool:
    """Is `phrase` in what the answer shows (heading and statements)?

    Compared without quotation marks and commas and with spaces collapsed: a quotation is
    shown without its marks and without the comma the article put before "he said", so
    a phrase that runs to the end of a quotation ("… a wide margin," she said) must still
    count as shown.
    """
    shown = " ".join([answer.heading or ""] + [s.text for s in answer.statements])
    return _plain(phrase) in _plain(shown)


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[\"“”‘’',]", " ", text).split())


def ask_against_retrieval(library, cases: list[dict]) -> tuple[list[str], list[str]]:
    """(ids whose `ask()` answer shows `expect`, ids whose first retrieved passage holds it)."""
    retriever = library.retriever
    by_ask, by_top1 = [], []
    for case in cases:
        if shows(library.ask(case["question"]), case["expect"]):
            by_ask.append(case["id"])
        hits = retriever.search(case["question"], k=1)
        if hits and case["expect"] in hits[0].chunk.text:
            by_top1.append(case["id"])
    return by_ask, by_top1


@dataclass
class Tally:
    """Outcomes per kind; the two rates the README reports."""

    by_kind: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # (id, outcome, answer text)
    outcomes: dict[str, str] = field(default_factory=dict)  # id -> outcome

    def add(self, case: dict, outcome: str, answer: Answer) -> None:
        self.by_kind[case["kind"]][outcome] += 1
        self.outcomes[case["id"]] = outcome
        if outcome in (NOT_FOUND, WRONG, FALSE_ANSWER):
            self.misses.append((case["id"], outcome, answer.text[:160].replace("\n", " | ")))

    def count(self, outcome: str, kinds=None) -> int:
        return sum(c[outcome] for k, c in self.by_kind.items() if kinds is None or k in kinds)

    def total(self, kinds=None) -> int:
        return sum(sum(c.values()) for k, c in self.by_kind.items() if kinds is None or k in kinds)

    @property
    def answerable_kinds(self) -> list[str]:
        return sorted(k for k, c in self.by_kind.items() if c[RIGHT] + c[NOT_FOUND] + c[WRONG])

    @property
    def unanswerable_kinds(self) -> list[str]:
        return sorted(k for k, c in self.by_kind.items() if c[FALSE_ANSWER] + c[HONEST])

    def false_answer_rate(self) -> float:
        kinds = self.unanswerable_kinds
        return self.count(FALSE_ANSWER, kinds) / max(1, self.total(kinds))

    def false_not_found_rate(self) -> float:
        kinds = self.answerable_kinds
        return self.count(NOT_FOUND, kinds) / max(1, self.total(kinds))

    def right_rate(self) -> float:
        kinds = self.answerable_kinds
        return self.count(RIGHT, kinds) / max(1, self.total(kinds))


def run(library, cases: list[dict], **ask_options) -> Tally:
    """Ask every case of the set (each in a fresh conversation) and tally the outcomes."""
    tally = Tally()
    for case in cases:
        answer = library.ask(case["question"], **ask_options)
        tally.add(case, judge(case, answer), answer)
    return tally
