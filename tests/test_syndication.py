"""Syndicated copies are merged at build time: one copy cited, "also in" the others, quotes once.

The same ferry-strike story is published by three outlets on a real news site on 127.0.0.1
(wire original, a repost with an edited headline, a local copy with a paragraph added), next
to a different report of the same strike; they are fetched, built and asked about.
"""

from __future__ import annotations

import pytest
from conftest import make_corpus
from newsite_server import NewsSite
from syndication_stories import LOCAL, OTHER_REPORT, REPOST, WIRE

from qabot.answering import Library
from qabot.indexing.build import build_index
from qabot.news import merge_copies
from qabot.sources import fetch_sources, ingest_paths

QUICK = {"allow_private": True, "delay_seconds": 0, "retries": 1, "timeout_seconds": 5}
OUTLETS = {"/wire/ferry-strike": ("Wire Service", WIRE), "/valley/ferry": ("Valley Post", REPOST),
           "/harbour/ferry-strike-harwick": ("Harbour Times", LOCAL), "/courier/islands": ("Daily Courier", OTHER_REPORT)}


@pytest.fixture(scope="module")
def fetched(tmp_path_factory):
    site = NewsSite().start()
    try:
        for path, (outlet, story) in OUTLETS.items():
            site.article(path, story, outlet=outlet)
        site.add("/", "", "text/plain")
        folder = tmp_path_factory.mktemp("syndication")
        settings = make_corpus(folder, {}, sources={**QUICK, "pages": [site.url + p for p in OUTLETS]})
        assert fetch_sources(settings).new == 4
    finally:
        site.stop()
    return settings  # the site is gone: every build below works from the saved archive alone


def test_copies_are_grouped_and_a_different_report_is_not(fetched):
    articles = ingest_paths(fetched.article_paths, fetched.corpus.extensions).articles
    merged = merge_copies(articles, 0.5)
    kept = {a.source for a in merged.articles}
    assert kept == {"Wire Service", "Daily Courier"}  # the earliest copy is kept
    assert sorted(c.source for _, c in merged.copies) == ["Harbour Times", "Valley Post"]

    preferred = merge_copies(articles, 0.5, preferred_sources=["Harbour Times"])
    assert {a.source for a in preferred.articles} == {"Harbour Times", "Daily Courier"}


def test_an_answer_cites_one_copy_and_says_where_else_it_appeared(fetched):
    report = build_index(fetched)
    assert (report.articles, report.copies) == (2, 2)
    library = Library.open(fetched)

    answer = library.ask("What did Agnes Morrow say?")

    texts = [s.text for s in answer.statements]
    assert any("We have been patient for two years" in t for t in texts)
    assert sum("We have been patient for two years" in t for t in texts) == 1  # three outlets, one quote
    cited = next(c for c in answer.citations if "We have been patient" in c.passage)
    assert cited.article.source == "Wire Service"
    assert cited.article.also_in == ("Valley Post", "Harbour Times")
    assert "Nobody wants the islands to go hungry" in " ".join(texts)  # the other report stays its own
    other = next(c for c in answer.citations if "Nobody wants" in c.passage)
    assert (other.article.source, other.article.also_in) == ("Daily Courier", ())


def test_the_terminal_answer_shows_also_in(fetched):
    from qabot.faces.render_terminal import source_line

    build_index(fetched)
    answer = Library.open(fetched).ask("How many passengers a day use the ferry routes in summer?")
    assert answer.found
    line = source_line(answer.citations[0])
    assert "About 6,000 passengers a day" in answer.citations[0].passage
    assert line.endswith("; also in: Valley Post, Harbour Times")


def test_bbc_exact_duplicates_are_all_merged(bbc_dir):
    articles = ingest_paths([bbc_dir], [".txt"]).articles
    merged = merge_copies(articles, 0.5)
    texts = [a.text for a in merged.articles]
    assert len(set(texts)) == len(texts)  # no exact duplicate is left
    assert len({a.text for a in articles}) - len(texts) <= 40  # and few near-duplicates went with them


def test_a_quote_two_different_articles_carry_is_listed_once(tmp_path):
    quote = "We have been patient for two years and our members cannot pay their bills"
    settings = make_corpus(tmp_path, {
        "a.md": f"---\ntitle: Ferry strike begins\nsource: Wire Service\npublished: 2005-06-06\n---\n"
                f"Ferry crews walked out on Monday over pay.\n\n\"{quote},\" said union leader Agnes Morrow.\n\n"
                f"The operator said it had offered a 4% rise.\n",
        "b.md": f"---\ntitle: Islands ration bread\nsource: Daily Courier\npublished: 2005-06-07\n---\n"
                f"Shopkeepers on the islands began rationing bread on Tuesday as the strike went on.\n\n"
                f"Union leader Agnes Morrow repeated her words of Monday: \"{quote},\" she said.\n"})
    build_index(settings)
    answer = Library.open(settings).ask("What did Agnes Morrow say?")
    assert [s.text for s in answer.statements].count(quote) == 1
