"""Honest answers: "not found" when the articles do not hold the answer, and `ask()` keeps
what retrieval found.

The gates run on the BBC question index of conftest.py (the sample, every article a
question set asks about, ~300 distractors); bench/honesty.py reports the same measures on
the whole BBC corpus, and the README's figures come from it. The limits below are the
README's figures plus a small margin: a smaller corpus has fewer distractors, so it should
only do better.
"""

from __future__ import annotations

import json

import pytest
from conftest import QUESTIONS_DIR, SAMPLE_ARTICLE

from qabot.evaluation.honesty import FALSE_ANSWER, NOT_FOUND, ask_against_retrieval, load_cases, run, shows
from qabot.sources.ingest import read_article_file

CASES = load_cases(QUESTIONS_DIR / "honesty.jsonl")
ASKED = [case for name in ("news_questions", "retrieval_questions") for case in load_cases(QUESTIONS_DIR / f"{name}.jsonl")]

# README "Quality": figures on the whole BBC corpus (all 301 questions), plus a margin (before
# the sense checks of qabot/answering/sense.py: 18.1% and 3.4% on the first 164 questions;
# before the relation checks: 7.1% and 6.2% on the 251; before the last round, on the 301:
# 4.5% and 7.3%, the 50 held-out "fresh2" questions alone 21.7% and 14.8%).
MAX_FALSE_ANSWERS = 0.006 + 0.02    # README: 0.6% (1 of 176)
MAX_FALSE_NOT_FOUND = 0.032 + 0.03  # README: 3.2% (4 of 125)
# README "ask() beside retrieval": on the whole corpus ask() shows the phrase for more
# questions than retrieval ranks it first (50 against 47); on this index 46 against 49 (as
# last measured): the limit is that gap plus one.
MAX_ASK_BEHIND_TOP1 = 4


def test_the_question_set_covers_every_kind():
    answerable = [c for c in CASES if c["answerable"]]
    unanswerable = [c for c in CASES if not c["answerable"]]
    assert len(CASES) >= 150 and len(answerable) >= 50 and len(unanswerable) >= 100
    assert {c["kind"] for c in answerable} == {"said", "who", "when", "latest", "generic"}
    assert {c["kind"] for c in unanswerable} == {"absent", "unsaid", "unquoted", "wrong_role"}
    assert len({c["id"] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", [c for c in CASES if c["answerable"]], ids=lambda c: c["id"])
def test_each_expected_phrase_is_verbatim_in_its_article(bbc_dir, case):
    path = SAMPLE_ARTICLE if case["file"] == "sample" else bbc_dir / case["file"]
    (article,) = read_article_file(path, path.parent)
    assert any(case["expect"] in p.text for p in article.paragraphs)


def test_false_answers_and_false_not_found_stay_under_the_readme_figures(bbc_library):
    tally = run(bbc_library, CASES)
    report = {kind: dict(counts) for kind, counts in tally.by_kind.items()}
    assert tally.false_answer_rate() <= MAX_FALSE_ANSWERS, (report, [m for m in tally.misses if m[1] == FALSE_ANSWER])
    assert tally.false_not_found_rate() <= MAX_FALSE_NOT_FOUND, (report, [m for m in tally.misses if m[1] == NOT_FOUND])


def test_ask_shows_the_expected_phrase_nearly_as_often_as_retrieval_ranks_it_first(bbc_library):
    by_ask, by_top1 = ask_against_retrieval(bbc_library, ASKED)
    lost = sorted(set(by_top1) - set(by_ask))
    assert len(by_ask) >= len(by_top1) - MAX_ASK_BEHIND_TOP1, f"ask() {len(by_ask)} vs retrieval top-1 {len(by_top1)}; lost: {lost}"


def test_a_word_the_corpus_never_saw_means_not_found(sample_library):
    answer = sample_library.ask("What is the boiling point of tungsten?")
    assert not answer.found and answer.statements == ()
    assert "couldn't find" in answer.text
    assert answer.closest, "the closest passages are still shown, as such"


def test_a_sentence_about_another_place_does_not_answer_when(sample_library):
    """The sense checks (`qabot.answering.sense`) in `ask()`: his visit to Moscow is no answer
    to a visit to Washington, and still the answer to a visit to Moscow."""
    answer = sample_library.ask("When did Soleimani visit Washington?")
    assert not answer.found and answer.statements == ()
    moscow = sample_library.ask("When did Soleimani visit Moscow?")
    assert moscow.found and "late July 2015" in moscow.text


def test_a_quote_about_something_never_said_is_a_partial_not_found(sample_library):
    answer = sample_library.ask("What did Kosachev say about London?")
    assert not answer.found and answer.statements == ()
    assert answer.note == "I found what Konstantin Kosachev said, but nothing about London."
    his = {s.text for s in sample_library.ask("What did Kosachev say?").statements}
    assert answer.closest and all(c.text in his for c in answer.closest), "his nearest quotes, as closest matches"


def test_a_role_the_articles_never_give_is_not_found(sample_library):
    answer = sample_library.ask("What did President Kosachev say?")
    assert not answer.found
    assert "I found Konstantin Kosachev" in answer.note and "President" in answer.note
    # The role the article does give him ("Russian Senate Foreign Affairs Committee Chair") is accepted.
    assert sample_library.ask("What did Committee Chair Kosachev say?").found
    assert sample_library.ask("Who is Foreign Affairs Committee Chair Kosachev?").found


def test_a_quotation_shown_without_its_trailing_comma_still_shows_the_phrase():
    from qabot.records import Answer, Statement

    answer = Answer("q", True, (Statement("We will win this state by a wide margin", 1),))
    assert shows(answer, "by a wide margin,")
    assert not shows(answer, "by a narrow margin")


def test_every_fixture_line_is_json_with_the_fields_the_bench_reads():
    for line in (QUESTIONS_DIR / "honesty.jsonl").read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        assert {"id", "kind", "answerable", "question"} <= set(case)
        assert case["answerable"] == ("expect" in case and "file" in case)


@pytest.mark.parametrize("role, name, text, supported", [
    (["chancellor"], "Gordon Brown", "Prime Minister Tony Blair and Chancellor Gordon Brown met.", True),
    (["chancellor"], "Tony Blair", "Chancellor Gordon Brown and Tony Blair met.", False),
    (["prime", "minister"], "Gordon Brown", "Prime Minister Tony Blair and Chancellor Gordon Brown met.", False),
    (["prime", "minister"], "Gordon Brown", "Gordon Brown, who wants to be prime minister, spoke.", False),
    (["chancellor"], "Gordon Brown", "Then Gordon Brown, the chancellor, said so.", True),
    (["arsenal", "manager"], "Alex Ferguson", "Arsenal manager Arsene Wenger met Sir Alex Ferguson.", False),
    (["chancellor"], "Tony Blair", ("Gordon Brown, chancellor of the exchequer under Mr Blair, became Britain's "
                                    "longest-serving chancellor of modern times in 2004."), False),
    (["prime", "minister"], "Gordon Brown", ("There will be an argument over just how good a prime minister "
                                             "Gordon Brown will make."), False),
    (["prime", "minister"], "Tony Blair", "Prime Minister Tony Blair has yet to name the date of the election.", True),
])
def test_a_role_counts_only_when_it_stands_next_to_the_name(role, name, text, supported):
    from qabot.answering.support import role_supported

    assert role_supported(role, name, [text]) is supported


@pytest.mark.parametrize("before, not_a_title", [
    ("There will undoubtedly be an argument over just how good a ", True),
    ("The conference was hosted by UK ", False),
    ("Konstantin Kosachev, ", False),
    ("", False),
])
def test_a_role_introduced_with_a_is_no_stored_description(before, not_a_title):
    """Descriptions found at index time are read with the same eye as `role_supported`: "how good
    a prime minister Gordon Brown will make" does not describe him as prime minister."""
    from qabot.news.descriptions import a_role_not_a_title

    assert a_role_not_a_title(before) is not_a_title
