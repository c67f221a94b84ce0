"""Fetch + index throughput from a local news site, and the time from a new feed item to the bot's answer.

1. Throughput: N BBC articles (default 300) wrapped in realistic news HTML are served by
   tests/newsite_server.py on 127.0.0.1 through three RSS feeds; `fetch_sources` saves
   them (default politeness except `delay_seconds = 0`, since there is one host here and a
   real run spreads over many) and `build_index` indexes them. Printed: articles per
   minute for the fetch, the build and both, and the split network / extraction / the
   rest of the fetch (network and extraction are summed over concurrent requests, so they
   can add up to more than the wall time).
2. Freshness (`--bot`): a bot runs against the local Bot API server with
   `refresh_every = "1m"`; once its first refresh is done a new item is added to the feed,
   and the bot is asked about it every 5 s until it answers. Printed: seconds from the
   item appearing to the first right answer (at most one refresh period plus a fetch
   and an incremental build).

    .venv/bin/python bench/fetch_throughput.py [--articles 300] [--bot]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time

from common import BBC, REPO, WORK, bot_running, machine, require_bbc, save_result

sys.path.insert(0, str(REPO / "tests"))

from newsite_server import NewsSite, Story  # noqa: E402


def stories(count: int) -> list[Story]:
    files = sorted(p for c in ("business", "politics", "tech", "sport", "entertainment") for p in (BBC / c).glob("*.txt"))
    out = []
    for i, path in enumerate(files[:count]):
        title, _, rest = path.read_bytes().decode("utf-8", errors="replace").partition("\n")
        out.append(Story(title.strip(), tuple(p.strip() for p in rest.split("\n\n") if p.strip()),
                         f"2005-{1 + i % 12:02d}-{1 + i % 28:02d}"))
    return out


def corpus(folder, telegram: dict | None = None, **sources):
    from qabot.config import load_settings

    shutil.rmtree(folder, ignore_errors=True)
    (folder / "articles").mkdir(parents=True)
    lines = ["[corpus]", 'paths = ["articles"]', "[index]", 'dir = "index"', "[sources]"]
    lines += [f"{k} = {_toml(v)}" for k, v in {"allow_private": True, "delay_seconds": 0, **sources}.items()]
    if telegram:
        lines += ["[telegram]"] + [f"{k} = {_toml(v)}" for k, v in telegram.items()]
    (folder / "config.toml").write_text("\n".join(lines) + "\n")
    return load_settings(folder / "config.toml", env={})


def _toml(value) -> str:
    import json

    return "true" if value is True else json.dumps(value)


def throughput(count: int) -> dict:
    from qabot.indexing.build import build_index
    from qabot.sources import fetch_sources

    site = NewsSite("Valley Post").start()
    try:
        paths = []
        for i, story in enumerate(stories(count)):
            site.article(f"/news/{i}", story)
            paths.append(f"/news/{i}")
        feeds = []
        for n in range(3):
            site.rss(f"/feed-{n}.xml", paths[n::3])
            feeds.append(site.url + f"/feed-{n}.xml")
        settings = corpus(WORK / "fetch", feeds=feeds, max_articles_per_source=count)
        report = fetch_sources(settings)
        tick = time.perf_counter()
        built = build_index(settings)
        build_seconds = time.perf_counter() - tick
    finally:
        site.stop()
    assert report.new == count, [s.failed_items[:3] for s in report.sources]
    figures = {"articles": count, "fetch_s": report.seconds, "network_s": report.network_seconds,
               "extraction_s": report.extraction_seconds, "build_s": build_seconds,
               "build_stages": built.stages, "chunks": built.chunks, "machine": machine()}
    per_min = lambda s: count / s * 60  # noqa: E731
    print(f"# Fetch + index throughput — {machine()}")
    print(f"{count} articles from 3 RSS feeds on 127.0.0.1, per_host_concurrency 2, delay 0; "
          f"load average {os.getloadavg()[0]:.1f} at the end")
    print("| stage | seconds | articles/min |\n|---|---|---|")
    print(f"| fetch (wall) | {report.seconds:.1f} | {per_min(report.seconds):,.0f} |")
    print(f"|   network (summed over requests) | {report.network_seconds:.1f} | |")
    print(f"|   extraction (trafilatura, summed) | {report.extraction_seconds:.1f} | |")
    print(f"| index build ({built.chunks} chunks) | {build_seconds:.1f} | {per_min(build_seconds):,.0f} |")
    print(f"| fetch + build | {report.seconds + build_seconds:.1f} | {per_min(report.seconds + build_seconds):,.0f} |")
    print("build stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in built.stages.items()))
    return figures


def freshness() -> dict:
    from botapi_server import BotApiServer, check_html

    from qabot.answering import Library
    from qabot.faces.telegram.bot import QabotBot
    from qabot.indexing import IndexFolder
    from qabot.indexing.build import build_index
    from qabot.sources import fetch_sources

    site, server = NewsSite("Valley Post").start(), BotApiServer().start()
    first, fresh = stories(2)
    site.article("/news/0", first)
    site.rss("/feed.xml", ["/news/0"])
    settings = corpus(WORK / "fresh", telegram={"base_url": server.base_url, "allowed_user_ids": [5]},
                      feeds=[site.url + "/feed.xml"], refresh_every="1m")
    fetch_sources(settings)
    build_index(settings)
    folder = IndexFolder(settings.index_dir)
    app = QabotBot(Library.open(settings), settings).build("123456:BENCH")
    try:
        with bot_running(app):
            start_name = folder.current_name()
            time.sleep(20)  # the first refresh (at start) finds nothing new
            site.article("/news/1", fresh)
            site.rss("/feed.xml", ["/news/1", "/news/0"])
            appeared = time.monotonic()
            words = fresh.paragraphs[0].split()[:6]
            question = "What happened: " + " ".join(fresh.title.split())
            asked = 0
            while time.monotonic() - appeared < 600:
                asked += 1
                server.user_says(question, chat_id=5, user_id=5)
                server.wait_for(lambda: len(server.messages_to(5)) >= asked or None, timeout=60)
                reply = check_html(server.messages_to(5)[-1].params["text"])
                if fresh.title in reply or " ".join(words) in reply:
                    break
                time.sleep(5)
            seconds = time.monotonic() - appeared
    finally:
        server.stop()
        site.stop()
    print(f"\n# New feed item to bot answer (refresh_every = \"1m\") — {machine()}")
    print(f"{seconds:.0f} s from the item appearing in the feed to the bot's first answer citing it "
          f"({asked} questions asked, every 5 s; snapshot {start_name} -> {folder.current_name()})")
    return {"seconds": seconds, "machine": machine()}


def main() -> None:
    require_bbc()
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--bot", action="store_true", help="also measure new item -> bot answer (takes ~2 minutes)")
    parser.add_argument("--bot-only", action="store_true", help="only the new item -> bot answer measurement")
    args = parser.parse_args()
    figures = {} if args.bot_only else {"throughput": throughput(args.articles)}
    if args.bot or args.bot_only:
        figures["freshness"] = freshness()
    save_result("fetch", figures)


if __name__ == "__main__":
    main()
