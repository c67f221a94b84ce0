"""`ask()` keeps what retrieval found (issue 10, part 2): one small corpus, one test per
mechanism of `qabot.answering.compose` and the speaker choice of `qabot.answering.library`
that closed the gap to retrieval's first passage on the 76 news questions (README "Honest
answers", "`ask()` beside retrieval"). The articles are written in the BBC's words; each
test asserts on the text the answer shows.
"""

from __future__ import annotations

import pytest
from conftest import make_corpus

ARTICLES = {
    "callaghan.md": "# Former PM Callaghan dies\n\n"
                    "Former Labour prime minister Lord Callaghan has died on the eve of his 93rd birthday.\n\n"
                    "The former prime minister passed away at home in East Sussex, just 11 days after his wife Audrey died aged 91. "
                    "He entered Downing Street in 1976 after the resignation of Harold Wilson.\n",
    "scott.md": "# Tory Sir Nicholas Scott dies\n\n"
                "Former Northern Ireland minister Sir Nicholas Scott has died at a London hospice, his family "
                "has announced. The former MP died after a long illness and is to be buried shortly.\n",
    "blogs.md": "# Blogger sacked by airline\n\n"
                "Jeffrey Matsuura, director of the law and technology programme at the University of Dayton, "
                "said personal websites can be hazardous for both employers and their employees. \"There are "
                "many examples of employees who have presented some kind of material online that have gotten "
                "them in trouble with employers,\" he said.\n",
    "idcards.md": "# Tories back ID cards\n\n"
                  "Mr Howard last week said his front bench team had reached a \"collective view\" to back ID "
                  "cards after holding a \"good discussion\", but admitted it was \"not an easy issue\".\n\n"
                  "\"We will vote for the bill,\" Michael Howard said.\n",
    "holmes.md": "# Holmes out of Europeans\n\n"
                 "Kelly Holmes has been forced out of the European Indoor Championships with a hamstring injury.\n\n"
                 "\"I pulled my hamstring running the last bend,\" Holmes said.\n",
    "schools.md": "# Schools told to improve\n\n"
                  "\"Every school must teach children to read by the age of seven,\" Education Secretary Ruth "
                  "Kelly said.\n\nShe said schools would be inspected more often.\n",
}


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    from qabot.answering import Library
    from qabot.indexing import build_index

    settings = make_corpus(tmp_path_factory.mktemp("keeps-retrieval"), ARTICLES)
    build_index(settings)
    return Library.open(settings)


def test_a_paraphrase_both_rankers_put_first_is_answered_from_that_passage(library):
    """No sentence of the top passage holds "shortly" (the question's point word; only a
    distractor about Sir Nicholas Scott does), but dense search ranks the passage first and
    BM25 in its top two: it leads the answer with its sentence holding most of the question,
    not the distractor's sentence that keeps the point word."""
    question = "Which former prime minister died shortly after his wife?"
    top = library.retriever.search(question, 1)[0]
    assert top.dense_rank == 1 and top.bm25_rank <= 2 and "11 days after his wife" in top.chunk.text
    answer = library.ask(question)
    assert answer.found
    assert "just 11 days after his wife Audrey died" in answer.statements[0].text


def test_a_when_question_still_needs_its_point_word(library):
    """Only a question asking for no number or date may skip the point word: "When did Lord
    Callaghan sell his farm?" shares the passage's names and a date, but nothing was sold."""
    answer = library.ask("When did Lord Callaghan sell his farm?")
    assert not answer.found


def test_reported_speech_past_an_appositive_is_the_persons(library):
    answer = library.ask("What did Jeffrey Matsuura say about personal websites?")
    shown = [s.text for s in answer.statements]
    assert any(text.startswith("Jeffrey Matsuura, director of the law") and "personal websites can be hazardous" in text
               for text in shown), shown


def test_a_reported_sentence_is_shown_in_place_of_the_quote_fragment_it_holds(library):
    answer = library.ask("What did Michael Howard say about his front bench and ID cards?")
    shown = [s.text for s in answer.statements]
    assert any('reached a "collective view"' in text for text in shown), shown
    assert "not an easy issue" not in shown, "the fragment stands inside the sentence already shown"


def test_a_first_name_is_not_another_persons_surname(library):
    """"Kelly Holmes" is Holmes, not the Ruth Kelly quoted as "Kelly"."""
    answer = library.ask("What did Kelly Holmes say about her hamstring?")
    shown = " ".join(s.text for s in answer.statements)
    assert answer.found and "I pulled my hamstring running the last bend" in shown
    assert "Every school must teach" not in shown
