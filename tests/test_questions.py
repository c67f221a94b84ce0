"""Question parsing: what is asked, about whom, and what a follow-up refers to."""

from __future__ import annotations

import pytest

from qabot.answering.questions import parse_question


@pytest.mark.parametrize("text, kind, person, topic", [
    ("What did Kosachev say?", "said", "Kosachev", None),
    ("what did kosachev say", "said", "kosachev", None),
    ("What did Konstantin Kosachev say?", "said", "Konstantin Kosachev", None),
    ("What did Shepovalenko say about revenge?", "said", "Shepovalenko", "revenge"),
    ("What does Kosachev think about the JCPOA?", "said", "Kosachev", "the JCPOA"),
    ("what does kosachev think about sanctions", "said", "kosachev", "sanctions"),
    ("How did Kosachev react to the killing?", "said", "Kosachev", "the killing"),
    ("How did Kosachev react?", "said", "Kosachev", None),
    ("What did Bogdanov tell Al-Monitor?", "said", "Bogdanov", None),
    ("What did Nowak write on LinkedIn?", "said", "Nowak", None),
    ("What has Kosachev said about Europe?", "said", "Kosachev", "Europe"),
    ("Kosachev's comments on Europe", "said", "Kosachev", "Europe"),
    ("What did the Russian Foreign Ministry say?", "said", "Russian Foreign Ministry", None),
    ("What did Maj. Gen. Soleimani say?", "said", "Maj. Gen. Soleimani", None),
    ("Who is Bogdanov?", "who", "Bogdanov", None),
    ("who is maxim shepovalenko", "who", "maxim shepovalenko", None),
    ("Who's Kosachev?", "who", "Kosachev", None),
    ("When did Soleimani visit Moscow?", "when", "Soleimani", None),
    ("What is the most recent news about Kosachev?", "latest", "Kosachev", None),
    ("Latest on the port strike", "latest", None, None),
    ("Why did the strike end?", "generic", None, None),
])
def test_question_kinds_people_and_topics(text, kind, person, topic):
    q = parse_question(text)
    assert (q.kind, q.person, q.topic) == (kind, person, topic)
    assert q.text == text


def test_when_questions_focus_on_dates():
    assert parse_question("When did Soleimani visit Moscow?").date_focus
    assert not parse_question("What did Kosachev say?").date_focus


def test_what_else_did_he_say_continues_the_previous_subject():
    q = parse_question("what else did he say?", previous_subject="Konstantin Kosachev", previous_kind="said")
    assert (q.kind, q.person, q.follow_up) == ("said", "Konstantin Kosachev", True)


def test_who_is_he_asks_about_the_previous_subject():
    q = parse_question("who is he?", previous_subject="Maxim Shepovalenko", previous_kind="said")
    assert (q.kind, q.person) == ("who", "Maxim Shepovalenko")


@pytest.mark.parametrize("text", ["and Bogdanov?", "And Bogdanov", "and bogdanov?", "what about Bogdanov?",
                                  "and what about Bogdanov?"])
def test_and_x_asks_the_previous_kind_of_question_about_x(text):
    q = parse_question(text, previous_subject="Konstantin Kosachev", previous_kind="said")
    assert (q.kind, q.person.casefold(), q.follow_up) == ("said", "bogdanov", True)
    who = parse_question(text, previous_subject="Konstantin Kosachev", previous_kind="who")
    assert who.kind == "who"


def test_a_self_contained_question_starts_fresh():
    q = parse_question("What did Petrova say?", previous_subject="Konstantin Kosachev", previous_kind="said")
    assert (q.person, q.follow_up) == ("Petrova", False)
    who = parse_question("Who is Bogdanov?", previous_subject="Konstantin Kosachev", previous_kind="said")
    assert (who.kind, who.person) == ("who", "Bogdanov")


def test_pronouns_without_a_previous_subject_name_nobody():
    q = parse_question("What did he say?")
    assert q.person is None
