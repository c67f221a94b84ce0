"""A small news web site on 127.0.0.1 for testing `qabot fetch` against real HTTP.

It serves what real sites serve: article pages wrapped in realistic news HTML (navigation,
cookie banner, byline, related links, `<meta property="article:published_time">`, JSON-LD
NewsArticle, `<link rel="canonical">`), RSS and Atom feeds, sitemaps (plain, news, index,
gzip) and robots.txt, with ETag/Last-Modified so conditional requests get 304s. A route
can also misbehave on purpose: 429 with Retry-After, a server error, an endless redirect,
a slow-loris trickle, an endless body. Every request is recorded for the test to inspect.

    site = NewsSite().start()
    site.article("/news/budget", title, paragraphs, outlet="Valley Post", published="2005-02-01")
    site.rss("/feed.xml", ["/news/budget"])
    ...
    site.stop()
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable


@dataclass
class Route:
    body: bytes
    content_type: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str = ""
    last_modified: str = ""


@dataclass(frozen=True)
class Request:
    path: str
    status: int
    user_agent: str
    at: float


@dataclass(frozen=True)
class Story:
    """An article to serve: title, paragraphs, and when it was published."""

    title: str
    paragraphs: tuple[str, ...]
    published: str  # YYYY-MM-DD


class NewsSite:
    """A threaded HTTP server with a mutable table of routes."""

    def __init__(self, name: str = "Valley Post"):
        self.name = name
        self.routes: dict[str, Route | Callable[[BaseHTTPRequestHandler], int]] = {}
        self.requests: list[Request] = []
        self.lock = threading.Lock()
        self.published: dict[str, Story] = {}
        self._server: ThreadingHTTPServer | None = None

    # --- running ---------------------------------------------------------------------------

    def start(self) -> "NewsSite":
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                status = site._serve(self)
                with site.lock:
                    site.requests.append(Request(self.path, status, self.headers.get("User-Agent", ""), time.monotonic()))

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def statuses(self, path: str) -> list[int]:
        with self.lock:
            return [r.status for r in self.requests if r.path == path]

    def fetched_paths(self) -> list[str]:
        with self.lock:
            return [r.path for r in self.requests]

    def clear_log(self) -> None:
        with self.lock:
            self.requests.clear()

    # --- content ---------------------------------------------------------------------------

    def add(self, path: str, body: bytes | str, content_type: str, **headers: str) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(data, content_type, headers=headers,
                                  etag='"' + hashlib.sha1(data).hexdigest()[:16] + '"',
                                  last_modified=formatdate(time.time(), usegmt=True))

    def article(self, path: str, story: Story, outlet: str | None = None, canonical: str | None = None,
                author: str = "Jane Reporter") -> None:
        self.published[path] = story
        self.add(path, news_page(story, outlet or self.name, self.url + (canonical or path), author),
                 "text/html; charset=utf-8")

    def rss(self, path: str, article_paths: list[str], extra_items: str = "") -> None:
        items = "".join(
            f"<item><title>{html.escape(self.published[p].title)}</title><link>{self.url}{p}</link>"
            f"<guid>{self.url}{p}</guid><pubDate>{_rfc822(self.published[p].published)}</pubDate></item>"
            for p in article_paths)
        self.add(path, f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
                       f"<title>{html.escape(self.name)}</title><link>{self.url}/</link>"
                       f"<description>News</description>{items}{extra_items}</channel></rss>",
                 "application/rss+xml; charset=utf-8")

    def atom(self, path: str, article_paths: list[str]) -> None:
        entries = "".join(
            f'<entry><title>{html.escape(self.published[p].title)}</title><link href="{self.url}{p}"/>'
            f"<id>{self.url}{p}</id><updated>{self.published[p].published}T08:00:00Z</updated></entry>"
            for p in article_paths)
        self.add(path, f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
                       f"<title>{html.escape(self.name)}</title><id>{self.url}/</id>"
                       f"<updated>2005-03-01T00:00:00Z</updated>{entries}</feed>",
                 "application/atom+xml")

    def sitemap(self, path: str, article_paths: list[str], news: bool = True, gzipped: bool = False) -> None:
        urls = "".join(
            f"<url><loc>{self.url}{p}</loc>" + (
                f"<news:news><news:publication><news:name>{html.escape(self.name)}</news:name>"
                f"<news:language>en</news:language></news:publication>"
                f"<news:publication_date>{self.published[p].published}</news:publication_date>"
                f"<news:title>{html.escape(self.published[p].title)}</news:title></news:news>"
                if news else f"<lastmod>{self.published[p].published}</lastmod>") + "</url>"
            for p in article_paths)
        body = ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">' + urls + "</urlset>").encode()
        if gzipped:
            self.add(path, gzip.compress(body), "application/x-gzip")
        else:
            self.add(path, body, "application/xml")

    def sitemap_index(self, path: str, children: list[str]) -> None:
        locs = "".join(f"<sitemap><loc>{self.url}{c}</loc></sitemap>" for c in children)
        self.add(path, '<?xml version="1.0" encoding="UTF-8"?><sitemapindex '
                       f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</sitemapindex>', "application/xml")

    def robots(self, text: str) -> None:
        self.add("/robots.txt", text, "text/plain")

    # --- serving ---------------------------------------------------------------------------

    def _serve(self, handler: BaseHTTPRequestHandler) -> int:
        route = self.routes.get(handler.path.split("#")[0])
        if route is None:
            return _send(handler, 404, b"<html><body>Not found</body></html>", "text/html")
        if callable(route):
            return route(handler)
        if route.status == 200 and route.etag and handler.headers.get("If-None-Match") == route.etag:
            return _send(handler, 304, b"", None, {"ETag": route.etag})
        headers = {"ETag": route.etag, "Last-Modified": route.last_modified, **route.headers}
        body = route.body
        if ("gzip" in handler.headers.get("Accept-Encoding", "") and route.content_type.startswith("text/html")
                and "Content-Encoding" not in headers):
            body, headers["Content-Encoding"] = gzip.compress(body), "gzip"
        return _send(handler, route.status, body, route.content_type, headers)


def _send(handler: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str | None,
          headers: dict[str, str] | None = None) -> int:
    handler.send_response(status)
    if content_type:
        handler.send_header("Content-Type", content_type)
    for key, value in (headers or {}).items():
        handler.send_header(key, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    if body:
        handler.wfile.write(body)
    return status


# --- misbehaving routes (use as `site.routes[path] = ...`) ---------------------------------

def too_many_requests_once(retry_after: int, then: Route) -> Callable[[BaseHTTPRequestHandler], int]:
    """429 with Retry-After on the first request, then the page; records when each came."""
    calls: list[float] = []

    def serve(handler: BaseHTTPRequestHandler) -> int:
        calls.append(time.monotonic())
        if len(calls) == 1:
            return _send(handler, 429, b"slow down", "text/plain", {"Retry-After": str(retry_after)})
        return _send(handler, 200, then.body, then.content_type)

    serve.calls = calls  # type: ignore[attr-defined]
    return serve


def server_error(handler: BaseHTTPRequestHandler) -> int:
    return _send(handler, 500, b"<html>Internal error</html>", "text/html")


def redirect_loop(handler: BaseHTTPRequestHandler) -> int:
    target = "/loop-b" if handler.path.startswith("/loop-a") else "/loop-a"
    return _send(handler, 302, b"", "text/html", {"Location": target})


def slow_loris(handler: BaseHTTPRequestHandler) -> int:
    """Headers at once, then one byte a second, forever (until the client hangs up)."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    try:
        for _ in range(600):
            handler.wfile.write(b" ")
            handler.wfile.flush()
            time.sleep(1)
    except OSError:
        pass
    return 200


def endless_body(handler: BaseHTTPRequestHandler) -> int:
    """A page with no Content-Length that never ends (a "10 GB response")."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Connection", "close")
    handler.end_headers()
    chunk = b"<p>" + b"x" * 65536 + b"</p>"
    try:
        for _ in range(200000):
            handler.wfile.write(chunk)
    except OSError:
        pass
    handler.close_connection = True
    return 200


# --- realistic news HTML -------------------------------------------------------------------

def news_page(story: Story, outlet: str, url: str, author: str) -> str:
    """An article page as news sites make them: everything around the story, too."""
    e = html.escape
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": story.title,
                     "datePublished": f"{story.published}T08:00:00Z", "author": {"@type": "Person", "name": author},
                     "publisher": {"@type": "Organization", "name": outlet}, "mainEntityOfPage": url})
    body = "\n".join(f"<p>{e(p)}</p>" for p in story.paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{e(story.title)} | {e(outlet)}</title>
<link rel="canonical" href="{e(url)}">
<meta property="og:site_name" content="{e(outlet)}">
<meta property="og:title" content="{e(story.title)}">
<meta property="article:published_time" content="{story.published}T08:00:00Z">
<meta name="author" content="{e(author)}">
<link rel="alternate" type="application/rss+xml" title="{e(outlet)}" href="/feed.xml">
<script type="application/ld+json">{ld}</script>
</head><body>
<div id="cookie-banner" class="cookie-consent"><p>We use cookies to improve your experience. <button>Accept all cookies</button></p></div>
<header><nav class="site-nav"><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/business">Business</a></li><li><a href="/sport">Sport</a></li><li><a href="/login">Sign in</a></li></ul></nav></header>
<main><article>
<h1>{e(story.title)}</h1>
<p class="byline">By <span class="author">{e(author)}</span>, {e(outlet)} &middot; <time datetime="{story.published}">{story.published}</time></p>
<div class="article-body">
{body}
</div>
</article>
<aside class="related"><h2>Related stories</h2><ul><li><a href="/news/other-1">Markets slip as oil rises</a></li>
<li><a href="/news/other-2">Minister resigns over expenses</a></li></ul></aside></main>
<footer><p>&copy; 2005 {e(outlet)}. All rights reserved.</p><a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
</body></html>"""


def login_page() -> str:
    return """<!DOCTYPE html><html><head><title>Sign in | Valley Post</title></head><body>
<main><h1>Subscribe to continue reading</h1><p>This article is for subscribers only.</p>
<form action="/login" method="post"><input type="email" name="email"><input type="password" name="password">
<button>Sign in</button></form></main></body></html>"""


def section_page() -> str:
    links = "".join(f'<li><a href="/news/{i}">Headline number {i}</a></li>' for i in range(20))
    return f"<!DOCTYPE html><html><head><title>News</title></head><body><nav>Home</nav><ul>{links}</ul></body></html>"


def _rfc822(day: str) -> str:
    return formatdate(time.mktime(time.strptime(day + " 08", "%Y-%m-%d %H")), usegmt=True)


# --- stories -------------------------------------------------------------------------------

FIXTURE_STORIES = [
    Story("Parliament passes austerity budget", (
        "The parliament approved the 2020 budget late on Tuesday by 151 votes to 139, after a debate that lasted fourteen hours.",
        "Finance Minister Elena Petrova defended the spending cuts. \"We cannot spend money we do not have,\" Petrova said, adding that the deficit would fall below 3% of output by 2021.",
        "Opposition leader Marek Horvath called the budget a betrayal of the regions and promised to challenge it in the constitutional court before the end of the year.",
        "Economists said the cuts to regional transport subsidies would hit rural commuters hardest, while pensions were protected for a second year running."), "2005-02-01"),
    Story("Dam talks on the Nile resume in Khartoum", (
        "Negotiators from Egypt, Sudan and Ethiopia resumed talks on the filling of the Grand Renaissance Dam in Khartoum on Monday.",
        "Ethiopia's water minister said the first filling of the reservoir would begin in July whatever the outcome, a stance Cairo called unacceptable.",
        "Sudan's delegation proposed a joint technical committee to share river flow data every day during the filling period.",
        "Diplomats said the United States and the World Bank would attend the next round as observers at the request of Egypt."), "2005-02-03"),
    Story("Lighthouse keepers return to Skerry island", (
        "For the first time in thirty years, two lighthouse keepers are living on Skerry island after the automatic lamp failed twice last winter.",
        "The Northern Lights Board said the keepers, Morag Fraser and Tom Baird, would stay for six months while engineers replace the lamp's power system.",
        "Fraser said the island's only other residents were forty grey seals and a colony of puffins that arrives every April.",
        "Supplies reach the island by boat once a fortnight when the weather allows, and the keepers keep a radio watch every night."), "2005-02-05"),
]


def bbc_stories(folder: Path | None, count: int) -> list[Story]:
    """`count` BBC articles (first line title, then paragraphs) when the corpus is there, else fixtures."""
    if folder is None or not folder.is_dir():
        return FIXTURE_STORIES[:count]
    stories = []
    for i, path in enumerate(sorted((folder / "business").glob("*.txt"))[:count]):
        text = path.read_bytes().decode("utf-8", errors="replace")
        title, _, rest = text.partition("\n")
        paragraphs = tuple(p.strip() for p in rest.split("\n\n") if p.strip())
        stories.append(Story(title.strip(), paragraphs, f"2005-01-{10 + i:02d}"))
    return stories
