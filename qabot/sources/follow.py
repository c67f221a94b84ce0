"""`qabot fetch`: every configured feed, sitemap and page, new articles into the archive.

One source's failure is one line in the report and never stops the others. A feed's or
sitemap's validators (ETag / Last-Modified) are remembered only once every item it listed
was handled, so a fetch that is killed, or loses items to a network error, asks again in
full next time instead of being told "304 Not Modified" about items it never saved.

    >>> report = fetch_sources(load_settings())      # doctest: +SKIP
    >>> report.new, report.unchanged, [s.reason for s in report.sources if s.failed]  # doctest: +SKIP
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable
from urllib.parse import urlsplit

from qabot.config import Settings
from qabot.errors import FetchError
from qabot.sources.archive import Archive, SavedMeta
from qabot.sources.feeds import Link, SourceKind, parse_feed, parse_sitemap
from qabot.sources.fetch_state import FetchState
from qabot.sources.fetcher import Fetcher, Response
from qabot.sources.ingest import normalise_date
from qabot.sources.urls import clean, site_name, url_key

log = logging.getLogger(__name__)

# progress(stage, done, total): stage is "sources" or "articles".
Progress = Callable[[str, int, int], None]

STATE_FILE = "fetch.sqlite"
MIN_ARTICLE_CHARS = 400  # less extracted text than this is a section page, a gallery, a stub
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_PAYWALL = re.compile(r"\b(?:(?:sign|log) in|subscribe|create an account|register)\b.{0,40}\b(?:to (?:continue|read|keep reading)|"
                      r"for full access)\b|\bthis (?:article|content) is for (?:subscribers|members)\b", re.I)
_PASSWORD_FIELD = re.compile(rb"<input[^>]+type\s*=\s*[\"']?password", re.I)
_MAX_SITEMAPS = 50


@dataclass
class SourceResult:
    """How one source went: articles saved, already had, and items that failed with why."""

    url: str
    kind: SourceKind
    name: str = ""
    new: int = 0
    unchanged: int = 0
    failed_items: list[tuple[str, str]] = field(default_factory=list)
    retry_items: bool = False  # an item failed for a passing reason: do not earn a 304 yet
    reason: str = ""  # set when the source itself failed
    not_modified: bool = False  # the feed/sitemap answered 304

    @property
    def failed(self) -> bool:
        return bool(self.reason)

    @property
    def status(self) -> str:
        return "failed" if self.failed else ("ok" if self.new else "unchanged")


@dataclass
class FetchReport:
    """Everything one `qabot fetch` did, with the time split for the bench."""

    sources: list[SourceResult]
    seconds: float = 0.0
    network_seconds: float = 0.0
    extraction_seconds: float = 0.0

    @property
    def new(self) -> int:
        return sum(s.new for s in self.sources)

    @property
    def unchanged(self) -> int:
        return sum(s.unchanged for s in self.sources)

    @property
    def failed(self) -> int:
        return sum(1 for s in self.sources if s.failed) + sum(len(s.failed_items) for s in self.sources)


def configured_sources(settings: Settings) -> list[tuple[str, SourceKind]]:
    s = settings.sources
    return ([(u, SourceKind.FEED) for u in s.feeds] + [(u, SourceKind.SITEMAP) for u in s.sitemaps]
            + [(u, SourceKind.PAGE) for u in s.pages])


def fetch_sources(settings: Settings, progress: Progress | None = None) -> FetchReport:
    """Fetch every configured source into the archive; never raises for a source's failure."""
    return asyncio.run(_fetch_all(settings, progress or (lambda stage, done, total: None)))


async def _fetch_all(settings: Settings, progress: Progress) -> FetchReport:
    started = time.perf_counter()
    with FetchState(settings.index_dir / STATE_FILE) as state:
        async with Fetcher(settings.sources) as fetcher:
            run = _Run(settings, progress, state, fetcher)
            results = await run.every_source()
    return FetchReport(results, time.perf_counter() - started, fetcher.network_seconds, run.extraction_seconds)


class _Run:
    """One fetch: what the archive already holds, the state file and the HTTP client, shared by all sources."""

    def __init__(self, settings: Settings, progress: Progress, state: FetchState, fetcher: Fetcher):
        self.settings = settings
        self.progress = progress
        self.state = state
        self.fetcher = fetcher
        self.archive = Archive(settings.archive_dir)
        self.known = self.archive.saved_keys()  # URL keys of saved articles
        self.in_flight: set[str] = set()  # being downloaded now (two feeds may list one article)
        self.extraction_seconds = 0.0
        self.articles_seen = 0
        self.articles_done = 0

    async def every_source(self) -> list[SourceResult]:
        sources = configured_sources(self.settings)
        done = 0
        self.progress("sources", 0, len(sources))

        async def one(url: str, kind: SourceKind) -> SourceResult:
            nonlocal done
            result = await self.source(url, kind)
            done += 1
            self.progress("sources", done, len(sources))
            return result

        return list(await asyncio.gather(*(one(url, kind) for url, kind in sources)))

    async def source(self, url: str, kind: SourceKind) -> SourceResult:
        result = SourceResult(url, kind, name=site_name(url))
        try:
            if kind is SourceKind.PAGE:
                await self.article(Link(url), result)
                if result.failed_items:  # a page source is its one article
                    result.reason = result.failed_items.pop()[1]
            else:
                validators = await (self.feed(url, result) if kind is SourceKind.FEED else self.sitemap(url, result))
                if not result.retry_items:
                    for target, response in validators:
                        self.state.remember(target, response.headers.get("etag"), response.headers.get("last-modified"))
        except FetchError as error:
            result.reason = str(error)
        except Exception as error:  # a bug in one source's handling must not stop the others
            log.debug("fetching %s failed", url, exc_info=True)
            result.reason = f"unexpected error ({type(error).__name__}: {error})"[:200]
        status = "failed" if result.failed else ("unchanged" if not result.new else "ok")
        self.state.finish_source(url, kind.value, status, result.reason, result.new)
        self.state.log(url, url, status, result.reason)
        return result

    async def feed(self, url: str, result: SourceResult) -> list[tuple[str, Response]]:
        response = await self.listing(url, result)
        if response is None:
            return []
        links, missing = parse_feed(response.body, response.url)
        if missing:
            result.failed_items.append((url, f"{missing} feed item{'s' * (missing > 1)} without a link"))
        await self.articles(links[: self.settings.sources.max_articles_per_source], result)
        return [(url, response)]

    async def sitemap(self, url: str, result: SourceResult) -> list[tuple[str, Response]]:
        pending, seen, links, validated = [url], set(), [], []
        while pending and len(seen) < _MAX_SITEMAPS:
            target = pending.pop(0)
            if target in seen:
                continue
            seen.add(target)
            response = await self.listing(target, result)
            if response is None:
                continue
            parsed = parse_sitemap(response.body, self.fetcher.max_bytes)
            pending += [child for child in parsed.children if child not in seen]
            links += parsed.links
            validated.append((target, response))
        # Newest first: news sitemaps date their items; undated ones keep their order, last.
        links.sort(key=lambda link: normalise_date(link.published) or "", reverse=True)
        await self.articles(links[: self.settings.sources.max_articles_per_source], result)
        return validated

    async def listing(self, url: str, result: SourceResult) -> Response | None:
        """GET a feed or sitemap with its validators; None (and counted) when unchanged."""
        response = await self.fetcher.get(url, self.state.validators(url))
        if response.status == 304:
            result.not_modified = True
            return None
        if response.status >= 400:
            raise FetchError(f"HTTP {response.status}")
        return response

    async def articles(self, links: list[Link], result: SourceResult) -> None:
        self.articles_seen += len(links)
        await asyncio.gather(*(self.article(link, result) for link in links))

    async def article(self, link: Link, result: SourceResult) -> None:
        key = url_key(link.url)
        if key in self.known or key in self.in_flight:
            result.unchanged += 1
            return self.tick()
        self.in_flight.add(key)
        try:
            saved = await self.save(link, result.url)
            result.new += saved
            result.unchanged += not saved
            self.state.log(result.url, link.url, "saved" if saved else "unchanged")
        except FetchError as error:
            result.failed_items.append((link.url, str(error)))
            result.retry_items |= error.transient
            self.state.log(result.url, link.url, "failed", str(error))
        finally:
            self.in_flight.discard(key)
            self.tick()

    def tick(self) -> None:
        self.articles_done += 1
        self.progress("articles", self.articles_done, max(self.articles_seen, self.articles_done))

    async def save(self, link: Link, source_url: str) -> bool:
        """Download, check and save one article; False when its canonical copy is already saved."""
        response = await self.fetcher.get(link.url)
        if response.status >= 400:
            raise FetchError(f"HTTP {response.status}", transient=response.status in (408, 429))
        if response.media_type not in _HTML_TYPES:
            raise FetchError(f"not a web page (content type {response.media_type or 'unknown'})")
        tick = time.perf_counter()
        meta = await asyncio.to_thread(extract_meta, response.body, response.url, link, source_url)
        self.extraction_seconds += time.perf_counter() - tick
        keys = {url_key(link.url), url_key(response.url), url_key(meta.canonical_url)}
        if keys & self.known:
            self.known |= keys
            return False
        self.archive.save(response.body, meta)
        self.known |= keys
        return True


def extract_meta(page: bytes, url: str, link: Link, source_url: str) -> SavedMeta:
    """Title, author, dates and site name of an article page; FetchError when it is none."""
    import trafilatura

    if _PASSWORD_FIELD.search(page):
        raise FetchError("a login or paywall page, not the article")
    text = page.decode("utf-8", errors="replace")
    try:
        document = trafilatura.bare_extraction(text, url=url, with_metadata=True, favor_precision=True)
    except Exception as error:  # a third-party parser failing on odd markup is the page's problem
        raise FetchError(f"cannot parse HTML ({type(error).__name__})") from None
    data = (document.as_dict() if hasattr(document, "as_dict") else dict(document)) if document else {}
    body = data.get("text") or ""
    if _PAYWALL.search(body[:2000]) and len(body) < 3 * MIN_ARTICLE_CHARS:
        raise FetchError("a login or paywall page, not the article")
    if len(body) < MIN_ARTICLE_CHARS:
        raise FetchError(f"not an article (only {len(body)} characters of text)")
    canonical = clean(data.get("url") or url)
    if urlsplit(canonical).netloc != urlsplit(url).netloc and not data.get("url"):
        canonical = clean(url)
    fetched = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    return SavedMeta(
        url=clean(url), canonical_url=canonical,
        source=(data.get("sitename") or "").strip() or site_name(url),
        title=(data.get("title") or link.title or "").strip(),
        author=(data.get("author") or "").strip(),
        published=normalise_date(data.get("date")) or normalise_date(link.published) or "",
        fetched=fetched, feed=source_url)
