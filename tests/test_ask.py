"""`ask()` on the sample article: the right words, cited to the paragraph that holds them."""

from __future__ import annotations

import pytest

from qabot.answering.library import Conversation
from qabot.errors import QuestionError

KOSACHEV_WORDS = [
    "in no way contributes to the improvement of the situation",
    "retaliation by Iran will inevitably follow",
    "a big mistake stemming out of a typical American habit of personalizing any problem",
]
OTHERS_WORDS = [
    "Soleimani was in charge of Iranian military",  # Bogdanov
    "A statesman is killed",  # Mukrakhovsky
    "revenge is a dish best served cold",  # Shepovalenko
    "fraught with grave consequences",  # Foreign Ministry
]


def assert_cited_verbatim(library, answer) -> None:
    """Every statement's citation points at a paragraph that really contains it."""
    numbers = {c.number: c for c in answer.citations}
    for statement in answer.statements:
        citation = numbers[statement.citation]
        paragraph = library.snapshot.paragraph(citation.article.id, citation.paragraph)
        assert statement.text in paragraph.text
        assert citation.text in paragraph.text
        assert paragraph.text[citation.start - paragraph.start: citation.end - paragraph.start] == citation.text


def test_kosachev_quotes_are_cited_to_their_paragraphs(sample_library):
    answer = sample_library.ask("What did Kosachev say?")
    assert answer.found
    assert_cited_verbatim(sample_library, answer)
    for words in KOSACHEV_WORDS:
        holders = [s for s in answer.statements if words in s.text]
        assert holders, f"missing Kosachev quote: {words}"
    for words in OTHERS_WORDS:
        assert words not in answer.text
    assert "Kosachev" in (answer.heading or "")


def test_kosachev_citations_name_the_sample_article_and_paragraph(sample_library):
    answer = sample_library.ask("What did Kosachev say?")
    first = next(s for s in answer.statements if KOSACHEV_WORDS[0] in s.text)
    citation = next(c for c in answer.citations if c.number == first.citation)
    assert citation.article.title == "How Russia is reading the killing of Qasem Soleimaini"
    assert "Kosachev said" in citation.passage


@pytest.mark.parametrize("person, words", [
    ("Bogdanov", "Soleimani was in charge of Iranian military"),
    ("Mukrakhovsky", "A statesman is killed"),
    ("Shepovalenko", "revenge is a dish best served cold"),
])
def test_other_speakers_do_not_get_kosachevs_quotes(sample_library, person, words):
    answer = sample_library.ask(f"What did {person} say?")
    assert answer.found
    assert any(words in s.text for s in answer.statements)
    for kosachev in KOSACHEV_WORDS:
        assert kosachev not in answer.text
    assert_cited_verbatim(sample_library, answer)


def test_when_question_puts_the_visit_dates_first(sample_library):
    answer = sample_library.ask("When did Soleimani visit Moscow?")
    assert answer.found
    assert "late July 2015" in (answer.heading or "")
    assert "late July 2015" in answer.statements[0].text or "February 2017" in answer.statements[0].text
    assert_cited_verbatim(sample_library, answer)


def test_who_question_gives_the_articles_description(sample_library):
    answer = sample_library.ask("Who is Bogdanov?")
    assert answer.found
    assert any("a fellow at the Institute of World Economy and International Relations" in s.text for s in answer.statements)
    assert_cited_verbatim(sample_library, answer)


def test_follow_up_resolves_against_previous_subject(sample_library):
    conversation = Conversation()
    sample_library.ask("Who is Bogdanov?", conversation=conversation)
    answer = sample_library.ask("What did he say?", conversation=conversation)
    assert any("Soleimani was in charge of Iranian military" in s.text for s in answer.statements)


def test_unrelated_question_is_not_found_and_shows_closest_matches_only(sample_library):
    answer = sample_library.ask("What is the recipe for banana bread with walnuts?")
    assert not answer.found
    assert answer.statements == ()
    assert "couldn't find" in answer.text


def test_question_in_another_script_is_answered_politely(sample_library):
    answer = sample_library.ask("Что сказал Косачев о Сулеймани?")
    # The sample is English: an honest "not found" (or a cited answer) — never an error.
    assert answer.found or "couldn't find" in answer.text
    assert_cited_verbatim(sample_library, answer)


@pytest.mark.parametrize("question, message", [
    ("", "Please ask a question"),
    ("   \n\t ", "Please ask a question"),
    ("why " * 25_000, "characters long"),
    ("?!?", "doesn't look like a question"),
])
def test_bad_questions_get_a_clear_message(sample_library, question, message):
    with pytest.raises(QuestionError, match=message):
        sample_library.ask(question)


def test_json_shape_has_exact_cited_text_and_offsets(sample_library):
    from qabot.faces.render_terminal import answer_to_json

    data = answer_to_json(sample_library.ask("What did Kosachev say?"))
    assert data["version"] == 1 and data["found"] is True
    for citation in data["citations"]:
        paragraph = sample_library.snapshot.paragraph(citation["article_id"], citation["paragraph"])
        assert citation["text"] in paragraph.text
        assert citation["passage"] == paragraph.text
        assert {"fused", "dense_rank", "bm25_rank"} <= set(citation["scores"])


def test_the_heading_describes_the_person_asked_about_not_a_namesake(tmp_path):
    from conftest import make_corpus

    from qabot.answering.library import Library
    from qabot.indexing.build import build_index

    settings = make_corpus(tmp_path, {
        "police.md": "# Police back control orders\n\nNew Metropolitan Police Commissioner Sir Ian Blair "
                     "has backed the control orders. \"It is a dilemma, but there is only one choice,\" Sir Ian Blair said.\n",
        "summit.md": "# Summit on Iraq\n\nPrime Minister Tony Blair met the Iraqi president on Monday.\n\n"
                     "\"The important thing now is to see the strategy through,\" Tony Blair said.\n",
        "budget.md": "# Budget talks\n\nPrime Minister Tony Blair opened the budget talks.\n",
        # Only "Mr Blair": the quote's speaker is the bare surname, shared with Sir Ian.
        "speech.md": "# Troops to stay\n\nMr Blair told MPs: \"We will not cut and run.\"\n",
    })
    build_index(settings)
    answer = Library.open(settings).ask("What did Tony Blair say?")
    assert answer.heading == "Tony Blair, Prime Minister"
    said = {s.text for s in answer.statements}
    assert "The important thing now is to see the strategy through" in said
    assert "It is a dilemma, but there is only one choice" not in said


def test_a_one_article_corpus_answers_with_the_sentence_it_cites(tmp_path):
    """In a tiny corpus BM25Okapi gives common words a negative IDF; an answer must still
    be the cited sentence, never 'found' with nothing to show."""
    from conftest import make_corpus

    from qabot.answering import Library
    from qabot.indexing import build_index

    settings = make_corpus(tmp_path, {"dam.md": "---\ntitle: Dam talks\npublished: 2024-01-02\n---\n\n"
                                                "Engineers said the Aswan reservoir reached a record level.\n"})
    build_index(settings)
    answer = Library.open(settings).ask("What level did the Aswan reservoir reach?")
    assert answer.found and answer.statements
    assert "record level" in answer.citations[0].text
