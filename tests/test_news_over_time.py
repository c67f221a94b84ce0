"""News over time: time and source in a question limit the articles searched (inside retrieval), and timelines put quotes and stories in date order."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pytest
from conftest import make_corpus
from test_ask import assert_cited_verbatim
from test_cli import qabot

from qabot.answering.library import Library
from qabot.config import load_settings
from qabot.errors import ConfigError
from qabot.indexing.build import build_index
from qabot.search import Scope
from qabot.text import find_period

TODAY = "2005-04-20"


def article(title: str, source: str, published: str | None, *paragraphs: str) -> str:
    meta = f"title: {title}\nsource: {source}\n" + (f"published: {published}\n" if published else "")
    return f"---\n{meta}---\n" + "\n\n".join(paragraphs) + "\n"


COSTA = {
    "a1.md": article("Port strike enters third week", "Harbour Times", "2005-04-15",
                     "Dock workers at the northern port stayed out for a third week on Friday.",
                     '"We will not go back to work until the pay offer improves," union leader Maria Costa said.'),
    "a2.md": article("Port talks collapse", "Harbour Times", "2005-03-05",
                     "Talks between the port authority and the dockers union collapsed on Saturday.",
                     '"The talks have collapsed because the authority will not move," Maria Costa said.'),
    "a3.md": article("Dockers union elects new leader", "Capital Wire", "2005-01-10",
                     "The dockers union has elected Maria Costa as its leader.",
                     '"Our members are patient people, but patience has limits," Costa said after the vote.'),
    "a4.md": article("Strike fears at the port", "Capital Wire", None,
                     "Fears of a strike grew at the port.", '"Nobody wants a long strike," Maria Costa said.'),
    "a5.md": article("Port traffic rises", "Harbour Times", "2004-11-20",
                     "Container traffic through the northern port rose by a tenth last year, the port authority said."),
}
# Many strike stories in one outlet, a few weaker ones in another: top-k unfiltered is all
# Harbour Times, so a filter applied after top-k would leave Capital Wire with nothing.
FERRY = ["Ferry strike pickets blocked the ferry terminal at dawn as the ferry strike entered its {}th day.",
         "The ferry strike committee rejected the operator's offer; ferry strike pay is running out after {} days.",
         "Tourists queued for hours because of the ferry strike, {} days old, and ferry strike leaders refused to talk.",
         "Islanders ran out of fuel in the ferry strike's {}th day; the ferry strike has cut off three islands.",
         "A ferry strike ballot on day {} backed more walkouts, and the ferry strike fund was doubled.",
         "Ferry strike marshals and police clashed on day {} of the ferry strike outside the harbour office.",
         "The ferry strike cost the island economy millions by day {}, ferry strike analysts estimate.",
         "Schools on the islands closed on day {} of the ferry strike as ferry strike buses stopped."]
CROWD = {
    f"crowd/h{i}.md": article(f"Ferry strike day {i}", "Harbour Times", f"2005-02-{i + 1:02d}", text.format(i + 2))
    for i, text in enumerate(FERRY, 1)
} | {
    f"crowd/c{i}.md": article(f"Regional roundup {i}", "Capital Wire", f"2005-02-{i + 10:02d}",
                              f"Farmers in district {i} reported a good harvest.", text)
    for i, text in enumerate([
        "A councillor said the ferry strike had delayed the delivery of new school books.",
        "Fishermen complained that the ferry strike kept buyers away from the weekly market.",
        "The ferry strike was blamed by hoteliers for a quiet start to the spring season.",
        "Hospital managers said patients were flown out by helicopter during the ferry strike.",
    ], 1)
}


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Library:
    settings = make_corpus(tmp_path_factory.mktemp("filters"), {**COSTA, **CROWD},
                           answer={"today": TODAY}, retrieval={"top_k": 3})
    build_index(settings)
    return Library.open(settings)


def quotes(answer) -> list[str]:
    return [s.text for s in answer.statements]


def test_last_week_is_relative_to_the_configured_today_and_counts_the_undated(library):
    answer = library.ask("What did Costa say last week?")
    assert answer.found
    assert quotes(answer) == ["We will not go back to work until the pay offer improves"]
    assert answer.citations[0].article.published == "2005-04-15"
    assert "published from 2005-04-13 to 2005-04-20" in answer.note
    assert "1 undated article was left out" in answer.note
    assert answer.filters["time_phrase"] == "last week" and answer.filters["undated_left_out"] == 1
    assert_cited_verbatim(library, answer)


def test_without_a_time_filter_the_undated_article_counts(library):
    answer = library.ask("What did Costa say?")
    assert "Nobody wants a long strike" in quotes(answer)
    assert answer.filters == {}
    assert "undated" not in (answer.note or "")


def test_between_months_takes_the_year_of_the_second(library):
    answer = library.ask("What did Costa say between January and March 2005?")
    assert sorted(quotes(answer)) == ["Our members are patient people, but patience has limits",
                                      "The talks have collapsed because the authority will not move"]
    assert answer.filters["since"] == "2005-01-01" and answer.filters["until"] == "2005-03-31"


def test_a_source_in_the_question_limits_the_quotes(library):
    answer = library.ask("What did Maria Costa say in the Capital Wire?")
    assert sorted(quotes(answer)) == ["Nobody wants a long strike", "Our members are patient people, but patience has limits"]
    assert {c.article.source for c in answer.citations} == {"Capital Wire"}
    assert answer.filters["sources"] == ["Capital Wire"]
    assert "Only articles from Capital Wire." in answer.note


def test_what_did_an_outlet_report_searches_only_that_outlet(library):
    answer = library.ask("What did Capital Wire report about the dockers union?")
    assert answer.found
    assert {c.article.source for c in answer.citations} == {"Capital Wire"}
    assert any("elected Maria Costa as its leader" in s.text for s in answer.statements)
    assert_cited_verbatim(library, answer)


def test_an_unknown_outlet_gets_the_list_of_known_ones(library):
    answer = library.ask("What did Costa say according to Reuters?")
    assert not answer.found and not answer.closest
    assert answer.note == "I have no articles from Reuters. Sources I have: Capital Wire, Harbour Times."


def test_according_to_a_person_is_not_an_outlet(library):
    answer = library.ask("According to Maria Costa, what happened at the port?")
    assert "I have no articles from" not in answer.text


def test_nothing_in_the_period_says_so_and_offers_the_nearest_outside_labelled(library):
    answer = library.ask("What did Costa say in 2003?")
    assert not answer.found and not answer.statements
    assert answer.note.startswith("No indexed articles are published from 2003-01-01 to 2003-12-31.")
    assert "nearest match outside that is below, not as an answer" in answer.note
    assert answer.closest and "Costa" not in (answer.heading or "")
    assert all(c.article.published and c.article.published >= "2005" for c in answer.closest)


def test_event_relative_time_is_out_of_scope_and_said_to_be(library):
    answer = library.ask("What did Costa say before the election?")
    assert answer.found
    assert 'not to events such as "before the election"' in answer.note
    assert answer.filters["out_of_scope"] == "before the election"
    assert len(answer.statements) == 4


def test_filter_is_applied_inside_retrieval_so_k_passages_still_come_back(library):
    loaded = library._loaded
    retriever = loaded.retriever
    everything = retriever.search("ferry strike", 3)
    assert {h.article.source for h in everything} == {"Harbour Times"}  # a filter after top-k would leave nothing
    selection = loaded.catalog.get().select(Scope(sources=("Capital Wire",)))
    hits = retriever.search("ferry strike", 3, mask=selection.mask)
    assert len(hits) == 3
    assert all(h.article.source == "Capital Wire" for h in hits)
    assert sum("ferry strike" in h.chunk.text for h in hits) >= 2
    assert int(np.count_nonzero(selection.mask)) == selection.chunks < library.snapshot.manifest.chunks


def test_generic_question_within_an_outlet_and_month(library):
    answer = library.ask("What did the Capital Wire report about the ferry strike in February?")
    assert answer.found
    assert {c.article.source for c in answer.citations} == {"Capital Wire"}
    assert all(c.article.published.startswith("2005-02") for c in answer.citations)
    assert all("ferry strike" in s.text for s in answer.statements)


@pytest.mark.parametrize("question, since, until, rest", [
    ("What did Kosachev say last week?", date(2005, 4, 13), date(2005, 4, 20), "What did Kosachev say?"),
    ("What happened yesterday?", date(2005, 4, 19), date(2005, 4, 19), "What happened?"),
    ("What happened this month?", date(2005, 4, 1), date(2005, 4, 20), "What happened?"),
    ("What happened last month?", date(2005, 3, 1), date(2005, 3, 31), "What happened?"),
    ("What did Blair say in March?", date(2005, 3, 1), date(2005, 3, 31), "What did Blair say?"),
    ("What did Blair say in May?", date(2004, 5, 1), date(2004, 5, 31), "What did Blair say?"),  # the latest May
    ("Yukos news since 3 March", date(2005, 3, 3), None, "Yukos news"),
    ("Yukos news after March 3rd", date(2005, 3, 4), None, "Yukos news"),
    ("Yukos between January and April 2005", date(2005, 1, 1), date(2005, 4, 30), "Yukos"),
    ("Yukos between November and February 2005", date(2004, 11, 1), date(2005, 2, 28), "Yukos"),
    ("What happened in 2004?", date(2004, 1, 1), date(2004, 12, 31), "What happened?"),
    ("Budget news until 2005-03-01", None, date(2005, 3, 1), "Budget news"),
    ("Budget news in the last 3 days", date(2005, 4, 17), date(2005, 4, 20), "Budget news"),
])
def test_time_phrases_become_periods(question, since, until, rest):
    found = find_period(question, date(2005, 4, 20))
    assert (found.period.since, found.period.until, found.rest) == (since, until, rest)


@pytest.mark.parametrize("question", ["What did Blair say about Iraq?", "Who is Bogdanov?", "What did Nowak write on LinkedIn?",
                                      "What may happen to the port?"])
def test_questions_without_time_have_no_period(question):
    assert find_period(question, date(2005, 4, 20)).period is None


def test_a_bad_today_setting_names_what_is_allowed(tmp_path):
    (tmp_path / "config.toml").write_text('[answer]\ntoday = "tomorrow"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"answer.today = 'tomorrow' is not allowed; expected \"now\", \"newest\" or a date"):
        load_settings(tmp_path / "config.toml", env={})


def test_today_newest_is_the_newest_indexed_article(library):
    from dataclasses import replace

    newest = Library(replace(library.settings, answer=replace(library.settings.answer, today="newest")),
                     library.embedder, library._loaded, library.folder)
    answer = newest.ask("What did Costa say last week?")
    assert quotes(answer) == ["We will not go back to work until the pay offer improves"]  # newest is 2005-04-15
    assert answer.filters["since"] == "2005-04-08"


def test_cli_flags_limit_the_answer_and_json_reports_the_filters(library):
    folder = library.settings.base_dir
    result = qabot("ask", "--since", "2005-03-01", "--until", "2005-04-30", "--source", "Harbour", "--json",
                   "What did Costa say?", cwd=folder)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [s["text"] for s in data["statements"]] == ["We will not go back to work until the pay offer improves",
                                                        "The talks have collapsed because the authority will not move"]
    assert data["filters"]["since"] == "2005-03-01" and data["filters"]["until"] == "2005-04-30"
    assert data["filters"]["sources"] == ["Harbour Times"]


@pytest.mark.parametrize("args, message", [
    (["--since", "2005-13-01"], "--since '2005-13-01' is not a date; write it as YYYY-MM-DD"),
    (["--since", "2005-04-01", "--until", "2005-03-01"], "--since 2005-04-01 is after --until 2005-03-01"),
])
def test_bad_date_flags_are_one_line_usage_errors(library, args, message):
    result = qabot("ask", *args, "What did Costa say?", cwd=library.settings.base_dir)
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_unknown_source_flag_lists_the_known_ones(library):
    result = qabot("ask", "--source", "Reuters", "What did Costa say?", cwd=library.settings.base_dir)
    assert result.returncode == 0
    assert "I have no articles from Reuters. Sources I have: Capital Wire, Harbour Times." in result.stdout


def test_how_has_a_position_changed_lists_the_quotes_on_the_topic_by_date(library):
    answer = library.ask("How has Costa's position on the talks changed?")
    assert answer.found
    assert quotes(answer) == ["The talks have collapsed because the authority will not move"]
    assert answer.statements[0].group == "5 March 2005"  # one month only: grouped by day
    assert "do not mention talks are left out" in answer.note
    assert_cited_verbatim(library, answer)


def test_timeline_of_a_person_is_in_date_order_with_dates_and_outlets_cited(library):
    answer = library.ask("Timeline of Maria Costa")
    assert quotes(answer) == ["Our members are patient people, but patience has limits",
                              "The talks have collapsed because the authority will not move",
                              "We will not go back to work until the pay offer improves"]
    assert [s.group for s in answer.statements] == ["January 2005", "March 2005", "April 2005"]
    cited = {c.number: c.article for c in answer.citations}
    assert [(cited[s.citation].source, cited[s.citation].published) for s in answer.statements] == [
        ("Capital Wire", "2005-01-10"), ("Harbour Times", "2005-03-05"), ("Harbour Times", "2005-04-15")]
    assert "1 quote from undated articles left out" in answer.note
    assert_cited_verbatim(library, answer)


def test_quotes_only_in_undated_articles_cannot_make_a_timeline(library):
    answer = library.ask("Costa on the strike over time")
    assert not answer.found
    assert "all in undated articles, so they cannot be put in date order" in answer.note
    assert [c.text for c in answer.closest] == ["Nobody wants a long strike"]


def test_timeline_of_a_story_gives_one_on_topic_sentence_per_article_in_date_order(library):
    answer = library.ask("Timeline of the ferry strike")
    assert answer.found and answer.heading == "Timeline: ferry strike"
    cited = {c.number: c.article for c in answer.citations}
    articles = [cited[s.citation] for s in answer.statements]
    assert len({a.id for a in articles}) == len(articles) == 12  # one per article: 8 + 4 stories
    assert [a.published for a in articles] == sorted(a.published for a in articles)
    assert all("ferry strike" in s.text.lower() for s in answer.statements)  # not the roundups' harvest leads
    assert answer.statements[0].group == "2 February 2005"  # all in one month: grouped by day
    assert_cited_verbatim(library, answer)


def test_timeline_within_a_period(library):
    answer = library.ask("Timeline of the ferry strike since 2005-02-10")
    assert answer.found
    assert {c.article.source for c in answer.citations} == {"Capital Wire"}
    assert "published since 2005-02-10" in answer.note


@pytest.mark.parametrize("question, subject, topic", [
    ("How has Blair's position on Iraq changed?", "Blair", "Iraq"),
    ("timeline of Blair on Iraq", "Blair", "Iraq"),
    ("Blair on Iraq over time", "Blair", "Iraq"),
    ("Timeline of the Yukos affair", "Yukos affair", None),
])
def test_timeline_questions_are_recognised(question, subject, topic):
    from qabot.answering.timeline import parse_timeline

    assert parse_timeline(question) == parse_timeline(question) and \
        (parse_timeline(question).subject, parse_timeline(question).topic) == (subject, topic)


@pytest.mark.parametrize("question", ["What did the dockers union report about pay?", "What did the union say in the talks?"])
def test_lower_case_words_are_not_taken_for_outlets(library, question):
    assert "I have no articles from" not in library.ask(question).text


def test_a_place_is_not_taken_for_the_outlet_named_after_it(library):
    assert library.ask("What happened in Harbour?").filters == {}  # not "Harbour Times"
    assert library.ask("What happened in the Harbour Times?").filters["sources"] == ["Harbour Times"]
    assert library.ask("What did Harbour report about the ferry strike?").filters["sources"] == ["Harbour Times"]


def test_according_to_at_the_start_of_a_question(library):
    answer = library.ask("According to Reuters, what did Costa say?")
    assert answer.note == "I have no articles from Reuters. Sources I have: Capital Wire, Harbour Times."
    assert library.ask("According to the Capital Wire, what did Costa say?").filters["sources"] == ["Capital Wire"]


def test_in_an_undated_archive_a_year_is_searched_as_words_and_the_answer_says_so(tmp_path):
    """Most articles undated (the BBC 2004-05 corpus): "in 2004" cannot select articles, so it
    stays in the question, and the answer says it did not limit the dates."""
    from conftest import make_corpus

    from qabot.answering import Library
    from qabot.indexing import build_index

    files = {f"story{i}.txt": f"Story {i}\n\nThe council approved budget number {i} for the harbour district.\n"
             for i in range(3)}
    files["prince.txt"] = "Prince tops earnings\n\nPrince earned $56.5m in 2004, more than any other musician.\n"
    settings = make_corpus(tmp_path, files)
    build_index(settings)
    answer = Library.open(settings).ask("How much did Prince earn in 2004?")
    assert answer.found and "$56.5m" in answer.statements[0].text
    assert "$56.5m" in answer.citations[0].text
    assert 'so "in 2004" was searched as words' in answer.note
    assert answer.filters["time_as_words"] == "in 2004" and answer.filters["since"] is None
