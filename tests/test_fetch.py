"""`qabot fetch` against a real news site on 127.0.0.1 (tests/newsite_server.py).

Each test starts its own site, serving articles made from the BBC corpus (or the fixture
stories when it is absent) wrapped in realistic news HTML, and a corpus folder of its own.
"""

from __future__ import annotations

import json
import socket

import pytest
from conftest import SHARED_DATA, make_corpus
from newsite_server import (NewsSite, Route, Story, bbc_stories, endless_body, login_page, redirect_loop,
                            section_page, server_error, slow_loris, too_many_requests_once)

from qabot.sources import fetch_sources, ingest_paths

POLITE_BUT_QUICK = {"allow_private": True, "delay_seconds": 0, "retries": 1, "timeout_seconds": 5}


@pytest.fixture
def site():
    site = NewsSite("Valley Post").start()
    yield site
    site.stop()


def publish(site: NewsSite, count: int, prefix: str = "/news/story") -> list[str]:
    paths = []
    for i, story in enumerate(bbc_stories(SHARED_DATA / "bbc", count)):
        site.article(f"{prefix}-{i}", story)
        paths.append(f"{prefix}-{i}")
    return paths


def corpus(tmp_path, **sources):
    return make_corpus(tmp_path, {}, sources={**POLITE_BUT_QUICK, **sources})


def saved_pages(settings) -> list:
    return sorted(settings.archive_dir.rglob("*.html"))


def test_first_fetch_saves_every_article_with_its_metadata(site, tmp_path):
    paths = publish(site, 4)
    site.rss("/feed.xml", paths)
    settings = corpus(tmp_path, feeds=[site.url + "/feed.xml"])

    report = fetch_sources(settings)

    assert (report.new, report.failed) == (4, 0)
    pages = saved_pages(settings)
    assert len(pages) == 4
    story = site.published[paths[0]]
    page = next(p for p in pages if story.title.split()[0].lower() in p.name)
    # articles/<site>/<yyyy-mm-dd>/<slug>.html, the page as served, plus its sidecar
    assert page.parent.name == story.published
    meta = json.loads(page.with_name(page.stem + ".meta.json").read_text())
    assert meta["url"] == site.url + paths[0]
    assert (meta["source"], meta["author"], meta["published"]) == ("Valley Post", "Jane Reporter", story.published)
    assert meta["title"] == story.title
    # ingest reads the archive with that metadata and without the page's clutter
    articles = {a.title: a for a in ingest_paths(settings.article_paths, settings.corpus.extensions).articles}
    article = articles[story.title]
    assert (article.source, article.url, article.published) == ("Valley Post", site.url + paths[0], story.published)
    assert story.paragraphs[1][:60] in article.text
    assert "We use cookies" not in article.text and "Related stories" not in article.text


def test_second_fetch_costs_only_304s_and_a_new_item_is_fetched_next_time(site, tmp_path):
    paths = publish(site, 3)
    site.rss("/feed.xml", paths)
    settings = corpus(tmp_path, feeds=[site.url + "/feed.xml"])
    fetch_sources(settings)
    site.clear_log()

    again = fetch_sources(settings)

    assert again.new == 0 and again.sources[0].not_modified
    assert site.fetched_paths() == ["/robots.txt", "/feed.xml"]
    assert site.statuses("/feed.xml") == [304]

    site.article("/news/fresh", Story("Lighthouse keepers return to Skerry island", (
        "For the first time in thirty years, two lighthouse keepers are living on Skerry island after the lamp failed.",
        "The Northern Lights Board said the keepers, Morag Fraser and Tom Baird, would stay for six months while "
        "engineers replace the lamp's power system and its batteries.",
        "Fraser said the island's only other residents were forty grey seals and a colony of puffins.",
        "Supplies reach the island by boat once a fortnight when the weather allows."), "2005-03-01"))
    site.rss("/feed.xml", ["/news/fresh"] + paths)
    site.clear_log()

    third = fetch_sources(settings)

    assert (third.new, third.sources[0].unchanged) == (1, 3)
    assert sorted(p for p in site.fetched_paths() if p.startswith("/news/")) == ["/news/fresh"]
    assert len(saved_pages(settings)) == 4


def test_an_article_already_saved_is_not_downloaded_again_under_a_tracking_url(site, tmp_path):
    paths = publish(site, 2)
    site.rss("/feed.xml", paths)
    site.atom("/atom.xml", paths)
    atom = site.routes["/atom.xml"]  # the same stories: trailing slash, tracking parameters, fragment
    for path in paths:
        atom.body = atom.body.replace(f'{path}"'.encode(), f'{path}/?utm_source=atom&amp;utm_medium=feed#top"'.encode())
    assert atom.body.count(b"utm_source=atom") == len(paths)
    settings = corpus(tmp_path, feeds=[site.url + "/feed.xml"])
    fetch_sources(settings)
    settings = corpus(tmp_path, feeds=[site.url + "/feed.xml", site.url + "/atom.xml"])
    site.clear_log()

    report = fetch_sources(settings)

    assert report.new == 0 and report.sources[1].unchanged == 2
    assert not [p for p in site.fetched_paths() if p.startswith("/news/")]


def test_robots_disallow_is_obeyed(site, tmp_path):
    paths = publish(site, 2)
    site.article("/private/secret", bbc_stories(SHARED_DATA / "bbc", 3)[2])
    site.rss("/feed.xml", paths + ["/private/secret"])
    site.robots("User-agent: *\nDisallow: /private/\n")
    settings = corpus(tmp_path, feeds=[site.url + "/feed.xml"])

    report = fetch_sources(settings)

    assert report.new == 2
    assert "/private/secret" not in site.fetched_paths()
    assert report.sources[0].failed_items == [(site.url + "/private/secret", f"robots.txt of {site.url[7:]} disallows /private/secret")]


def test_429_retry_after_is_waited_for(site, tmp_path):
    paths = publish(site, 1)
    page = site.routes[paths[0]]
    throttled = too_many_requests_once(1, Route(page.body, page.content_type))
    site.routes[paths[0]] = throttled
    site.rss("/feed.xml", paths)
    settings = corpus(tmp_path, feeds=[site.url + "/feed.xml"])

    report = fetch_sources(settings)

    assert report.new == 1
    first, second = throttled.calls
    assert second - first >= 0.95  # the server asked for one second; a correctness bound, not speed


def test_a_dead_source_is_reported_and_the_others_are_fetched(site, tmp_path):
    paths = publish(site, 2)
    site.rss("/feed.xml", paths)
    site.routes["/broken.xml"] = server_error
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}/feed.xml"
    settings = corpus(tmp_path, feeds=[dead, site.url + "/broken.xml", site.url + "/feed.xml"])

    report = fetch_sources(settings)

    by_url = {s.url: s for s in report.sources}
    assert by_url[dead].reason == "cannot connect, after 2 attempts"
    assert by_url[site.url + "/broken.xml"].reason == "HTTP 500, after 2 attempts"
    assert by_url[site.url + "/feed.xml"].new == 2 and len(saved_pages(settings)) == 2


def test_bad_items_each_get_a_one_line_reason_and_the_rest_is_saved(site, tmp_path):
    paths = publish(site, 2)
    site.add("/login-wall", login_page(), "text/html")
    site.add("/section", section_page(), "text/html")
    site.add("/image", b"\x89PNG\r\n\x1a\n" + bytes(100), "image/png")
    site.routes["/loop-a"] = redirect_loop
    site.routes["/loop-b"] = redirect_loop
    site.routes["/huge"] = endless_body
    site.routes["/slow"] = slow_loris
    links = "".join(f"<item><title>x</title><link>{site.url}{p}</link></item>"
                    for p in ["/login-wall", "/section", "/image", "/loop-a", "/huge", "/slow"])
    site.rss("/feed.xml", paths, extra_items=links + "<item><title>No link here</title></item>")
    site.add("/malformed.xml", "<?xml version='1.0'?><rss><channel><item><title>Oops</title>", "application/rss+xml")
    settings = corpus(tmp_path, feeds=[site.url + "/feed.xml", site.url + "/malformed.xml"],
                      max_response_mb=1, timeout_seconds=2, retries=0)

    report = fetch_sources(settings)

    feed, malformed = report.sources
    assert feed.new == 2 and len(saved_pages(settings)) == 2
    reasons = dict(feed.failed_items)
    assert reasons[site.url + "/feed.xml"] == "1 feed item without a link"
    assert reasons[site.url + "/login-wall"] == "a login or paywall page, not the article"
    assert reasons[site.url + "/section"].startswith("not an article (only ")
    assert reasons[site.url + "/image"] == "not a web page (content type image/png)"
    assert reasons[site.url + "/loop-a"] == "too many redirects (more than 5)"
    assert reasons[site.url + "/huge"] == "response too large (over 1 MB, sources.max_response_mb)"
    assert reasons[site.url + "/slow"] == "too slow: no complete answer within 2 s"
    assert all("\n" not in r and "Traceback" not in r for r in reasons.values())
    assert malformed.reason.startswith("not a readable feed (")
    # nothing half-written anywhere in the archive
    assert not [p for p in settings.archive_dir.rglob("*") if p.name.startswith(".")]


def test_sitemap_index_with_news_and_gzip_sitemaps(site, tmp_path):
    paths = publish(site, 4)
    site.sitemap("/sitemap-news.xml", paths[:2], news=True)
    site.sitemap("/sitemap-old.xml.gz", paths[2:], news=False, gzipped=True)
    site.sitemap_index("/sitemap.xml", ["/sitemap-news.xml", "/sitemap-old.xml.gz"])
    settings = corpus(tmp_path, sitemaps=[site.url + "/sitemap.xml"])

    report = fetch_sources(settings)

    assert (report.new, report.failed) == (4, 0)
    dates = sorted(p.parent.name for p in saved_pages(settings))
    assert dates == sorted(site.published[p].published for p in paths)
    site.clear_log()
    assert fetch_sources(settings).new == 0
    assert set(site.statuses("/sitemap.xml") + site.statuses("/sitemap-news.xml")) == {304}


def test_private_addresses_are_refused_unless_allowed(site, tmp_path):
    paths = publish(site, 1)
    site.rss("/feed.xml", paths)
    settings = corpus(tmp_path, feeds=[site.url + "/feed.xml"], allow_private=False)

    report = fetch_sources(settings)

    assert report.sources[0].reason == ("127.0.0.1 is a private or local address (127.0.0.1); "
                                        "set [sources] allow_private = true to fetch from it")
    assert site.fetched_paths() == []


def test_a_single_page_source_is_saved_once(site, tmp_path):
    paths = publish(site, 1)
    settings = corpus(tmp_path, pages=[site.url + paths[0]])
    assert fetch_sources(settings).new == 1
    site.clear_log()
    again = fetch_sources(settings)
    assert (again.new, again.sources[0].unchanged) == (0, 1)
    assert site.fetched_paths() == []


def test_a_brotli_compressed_page_is_decoded_and_saved(site, tmp_path):
    import brotli

    paths = publish(site, 1)
    page = site.routes[paths[0]]
    site.add(paths[0], brotli.compress(page.body), "text/html; charset=utf-8", **{"Content-Encoding": "br"})
    settings = corpus(tmp_path, pages=[site.url + paths[0]])

    assert fetch_sources(settings).new == 1
    (saved,) = saved_pages(settings)
    assert saved.read_bytes() == page.body
