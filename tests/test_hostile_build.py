"""A build over a hostile corpus, run as a user runs it: it finishes, says why it skipped
each file it would not take, prints nothing a terminal would obey, and the good articles
answer questions. Bad names and links are made here, in a temporary folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import SAMPLE_ARTICLE, make_corpus

from qabot.config import load_settings
from qabot.indexing.build import build_index

FERRY = "Ferry news\n\nThe harbour authority said the ferry\x1b[2J\x1b]0;pwned\x07 service to Lundy resumes on Monday.\n"


def corpus(folder, files, **corpus_keys):
    """`make_corpus` with extra keys in its [corpus] section."""
    make_corpus(folder, files)
    config = folder / "config.toml"
    extra = "".join(f"\n{key} = {value}" for key, value in corpus_keys.items())
    config.write_text(config.read_text().replace('paths = ["articles"]', 'paths = ["articles"]' + extra, 1))
    return load_settings(config, env={})


def qabot(*args, cwd) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("QABOT_")}
    return subprocess.run([sys.executable, "-m", "qabot", *args], cwd=cwd, env=environment,
                          capture_output=True, timeout=600)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    corpus(folder, {"sample.txt": SAMPLE_ARTICLE, "ferry.txt": FERRY}, max_file_mb=1)
    articles = folder / "articles"
    for raw in (b"caf\xe9.txt", b"forged\nIndexed 999 articles.txt", b"red\x1b[31m.txt"):
        with open(os.path.join(os.fsencode(articles), raw), "wb") as file:
            file.write(SAMPLE_ARTICLE.read_bytes())
    os.symlink(articles / "loop-b.txt", articles / "loop-a.txt")
    os.symlink(articles / "loop-a.txt", articles / "loop-b.txt")
    (folder / "private.txt").write_text("Private\n\nThe vault code is 7311 and must stay secret.\n")
    os.symlink(folder / "private.txt", articles / "private.txt")
    (articles / "huge.txt").write_text("Huge\n\n" + "Words in a paragraph. " * 60_000)
    built = qabot("index", "build", cwd=folder)
    assert built.returncode == 0, built.stderr.decode(errors="replace")
    return folder, built.stdout.decode("utf-8")


def test_the_build_finishes_and_gives_a_reason_for_every_file_it_would_not_take(hostile):
    _, summary = hostile
    assert "Indexed 2 articles" in summary
    lines = summary.splitlines()
    name = "file name is not valid UTF-8 or holds control characters"
    for expected in (f"  caf\\xe9.txt: {name}", f"  forged\\nIndexed 999 articles.txt: {name}",
                     f"  red\\x1b[31m.txt: {name}", "  loop-a.txt: symbolic link loop",
                     "  loop-b.txt: symbolic link loop",
                     "  private.txt: symbolic link leads outside the corpus folder (corpus.follow_symlinks_outside = false)",
                     "  huge.txt: too large: 1.3 MB, over corpus.max_file_mb = 1"):
        assert expected in lines, f"missing {expected!r} in:\n{summary}"
    assert not any(line.startswith("Indexed 999") for line in lines)  # no forged line
    assert "\x1b" not in summary


def test_status_works_beside_names_that_are_not_utf8(hostile):
    folder, _ = hostile
    status = qabot("index", "status", cwd=folder)
    assert status.returncode == 0, status.stderr
    assert b"articles: 2" in status.stdout and b"unchanged" in status.stdout


def test_an_esc_sequence_inside_an_article_never_reaches_the_terminal(hostile):
    folder, _ = hostile
    answer = qabot("ask", "When does the ferry service to Lundy resume?", cwd=folder)
    assert answer.returncode == 0, answer.stderr
    out = answer.stdout.decode("utf-8")
    assert "service to Lundy resumes on Monday" in out
    assert "\x1b" not in out and "\x07" not in out


def test_a_file_outside_the_corpus_never_reaches_an_answer(hostile):
    folder, _ = hostile
    answer = qabot("ask", "--json", "What is the vault code?", cwd=folder)
    assert answer.returncode == 0
    assert "7311" not in answer.stdout.decode("utf-8")


def test_a_question_with_a_byte_that_is_not_utf8_gets_one_clear_line(hostile):
    folder, _ = hostile
    result = qabot("ask", b"caf\xe9", cwd=folder)
    assert result.returncode == 1
    err = result.stderr.decode("utf-8")
    assert err.strip() == ("error: the question caf\\xe9 holds bytes that are not UTF-8; "
                           "ask from a UTF-8 terminal (e.g. LANG=C.UTF-8)")
    assert result.stdout == b""


def test_with_json_an_error_is_a_documented_object_on_stdout(hostile, tmp_path):
    folder, _ = hostile
    result = qabot("ask", "--json", b"caf\xe9", cwd=folder)
    assert result.returncode == 1
    error = json.loads(result.stdout)
    assert error == {"version": 1, "exit_code": 1, "error": "the question caf\\xe9 holds bytes that are not "
                     "UTF-8; ask from a UTF-8 terminal (e.g. LANG=C.UTF-8)"}
    make_corpus(tmp_path, {"a.md": "# A\n\nSome text here.\n"})
    missing = qabot("ask", "--json", "What happened?", cwd=tmp_path)
    assert missing.returncode == 1
    assert "run `qabot index build` first" in json.loads(missing.stdout)["error"]


def test_an_article_over_its_time_budget_is_skipped_and_the_rest_is_indexed(tmp_path):
    # 50 paragraphs of 19 000 characters: each goes through pysbd (in windows), over 10 s in
    # all, where the sample article takes a few milliseconds.
    paragraph = "The minister said on Monday that the talks in Geneva would go on. " * 290
    settings = corpus(tmp_path, {"sample.txt": SAMPLE_ARTICLE, "endless.txt": "Endless\n\n" + "\n\n".join([paragraph] * 50)},
                      article_seconds=1)
    report = build_index(settings)
    assert report.articles == 1
    assert [(s.path, s.reason) for s in report.skipped] == [
        ("endless.txt", "took over 1 s to chunk and find quotes (corpus.article_seconds); not indexed")]
    from qabot.answering import Library

    answer = Library.open(settings).ask("What did Kosachev say?")
    assert any("Soleimani" in s.text for s in answer.statements)
