"""The `qabot` command, run the way a user runs it: a real process, real output, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import SAMPLE_ARTICLE, make_corpus


def qabot(*args: str, cwd, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("QABOT_")}
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "qabot", *args], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    make_corpus(folder, {"sample.txt": SAMPLE_ARTICLE, "broken.txt": "", "image.txt": ""})
    (folder / "articles" / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    built = qabot("index", "build", cwd=folder)
    assert built.returncode == 0, built.stderr
    return folder, built


def test_build_prints_a_summary_with_skipped_files(corpus):
    _, built = corpus
    assert "Indexed 1 article into" in built.stdout
    assert "Skipped 2 files" in built.stdout
    assert "broken.txt" in built.stdout and "image.txt" in built.stdout


def test_second_build_is_up_to_date(corpus):
    folder, _ = corpus
    again = qabot("index", "build", cwd=folder)
    assert again.returncode == 0
    assert "Index is up to date" in again.stdout


def test_status_shows_what_the_snapshot_holds(corpus):
    folder, _ = corpus
    status = qabot("index", "status", cwd=folder)
    assert status.returncode == 0, status.stderr
    assert "articles: 1" in status.stdout
    assert "all-MiniLM-L6-v2" in status.stdout
    assert "unchanged" in status.stdout


def test_ask_prints_quotes_with_citations_and_sources(corpus):
    folder, _ = corpus
    result = qabot("ask", "What did Kosachev say?", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert "retaliation by Iran will inevitably follow" in result.stdout
    assert "[1]" in result.stdout and "Sources" in result.stdout
    assert "How Russia is reading the killing of Qasem Soleimaini" in result.stdout


def test_ask_json_is_the_documented_shape(corpus):
    folder, _ = corpus
    result = qabot("ask", "What did Kosachev say?", "--json", "-k", "3", cwd=folder)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["found"] is True
    texts = " ".join(s["text"] for s in data["statements"])
    assert "a big mistake stemming out of a typical American habit of personalizing any problem" in texts
    citation = data["citations"][0]
    assert citation["passage"][citation["start"] - _para_start(folder, citation):][: len(citation["text"])] == citation["text"]


def _para_start(folder, citation) -> int:
    from qabot.config import load_settings
    from qabot.indexing.snapshot import IndexFolder, Snapshot

    settings = load_settings(folder / "config.toml", env={})
    snapshot = Snapshot.load(IndexFolder(settings.index_dir).current_path())
    return snapshot.paragraph(citation["article_id"], citation["paragraph"]).start


@pytest.mark.parametrize("question, message", [
    ("", "Please ask a question"),
    ("x" * 100_000, "characters long"),
])
def test_bad_questions_exit_1_with_one_line(corpus, question, message):
    folder, _ = corpus
    result = qabot("ask", question, cwd=folder)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_ask_without_an_index_says_to_build(tmp_path):
    make_corpus(tmp_path, {"a.md": "# A\n\nSome text here.\n"})
    result = qabot("ask", "What happened?", cwd=tmp_path)
    assert result.returncode == 1
    assert "run `qabot index build` first" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_articles_folder_exits_1(tmp_path):
    (tmp_path / "config.toml").write_text('[corpus]\npaths = ["nowhere"]\n')
    result = qabot("index", "build", cwd=tmp_path)
    assert result.returncode == 1
    assert "does not exist" in result.stderr and "Traceback" not in result.stderr


def test_invalid_toml_names_the_file(tmp_path):
    (tmp_path / "config.toml").write_text("[corpus\npaths = 1\n")
    result = qabot("index", "status", cwd=tmp_path)
    assert result.returncode == 1
    assert "config.toml: not valid TOML" in result.stderr


def test_config_option_and_environment_variable_pick_another_corpus(corpus, tmp_path):
    folder, _ = corpus
    by_option = qabot("--config", str(folder / "config.toml"), "index", "status", cwd=tmp_path)
    by_env = qabot("index", "status", cwd=tmp_path, env={"QABOT_CONFIG": str(folder / "config.toml")})
    assert by_option.returncode == by_env.returncode == 0
    assert "articles: 1" in by_option.stdout and "articles: 1" in by_env.stdout


def test_chat_answers_follow_ups(corpus):
    folder, _ = corpus
    result = subprocess.run([sys.executable, "-m", "qabot", "chat"], cwd=folder, capture_output=True, text=True,
                            input="Who is Bogdanov?\nWhat did he say?\n\n", timeout=300,
                            env={**os.environ, "HOME": str(folder)})
    assert result.returncode == 0, result.stderr
    assert "a fellow at the Institute of World Economy" in result.stdout
    assert "Soleimani was in charge of Iranian military" in result.stdout
