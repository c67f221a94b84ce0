"""Telegram HTML: escaped article text, valid tags, messages within 4096, compact button data."""

from __future__ import annotations

import re

from botapi_server import check_html

from qabot.faces.telegram.render import (
    parse_sources_callback,
    render_answer,
    render_passages,
    sources_buttons,
)
from qabot.records import Answer, ArticleInfo, Citation, Statement

ARTICLE = ArticleInfo("0123456789ab", "Tom & Jerry <live> at the \"Opera\"", "Cats & Dogs Weekly", "https://example.org/a?x=1&y=2",
                      "2024-01-02", None, "a.md")


def citation(number: int, text: str, paragraph: int = 3) -> Citation:
    return Citation(number, ARTICLE, paragraph, text, 0, len(text), text, number)


def test_article_text_is_escaped_and_links_are_kept():
    answer = Answer("q?", True, (Statement("x < y & z > w", 1),), (citation(1, "x < y & z > w"),))
    (message,) = render_answer(answer)
    shown = check_html(message)
    assert "x < y & z > w [1]" in shown
    assert '<a href="https://example.org/a?x=1&amp;y=2">Tom &amp; Jerry &lt;live&gt; at the "Opera"</a>' in message
    assert "Cats & Dogs Weekly, 2024-01-02, paragraph 3" in shown


def test_long_answers_split_between_statements_within_the_limit():
    statements = tuple(Statement((f"Sentence number {i} says something long enough. " * 8).strip(), i) for i in range(1, 41))
    citations = tuple(citation(i, s.text, paragraph=i) for i, s in enumerate(statements, 1))
    messages = render_answer(Answer("q?", True, statements, citations, heading="A <heading>"))
    assert len(messages) > 1
    shown = [check_html(m) for m in messages]
    assert all(len(s.encode("utf-16-le")) // 2 <= 4096 for s in shown)
    joined = "\n".join(shown)
    for i in range(1, 41):  # every marker survives, right after its statement
        assert re.search(rf"says something long enough\. \[{i}\]", joined)


def test_one_huge_quote_is_cut_at_sentences_with_its_marker_on_the_last_part():
    quote = " ".join(f"This is sentence {i} of a very long quotation about harbours & ships." for i in range(400))
    answer = Answer("q?", True, (Statement(quote, 1, speaker="Ana"),), (citation(1, quote),))
    messages = render_answer(answer)
    shown = [check_html(m) for m in messages]
    assert len(messages) >= 7 and all(len(s) <= 4096 for s in shown)
    joined = " ".join(shown)
    assert "sentence 399 of a very long quotation about harbours & ships.” [1]" in joined
    assert joined.count("[1]") == 2  # after the quote, and in the sources list


def test_not_found_lists_closest_matches_as_such():
    answer = Answer("q?", False, closest=(citation(1, "Nearby text & more"),), note="I couldn't find that in the indexed articles.")
    shown = check_html(render_answer(answer)[0])
    assert "I couldn't find that" in shown and "Closest matches (not an answer)" in shown


def test_sources_buttons_fit_64_bytes_and_round_trip_to_full_article_ids():
    citations = [citation(i, "t", paragraph=100 + i) for i in range(1, 4)]
    ((label, data),) = sources_buttons(citations)
    assert label == "Sources" and len(data.encode()) <= 64
    assert parse_sources_callback(data) == (1, [("0123456789ab", 101), ("0123456789ab", 102), ("0123456789ab", 103)])
    assert parse_sources_callback("s:1:zz") is None and parse_sources_callback("other") is None


def test_many_citations_get_several_buttons_that_together_cover_every_one():
    articles = [ArticleInfo(f"{i:012x}", f"T{i}", "S", None, None, None, "p") for i in range(1, 31)]
    citations = [Citation(i, articles[i - 1], 1000 + i, "t", 0, 1, "t", i) for i in range(1, 31)]
    buttons = sources_buttons(citations)
    assert len(buttons) > 1 and all(len(data.encode()) <= 64 for _, data in buttons)
    covered = []
    for label, data in buttons:
        first, keys = parse_sources_callback(data)
        assert label == f"Sources {first}–{first + len(keys) - 1}"
        covered += [(first + i, key) for i, key in enumerate(keys)]
    assert covered == [(c.number, (c.article.id, c.paragraph)) for c in citations]


def test_text_without_spaces_is_split_without_losing_a_character():
    quote = "港口工人说，检查报告必须在一周内公布。" * 400  # 8,000 characters, no spaces
    answer = Answer("q?", True, (Statement(quote, 1, speaker="李明"),), (citation(1, quote),))
    shown = [check_html(m) for m in render_answer(answer)]
    assert len(shown) >= 2 and all(len(s.encode("utf-16-le")) // 2 <= 4096 for s in shown)
    assert "".join(shown).replace("\n", "").replace(" ", "").count("港口工人说") == 400


def test_vanished_passage_is_said_clearly():
    shown = check_html(render_passages([None, citation(2, "Still here.")], [1, 2])[0])
    assert "[1] That passage is no longer in the index." in shown and "Still here." in shown


def test_no_article_field_can_break_a_message():
    hostile = ArticleInfo("0123456789ab", "Title <b>" * 700, "Source & Co " * 500, "https://example.org/" + "y" * 5000,
                          "2024-01-02" * 50, "Author " * 900, "a.md")
    cited = [Citation(n, hostile, n, "The quay reopens.", 0, 17, "The quay reopens.", n) for n in range(1, 13)]
    answer = Answer("q?", True, tuple(Statement("The quay reopens.", n) for n in range(1, 13)), tuple(cited))
    messages = render_answer(answer)
    for message in messages:
        shown = check_html(message)
        assert len(shown.encode("utf-16-le")) // 2 <= 4096
    joined = "\n".join(check_html(m) for m in messages)
    assert joined.count("[12] Title <b>Title <b>") == 1 and "…" in joined  # capped, escaped, every source listed
    assert "y" * 5000 not in "".join(messages)  # a URL too long to be a link is not one
    assert all(len(line) < 700 for line in joined.split("\n"))


def test_only_http_and_https_urls_are_linked():
    from qabot.faces.telegram.render import linkable

    for url in ("javascript:alert(1)", " javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)",
                "data:text/html,<script>", "file:///etc/passwd", "vbscript:x", "https://", "http://a b.org/"):
        assert linkable(url) is None, url
    assert linkable("https://example.org/a?x=1&y=2") == "https://example.org/a?x=1&y=2"
    assert linkable("HTTP://Example.org") == "HTTP://Example.org"
    js = ArticleInfo("0123456789ab", "Ferry", "Island Post", "javascript:alert(document.cookie)", None, None, "f.md")
    (message,) = render_answer(Answer("q?", True, (Statement("Runs hourly.", 1),), (Citation(1, js, 1, "Runs hourly.", 0, 12, "Runs hourly.", 1),)))
    assert "href" not in message and "<b>Ferry</b>" in message
