"""Shared fixtures: real corpora in temporary folders, built with the real pipeline.

Building an index loads the real model and embeds for real, so the sample library is
built once per test session and shared; tests that change an index build their own.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from qabot.config import Settings, load_settings

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
SAMPLE_ARTICLE = REPO / "articles" / "al-monitor-russia-reading-soleimani-killing.txt"
NEWS_FIXTURES = REPO / "tests" / "fixtures" / "news"

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def make_corpus(folder: Path, files: dict[str, str | Path], **config: dict) -> Settings:
    """A corpus folder with its own config.toml, articles/ and index/, like a user's.

    `files` maps a path under articles/ to its text or to a file to copy; `config` adds
    TOML sections, e.g. ``retrieval={"top_k": 3}``.
    """
    articles = folder / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        target = articles / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copyfile(content, target)
        else:
            target.write_text(content, encoding="utf-8")
    lines = ['[corpus]', 'paths = ["articles"]', '[index]', 'dir = "index"']
    for section, values in config.items():
        lines.append(f"[{section}]")
        lines += [f"{key} = {_toml(value)}" for key, value in values.items()]
    (folder / "config.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_settings(folder / "config.toml", env={})


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return str(value)


def sample_files() -> dict[str, Path]:
    """The shipped sample article plus the news fixtures (several outlets, dates, speakers)."""
    files: dict[str, Path] = {SAMPLE_ARTICLE.name: SAMPLE_ARTICLE}
    if NEWS_FIXTURES.is_dir():
        for path in sorted(NEWS_FIXTURES.rglob("*")):
            if path.is_file():
                files[f"news/{path.relative_to(NEWS_FIXTURES)}"] = path
    return files


@pytest.fixture(scope="session")
def sample_settings(tmp_path_factory) -> Settings:
    from qabot.indexing.build import build_index

    settings = make_corpus(tmp_path_factory.mktemp("sample"), sample_files())
    build_index(settings)
    return settings


@pytest.fixture(scope="session")
def sample_library(sample_settings):
    from qabot.answering.library import Library

    return Library.open(sample_settings)


@pytest.fixture(scope="session")
def bbc_dir() -> Path:
    path = SHARED_DATA / "bbc"
    if not path.is_dir():
        pytest.skip(f"BBC corpus not found at {path} (the evaluation data lives in ../shared/data)")
    return path


QUESTIONS_DIR = REPO / "tests" / "fixtures" / "questions"
BBC_DISTRACTORS = 300


def bbc_question_files(bbc_dir: Path, asked: set[str], distractors: int = BBC_DISTRACTORS) -> dict[str, Path]:
    """The sample, the BBC files questions ask about, and every n-th other BBC file in sorted
    order as distractors (the same choice on every machine)."""
    others = [p.relative_to(bbc_dir).as_posix() for p in sorted(bbc_dir.glob("*/*.txt"))]
    others = [name for name in others if name not in asked]
    chosen = sorted(asked) + others[:: max(1, len(others) // distractors)][:distractors]
    return {name: bbc_dir / name for name in chosen} | {SAMPLE_ARTICLE.name: SAMPLE_ARTICLE}


@pytest.fixture(scope="session")
def bbc_question_settings(bbc_dir, tmp_path_factory) -> Settings:
    """An index of the sample, every BBC article a question set asks about, and ~300 others.

    Shared by the honesty and `ask()` gates: the articles behind news_questions.jsonl,
    retrieval_questions.jsonl and honesty.jsonl, plus every n-th other BBC file in sorted
    order as distractors (the same choice on every machine). Built once per session.
    """
    import json

    from qabot.indexing.build import build_index

    asked = set()
    for name in ("news_questions.jsonl", "retrieval_questions.jsonl", "honesty.jsonl"):
        for line in (QUESTIONS_DIR / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and json.loads(line).get("file", "sample") != "sample":
                asked.add(json.loads(line)["file"])
    settings = make_corpus(tmp_path_factory.mktemp("bbc-questions"), bbc_question_files(bbc_dir, asked))
    build_index(settings)
    return settings


@pytest.fixture(scope="session")
def bbc_library(bbc_question_settings):
    from qabot.answering.library import Library

    return Library.open(bbc_question_settings)
