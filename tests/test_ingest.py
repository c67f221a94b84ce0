"""Reading articles: formats, encodings, boilerplate, and bad files skipped with a reason."""

from __future__ import annotations

import json
import os

import pytest

from conftest import SAMPLE_ARTICLE
from qabot.errors import CorpusError
from qabot.ingest import ingest_paths

EXTENSIONS = [".txt", ".md", ".html", ".htm", ".jsonl"]
BOILERPLATE_WORDS = ["Skip to main content", "newsletter", "Newsletter", "Member", "membership", "Sign in",
                     "$25.00 / month", "billed annually", "free trial", "PRO", "Briefing", "What's included"]

HTML_PAGE = """<!doctype html><html><head><title>Bridge reopens | City Wire</title>
<meta property="og:site_name" content="City Wire"><meta name="author" content="Sam Lee">
<meta property="article:published_time" content="2023-09-14T08:00:00Z">
<link rel="canonical" href="https://example.org/city-wire/bridge"></head>
<body><nav><a href="/">Home</a> <a href="/login">Sign in</a></nav>
<article><h1>Bridge reopens after repairs</h1>
<p>The old river bridge reopened on Thursday after eighteen months of repairs that cost the city far more than planned.</p>
<p>"The bridge is safe again, and it will stay safe for fifty years," city engineer Petra Novak said at the opening.</p>
<p>Traffic is expected to return to normal levels within a week, according to the transport office.</p>
</article><footer>Subscribe to our newsletter. All rights reserved.</footer></body></html>"""


def ingest(folder):
    return ingest_paths([folder], EXTENSIONS)


def test_sample_article_title_body_and_no_boilerplate():
    result = ingest_paths([SAMPLE_ARTICLE], [".txt"])
    (article,) = result.articles
    assert article.title == "How Russia is reading the killing of Qasem Soleimaini"
    texts = [p.text for p in article.paragraphs]
    assert texts[1].startswith("The assassination of Maj. Gen. Qasem Soleimani")
    assert texts[-1].endswith("Kosachev concluded.")
    assert any(t.startswith("Konstantin Bogdanov, a fellow at the Institute") for t in texts)
    for text in texts:
        for word in BOILERPLATE_WORDS:
            assert word not in text, f"boilerplate {word!r} left in: {text[:80]}"
    for p in article.paragraphs:
        assert article.text[p.start:p.end] == p.text


def test_markdown_front_matter_and_formatting(tmp_path):
    (tmp_path / "a.md").write_text("---\ntitle: \"Port strike ends\"\nsource: Harbour Times\npublished: March 2, 2024\n"
                                   "author: Jane Doe\nurl: https://example.org/strike\n---\n# Ignored heading\n\n"
                                   "Workers **accepted** a [pay rise](https://example.org/pay) on Friday.\n", encoding="utf-8")
    (article,) = ingest(tmp_path).articles
    assert (article.title, article.source, article.published, article.author, article.url) == (
        "Port strike ends", "Harbour Times", "2024-03-02", "Jane Doe", "https://example.org/strike")
    assert article.paragraphs[-1].text == "Workers accepted a pay rise on Friday."


def test_html_main_text_and_metadata(tmp_path):
    (tmp_path / "bridge.html").write_text(HTML_PAGE, encoding="utf-8")
    (article,) = ingest(tmp_path).articles
    assert "Bridge reopens" in article.title
    assert article.published == "2023-09-14" and article.source == "City Wire"
    assert any("The bridge is safe again" in p.text for p in article.paragraphs)
    assert not any("Sign in" in p.text or "newsletter" in p.text for p in article.paragraphs)


def test_jsonl_articles_and_a_bad_line(tmp_path):
    lines = [json.dumps({"title": "One", "text": "First article text here.", "published": "2021-05-06", "source": "Wire"}),
             "{not json",
             json.dumps({"title": "No text"}),
             json.dumps({"text": "Second article.\n\nWith two paragraphs."})]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = ingest(tmp_path)
    assert [a.title for a in result.articles] == ["One", "Second article."]
    assert result.articles[0].published == "2021-05-06"
    assert {s.path for s in result.skipped} == {"feed.jsonl:2", "feed.jsonl:3"}
    assert "not valid JSON" in result.skipped[0].reason and '"text"' in result.skipped[1].reason
    assert len({a.id for a in result.articles}) == 2


@pytest.mark.parametrize("encoding, prefix", [("utf-8-sig", b""), ("utf-16", b""), ("cp1252", b""), ("latin-1", b"")])
def test_encodings(tmp_path, encoding, prefix):
    text = "Prices rise\n\nThe pound (£) fell, “analysts” said; café owners worried.\n"
    if encoding == "latin-1":
        text = text.replace("“", '"').replace("”", '"')
    (tmp_path / "a.txt").write_bytes(prefix + text.encode(encoding))
    (article,) = ingest(tmp_path).articles
    assert article.title == "Prices rise"
    assert "£" in article.text and "café" in article.text


def test_bad_files_are_skipped_with_reasons_and_the_rest_is_read(tmp_path):
    (tmp_path / "good.txt").write_text("Good one\n\nA real paragraph of news text.\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "blank.md").write_text("   \n\n\t\n", encoding="utf-8")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (tmp_path / "junk.html").write_bytes(bytes(range(1, 32)) * 50)
    (tmp_path / "only-boilerplate.txt").write_text("Skip to main content\n\nSign in\n\n$25.00 / month\n", encoding="utf-8")
    os.symlink(tmp_path / "missing.txt", tmp_path / "dangling.txt")
    result = ingest(tmp_path)
    assert [a.title for a in result.articles] == ["Good one"]
    reasons = {s.path: s.reason for s in result.skipped}
    assert reasons == {
        "blank.md": "empty file",
        "dangling.txt": "cannot be read (No such file or directory)",
        "empty.txt": "empty file",
        "image.txt": "binary file",
        "junk.html": "binary file",
        "only-boilerplate.txt": "empty after removing boilerplate",
    }


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file, so permissions cannot be denied here")
def test_unreadable_file_is_skipped(tmp_path):
    (tmp_path / "secret.txt").write_text("Secret\n\nText.\n", encoding="utf-8")
    (tmp_path / "secret.txt").chmod(0)
    assert ingest(tmp_path).skipped[0].reason == "permission denied"


def test_walk_is_recursive_and_skips_hidden(tmp_path):
    (tmp_path / "2024" / "03").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    (tmp_path / "2024" / "03" / "a.txt").write_text("Deep\n\nNested article text.\n", encoding="utf-8")
    (tmp_path / ".git" / "b.txt").write_text("Hidden\n\nShould not be read.\n", encoding="utf-8")
    (tmp_path / ".draft.txt").write_text("Draft\n\nShould not be read.\n", encoding="utf-8")
    (tmp_path / "notes.csv").write_text("a,b\n", encoding="utf-8")
    result = ingest(tmp_path)
    assert [a.path for a in result.articles] == ["2024/03/a.txt"] and not result.skipped


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CorpusError, match=r"articles folder .*nowhere does not exist; create it or set \[corpus\] paths"):
        ingest(tmp_path / "nowhere")


def test_news_paragraphs_mentioning_members_or_subscribers_are_kept(tmp_path):
    body = ("Budget row\n\nMembers of parliament voted late on Tuesday to approve the spending plan after a long debate.\n\n"
            "The broadcaster said it had lost 200,000 subscribers since the price rise in January.\n\n"
            "The finance minister said the plan would be reviewed in the autumn.\n")
    (tmp_path / "a.txt").write_text(body, encoding="utf-8")
    (article,) = ingest(tmp_path).articles
    assert len(article.paragraphs) == 3


def test_bbc_latin1_file_and_whole_corpus(bbc_dir):
    categories = sorted(p for p in bbc_dir.iterdir() if p.is_dir())  # not the dataset's README.TXT
    result = ingest_paths(categories, [".txt"])
    assert len(result.articles) == 2225 and not result.skipped
    (pound,) = ingest_paths([bbc_dir / "sport" / "199.txt"], [".txt"]).articles  # the one Latin-1 file
    assert "£" in pound.text


def test_list_items_that_are_sentences_are_article_content(tmp_path):
    body = ("Child access shake-up\n\nParents who refuse contact could be tagged under plans considered by ministers.\n\n"
            " - Parenting plans to give advice on access arrangements, based on real-life examples.\n\n"
            " - Legal aid changes to give incentives for early resolution of disputes.\n\n"
            "The plans will be published in full next month, the minister said.\n")
    (tmp_path / "a.txt").write_text(body, encoding="utf-8")
    (article,) = ingest(tmp_path).articles
    assert len(article.paragraphs) == 4
    assert article.paragraphs[-1].text.startswith("The plans will be published")
