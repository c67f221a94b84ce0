"""Sentences and chunks: within the model's budget, never across paragraphs, nothing lost.

Articles are built here directly (paragraphs joined by a blank line), so these tests
depend on the records only, not on how ingest cleans files.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qabot.config import ModelSettings
from qabot.embedding.model import load_embedder
from qabot.indexing.chunking import chunk_article
from qabot.records import Article, Paragraph
from qabot.text import split_sentences

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "articles" / "al-monitor-russia-reading-soleimani-killing.txt"
BBC = REPO.parent / "shared" / "data" / "bbc"


@pytest.fixture(scope="module")
def embedder():
    return load_embedder(ModelSettings())


def article_of(paragraphs: list[str], article_id: str = "a1") -> Article:
    starts, position = [], 0
    for text in paragraphs:
        starts.append(position)
        position += len(text) + 2
    return Article(
        id=article_id, title="T", text="\n\n".join(paragraphs),
        paragraphs=tuple(Paragraph(i + 1, text, start) for i, (text, start) in enumerate(zip(paragraphs, starts))),
        path=f"{article_id}.txt", content_hash=article_id,
    )


def file_article(path: Path) -> Article:
    paragraphs = [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    return article_of(paragraphs, path.stem)


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


def assert_exact_within_budget_and_complete(article: Article, chunks, count_tokens, max_tokens: int) -> None:
    assert [c.id for c in chunks] == list(range(chunks[0].id, chunks[0].id + len(chunks)))
    assert all(n <= max_tokens for n in count_tokens([c.text for c in chunks]))
    for c in chunks:
        assert article.text[c.start:c.end] == c.text
    for p in article.paragraphs:
        mine = [c for c in chunks if c.paragraph == p.number]
        assert all(p.start <= c.start < c.end <= p.end for c in mine)  # never across a paragraph
        assert re.sub(r"\s", "", "".join(c.text for c in mine)) == re.sub(r"\s", "", p.text)


def test_splitter_survives_titles_abbreviations_and_quotations():
    text = ('The assassination of Maj. Gen. Qasem Soleimani by a U.S. airstrike sent shock waves. '
            'Retired Col. Viktor Mukrakhovsky said so. He added, "First, retaliation will follow. '
            'Americans may get killed." Dr. Smith disagreed.')
    assert sentences(text) == [
        "The assassination of Maj. Gen. Qasem Soleimani by a U.S. airstrike sent shock waves.",
        "Retired Col. Viktor Mukrakhovsky said so.",
        'He added, "First, retaliation will follow. Americans may get killed."',
        "Dr. Smith disagreed.",
    ]


def test_sample_article_sentences_keep_ranks_and_quotations_whole():
    article = file_article(SAMPLE)
    found = [" ".join(s.split()) for p in article.paragraphs for s in sentences(p.text)]  # the page has NBSPs
    assert ("The assassination of Maj. Gen. Qasem Soleimani, the commander of Iran's Islamic Revolutionary "
            "Guard Corps’ Quds Force, by a US airstrike at the airport in Baghdad sent shock waves across "
            "the region.") in found
    assert any(s.startswith("Retired Col. Viktor Mukrakhovsky, editor of the military journal") for s in found)
    mukrakhovsky = next(s for s in found if s.startswith("“A statesman is killed"))
    assert mukrakhovsky.endswith("the US leadership has moved to raise the stakes,” Mukrakhovsky said.")


def test_closing_quotation_mark_stays_with_its_sentence():
    # pysbd alone puts the closing mark at the start of the next sentence ('" Talks are ...').
    text = ('He said: "We will deliver - and deliver quickly." Talks are continuing. '
            'She added, "First, retaliation will follow. Iran may act.” The JCPOA is the deal.')
    assert sentences(text) == [
        'He said: "We will deliver - and deliver quickly."',
        "Talks are continuing.",
        'She added, "First, retaliation will follow.',
        "Iran may act.”",
        "The JCPOA is the deal.",
    ]


def test_sentence_spans_exclude_surrounding_white_space_and_repeat_correctly():
    text = "  Yes. No.   Yes.\nNo.  "
    assert split_sentences(text) == [(2, 6), (7, 10), (13, 17), (18, 21)]
    assert split_sentences("   ") == [] and split_sentences("") == []


def test_sample_paragraphs_that_fit_are_one_chunk_each_with_exact_offsets(embedder):
    article = file_article(SAMPLE)
    chunks = chunk_article(article, embedder.count_tokens, 200, first_id=7)
    assert chunks[0].id == 7
    assert [c.paragraph for c in chunks] == [p.number for p in article.paragraphs]
    assert_exact_within_budget_and_complete(article, chunks, embedder.count_tokens, 200)


@pytest.mark.parametrize("max_tokens", [16, 40, 120])
def test_long_paragraphs_are_split_within_budget_and_nothing_is_lost(embedder, max_tokens):
    article = article_of([
        "Short opening paragraph.",
        " ".join(f"Sentence {i} talks about the harbour, the cranes and the ferries." for i in range(30)),
        " ".join(f"word{i}" for i in range(150)) + ".",  # one sentence longer than any budget
        "A link: https://example.com/" + "a1b2c3d4" * 60 + " ends here.",  # one "word" over the budget
        "北京是中华人民共和国的首都" * 40,  # no spaces at all
    ])
    chunks = chunk_article(article, embedder.count_tokens, max_tokens)
    assert_exact_within_budget_and_complete(article, chunks, embedder.count_tokens, max_tokens)


def test_long_paragraph_is_cut_between_sentences(embedder):
    paragraph = " ".join(f"Soleimani met official number {i} in Moscow on a Tuesday." for i in range(40))
    article = article_of([paragraph])
    chunks = chunk_article(article, embedder.count_tokens, 60)
    assert len(chunks) > 1
    assert all(c.text.startswith("Soleimani met") and c.text.endswith("Tuesday.") for c in chunks)


def test_blank_paragraphs_give_no_chunk(embedder):
    article = article_of(["First.", "   ", "Third."])
    assert [c.paragraph for c in chunk_article(article, embedder.count_tokens, 200)] == [1, 3]


def test_bbc_articles_chunk_within_budget_and_completely(embedder):
    if not BBC.is_dir():
        pytest.skip(f"BBC News corpus not found at {BBC} (public eval data, not in the repo)")
    files = sorted(BBC.glob("*/*.txt"))[::20]  # ~110 articles across all categories
    assert files
    for path in files:
        article = file_article(path)
        chunks = chunk_article(article, embedder.count_tokens, 64)
        assert_exact_within_budget_and_complete(article, chunks, embedder.count_tokens, 64)
