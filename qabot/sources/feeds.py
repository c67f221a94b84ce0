"""Feeds and sitemaps into lists of article links; telling a feed, a sitemap and a page apart.

Feeds go through feedparser (RSS 0.9x/1.0/2.0, Atom, and the broken real-world ones).
Sitemaps are read with lxml with entities and network access off: `<urlset>` gives
article URLs (with `<news:publication_date>` or `<lastmod>` when present), `<sitemapindex>`
gives more sitemaps; gzip-compressed sitemaps are unpacked under the same size cap.
Everything that cannot be used raises `FetchError` with a one-line reason.
"""

from __future__ import annotations

import gzip
import io
from dataclasses import dataclass
from enum import Enum
from urllib.parse import urljoin

import feedparser
from lxml import etree, html

from qabot.errors import FetchError
from qabot.sources.urls import is_web_url

_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json")


class SourceKind(str, Enum):
    """The three kinds of source `[sources]` lists."""

    FEED = "feed"
    SITEMAP = "sitemap"
    PAGE = "page"

    @property
    def config_key(self) -> str:
        return self.value + "s"


@dataclass(frozen=True)
class Link:
    """An article link found in a feed or sitemap."""

    url: str
    published: str | None = None  # as the source wrote it; ingest normalises dates
    title: str | None = None


@dataclass(frozen=True)
class Sitemap:
    """A parsed sitemap: article links, and child sitemaps when it is an index."""

    links: tuple[Link, ...]
    children: tuple[str, ...]


def parse_feed(body: bytes, base_url: str) -> tuple[list[Link], int]:
    """Article links in an RSS/Atom feed, and how many items had no usable link."""
    parsed = feedparser.parse(body, response_headers={"content-location": base_url})
    if not parsed.entries:
        if parsed.bozo:
            raise FetchError(f"not a readable feed ({_short(parsed.bozo_exception)})")
        if not parsed.version:
            raise FetchError("not a feed (no RSS or Atom items)")
        return [], 0
    links, missing = [], 0
    for entry in parsed.entries:
        url = urljoin(base_url, (entry.get("link") or "").strip())
        if not entry.get("link") or not is_web_url(url):
            missing += 1
            continue
        links.append(Link(url, entry.get("published") or entry.get("updated"), entry.get("title")))
    if parsed.bozo and not links:  # broken XML feedparser could not make anything of
        raise FetchError(f"not a readable feed ({_short(parsed.bozo_exception)})")
    return links, missing


def parse_sitemap(body: bytes, max_bytes: int) -> Sitemap:
    """Links of a `<urlset>` or child sitemaps of a `<sitemapindex>` (gzip or plain)."""
    root = _xml_root(_gunzip(body, max_bytes) if body[:2] == b"\x1f\x8b" else body)
    tag = etree.QName(root).localname
    if tag == "sitemapindex":
        children = [(el.text or "").strip() for el in root.iter(f"{_SITEMAP_NS}loc", "loc")]
        return Sitemap((), tuple(u for u in children if is_web_url(u)))
    if tag != "urlset":
        raise FetchError(f"not a sitemap (the XML root is <{tag}>)")
    links = []
    for entry in root.iter(f"{_SITEMAP_NS}url", "url"):
        loc = _text(entry, "loc")
        if not loc or not is_web_url(loc):
            continue
        published = _text(entry, f"{_NEWS_NS}news/{_NEWS_NS}publication_date") or _text(entry, "lastmod")
        title = _text(entry, f"{_NEWS_NS}news/{_NEWS_NS}title")
        links.append(Link(loc, published, title))
    return Sitemap(tuple(links), ())


def detect_kind(body: bytes, media_type: str) -> SourceKind:
    """What a fetched URL is: a sitemap, a feed, or (anything HTML) a page."""
    head = body[:2048].lstrip().lower()
    if body[:2] == b"\x1f\x8b" or b"<urlset" in head or b"<sitemapindex" in head:
        return SourceKind.SITEMAP
    if "html" in media_type or b"<html" in head or b"<!doctype html" in head:
        return SourceKind.PAGE
    parsed = feedparser.parse(body)
    if parsed.version or parsed.entries:
        return SourceKind.FEED
    raise FetchError(f"neither a feed, a sitemap nor a web page (content type {media_type or 'unknown'})")


def advertised_feeds(body: bytes, base_url: str) -> list[str]:
    """Feeds a page advertises with ``<link rel="alternate" type="application/rss+xml" href=...>``."""
    try:
        document = html.fromstring(body)
    except (etree.ParserError, ValueError):
        return []
    found = []
    for link in document.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "alternate" in rel and (link.get("type") or "").lower() in _FEED_TYPES and link.get("href"):
            url = urljoin(base_url, link.get("href").strip())
            if is_web_url(url) and url not in found:
                found.append(url)
    return found


def _xml_root(body: bytes):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        return etree.fromstring(body, parser)
    except etree.XMLSyntaxError as error:
        raise FetchError(f"malformed XML ({_short(error)})") from None


def _gunzip(body: bytes, max_bytes: int) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as unpacked:
            data = unpacked.read(max_bytes + 1)
    except (OSError, EOFError) as error:
        raise FetchError(f"broken gzip sitemap ({_short(error)})") from None
    if len(data) > max_bytes:
        raise FetchError("gzip sitemap too large once unpacked (sources.max_response_mb)")
    return data


def _text(element, path: str) -> str | None:
    found = element.find(f"{_SITEMAP_NS}{path}" if not path.startswith("{") else path)
    if found is None:
        found = element.find(path)
    return (found.text or "").strip() or None if found is not None else None


def _short(error: object) -> str:
    return " ".join(str(error).split())[:120]
