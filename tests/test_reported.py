"""Reported speech found at index time: each sentence that reports a named person's words
or beliefs without quoting them, with its speaker (qabot/news/reported.py).

One fixture per pattern, each asserting the speaker and the sentence stored; organisations
and unnamed speakers must never be handed to a nearby person.
"""

from __future__ import annotations

from qabot.news import extract_reported
from qabot.sources.ingest import make_article


def reported(*paragraphs: str) -> list[tuple[str, str]]:
    art = make_article("inline.md", {"title": "Inline"}, list(paragraphs))
    found = extract_reported(art)
    for r in found:  # the record points at its sentence in the article
        assert art.text[r.start:r.end] == r.text
        paragraph = next(p for p in art.paragraphs if p.number == r.paragraph)
        assert r.text in paragraph.text
    return [(r.speaker, r.text) for r in found]


def test_a_named_subject_and_a_reporting_verb():
    sentence = ("Russian Senate Foreign Affairs Committee Chair Konstantin Kosachev said the killing "
                "would not improve the situation in Iraq.")
    assert reported(sentence) == [("Konstantin Kosachev", sentence)]


def test_he_said_after_a_named_person_is_that_person():
    found = reported("Konstantin Kosachev, the committee chair, opened the hearing on Monday. "
                     "He said the sanctions would hurt Europe more than Russia.")
    assert found == [("Konstantin Kosachev", "He said the sanctions would hurt Europe more than Russia.")]


def test_she_is_the_woman_named_before_not_the_man_named_last():
    found = reported("Senator Elizabeth Warren spoke after President Donald Trump left the stage. "
                     "She argued that the tax plan favoured the richest families.")
    assert found == [("Elizabeth Warren", "She argued that the tax plan favoured the richest families.")]


def test_according_to_a_person_and_a_surname_resolved_to_the_full_name():
    found = reported("Deputy Foreign Minister Mikhail Bogdanov met the envoys in Moscow on Tuesday.",
                     "According to Bogdanov, Moscow will not intervene in the conflict.")
    assert found == [("Mikhail Bogdanov", "According to Bogdanov, Moscow will not intervene in the conflict.")]


def test_belief_verbs_report_what_the_person_holds():
    found = reported("President Donald Trump visited the factory in Ohio.",
                     "Trump thinks the trade deal is bad for American workers. "
                     "Hillary Clinton believes that the deal can be fixed.")
    assert found == [("Donald Trump", "Trump thinks the trade deal is bad for American workers."),
                     ("Hillary Clinton", "Hillary Clinton believes that the deal can be fixed.")]


def test_told_reporters_and_an_attribution_after_the_content():
    found = reported("Maria Lopez told reporters that the campaign would win the state.",
                     "The vote count will take two more days, Lopez said on Friday.")
    assert found == [("Maria Lopez", "Maria Lopez told reporters that the campaign would win the state."),
                     ("Maria Lopez", "The vote count will take two more days, Lopez said on Friday.")]


def test_an_organisation_or_unnamed_speaker_is_never_given_to_a_nearby_person():
    found = reported("Dmitry Peskov arrived in Ankara on Monday. "
                     "The ministry said the talks would resume next week.",
                     "Hillary Clinton spoke in Iowa. Clinton's campaign said the report was misleading.",
                     "Bernie Sanders was in Vermont. One official said the rally would go ahead.",
                     "The Kremlin announced that the summit was postponed.",
                     "President Barack Obama flew to Ohio. In recent days, advisers to Mr. Obama say, the "
                     "president has grown exasperated with the campaign.")
    assert found == []


def test_a_sentence_with_two_people_is_the_subjects():
    found = reported("Maria Lopez said Tom Reyes would lose the state by a wide margin.",
                     "Tom Reyes campaigned in the north. Aides to Reyes say the polls are wrong.")
    assert found == [("Maria Lopez", "Maria Lopez said Tom Reyes would lose the state by a wide margin.")]


def test_a_sentence_that_is_mostly_a_quotation_is_the_direct_quotes():
    found = reported('"We will win this state by a wide margin and nobody can stop us," Maria Lopez said.')
    assert found == []


def test_a_quoted_fragment_inside_reported_speech_keeps_the_sentence():
    sentence = 'Michael Howard said his front bench had reached a "collective view" on identity cards.'
    assert reported(sentence) == [("Michael Howard", sentence)]


CAMPAIGN = ("---\ntitle: Campaign opens in the north\npublished: 2024-03-02\n---\n\n"
            "Maria Lopez, the campaign manager, opened the office in Springfield on Saturday. "
            "\"We have never had this many volunteers in March,\" Lopez said.\n\n"
            "Lopez told reporters that the vote count in the northern districts would take two more days.\n\n"
            "The county clerk said the ballots were safe.\n")


def test_what_did_x_say_shows_reported_speech_after_the_quotes_each_cited_to_its_sentence(tmp_path):
    from conftest import make_corpus

    from qabot.answering.library import Library
    from qabot.faces.render_terminal import render_answer
    from qabot.indexing import build_index

    settings = make_corpus(tmp_path, {"campaign.md": CAMPAIGN})
    build_index(settings)
    library = Library.open(settings)
    answer = library.ask("What did Maria Lopez say?")
    assert answer.found
    quoted, told = answer.statements
    assert quoted.text == "We have never had this many volunteers in March" and not quoted.reported
    assert told.reported and told.speaker == "Maria Lopez"
    assert told.text == "Lopez told reporters that the vote count in the northern districts would take two more days."
    citation = answer.citations[told.citation - 1]
    assert told.text in citation.passage and citation.text == told.text and citation.paragraph == 2
    assert f"reported: {told.text} [{told.citation}]" in answer.text
    assert "reported: Lopez told reporters" in render_answer(answer)
    # with a topic, only the reported sentence that is about it; the clerk's words are nobody's here
    about = library.ask("What did Lopez say about the vote count?")
    assert [s.text for s in about.statements if s.reported] == [told.text]
    assert all("ballots" not in s.text for s in answer.statements + about.statements)


def test_a_rebuild_keeps_the_reported_speech_of_unchanged_articles(tmp_path):
    from conftest import make_corpus

    from qabot.indexing import IndexFolder, build_index

    settings = make_corpus(tmp_path, {"campaign.md": CAMPAIGN})
    build_index(settings)
    (tmp_path / "articles" / "other.md").write_text(
        "---\ntitle: Dam talks\n---\n\nEngineer Amira Fathy said the dam would be finished in May.\n", encoding="utf-8")
    build_index(settings)
    snapshot = IndexFolder(settings.index_dir).open_current()
    try:
        speech = snapshot.stored_speech()
        assert [(r.speaker, r.paragraph) for s in speech.values() for r in s.reported] in (
            [("Maria Lopez", 2), ("Amira Fathy", 1)], [("Amira Fathy", 1), ("Maria Lopez", 2)])
    finally:
        snapshot.close()


def test_a_role_acronym_before_the_name_does_not_make_the_speaker_an_organisation():
    sentence = "Ex-Labour MP George Galloway has appealed for the release of aid worker Margaret Hassan."
    assert reported(sentence) == [("George Galloway", sentence)]
