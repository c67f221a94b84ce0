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
