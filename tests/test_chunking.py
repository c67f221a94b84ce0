"""Sentences and chunks: within the model's budget, never across paragraphs, nothing lost."""

from __future__ import annotations

import re

import pytest

from conftest import SAMPLE_ARTICLE
from qabot.chunking import chunk_article, split_sentences
from qabot.embedding import load_embedder
from qabot.config import ModelSettings
from qabot.ingest import ingest_paths, make_article


@pytest.fixture(scope="module")
def embedder():
    return load_embedder(ModelSettings())


def test_splitter_survives_titles_abbreviations_and_quotations():
    text = ('The assassination of Maj. Gen. Qasem Soleimani by a U.S. airstrike sent shock waves. '
            'Retired Col. Viktor Mukrakhovsky said so. He added, "First, retaliation will follow. '
            'Americans may get killed." Dr. Smith disagreed.')
    sentences = [text[a:b] for a, b in split_sentences(text)]
    assert sentences == [
        "The assassination of Maj. Gen. Qasem Soleimani by a U.S. airstrike sent shock waves.",
        "Retired Col. Viktor Mukrakhovsky said so.",
        'He added, "First, retaliation will follow. Americans may get killed."',
        "Dr. Smith disagreed.",
    ]


def test_sample_chunks_are_paragraphs_with_exact_offsets(embedder):
    (article,) = ingest_paths([SAMPLE_ARTICLE], [".txt"]).articles
    chunks = chunk_article(article, embedder.count_tokens, 200)
    assert [c.paragraph for c in chunks] == [p.number for p in article.paragraphs]
    for c in chunks:
        assert article.text[c.start:c.end] == c.text


@pytest.mark.parametrize("max_tokens", [16, 40, 120])
def test_long_paragraphs_are_split_within_budget_and_nothing_is_lost(embedder, max_tokens):
    long_sentence = " ".join(f"word{i}" for i in range(150))  # one sentence longer than any budget
    paragraphs = [
        "Short opening paragraph.",
        " ".join(f"Sentence {i} talks about the harbour, the cranes and the ferries." for i in range(30)),
        long_sentence + ".",
    ]
    article = make_article("x.md", {"title": "T"}, paragraphs)
    chunks = chunk_article(article, embedder.count_tokens, max_tokens)
    assert all(n <= max_tokens for n in embedder.count_tokens([c.text for c in chunks]))
    for p in article.paragraphs:
        mine = [c for c in chunks if c.paragraph == p.number]
        assert mine and all(p.start <= c.start < c.end <= p.end for c in mine)
        covered = "".join(c.text for c in mine)
        assert re.sub(r"\s", "", covered) == re.sub(r"\s", "", p.text)
    for c in chunks:
        assert article.text[c.start:c.end] == c.text
