"""The [sources] and [syndication] settings: defaults, and mistakes named with what is allowed."""

from __future__ import annotations

import re

import pytest
from conftest import make_corpus

from qabot.config import duration_seconds
from qabot.errors import ConfigError


def test_defaults_are_polite_and_safe(tmp_path):
    s = make_corpus(tmp_path, {}).sources
    assert (s.max_response_mb, s.per_host_concurrency, s.allow_private, s.refresh_every) == (10.0, 2, False, "15m")
    assert s.feeds == s.sitemaps == s.pages == ()


@pytest.mark.parametrize("text, seconds", [("30s", 30), ("15m", 900), ("2h", 7200), ("1d", 86400), ("soon", None)])
def test_durations(text, seconds):
    assert duration_seconds(text) == seconds


@pytest.mark.parametrize("section, key, value, message", [
    ("sources", "refresh_every", "soon", "sources.refresh_every = 'soon' is not allowed; expected a duration of at least a minute"),
    ("sources", "refresh_every", "10s", "sources.refresh_every = '10s' is not allowed"),
    ("sources", "feeds", ["ftp://example.com/feed"], "sources.feeds = 'ftp://example.com/feed' is not allowed; expected http:// or https:// URLs only"),
    ("sources", "per_host_concurrency", 0, "sources.per_host_concurrency = 0 is not allowed; expected 1 to 16"),
    ("sources", "max_response_mb", 0, "sources.max_response_mb = 0.0 is not allowed; expected more than 0"),
    ("sources", "allow_private", "yes", "sources.allow_private = 'yes' must be true or false"),
    ("syndication", "similarity", 0, "syndication.similarity = 0.0 is not allowed; expected more than 0 and at most 1"),
])
def test_a_mistake_names_the_key_and_what_is_allowed(tmp_path, section, key, value, message):
    with pytest.raises(ConfigError, match="^" + re.escape(f"{tmp_path / 'config.toml'}: {message}")):
        make_corpus(tmp_path, {}, **{section: {key: value}})
