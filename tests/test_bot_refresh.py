"""`qabot bot` following sources: it fetches and rebuilds in a subprocess and answers from the
new snapshot, against a real news site and a real (local) Telegram Bot API server."""

from __future__ import annotations

import asyncio
import logging

from botapi_server import BotApiServer, check_html
from conftest import SHARED_DATA, make_corpus, sample_files
from newsite_server import NewsSite, bbc_stories
from test_bot import RunningBot

from qabot.answering.library import Library
from qabot.faces.refresh import refresh_once
from qabot.indexing import IndexFolder
from qabot.indexing.build import build_index

QUICK = {"allow_private": True, "delay_seconds": 0, "retries": 1, "timeout_seconds": 5}


def test_the_running_bot_answers_about_an_article_its_refresh_fetched(tmp_path):
    site = NewsSite("Valley Post").start()
    server = BotApiServer().start()
    bot = None
    try:
        story = bbc_stories(SHARED_DATA / "bbc", 1)[0]
        site.article("/news/fresh", story)
        site.rss("/feed.xml", ["/news/fresh"])
        settings = make_corpus(tmp_path, sample_files(), telegram={"base_url": server.base_url, "allowed_user_ids": [5]},
                               sources={**QUICK, "feeds": [site.url + "/feed.xml"]})
        build_index(settings)
        folder = IndexFolder(settings.index_dir)
        before = folder.current_name()
        bot = RunningBot(Library.open(settings), settings).start()  # its first refresh starts at once

        server.wait_for(lambda: folder.current_name() != before or None, timeout=240)
        question, words = (("How much did Time Warner's quarterly profits jump?", "76%") if "Warner" in story.title
                           else ("By how many votes did parliament approve the budget?", "151 votes to 139"))
        server.user_says(question, chat_id=5, user_id=5)
        reply = server.wait_for(lambda: server.messages_to(5) or None, timeout=60)[0]
        shown = check_html(reply.params["text"])
        assert words in shown and "Valley Post" in shown
        assert "/news/fresh" in reply.params["text"]  # the citation links to the fetched page
    finally:
        if bot is not None:
            bot.stop()
        server.stop()
        site.stop()


def test_a_failed_refresh_is_logged_and_the_snapshot_keeps_serving(tmp_path, caplog):
    settings = make_corpus(tmp_path, sample_files(), sources={**QUICK, "feeds": ["http://127.0.0.1:9/feed.xml"]})
    build_index(settings)
    before = IndexFolder(settings.index_dir).current_name()
    (tmp_path / "articles").rename(tmp_path / "gone")  # the build has nothing to read: it must fail

    with caplog.at_level(logging.INFO, logger="qabot"):
        assert asyncio.run(refresh_once(settings)) is False

    assert IndexFolder(settings.index_dir).current_name() == before
    (record,) = [r for r in caplog.records if "refresh failed" in r.getMessage()]
    assert "the current snapshot keeps serving" in record.getMessage()
    assert "does not exist" in record.getMessage()  # the build's own one-line reason
