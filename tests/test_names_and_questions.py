"""Name matching and question parsing: how users write names and questions."""

from __future__ import annotations

import pytest

from qabot.names import matches, name_key
from qabot.questions import parse_question


@pytest.mark.parametrize("query", ["Kosachev", "kosachev", "Konstantin Kosachev", "KOSACHEV", "Kosachov",
                                   "Gen. Kosachev", "Kosachév"])
def test_ways_of_writing_a_name_match(query):
    assert matches(query, "Konstantin Kosachev")


@pytest.mark.parametrize("query, speaker", [("Bogdanov", "Konstantin Kosachev"), ("Peskov", "Maxim Shepovalenko"),
                                            ("Kosachev", "Konstantin Bogdanov"), ("Ivan", "Ivanov Petrov")])
def test_other_people_do_not_match(query, speaker):
    assert not matches(query, speaker)


def test_organisations_and_particles_match():
    assert matches("the Russian Foreign Ministry", "Foreign Ministry")
    assert matches("de Vries", "Pieter de Vries") and matches("Pieter Vries", "Pieter de Vries")
    assert name_key("Maj. Gen. Qasem Soleimani") == "qasem soleimani"


@pytest.mark.parametrize("text, kind, person, topic", [
    ("What did Kosachev say?", "said", "Kosachev", None),
    ("what did kosachev say", "said", "kosachev", None),
    ("What did Shepovalenko say about revenge?", "said", "Shepovalenko", "revenge"),
    ("What does Kosachev think about the JCPOA?", "said", "Kosachev", "the JCPOA"),
    ("How did Kosachev react to the killing?", "said", "Kosachev", "the killing"),
    ("What did Bogdanov tell Al-Monitor?", "said", "Bogdanov", None),
    ("Kosachev's comments on Europe", "said", "Kosachev", "Europe"),
    ("Who is Bogdanov?", "who", "Bogdanov", None),
    ("When did Soleimani visit Moscow?", "when", "Soleimani", None),
    ("What is the most recent news about Kosachev?", "latest", "Kosachev", None),
    ("Why did the strike end?", "generic", None, None),
])
def test_question_kinds(text, kind, person, topic):
    q = parse_question(text)
    assert (q.kind, q.person, q.topic) == (kind, person, topic)


def test_follow_ups_resolve_against_the_previous_subject():
    assert parse_question("What else did he say?", "Konstantin Kosachev", "said").person == "Konstantin Kosachev"
    she = parse_question("who is she?", "Anna Sidorova", "said")
    assert (she.kind, she.person) == ("who", "Anna Sidorova")
    and_q = parse_question("and Bogdanov?", "Konstantin Kosachev", "said")
    assert (and_q.kind, and_q.person, and_q.follow_up) == ("said", "Bogdanov", True)
    fresh = parse_question("What did Petrova say?", "Konstantin Kosachev", "said")
    assert fresh.person == "Petrova" and not fresh.follow_up
