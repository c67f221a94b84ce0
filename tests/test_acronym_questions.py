"""A body quoted by its acronym is found by its name, and the other way round, in real answers."""

from __future__ import annotations

import pytest
from conftest import make_corpus
from test_ask import assert_cited_verbatim

from qabot.answering.library import Library
from qabot.indexing.build import build_index

SPELLED = ("Kilroy-Silk quits the party\n\n"
           "Robert Kilroy-Silk has left the UK Independence Party after a row over the leadership.\n\n"
           "UKIP said: \"He has a moral obligation to stand down from the London Assembly seat.\"\n")
ACRONYM_ONLY = ("Party sets out its manifesto\n\n"
                "The party's leaders met in Birmingham on Saturday.\n\n"
                "UKIP said: \"We will stand candidates in every seat at the general election.\"\n")


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Library:
    settings = make_corpus(tmp_path_factory.mktemp("acronyms"), {"spelled.txt": SPELLED, "acronym.txt": ACRONYM_ONLY})
    build_index(settings)
    return Library.open(settings)


@pytest.mark.parametrize("question", ["what did ukip say?", "What did UKIP say?",
                                      "What did the UK Independence Party say?"])
def test_a_body_is_found_by_its_acronym_or_its_name(library, question):
    answer = library.ask(question)
    texts = " ".join(s.text for s in answer.statements)
    assert answer.found
    assert "He has a moral obligation to stand down" in texts  # written "UK Independence Party" (spelled out)
    assert "We will stand candidates in every seat" in texts   # written "UKIP" (never spelled out there)
    assert_cited_verbatim(library, answer)
