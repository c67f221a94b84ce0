"""Polite HTTP for following news sites: one `Fetcher` per `qabot fetch`.

What "polite" and "safe" mean here, each in one place below:

- robots.txt is read once per host (protego) and obeyed, Crawl-delay included;
- at most `per_host_concurrency` requests to a host at once, `delay_seconds` apart
  (or the Crawl-delay, whichever is longer);
- 429 and 503 with Retry-After wait as asked (up to `max_retry_after_seconds`); network
  errors and other 5xx are retried `retries` times with exponential backoff;
- only http/https; a host that resolves to a private or loopback address is refused unless
  `allow_private`; redirects are followed by hand so every hop is checked, at most
  `max_redirects`; a response over `max_response_mb` (after gzip/brotli decoding) is cut
  off; a whole request, body included, must finish in `timeout_seconds`, so a server that
  trickles bytes (slow loris) cannot hold a fetch.

Every failure is a `FetchError` whose message is the one-line reason shown to the user.
"""

from __future__ import annotations

import asyncio
import email.utils
import ipaddress
import logging
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from qabot.config import SourcesSettings
from qabot.errors import FetchError
from qabot.sources.urls import is_web_url

log = logging.getLogger(__name__)

def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("qabot")
    except PackageNotFoundError:
        return "dev"


DEFAULT_USER_AGENT = f"qabot/{_version()} (+https://github.com/qabot/qabot)"
_REDIRECTS = (301, 302, 303, 307, 308)
_BACKOFF_SECONDS = 0.5
_MAX_CRAWL_DELAY = 60.0  # a robots.txt asking for more is obeyed as 60 s


@dataclass(frozen=True)
class Response:
    """A complete, size-checked response. `url` is the final URL after redirects."""

    url: str
    status: int
    headers: httpx.Headers
    body: bytes
    seconds: float = 0.0

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


@dataclass
class _Host:
    """Per-host politeness: a concurrency limit, the next allowed start, robots.txt."""

    slots: asyncio.Semaphore
    delay: float
    next_start: float = 0.0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    robots: Protego | None = None
    robots_read: bool = False
    robots_lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class Fetcher:
    """``async with Fetcher(settings.sources) as f: response = await f.get(url)``."""

    def __init__(self, settings: SourcesSettings):
        self.settings = settings
        self.user_agent = settings.user_agent or DEFAULT_USER_AGENT
        self.max_bytes = int(settings.max_response_mb * 1024 * 1024)
        self.network_seconds = 0.0  # time spent waiting on the network, for the bench split
        self._hosts: dict[str, _Host] = {}
        self._client: httpx.AsyncClient | None = None

    async def __aenter__(self) -> "Fetcher":
        timeout = httpx.Timeout(self.settings.timeout_seconds)
        self._client = httpx.AsyncClient(
            follow_redirects=False, timeout=timeout, trust_env=False,
            headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate, br"},
            limits=httpx.Limits(max_connections=32, max_keepalive_connections=16))
        return self

    async def __aexit__(self, *exc) -> None:
        assert self._client is not None
        await self._client.aclose()

    async def get(self, url: str, headers: dict[str, str] | None = None) -> Response:
        """GET `url` politely; a 304 comes back as a Response with status 304 and no body."""
        hops = 0
        while True:
            await self._check_allowed(url)
            response = await self._with_retries(url, headers or {})
            if response.status not in _REDIRECTS:
                return response
            location = response.headers.get("location")
            if not location:
                raise FetchError(f"HTTP {response.status} redirect without a Location")
            hops += 1
            if hops > self.settings.max_redirects:
                raise FetchError(f"too many redirects (more than {self.settings.max_redirects})")
            url = urljoin(url, location)

    # --- checks before a request -------------------------------------------------------------

    async def _check_allowed(self, url: str) -> None:
        if not is_web_url(url):
            raise FetchError(f"only http and https URLs are fetched, not {url[:80]!r}")
        host = self._host(url)
        if not self.settings.allow_private:
            await _refuse_private(urlsplit(url).hostname or "")
        robots = await self._robots(url, host)
        if robots is not None and not robots.can_fetch(url, self.user_agent):
            raise FetchError(f"robots.txt of {urlsplit(url).netloc} disallows {urlsplit(url).path or '/'}")

    def _host(self, url: str) -> _Host:
        netloc = urlsplit(url).netloc.lower()
        if netloc not in self._hosts:
            self._hosts[netloc] = _Host(asyncio.Semaphore(self.settings.per_host_concurrency), self.settings.delay_seconds)
        return self._hosts[netloc]

    async def _robots(self, url: str, host: _Host) -> Protego | None:
        """robots.txt per host, read once: missing (4xx) allows everything (RFC 9309)."""
        async with host.robots_lock:
            if not host.robots_read:
                parts = urlsplit(url)
                robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
                response = await self._with_retries(robots_url, {})
                for _ in range(self.settings.max_redirects):  # e.g. http -> https, as RFC 9309 allows
                    if response.status not in _REDIRECTS or not response.headers.get("location"):
                        break
                    robots_url = urljoin(robots_url, response.headers["location"])
                    if not self.settings.allow_private:
                        await _refuse_private(urlsplit(robots_url).hostname or "")
                    response = await self._with_retries(robots_url, {})
                if response.status == 200:
                    host.robots = Protego.parse(response.body.decode("utf-8", errors="replace"))
                    delay = host.robots.crawl_delay(self.user_agent)
                    if delay:
                        host.delay = max(host.delay, min(float(delay), _MAX_CRAWL_DELAY))
                elif response.status >= 500:
                    raise FetchError(f"robots.txt of {parts.netloc} answers HTTP {response.status}; not fetching that host")
                host.robots_read = True
        return host.robots

    # --- the request itself ------------------------------------------------------------------

    async def _with_retries(self, url: str, headers: dict[str, str]) -> Response:
        host = self._host(url)
        reason = ""
        for attempt in range(self.settings.retries + 1):
            if attempt:
                await asyncio.sleep(_BACKOFF_SECONDS * 2 ** (attempt - 1))
            try:
                response = await self._polite_once(url, headers, host)
            except httpx.TransportError as error:
                reason = _network_reason(error)
                log.info("%s: %s (attempt %d)", url, reason, attempt + 1)
                continue
            if response.status in (429, 503) and "retry-after" in response.headers:
                wait = _retry_after_seconds(response.headers["retry-after"])
                if wait is None or wait > self.settings.max_retry_after_seconds:
                    raise FetchError(f"HTTP {response.status}: the server asks to come back in "
                                     f"{response.headers['retry-after']!r}; trying again next fetch", transient=True)
                host.next_start = max(host.next_start, time.monotonic() + wait)
                reason = f"HTTP {response.status} (asked to wait {wait:.0f} s)"
                continue
            if response.status >= 500:
                reason = f"HTTP {response.status}"
                continue
            return response
        raise FetchError(f"{reason}, after {self.settings.retries + 1} attempts", transient=True)

    async def _polite_once(self, url: str, headers: dict[str, str], host: _Host) -> Response:
        async with host.slots:
            async with host.lock:
                wait = host.next_start - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                host.next_start = time.monotonic() + host.delay
            started = time.perf_counter()
            try:
                return await asyncio.wait_for(self._once(url, headers), self.settings.timeout_seconds)
            except asyncio.TimeoutError:
                raise FetchError(f"too slow: no complete answer within {self.settings.timeout_seconds:g} s",
                                 transient=True) from None
            finally:
                self.network_seconds += time.perf_counter() - started

    async def _once(self, url: str, headers: dict[str, str]) -> Response:
        assert self._client is not None
        started = time.perf_counter()
        async with self._client.stream("GET", url, headers=headers) as response:
            if response.status_code in _REDIRECTS or response.status_code == 304 or response.status_code >= 400:
                return Response(str(response.url), response.status_code, response.headers, b"")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise FetchError(f"response too large ({int(declared) / 1e6:.1f} MB; the limit is "
                                 f"{self.settings.max_response_mb:g} MB, sources.max_response_mb)")
            body = bytearray()
            try:
                async for piece in response.aiter_bytes():
                    body += piece
                    if len(body) > self.max_bytes:
                        raise FetchError(f"response too large (over {self.settings.max_response_mb:g} MB, "
                                         f"sources.max_response_mb)")
            except httpx.DecodingError:
                raise FetchError("response cannot be decompressed (broken gzip/brotli)") from None
            return Response(str(response.url), response.status_code, response.headers, bytes(body),
                            time.perf_counter() - started)


async def _refuse_private(hostname: str) -> None:
    """Refuse hosts on private, loopback, link-local or reserved addresses (SSRF guard)."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(hostname, None, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise FetchError(f"host {hostname} not found (DNS)") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global:
            raise FetchError(f"{hostname} is a private or local address ({address}); "
                             f"set [sources] allow_private = true to fetch from it")


def _retry_after_seconds(value: str) -> float | None:
    """Retry-After is either seconds ("120") or an HTTP date."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _network_reason(error: httpx.TransportError) -> str:
    kind = {httpx.ConnectError: "cannot connect", httpx.ConnectTimeout: "connection timed out",
            httpx.ReadTimeout: "no answer (read timed out)", httpx.RemoteProtocolError: "broken HTTP answer"}
    for cls, text in kind.items():
        if isinstance(error, cls):
            return text
    return f"network error ({type(error).__name__})"
