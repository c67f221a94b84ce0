"""Typed settings from `config.toml` plus environment overrides, validated once.

Where the file is: `--config PATH`, else `$QABOT_CONFIG`, else `./config.toml`; with none
of those the built-in defaults apply, relative to the current directory. Relative paths
in a config file are relative to the file's folder, so each corpus can live in a folder of
its own (`config.toml`, `articles/`, `index/`).

Environment overrides: ``QABOT_<SECTION>__<KEY>=value`` (double underscore), e.g.
``QABOT_RETRIEVAL__TOP_K=8`` or ``QABOT_CORPUS__PATHS='["news", "more"]'``. The value is
read as a TOML value when it parses as one, otherwise as a plain string.

Every error names the file, the key, the bad value and what is allowed.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

from qabot.errors import ConfigError

ENV_PREFIX = "QABOT_"
CONFIG_ENV = "QABOT_CONFIG"
DEFAULT_MODEL = "all-MiniLM-L6-v2"
FUSION_MODES = ("weighted", "rrf")
PRECISIONS = ("fp32", "int8")  # fp32: sentence-transformers (torch); int8: quantised ONNX (qabot.embedding.quantized)
_DURATION = re.compile(r"^(\d+)\s*([smhd])$")
_DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def duration_seconds(text: str) -> int | None:
    """ "15m" -> 900, "2h" -> 7200, "30s" -> 30, "1d" -> 86400; None when not of that form."""
    match = _DURATION.match(text.strip().lower())
    return int(match.group(1)) * _DURATION_UNITS[match.group(2)] if match else None


BACKEND_KINDS = ("local", "milvus")


@dataclass(frozen=True)
class CorpusSettings:
    paths: tuple[str, ...] = ("articles",)
    extensions: tuple[str, ...] = (".txt", ".md", ".markdown", ".html", ".htm", ".jsonl")
    max_file_mb: float = 5.0
    follow_symlinks_outside: bool = False
    article_seconds: float = 10.0


@dataclass(frozen=True)
class IndexSettings:
    dir: str = "index"


@dataclass(frozen=True)
class ModelSettings:
    name: str = DEFAULT_MODEL
    device: str = "cpu"
    batch_size: int = 32
    offline: bool = True
    precision: str = "fp32"


@dataclass(frozen=True)
class ChunkingSettings:
    max_tokens: int = 200


@dataclass(frozen=True)
class RetrievalSettings:
    fusion: str = "weighted"
    top_k: int = 5
    candidates: int = 50
    rrf_k: int = 60
    dense_weight: float = 0.4
    dense_lead: float = 0.2
    duplicate_similarity: float = 0.95


@dataclass(frozen=True)
class AnswerSettings:
    max_statements: int = 6
    min_relevance: float = 0.5
    min_similarity: float = 0.55
    # What "last week", "in March" are relative to: "now", "newest" (the newest indexed
    # article) or an ISO date ("2005-04-20").
    today: str = "now"


@dataclass(frozen=True)
class TelegramSettings:
    token_env: str = "TELEGRAM_BOT_TOKEN"
    base_url: str = "https://api.telegram.org/bot"
    allowed_user_ids: tuple[int, ...] = ()
    allowed_chat_ids: tuple[int, ...] = ()
    questions_per_minute: int = 20
    max_question_chars: int = 1000
    alert_check_seconds: float = 30.0
    alerts_per_follow: int = 5
    digest_stories: int = 8


@dataclass(frozen=True)
class SourcesSettings:
    """What `qabot fetch` follows and how politely (see the [sources] section of config.toml)."""

    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    pages: tuple[str, ...] = ()
    archive: str = "articles"
    refresh_every: str = "15m"
    max_response_mb: float = 10.0
    per_host_concurrency: int = 2
    delay_seconds: float = 1.0
    timeout_seconds: float = 20.0
    max_redirects: int = 5
    retries: int = 3
    max_retry_after_seconds: float = 120.0
    max_articles_per_source: int = 100
    allow_private: bool = False
    user_agent: str = ""


@dataclass(frozen=True)
class SyndicationSettings:
    """How copies of one story (wire copies, reposts, URL variants) are merged at build time."""

    merge: bool = True
    similarity: float = 0.5
    preferred_sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class BackendSettings:
    """Where retrieval runs: the local snapshot, or Milvus (embedded file or server)."""

    kind: str = "local"
    uri: str = "index/milvus.db"  # a file path (milvus-lite) or http(s)://host:19530
    collection: str = "qabot"
    token_env: str = ""  # the environment variable holding a Milvus token ("user:password")

    @property
    def is_server(self) -> bool:
        return self.uri.startswith(("http://", "https://", "tcp://", "unix:"))


@dataclass(frozen=True)
class Settings:
    """All settings; `base_dir` is the folder relative paths are resolved against."""

    base_dir: Path
    source: str  # the config file's path, or "built-in defaults"
    corpus: CorpusSettings = field(default_factory=CorpusSettings)
    index: IndexSettings = field(default_factory=IndexSettings)
    model: ModelSettings = field(default_factory=ModelSettings)
    chunking: ChunkingSettings = field(default_factory=ChunkingSettings)
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)
    answer: AnswerSettings = field(default_factory=AnswerSettings)
    telegram: TelegramSettings = field(default_factory=TelegramSettings)
    sources: SourcesSettings = field(default_factory=SourcesSettings)
    syndication: SyndicationSettings = field(default_factory=SyndicationSettings)
    backend: BackendSettings = field(default_factory=BackendSettings)

    @property
    def article_paths(self) -> list[Path]:
        return [self.resolve(p) for p in self.corpus.paths]

    @property
    def archive_dir(self) -> Path:
        return self.resolve(self.sources.archive)

    @property
    def index_dir(self) -> Path:
        return self.resolve(self.index.dir)

    @property
    def milvus_uri(self) -> str:
        """The Milvus URI as given for a server, else the embedded file resolved like any path."""
        b = self.backend
        return b.uri if b.is_server else str(self.resolve(b.uri))

    def resolve(self, path: str) -> Path:
        p = Path(path).expanduser()
        return p if p.is_absolute() else (self.base_dir / p)


_SECTIONS = {
    f.name: f.type
    for f in fields(Settings)
    if f.name not in ("base_dir", "source")
}


def load_settings(path: str | os.PathLike[str] | None = None, env: dict[str, str] | None = None) -> Settings:
    """Read settings: file (if any) then environment overrides, validated.

    >>> load_settings("config.toml").retrieval.top_k
    5
    """
    env = dict(os.environ if env is None else env)
    explicit = path if path is not None else env.get(CONFIG_ENV)
    if explicit:
        file = Path(explicit).expanduser()
        if not file.is_file():
            raise ConfigError(f"config file {file} does not exist (given by {'--config' if path else CONFIG_ENV})")
    else:
        file = Path("config.toml")
        if not file.is_file():
            file = None
    raw: dict[str, Any] = {}
    if file is not None:
        try:
            raw = tomllib.loads(file.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as err:
            raise ConfigError(f"{file}: not valid TOML ({err})") from None
        except (OSError, UnicodeDecodeError) as err:
            raise ConfigError(f"{file}: cannot be read ({err})") from None
    source = str(file) if file is not None else "built-in defaults"
    _apply_env(raw, env)
    base_dir = (file.resolve().parent if file is not None else Path.cwd())
    return _build(raw, source, base_dir)


def _apply_env(raw: dict[str, Any], env: dict[str, str]) -> None:
    for name, value in env.items():
        if not name.startswith(ENV_PREFIX) or "__" not in name or name == CONFIG_ENV:
            continue
        section, _, key = name[len(ENV_PREFIX):].lower().partition("__")
        try:
            parsed = tomllib.loads(f"v = {value}")["v"]
        except tomllib.TOMLDecodeError:
            parsed = value
        raw.setdefault(section, {})
        if isinstance(raw[section], dict):
            raw[section][key] = parsed


def _build(raw: dict[str, Any], source: str, base_dir: Path) -> Settings:
    settings = Settings(base_dir=base_dir, source=source)
    for section, value in raw.items():
        if section not in _SECTIONS:
            raise ConfigError(f"{source}: unknown section [{section}]; known sections: {', '.join(_SECTIONS)}")
        if not isinstance(value, dict):
            raise ConfigError(f"{source}: [{section}] must be a table of keys")
        current = getattr(settings, section)
        settings = replace(settings, **{section: _build_section(current, section, value, source)})
    _validate(settings)
    return settings


def _build_section(current: Any, section: str, values: dict[str, Any], source: str) -> Any:
    hints = get_type_hints(type(current))
    changes = {}
    for key, value in values.items():
        if key not in hints:
            raise ConfigError(
                f"{source}: unknown key {section}.{key}; known keys: {', '.join(hints)}"
            )
        changes[key] = _coerce(value, hints[key], f"{section}.{key}", source)
    return replace(current, **changes)


def _coerce(value: Any, hint: Any, key: str, source: str) -> Any:
    origin = get_origin(hint)
    if origin is tuple:
        item_type = get_args(hint)[0]
        if not isinstance(value, list):
            raise ConfigError(f"{source}: {key} = {value!r} must be a list of {item_type.__name__}")
        return tuple(_coerce(v, item_type, key, source) for v in value)
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if hint is int and isinstance(value, bool) or not isinstance(value, hint):
        raise ConfigError(f"{source}: {key} = {value!r} must be {_type_name(hint)}")
    return value


def _type_name(hint: Any) -> str:
    return {int: "a whole number", float: "a number", str: "a string", bool: "true or false"}.get(hint, str(hint))


def _validate(s: Settings) -> None:
    def need(ok: bool, key: str, value: Any, allowed: str) -> None:
        if not ok:
            raise ConfigError(f"{s.source}: {key} = {value!r} is not allowed; expected {allowed}")

    r = s.retrieval
    need(r.fusion in FUSION_MODES, "retrieval.fusion", r.fusion, "one of " + ", ".join(FUSION_MODES))
    need(1 <= r.top_k <= 50, "retrieval.top_k", r.top_k, "1 to 50")
    need(r.candidates >= r.top_k, "retrieval.candidates", r.candidates, f"at least top_k ({r.top_k})")
    need(r.rrf_k > 0, "retrieval.rrf_k", r.rrf_k, "a positive number")
    need(0.0 <= r.dense_weight <= 1.0, "retrieval.dense_weight", r.dense_weight, "0.0 to 1.0")
    need(0.0 <= r.dense_lead <= 2.0, "retrieval.dense_lead", r.dense_lead, "0.0 (off) to 2.0")
    need(0.0 < r.duplicate_similarity <= 1.0, "retrieval.duplicate_similarity", r.duplicate_similarity, "more than 0 and at most 1")
    need(16 <= s.chunking.max_tokens <= 512, "chunking.max_tokens", s.chunking.max_tokens, "16 to 512")
    need(s.model.batch_size >= 1, "model.batch_size", s.model.batch_size, "1 or more")
    need(s.model.precision in PRECISIONS, "model.precision", s.model.precision, "one of " + ", ".join(PRECISIONS))
    need(bool(s.corpus.paths), "corpus.paths", list(s.corpus.paths), "at least one folder or file")
    need(0 < s.corpus.max_file_mb <= 1000, "corpus.max_file_mb", s.corpus.max_file_mb, "more than 0 and at most 1000")
    need(0 < s.corpus.article_seconds <= 3600, "corpus.article_seconds", s.corpus.article_seconds,
         "more than 0 and at most 3600")
    need(s.answer.today in ("now", "newest") or _is_iso_date(s.answer.today), "answer.today", s.answer.today,
         '"now", "newest" or a date such as "2005-04-20"')
    need(1 <= s.answer.max_statements <= 30, "answer.max_statements", s.answer.max_statements, "1 to 30")
    need(0.0 <= s.answer.min_relevance <= 1.0, "answer.min_relevance", s.answer.min_relevance, "0.0 to 1.0")
    need(0.0 <= s.answer.min_similarity <= 1.0, "answer.min_similarity", s.answer.min_similarity, "0.0 to 1.0 (1.0: never)")
    b = s.backend
    need(b.kind in BACKEND_KINDS, "backend.kind", b.kind, "one of " + ", ".join(BACKEND_KINDS))
    need(bool(b.uri.strip()), "backend.uri", b.uri, "a file path (milvus-lite) or http://host:19530")
    need(b.is_server or re.fullmatch(r"[A-Za-z0-9._-]{1,36}", Path(b.uri).name) is not None, "backend.uri", b.uri,
         "http://host:19530, or a file whose name is at most 36 letters, digits, '.', '-' or '_' (milvus-lite's rule)")
    need(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,150}", b.collection) is not None, "backend.collection", b.collection,
         "letters, digits and underscores, starting with a letter or underscore, at most 151 characters")
    need(b.token_env == "" or re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", b.token_env) is not None, "backend.token_env",
         b.token_env, "an environment variable name, or \"\" for none")
    t = s.telegram
    need(t.questions_per_minute >= 1, "telegram.questions_per_minute", t.questions_per_minute, "1 or more")
    need(t.max_question_chars >= 10, "telegram.max_question_chars", t.max_question_chars, "10 or more")
    so = s.sources
    every = duration_seconds(so.refresh_every)
    need(every is not None and every >= 60, "sources.refresh_every", so.refresh_every,
         'a duration of at least a minute such as "1m", "15m", "2h" or "1d"')
    need(so.max_response_mb > 0, "sources.max_response_mb", so.max_response_mb, "more than 0")
    need(1 <= so.per_host_concurrency <= 16, "sources.per_host_concurrency", so.per_host_concurrency, "1 to 16")
    need(so.delay_seconds >= 0, "sources.delay_seconds", so.delay_seconds, "0 or more")
    need(so.timeout_seconds > 0, "sources.timeout_seconds", so.timeout_seconds, "more than 0")
    need(0 <= so.max_redirects <= 20, "sources.max_redirects", so.max_redirects, "0 to 20")
    need(0 <= so.retries <= 10, "sources.retries", so.retries, "0 to 10")
    need(so.max_retry_after_seconds >= 0, "sources.max_retry_after_seconds", so.max_retry_after_seconds, "0 or more")
    need(so.max_articles_per_source >= 1, "sources.max_articles_per_source", so.max_articles_per_source, "1 or more")
    for key in ("feeds", "sitemaps", "pages"):
        for url in getattr(so, key):
            need(url.lower().startswith(("http://", "https://")), f"sources.{key}", url, "http:// or https:// URLs only")
    need(0.0 < s.syndication.similarity <= 1.0, "syndication.similarity", s.syndication.similarity, "more than 0 and at most 1")
    need(0.1 <= t.alert_check_seconds <= 86400, "telegram.alert_check_seconds", t.alert_check_seconds, "0.1 to 86400")
    need(1 <= t.alerts_per_follow <= 30, "telegram.alerts_per_follow", t.alerts_per_follow, "1 to 30")
    need(1 <= t.digest_stories <= 30, "telegram.digest_stories", t.digest_stories, "1 to 30")


def _is_iso_date(text: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True
