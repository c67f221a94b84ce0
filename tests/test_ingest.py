"""Reading articles: formats, encodings, boilerplate, dates, ids, and bad files skipped with a reason."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE_ARTICLE

from qabot.errors import CorpusError
from qabot.sources.ingest import IngestSkip, ingest_paths, normalise_date, read_article_file

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
EXTENSIONS = [".txt", ".md", ".markdown", ".html", ".htm", ".jsonl"]
BOILERPLATE_WORDS = ["Skip to main content", "Newsletter", "newsletters", "Member", "membership", "Sign in",
                     "$25.00 / month", "billed annually", "free trial", "PRO", "Briefing", "What's included",
                     "Our Expertise", "team plans"]


def by_path(folder: Path) -> dict:
    return {a.path: a for a in ingest_paths([folder], EXTENSIONS).articles}


def texts(article) -> list[str]:
    return [p.text for p in article.paragraphs]


# --- the sample article ------------------------------------------------------------------

def sample_body_paragraphs() -> list[str]:
    """The real body of the saved page, read straight from the file, whitespace tidied."""
    blocks = [" ".join(b.split()) for b in SAMPLE_ARTICLE.read_text(encoding="utf-8").split("\n\n")]
    first = next(i for i, b in enumerate(blocks) if b.startswith("The assassination of Maj. Gen."))
    last = next(i for i, b in enumerate(blocks) if b.endswith("Kosachev concluded."))
    return blocks[first:last + 1]


def test_sample_article_title_is_the_headline_with_its_typo():
    (article,) = read_article_file(SAMPLE_ARTICLE, SAMPLE_ARTICLE.parent)
    assert article.title == "How Russia is reading the killing of Qasem Soleimaini"
    assert article.path == SAMPLE_ARTICLE.name and article.source == ""


def test_sample_article_keeps_the_standfirst_and_every_body_paragraph_verbatim_in_order():
    (article,) = read_article_file(SAMPLE_ARTICLE, SAMPLE_ARTICLE.parent)
    body = sample_body_paragraphs()
    assert len(body) == 16
    assert texts(article) == [
        "Moscow weighs the implications of the elimination of one of the Middle East's most powerful men.", *body]
    assert texts(article)[4].startswith("Russian Senate Foreign Affairs Committee Chair Konstantin Kosachev wrote")
    assert "Konstantin Bogdanov, a fellow at the Institute of World Economy and International Relations" in texts(article)[10]


def test_sample_article_has_no_boilerplate_in_any_paragraph():
    (article,) = read_article_file(SAMPLE_ARTICLE, SAMPLE_ARTICLE.parent)
    for text in texts(article):
        for word in BOILERPLATE_WORDS:
            assert word not in text, f"boilerplate {word!r} left in paragraph: {text[:80]}"
        assert "•" not in text


def test_paragraph_offsets_index_the_article_text_exactly():
    articles = [*ingest_paths([FIXTURES / "corpus"], EXTENSIONS).articles,
                *read_article_file(SAMPLE_ARTICLE, SAMPLE_ARTICLE.parent)]
    for article in articles:
        assert article.text == "\n\n".join(texts(article))
        assert [p.number for p in article.paragraphs] == list(range(1, len(article.paragraphs) + 1))
        for p in article.paragraphs:
            assert article.text[p.start:p.end] == p.text


# --- formats -----------------------------------------------------------------------------

def test_markdown_front_matter_gives_metadata_and_markup_is_stripped_keeping_link_text():
    article = by_path(FIXTURES / "corpus")["wire/port-strike.md"]
    assert (article.title, article.source, article.published, article.author, article.url) == (
        "Port strike ends: dockers accept deal", "Harbour Times", "2024-03-02", "Jane Doe",
        "https://example.org/harbour/strike")
    assert texts(article) == [
        "Dock workers accepted a pay rise of six per cent on Friday, ending a strike that had lasted three weeks.",
        '"This is a fair deal for every family on the docks," union leader Tomas Berg said after the vote.',
        "What changes",
        "Wages rise in two steps, in April and in October.",
        "Night shifts are capped at four a week.",
        "The port authority said the first ships would be unloaded on Saturday morning.",
    ]


def test_markdown_leading_heading_is_the_title_without_front_matter(tmp_path):
    (tmp_path / "a.markdown").write_text("# Floods close *two* roads\n\nThe river rose overnight, police said.\n",
                                         encoding="utf-8")
    (article,) = ingest_paths([tmp_path], EXTENSIONS).articles
    assert article.title == "Floods close two roads"
    assert texts(article) == ["The river rose overnight, police said."]


def test_text_file_front_matter_wins_and_its_repeated_title_line_is_not_a_paragraph():
    article = by_path(FIXTURES / "corpus")["wire/2020/kremlin.txt"]
    assert (article.title, article.source, article.published, article.author, article.url) == (
        "Kremlin weighs response to sanctions", "Moscow Wire", "2020-01-06", "Ivan Petrov", None)
    assert texts(article)[0].startswith("Russia will answer the new sanctions")


def test_html_main_text_and_metadata_come_from_trafilatura():
    article = by_path(FIXTURES / "corpus")["bridge.html"]
    assert (article.title, article.source, article.published, article.author, article.url) == (
        "Bridge reopens after repairs", "City Wire", "2023-09-14", "Sam Lee", "https://example.org/city-wire/bridge")
    assert texts(article) == [
        "The old river bridge reopened on Thursday after eighteen months of repairs that cost the city far more than planned.",
        '"The bridge is safe again, and it will stay safe for fifty years," city engineer Petra Novak said at the opening.',
        "Traffic is expected to return to normal levels within a week, according to the transport office.",
    ]


def test_jsonl_gives_one_article_per_line_and_bad_lines_are_skipped_with_their_line_number():
    result = ingest_paths([FIXTURES / "corpus" / "feed.jsonl"], EXTENSIONS)
    first, second = result.articles
    assert (first.path, first.title, first.source, first.published, first.author, first.url) == (
        "feed.jsonl#1", "Rates held at 4%", "Finance Daily", "2023-11-02", "Omar Said", "https://example.org/rates")
    assert texts(first) == ["The central bank held rates at 4% on Thursday.",
                            'Governor Lina Park said inflation was "still too high".']
    assert (second.path, second.published) == ("feed.jsonl#5", "2023-11-06")
    assert texts(second) == ["Grain exports rose by a fifth in October, the ministry said.", "Farmers welcomed the figures."]
    assert second.title == "Grain exports rose by a fifth in October, the ministry said."
    assert [(s.path, s.reason) for s in result.skipped] == [
        ("feed.jsonl:2", "not valid JSON (Expecting property name enclosed in double quotes, column 2)"),
        ("feed.jsonl:3", 'needs a JSON object with a "text" string'),
    ]
    assert first.id != second.id


def test_text_with_single_newline_paragraphs_and_hard_wrapped_lines(tmp_path):
    (tmp_path / "lines.txt").write_text("Mayor resigns\nThe mayor resigned on Friday.\nHer deputy takes over today.\n",
                                        encoding="utf-8")
    (tmp_path / "wrapped.txt").write_text(
        "Storm warning\n\nForecasters warned on Sunday that a storm bringing winds of up to\n"
        "90mph would reach the west coast by Monday evening, and told people\nto stay at home.\n", encoding="utf-8")
    articles = by_path(tmp_path)
    assert texts(articles["lines.txt"]) == ["The mayor resigned on Friday.", "Her deputy takes over today."]
    assert texts(articles["wrapped.txt"]) == [
        "Forecasters warned on Sunday that a storm bringing winds of up to 90mph would reach the west coast "
        "by Monday evening, and told people to stay at home."]


def test_text_starting_with_prose_keeps_it_and_titles_from_its_first_words(tmp_path):
    (tmp_path / "a.txt").write_text("Police in the northern city of Leeds have arrested three men after a raid on "
                                    "a warehouse on Tuesday night.\n\nAll three were released on bail.\n", encoding="utf-8")
    (article,) = ingest_paths([tmp_path], EXTENSIONS).articles
    assert article.title == "Police in the northern city of Leeds have arrested three men after …"
    assert texts(article)[0].startswith("Police in the northern city of Leeds")


# --- boilerplate -------------------------------------------------------------------------

def test_saved_page_loses_navigation_promo_and_tail_but_keeps_body_byline_and_date():
    article = by_path(FIXTURES / "corpus")["saved-page.txt"]
    assert (article.title, article.author, article.published) == (
        "Council approves new cycle lanes", "Sarah O'Neill", "2020-01-06")
    assert texts(article) == [
        "The city council approved twelve kilometres of new cycle lanes on Monday, after a year of consultation with residents.",
        '"Cycling is the fastest way across town, and now it will be the safest," councillor Amir Khan said.',
        "Work on the first lane starts in March and should finish before the summer holidays.",
    ]


def test_news_paragraphs_mentioning_members_subscribers_and_sign_up_are_kept_with_short_lists():
    article = by_path(FIXTURES / "corpus")["budget-vote.txt"]
    assert article.title == "MPs back budget after long debate"
    assert texts(article) == [
        "Members of parliament voted late on Tuesday to approve the spending plan after an eight-hour debate in the Commons.",
        "The broadcaster said it had lost 200,000 subscribers since the licence price rise in January, "
        "and that its membership scheme would close.",
        "The plan includes:",
        "- More nurses",
        "- Free school meals",
        "- A new rail line to the north",
        "Fans can sign up for tickets to the parliamentary open day on the official website.",
        "The finance minister said the plan would be reviewed in the autumn.",
    ]


def test_a_list_under_a_heading_that_names_members_is_article_content(tmp_path):
    (tmp_path / "squad.txt").write_text(
        "England name squad\n\nThe coach named his squad for the autumn internationals on Monday, "
        "with three new caps.\n\nNew members:\n- Tom Hale\n- Ben Ives\n\nThe first match is against Fiji.\n",
        encoding="utf-8")
    (article,) = read_article_file(tmp_path / "squad.txt", tmp_path)
    assert texts(article)[1:] == ["New members:", "- Tom Hale", "- Ben Ives", "The first match is against Fiji."]


# --- encodings ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["utf-8.txt", "utf-8-bom.txt", "utf-16-le.txt", "utf-16-be.txt", "windows-1252.txt"])
def test_encodings_decode_pound_accents_and_curly_quotes(name):
    (article,) = read_article_file(FIXTURES / "encodings" / name, FIXTURES / "encodings")
    assert article.title == "Pound falls"
    assert texts(article) == ["The pound (£) fell, “analysts” said; café owners worried."]


def test_latin1_pound_byte_reads_as_pound_sign():
    raw = (FIXTURES / "encodings" / "latin-1.txt").read_bytes()
    assert b"\xa3" in raw
    (article,) = read_article_file(FIXTURES / "encodings" / "latin-1.txt", FIXTURES / "encodings")
    assert texts(article) == ['The pound (£) fell, "analysts" said; café owners worried.']


def test_utf8_file_with_one_stray_windows_1252_byte_keeps_both_readings(tmp_path):
    raw = "Fares rise\n\n“Fares rise by ".encode("utf-8") + b"\xa35 in May,\x94 the operator said.\n"
    (tmp_path / "mixed.txt").write_bytes(raw)
    (article,) = read_article_file(tmp_path / "mixed.txt", tmp_path)
    assert texts(article) == ["“Fares rise by £5 in May,” the operator said."]


# --- bad files ---------------------------------------------------------------------------

def test_bad_files_are_skipped_with_one_line_reasons_and_the_good_file_is_read():
    result = ingest_paths([FIXTURES / "bad"], EXTENSIONS)
    assert [a.path for a in result.articles] == ["good.txt"]
    assert {s.path: s.reason for s in result.skipped} == {
        "blank.md": "empty file",
        "controls.html": "binary file",
        "empty.txt": "empty file",
        "garbage.txt": "cannot decode text",
        "image.txt": "binary file",
        "only-boilerplate.txt": "empty after cleaning",
    }


def test_read_article_file_raises_ingest_skip_for_a_bad_file():
    with pytest.raises(IngestSkip, match="^binary file$"):
        read_article_file(FIXTURES / "bad" / "image.txt", FIXTURES / "bad")


def test_broken_symlink_is_skipped_and_the_rest_goes_on(tmp_path):
    shutil.copy(FIXTURES / "bad" / "good.txt", tmp_path / "good.txt")
    os.symlink(tmp_path / "gone.txt", tmp_path / "dangling.txt")
    result = ingest_paths([tmp_path], EXTENSIONS)
    assert [a.path for a in result.articles] == ["good.txt"]
    assert [(s.path, s.reason) for s in result.skipped] == [("dangling.txt", "broken symbolic link")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX only")
def test_named_pipe_with_an_article_extension_is_skipped_not_read(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")  # reading it would block the build forever
    result = ingest_paths([tmp_path], EXTENSIONS)
    assert [(s.path, s.reason) for s in result.skipped] == [("pipe.txt", "not a regular file")]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file, so permission cannot be denied here")
def test_unreadable_file_is_skipped_as_permission_denied(tmp_path):
    shutil.copy(FIXTURES / "bad" / "good.txt", tmp_path / "secret.txt")
    (tmp_path / "secret.txt").chmod(0)
    try:
        result = ingest_paths([tmp_path], EXTENSIONS)
    finally:
        (tmp_path / "secret.txt").chmod(0o644)
    assert [(s.path, s.reason) for s in result.skipped] == [("secret.txt", "permission denied")]


# --- walking, ids, hashes ----------------------------------------------------------------

def test_walk_is_recursive_skips_hidden_entries_and_other_extensions(tmp_path):
    shutil.copytree(FIXTURES / "corpus", tmp_path / "articles")
    (tmp_path / "articles" / ".git").mkdir()
    (tmp_path / "articles" / ".git" / "HEAD.txt").write_text("Hidden\n\nGit internals are not news.\n", encoding="utf-8")
    result = ingest_paths([tmp_path / "articles"], EXTENSIONS)
    assert [a.path for a in result.articles] == [
        "bridge.html", "budget-vote.txt", "feed.jsonl#1", "feed.jsonl#5", "saved-page.txt",
        "wire/2020/kremlin.txt", "wire/port-strike.md"]
    assert all("hidden" not in a.text.lower() for a in result.articles)


def test_single_files_are_accepted_and_a_file_of_another_type_is_reported(tmp_path):
    (tmp_path / "notes.csv").write_text("a,b\n", encoding="utf-8")
    result = ingest_paths([FIXTURES / "corpus" / "budget-vote.txt", tmp_path / "notes.csv"], EXTENSIONS)
    assert [a.title for a in result.articles] == ["MPs back budget after long debate"]
    assert [s.reason for s in result.skipped] == ["file type .csv is not in corpus.extensions"]


def test_missing_articles_folder_is_a_clear_corpus_error(tmp_path):
    missing = tmp_path / "articles"
    with pytest.raises(CorpusError) as error:
        ingest_paths([missing], EXTENSIONS)
    assert str(error.value) == f"articles folder {missing} does not exist; create it or set corpus.paths in config.toml"


def test_ids_are_stable_when_the_folder_moves_and_hashes_follow_content(tmp_path):
    shutil.copytree(FIXTURES / "corpus", tmp_path / "one")
    shutil.copytree(FIXTURES / "corpus", tmp_path / "elsewhere" / "two")
    one, two = by_path(tmp_path / "one"), by_path(tmp_path / "elsewhere" / "two")
    assert {p: a.id for p, a in one.items()} == {p: a.id for p, a in two.items()}
    assert {p: a.content_hash for p, a in one.items()} == {p: a.content_hash for p, a in two.items()}
    assert len({a.id for a in one.values()}) == len(one)
    page = tmp_path / "two-copy.txt"
    page.write_text((FIXTURES / "corpus" / "budget-vote.txt").read_text(encoding="utf-8").replace("autumn", "spring"),
                    encoding="utf-8")
    (changed,) = read_article_file(page, tmp_path)
    assert changed.content_hash != one["budget-vote.txt"].content_hash


def test_same_relative_name_under_two_roots_gets_distinct_paths_and_ids(tmp_path):
    for root in ("news", "blogs"):
        (tmp_path / root).mkdir()
        shutil.copy(FIXTURES / "bad" / "good.txt", tmp_path / root / "a.txt")
    result = ingest_paths([tmp_path / "news", tmp_path / "blogs"], EXTENSIONS)
    assert [a.path for a in result.articles] == ["blogs/a.txt", "news/a.txt"]
    assert len({a.id for a in result.articles}) == 2


# --- dates -------------------------------------------------------------------------------

@pytest.mark.parametrize("written, iso", [
    ("2020-01-06", "2020-01-06"), ("January 6, 2020", "2020-01-06"), ("6 Jan 2020", "2020-01-06"),
    ("2020-01-06T10:32:00+03:00", "2020-01-06"), ("Monday, 6th January 2020", "2020-01-06"),
    ("Jan. 6, 2020", "2020-01-06"), ("2020/01/06", "2020-01-06"), ("March 2024", "2024-03"), ("2019", "2019"),
    ("2020-02-30", None), ("last Tuesday", None), ("06/01/2020", None), ("", None), (None, None),
])
def test_published_dates_are_normalised_to_iso(written, iso):
    assert normalise_date(written) == iso


# --- the BBC corpus ----------------------------------------------------------------------

def test_bbc_latin1_file_has_its_pound_sign(bbc_dir):
    (article,) = read_article_file(bbc_dir / "sport" / "199.txt", bbc_dir)
    assert b"\xa3" in (bbc_dir / "sport" / "199.txt").read_bytes()
    assert "£" in article.text and "\ufffd" not in article.text
    assert article.path == "sport/199.txt"


def test_whole_bbc_corpus_is_read_without_skips_or_lost_paragraphs(bbc_dir):
    categories = sorted(p for p in bbc_dir.iterdir() if p.is_dir())  # not the dataset's README.TXT
    result = ingest_paths(categories, [".txt"])
    assert len(result.articles) == 2225 and result.skipped == ()
    assert len({a.id for a in result.articles}) == 2225
    spot = {a.path: a for a in result.articles}["entertainment/258.txt"]  # a short bullet list of court orders
    assert "- Have random drug tests" in texts(spot)
    for article in result.articles[::50]:
        lines = (bbc_dir / article.path).read_bytes().decode("utf-8", errors="replace").split("\n")
        assert article.title == lines[0].strip()
