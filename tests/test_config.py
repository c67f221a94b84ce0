"""config.toml: the documented defaults load, and every mistake names file, key and fix."""

from __future__ import annotations

import pytest
from conftest import REPO

from qabot.config import RetrievalSettings, load_settings
from qabot.errors import ConfigError


def write(tmp_path, text: str):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_config_matches_the_built_in_defaults():
    settings = load_settings(REPO / "config.toml", env={})
    assert settings.retrieval == RetrievalSettings()
    assert settings.index_dir == REPO / "index"
    assert settings.article_paths == [REPO / "articles"]


def test_relative_paths_are_relative_to_the_config_file(tmp_path, monkeypatch):
    corpus = tmp_path / "corpora" / "russia"
    corpus.mkdir(parents=True)
    path = write(corpus, '[corpus]\npaths = ["news"]\n[index]\ndir = "idx"\n')
    monkeypatch.chdir(tmp_path)
    settings = load_settings(path, env={})
    assert settings.article_paths == [corpus / "news"]
    assert settings.index_dir == corpus / "idx"


def test_environment_overrides_keys(tmp_path):
    path = write(tmp_path, "[retrieval]\ntop_k = 5\n")
    settings = load_settings(path, env={"QABOT_RETRIEVAL__TOP_K": "8", "QABOT_CORPUS__PATHS": '["a", "b"]',
                                        "QABOT_MODEL__NAME": "/models/my-minilm"})
    assert settings.retrieval.top_k == 8
    assert settings.corpus.paths == ("a", "b")
    assert settings.model.name == "/models/my-minilm"


def test_config_file_named_by_environment(tmp_path):
    path = write(tmp_path, "[answer]\nmax_statements = 3\n")
    assert load_settings(env={"QABOT_CONFIG": str(path)}).answer.max_statements == 3


@pytest.mark.parametrize("text, message", [
    ("[retrieval\ntop_k = 5", "not valid TOML"),
    ("[retrieval]\ntop_k = \"five\"", "retrieval.top_k = 'five' must be a whole number"),
    ("[retrieval]\nfusion = \"magic\"", "retrieval.fusion = 'magic' is not allowed; expected one of weighted, rrf"),
    ("[retrieval]\ntopk = 5", "unknown key retrieval.topk; known keys: fusion, top_k"),
    ("[retrievel]\ntop_k = 5", "unknown section [retrievel]"),
    ("[corpus]\npaths = \"articles\"", "corpus.paths = 'articles' must be a list of str"),
    ("[telegram]\nallowed_user_ids = [\"me\"]", "telegram.allowed_user_ids = 'me' must be a whole number"),
    ("[answer]\nmin_similarity = 1.5", "answer.min_similarity = 1.5 is not allowed; expected 0.0 to 1.0 (1.0: never)"),
    ("[answer]\nmin_relevance = -0.1", "answer.min_relevance = -0.1 is not allowed; expected 0.0 to 1.0"),
    ("[model]\nprecision = \"int4\"", "model.precision = 'int4' is not allowed; expected one of fp32, int8"),
])
def test_config_errors_name_the_file_the_key_and_what_is_allowed(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(path, env={})
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_missing_config_file_given_explicitly_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.toml", env={})


def test_no_config_file_means_built_in_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings(env={})
    assert settings.source == "built-in defaults"
    assert settings.index_dir == tmp_path / "index"
