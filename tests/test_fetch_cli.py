"""`qabot source ...`, `qabot fetch` and `qabot index build --fetch` run as a user runs them,
against a real news site on 127.0.0.1; and a fetch killed mid-way loses nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from conftest import SHARED_DATA, make_corpus
from newsite_server import NewsSite, bbc_stories

QUICK = {"allow_private": True, "delay_seconds": 0, "retries": 1, "timeout_seconds": 5}


def qabot(*args: str, cwd, input_text: str | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("QABOT_")}
    environment["COLUMNS"] = "200"  # wide enough for a table row with a whole URL on one line
    return subprocess.run([sys.executable, "-m", "qabot", *args], cwd=cwd, env=environment, input=input_text,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def site():
    site = NewsSite("Valley Post").start()
    for i, story in enumerate(bbc_stories(SHARED_DATA / "bbc", 3)):
        site.article(f"/news/story-{i}", story)
    site.rss("/feed.xml", [f"/news/story-{i}" for i in range(3)])
    yield site
    site.stop()


def test_source_add_detects_feeds_and_pages_and_keeps_the_config_comments(site, tmp_path):
    make_corpus(tmp_path, {}, sources=QUICK)
    config = tmp_path / "config.toml"
    config.write_text("# my corpus, my comments\n" + config.read_text())

    added = qabot("source", "add", site.url + "/feed.xml", cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    assert f"Following {site.url}/feed.xml as a feed" in added.stdout
    # a page that advertises its feed: offered the feed (here answered with --yes); the feed is followed already
    page = qabot("source", "add", site.url + "/news/story-1", "--yes", cwd=tmp_path)
    assert page.returncode == 0, page.stderr
    assert f"This page advertises a feed: {site.url}/feed.xml" in page.stdout
    assert "Already following" in page.stdout
    as_page = qabot("source", "add", site.url + "/news/story-2", input_text="n\n", cwd=tmp_path)
    assert f"Following {site.url}/news/story-2 as a page" in as_page.stdout

    text = config.read_text()
    assert text.startswith("# my corpus, my comments\n")
    assert f'"{site.url}/feed.xml"' in text and f'"{site.url}/news/story-2"' in text

    fetched = qabot("fetch", cwd=tmp_path)
    assert fetched.returncode == 0, fetched.stderr
    assert "3 new articles" in fetched.stdout
    listed = qabot("source", "list", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    rows = [line.split() for line in listed.stdout.splitlines() if site.url in line]
    assert [(row[0], row[1], row[4]) for row in rows] == [(site.url + "/feed.xml", "feed", "ok"),
                                                          (site.url + "/news/story-2", "page", "ok")]
    assert sum(int(row[-1]) for row in rows) == 3  # each article counted once, for the source that saved it

    removed = qabot("source", "remove", site.url + "/news/story-2", cwd=tmp_path)
    assert removed.returncode == 0 and "No longer following" in removed.stdout
    assert "story-2" not in config.read_text() and config.read_text().startswith("# my corpus")
    again = qabot("source", "remove", site.url + "/news/story-2", cwd=tmp_path)
    assert again.returncode == 1 and "is not among [sources]" in again.stderr


def test_source_add_recognises_a_sitemap(site, tmp_path):
    make_corpus(tmp_path, {}, sources=QUICK)
    site.sitemap("/sitemap.xml", ["/news/story-0"])
    added = qabot("source", "add", site.url + "/sitemap.xml", cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    assert f"Following {site.url}/sitemap.xml as a sitemap" in added.stdout
    assert f'sitemaps = ["{site.url}/sitemap.xml"]' in (tmp_path / "config.toml").read_text()


def test_source_add_refuses_what_it_cannot_follow(site, tmp_path):
    make_corpus(tmp_path, {}, sources=QUICK)
    for url, message in [("ftp://example.com/feed", "only http and https URLs are fetched"),
                         (site.url + "/missing", "HTTP 404")]:
        result = qabot("source", "add", url, cwd=tmp_path)
        assert result.returncode == 1
        assert message in result.stderr and "Traceback" not in result.stderr


def test_fetch_then_build_then_ask_cites_the_fetched_article(site, tmp_path):
    make_corpus(tmp_path, {}, sources={**QUICK, "feeds": [site.url + "/feed.xml"]})

    built = qabot("index", "build", "--fetch", cwd=tmp_path)

    assert built.returncode == 0, built.stderr
    assert "3 new articles" in built.stdout and "Indexed 3 articles" in built.stdout
    story = site.published["/news/story-0"]
    question, words = (("How much did Time Warner's quarterly profits jump?", "76%") if "Warner" in story.title
                       else ("By how many votes did parliament approve the budget?", "151 votes to 139"))
    answer = qabot("ask", question, "--json", cwd=tmp_path)
    assert answer.returncode == 0, answer.stderr
    data = json.loads(answer.stdout)
    assert data["found"] is True
    cited = data["citations"][0]
    assert words in cited["passage"]
    assert (cited["url"], cited["source"], cited["published"]) == (site.url + "/news/story-0", "Valley Post", story.published)
    assert cited["text"] in cited["passage"]


def test_a_fetch_killed_mid_way_loses_nothing(tmp_path):
    site = NewsSite("Valley Post").start()
    try:
        stories = bbc_stories(SHARED_DATA / "bbc", 12)
        paths = [f"/news/story-{i}" for i in range(len(stories))]
        for path, story in zip(paths, stories):
            site.article(path, story)
        site.rss("/feed.xml", paths)
        make_corpus(tmp_path, {}, sources={**QUICK, "delay_seconds": 0.3, "per_host_concurrency": 1,
                                           "feeds": [site.url + "/feed.xml"]})
        env = {k: v for k, v in os.environ.items() if not k.startswith("QABOT_")}
        process = subprocess.Popen([sys.executable, "-m", "qabot", "fetch"], cwd=tmp_path, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        archive = tmp_path / "articles"
        deadline = time.monotonic() + 120
        while len(list(archive.rglob("*.meta.json"))) < 2 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait()

        saved = list(archive.rglob("*.html"))
        assert 2 <= len(saved) < len(paths), "the kill should land mid-way"
        served = {site.routes[p].body for p in paths}
        assert all(page.read_bytes() in served for page in saved)  # every saved page is whole
        assert not [p for p in archive.rglob("*") if p.is_file() and not p.name.endswith((".html", ".meta.json"))
                    and not p.name.startswith(".")]

        finished = qabot("fetch", cwd=tmp_path)
        assert finished.returncode == 0, finished.stderr
        pages = sorted(archive.rglob("*.html"))
        assert len(pages) == len(paths)  # every article exactly once
        assert {json.loads(p.with_name(p.stem + ".meta.json").read_text())["url"] for p in pages} == \
            {site.url + p for p in paths}
    finally:
        site.stop()
