"""Hostile input: every file is bounded, odd names and links are skipped with a reason
shown safely, and the good articles are still read. Bad names and links are made here."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from qabot.sources.ingest import ingest_paths, read_article_file
from qabot.text import printable, shown, split_sentences

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
GOOD = FIXTURES / "bad" / "good.txt"
EXTENSIONS = [".txt", ".md", ".html", ".jsonl"]


def corpus_with_good(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(GOOD, folder / "good.txt")
    return folder


def reasons(result) -> dict[str, str]:
    return {s.path: s.reason for s in result.skipped}


def good_is_read(result) -> None:
    assert [a.path for a in result.articles] == ["good.txt"]
    assert result.articles[0].paragraphs, "the good article lost its text"


# --- sizes ---------------------------------------------------------------------------------

def test_a_file_over_max_file_mb_is_skipped_with_its_size_and_the_setting(tmp_path):
    corpus_with_good(tmp_path)
    (tmp_path / "huge.txt").write_text("Title\n\n" + "A long paragraph of words. " * 4000, encoding="utf-8")
    result = ingest_paths([tmp_path], EXTENSIONS, max_bytes=50_000)
    good_is_read(result)
    assert reasons(result) == {"huge.txt": "too large: 0.1 MB, over corpus.max_file_mb = 0.05"}


def test_a_big_jsonl_feed_is_read_line_by_line_and_only_the_huge_line_is_skipped(tmp_path):
    lines = ['{"title": "One", "text": "The first article says hello to everyone here."}',
             '{"title": "Huge", "text": "' + "word " * 30_000 + '"}',
             '{"title": "Three", "text": "The third article says goodbye to everyone."}']
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = ingest_paths([tmp_path], EXTENSIONS, max_bytes=20_000)
    assert [a.title for a in result.articles] == ["One", "Three"]
    assert result.articles[1].paragraphs[0].text == "The third article says goodbye to everyone."
    assert reasons(result) == {"feed.jsonl:2": "too large: 0.2 MB, over corpus.max_file_mb = 0.02"}


def test_an_html_page_of_200k_elements_is_refused_at_once_with_its_tag_count(tmp_path):
    corpus_with_good(tmp_path)
    page = "<html><body>" + "".join(f"<p>w{i}</p>" for i in range(200_000)) + "</body></html>"
    (tmp_path / "flood.html").write_text(page, encoding="utf-8")
    result = ingest_paths([tmp_path], EXTENSIONS)
    good_is_read(result)
    assert reasons(result) == {"flood.html": "HTML page with 400,004 tags, over the 20,000 qabot reads"}


def test_a_very_long_paragraph_is_split_into_ordered_sentences_covering_all_its_text():
    sentence = "Gen. Soleimani was killed in Baghdad, the U.S. said on Friday. "
    text = (sentence * 300).strip()  # 19 500 characters in one paragraph: pysbd in windows
    spans = split_sentences(text)
    assert spans[0] == (0, len("Gen. Soleimani was killed in Baghdad, the U.S. said on Friday."))
    assert all(a < b <= c for (a, b), (c, _) in zip(spans, spans[1:]))
    assert "".join("".join(text[a:b].split()) for a, b in spans) == "".join(text.split())  # nothing lost
    assert max(b - a for a, b in spans) < 1000


# --- names ---------------------------------------------------------------------------------

def test_odd_file_names_are_skipped_with_the_name_escaped_and_the_good_file_is_read(tmp_path):
    corpus_with_good(tmp_path)
    for raw in (b"caf\xe9.txt", b"two\nlines.txt", b"red\x1b[31m.txt"):
        with open(os.path.join(os.fsencode(tmp_path), raw), "wb") as file:
            file.write(GOOD.read_bytes())
    os.mkdir(os.path.join(os.fsencode(tmp_path), b"dir\xff"))
    result = ingest_paths([tmp_path], EXTENSIONS)
    good_is_read(result)
    name_reason = "file name is not valid UTF-8 or holds control characters"
    assert reasons(result) == {"caf\\xe9.txt": name_reason, "two\\nlines.txt": name_reason,
                               "red\\x1b[31m.txt": name_reason,
                               "dir\\xff": "folder name is not valid UTF-8 or holds control characters"}
    assert all(s.path.isprintable() for s in result.skipped)


def test_shown_and_printable_leave_nothing_a_terminal_obeys():
    assert shown("a\x1b]0;pwned\x07b\udce9") == "a\\x1b]0;pwned\\x07b\\xe9"
    assert printable("Kosachev\x1b[2J said\x9b") == "Kosachev[2J said"
    assert printable("line one\nline two\ttab") == "line one\nline two\ttab"


# --- symbolic links ------------------------------------------------------------------------

def test_a_symlink_loop_is_skipped_as_a_loop(tmp_path):
    corpus_with_good(tmp_path)
    os.symlink(tmp_path / "b.txt", tmp_path / "a.txt")
    os.symlink(tmp_path / "a.txt", tmp_path / "b.txt")
    os.symlink(tmp_path, tmp_path / "again")  # a folder that contains itself
    result = ingest_paths([tmp_path], EXTENSIONS)
    good_is_read(result)
    assert reasons(result) == {"a.txt": "symbolic link loop", "b.txt": "symbolic link loop"}


def test_links_leaving_the_corpus_are_not_followed_unless_configured(tmp_path):
    corpus = corpus_with_good(tmp_path / "corpus")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("Secret\n\nThe root password is hunter2 and nobody knows it.\n")
    os.symlink(outside / "secret.txt", corpus / "secret.txt")
    os.symlink(outside, corpus / "elsewhere")
    result = ingest_paths([corpus], EXTENSIONS)
    good_is_read(result)
    rule = "symbolic link leads outside the corpus folder (corpus.follow_symlinks_outside = false)"
    assert reasons(result) == {"secret.txt": rule, "elsewhere": rule}
    assert not any("hunter2" in a.text for a in result.articles)

    followed = ingest_paths([corpus], EXTENSIONS, follow_outside=True)
    assert sorted(a.path for a in followed.articles) == ["good.txt", "secret.txt"]  # the same file once
    assert not followed.skipped


def test_links_inside_the_corpus_are_followed_and_each_file_read_once(tmp_path):
    corpus = corpus_with_good(tmp_path)
    (corpus / "wire").mkdir()
    (corpus / "wire" / "story.txt").write_text("Story\n\nThe wire story says the talks went well today.\n")
    os.symlink(corpus / "wire", corpus / "latest")           # a folder link inside
    os.symlink(corpus / "good.txt", corpus / "alias.txt")    # a file link inside
    result = ingest_paths([corpus], EXTENSIONS)
    texts = [a.paragraphs[0].text for a in result.articles]
    assert len(texts) == len(set(texts)) == 2 and not result.skipped
    assert "The wire story says the talks went well today." in texts


# --- encodings and front matter ------------------------------------------------------------

@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_decoded(tmp_path, codec):
    (tmp_path / "wide.txt").write_bytes("Café news\n\nThe café in Zürich reopened on Monday.\n".encode(codec))
    (article,) = read_article_file(tmp_path / "wide.txt", tmp_path)
    assert article.title == "Café news"
    assert article.paragraphs[0].text == "The café in Zürich reopened on Monday."


def test_nul_bytes_that_are_not_utf16_are_still_binary(tmp_path):
    corpus_with_good(tmp_path)
    (tmp_path / "blob.txt").write_bytes(bytes(range(256)) * 8)
    assert reasons(ingest_paths([tmp_path], EXTENSIONS)) == {"blob.txt": "binary file"}


def test_odd_length_utf16_without_bom_says_so(tmp_path):
    corpus_with_good(tmp_path)
    (tmp_path / "cut.txt").write_bytes("Cut short in the middle of a word".encode("utf-16-le")[:-1])
    assert reasons(ingest_paths([tmp_path], EXTENSIONS)) == {"cut.txt": "undecodable text (UTF-16 without BOM?)"}


def test_unclosed_front_matter_keeps_its_keys_and_never_makes_the_title_dashes(tmp_path):
    (tmp_path / "open.md").write_text("---\ntitle: Talks resume\nsource: Wire\n\nThe talks resumed on "
                                      "Monday after a week.\n", encoding="utf-8")
    (tmp_path / "bare.txt").write_text("---\nThe talks resumed on Monday after a week of silence.\n", encoding="utf-8")
    (opened,) = read_article_file(tmp_path / "open.md", tmp_path)
    assert (opened.title, opened.source) == ("Talks resume", "Wire")
    assert [p.text for p in opened.paragraphs] == ["The talks resumed on Monday after a week."]
    (bare,) = read_article_file(tmp_path / "bare.txt", tmp_path)
    assert bare.title != "---" and "---" not in bare.text


def test_a_paragraph_of_a_megabyte_is_cut_at_plain_sentence_ends_losing_nothing():
    text = ('He said "Stop the talks." Then the minister left Geneva. ' * 20_000).strip()
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans[:2]] == ['He said "Stop the talks."', "Then the minister left Geneva."]
    assert len(spans) == 40_000
    assert "".join("".join(text[a:b].split()) for a, b in spans) == "".join(text.split())
