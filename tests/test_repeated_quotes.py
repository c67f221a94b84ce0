"""A quote repeated in many articles is read once for an answer, not once per copy.

"What did X say?" at a million chunks spent its time fetching and sorting every copy of
each quote (the 1M bench repeats each ~86 times; a real archive repeats a minister's line in
every follow-up story). The answer shows each quote once, so the snapshot now skips the
copies inside its (speaker, text) index; a filtered question still reads every copy, so
the one inside the filter is the one cited.
"""

from __future__ import annotations

from datetime import date

import pytest
from conftest import make_corpus

from qabot.answering.library import Library
from qabot.indexing.build import build_index

REPEATED = "We will not reopen the port until the cranes are safe"


TOPICS = ["grain prices", "the ferry timetable", "tug crews", "the fishing fleet", "container backlog",
          "the tide tables", "dock wages", "the customs office", "storm damage", "the lighthouse",
          "oil tankers", "cruise passengers", "the rail link", "pilot boats", "the fish market",
          "crane inspections", "harbour fees", "the sea wall", "night shifts", "the marina"]


def article(day: int) -> str:
    """Twenty different stories (so no two are merged as copies) that repeat one quote."""
    topic = TOPICS[day - 1]
    return f"""---
title: Port update {day}: {topic}
source: Harbour Times
published: 2024-03-{day:02d}
---
On day {day} of the closure the talk on the quay was about {topic}, and little else.

Officials said {topic} would be reviewed by a panel of {day + 3} inspectors before any decision on {topic} is made.

"{REPEATED}," harbour master Marta Jansen said.

"Ferry number {day} sails at dawn," Marta Jansen said.
"""


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    settings = make_corpus(tmp_path_factory.mktemp("repeats"), {f"day{d:02d}.md": article(d) for d in range(1, 21)})
    build_index(settings)
    library = Library.open(settings)
    yield library
    library.snapshot.close()


def test_distinct_quotes_read_each_repeated_quote_once(library):
    every = library.snapshot.quotes_by(["Marta Jansen"])
    distinct = library.snapshot.quotes_by(["Marta Jansen"], distinct=True)
    assert sum(q.text == REPEATED for q in every) == 20
    assert sum(q.text == REPEATED for q in distinct) == 1
    assert {q.text for q in distinct} == {q.text for q in every}
    plan = " ".join(str(row) for row in library.snapshot.query(
        "EXPLAIN QUERY PLAN SELECT min(rowid) FROM quotes WHERE speaker IN (?) GROUP BY speaker, text", ["x"]))
    assert "COVERING INDEX quotes_by_speaker" in plan  # copies are skipped inside the index


def test_the_answer_lists_a_repeated_quote_once_with_every_other_quote(library):
    answer = library.ask("What did Marta Jansen say?")
    assert answer.text.count(REPEATED) == 1
    for day in range(1, 21):
        assert f"Ferry number {day} sails at dawn" in answer.text


def test_a_filtered_question_cites_the_copy_inside_the_filter(library):
    answer = library.ask("What did Marta Jansen say?", since=date(2024, 3, 20), until=date(2024, 3, 20))
    assert answer.text.count(REPEATED) == 1
    assert "Ferry number 20 sails" in answer.text and "Ferry number 19" not in answer.text
    assert {c.article.published for c in answer.citations} == {"2024-03-20"}
