"""URLs as a news archive sees them: one key per article, a browsable site name and slug.

The key is what "already saved" is decided by: scheme, "www.", a trailing slash, the
fragment and tracking parameters (utm_*, fbclid, ref, ... — courlan's list) do not make a
different article, so ``url_key("https://www.bbc.co.uk/news/a?utm_source=rss#top")`` equals
``url_key("http://bbc.co.uk/news/a/")``.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit, urlunsplit

ALLOWED_SCHEMES = ("http", "https")
_SLUG_CHARS = re.compile(r"[^a-z0-9]+")
_SLUG_WORDS = 10


def is_web_url(url: str) -> bool:
    """Only http and https are fetched (no file:, ftp:, data:, javascript:)."""
    parts = urlsplit(url.strip())
    return parts.scheme.lower() in ALLOWED_SCHEMES and bool(parts.hostname)


def clean(url: str) -> str:
    """The URL without tracking parameters and fragment, host lower-cased (still fetchable)."""
    from courlan import normalize_url  # imported here: ingest reads sidecars without it
    try:
        normal = normalize_url(url.strip())
    except Exception:  # courlan raises on some malformed URLs; keep what we have
        normal = url.strip()
    parts = urlsplit(normal)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def url_key(url: str) -> str:
    """The identity of an article's URL: cleaned, without scheme, "www." or trailing slash."""
    parts = urlsplit(clean(url))
    host = (parts.hostname or "").removeprefix("www.")
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    path = parts.path.rstrip("/") or "/"
    return f"{host}{port}{path}" + (f"?{parts.query}" if parts.query else "")


def site_name(url: str) -> str:
    """The folder an article is saved under: its host without "www." ("bbc.co.uk")."""
    parts = urlsplit(url)
    host = (parts.hostname or "unknown").removeprefix("www.")
    return host + (f"_{parts.port}" if parts.port and parts.port not in (80, 443) else "")


def slug(url: str, title: str | None = None) -> str:
    """A readable, unique file name stem: the title's (or the path's) words plus a short hash."""
    words = _SLUG_CHARS.sub(" ", (title or urlsplit(url).path).lower()).split()
    readable = "-".join(words[:_SLUG_WORDS]) or "article"
    return f"{readable}-{hashlib.sha1(url_key(url).encode()).hexdigest()[:8]}"
